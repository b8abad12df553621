using Helsingborg.Exports;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Tests.Lifecycle;

namespace Helsingborg.Tests.Exports;

/// <summary>docs/national-export.md: what is stored of an intake and a case state, and how it is coded to HTCDS.</summary>
[Trait("Category", "Unit")]
public sealed class ExportMappingTests
{
    static IntakeSubmission Intake(PersonDetails? person, Suspicion suspicion = Suspicion.Trafficking) => new()
    {
        Municipality = "m",
        ObservedAt = CaseScenario.T0,
        PlaceType = PlaceType.Hotel,
        Suspicion = suspicion,
        Description = "d",
        PoliceNotified = true,
        Person = person,
    };

    [Theory]
    [InlineData(0, "0--8")]
    [InlineData(8, "0--8")]
    [InlineData(9, "9--17")]
    [InlineData(17, "9--17")]
    [InlineData(18, "18--20")]
    [InlineData(21, "21--23")]
    [InlineData(26, "24--26")]
    [InlineData(29, "27--29")]
    [InlineData(30, "30--38")]
    [InlineData(47, "39--47")]
    [InlineData(48, "48+")]
    [InlineData(120, "48+")]
    public void An_estimated_age_is_kept_only_as_its_narrow_band(int age, string band) =>
        Assert.Equal(band, AgeBands.Of(new PersonDetails { EstimatedAge = age }));

    [Fact]
    public void A_minor_flag_without_an_age_or_against_it_is_kept_as_minor_and_no_person_as_unknown()
    {
        Assert.Equal(AgeBands.Minor, AgeBands.Of(new PersonDetails { IsMinor = true }));
        Assert.Equal(AgeBands.Minor, AgeBands.Of(new PersonDetails { IsMinor = true, EstimatedAge = 19 }));
        Assert.Equal("9--17", AgeBands.Of(new PersonDetails { IsMinor = false, EstimatedAge = 16 }));
        Assert.Equal(AgeBands.Adult, AgeBands.Of(new PersonDetails { IsMinor = false }));
        Assert.Equal(AgeBands.Unknown, AgeBands.Of(new PersonDetails { Alias = "x" }));
        Assert.Equal(AgeBands.Unknown, AgeBands.Of(null));

        Assert.Equal(Htcds.MajorityMinor, AgeBands.MajorityStatus("9--17"));
        Assert.Equal(Htcds.MajorityAdult, AgeBands.MajorityStatus("18--20"));
        Assert.Equal(Htcds.MajorityMinor, AgeBands.MajorityStatus(AgeBands.Minor));
        Assert.Equal(Htcds.MajorityUnknown, AgeBands.MajorityStatus(AgeBands.Unknown));
        Assert.Equal("0--17", AgeBands.Widen("0--8"));
        Assert.Equal("18--29", AgeBands.Widen("27--29"));
        Assert.Equal("30--47", AgeBands.Widen("39--47"));
        Assert.Null(AgeBands.Widen(AgeBands.Adult));
    }

    [Fact]
    public void Citizenship_is_the_first_recognised_country_and_anything_else_is_unknown()
    {
        Assert.Equal("NG", Citizenship.Of(["XX", "ng", "RO"]));
        Assert.Equal(Citizenship.Unknown, Citizenship.Of(["XX", "AQ"]));
        Assert.Equal(Citizenship.Unknown, Citizenship.Of(null));

        Assert.Equal((Citizenship.Sweden, Citizenship.Sweden), (Citizenship.Region("SE"), Citizenship.Broad("SE")));
        Assert.Equal((Citizenship.EuEea, Citizenship.EuEea), (Citizenship.Region("RO"), Citizenship.Broad("RO")));
        Assert.Equal((Citizenship.EuEea, Citizenship.EuEea), (Citizenship.Region("NO"), Citizenship.Broad("NO")));
        Assert.Equal((Citizenship.EuEea, Citizenship.EuEea), (Citizenship.Region("CY"), Citizenship.Broad("CY")));
        Assert.Equal((Citizenship.EuropeOther, Citizenship.OutsideEuEea), (Citizenship.Region("UA"), Citizenship.Broad("UA")));
        Assert.Equal((Citizenship.Africa, Citizenship.OutsideEuEea), (Citizenship.Region("NG"), Citizenship.Broad("NG")));
        Assert.Equal((Citizenship.Asia, Citizenship.OutsideEuEea), (Citizenship.Region("TH"), Citizenship.Broad("TH")));
        Assert.Equal((Citizenship.Americas, Citizenship.OutsideEuEea), (Citizenship.Region("BR"), Citizenship.Broad("BR")));
        Assert.Equal((Citizenship.Oceania, Citizenship.OutsideEuEea), (Citizenship.Region("TV"), Citizenship.Broad("TV")));
        Assert.Equal((Citizenship.Unknown, Citizenship.Unknown), (Citizenship.Region(Citizenship.Unknown), Citizenship.Broad(Citizenship.Unknown)));
    }

    [Fact]
    public void Every_iso_country_but_antarctica_has_one_region_and_every_eu_eea_state_is_a_european_country()
    {
        var listed = Citizenship.ContinentLists.SelectMany(Citizenship.Split).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(248, listed.Count);
        Assert.All(listed, code => Assert.Matches("^[A-Z]{2}$", code));
        Assert.DoesNotContain("AQ", listed);
        Assert.Equal(listed.Order(), Citizenship.RegionOf.Keys.Order());
        Assert.Equal(30, Citizenship.EuEeaList.Count(c => c != "AX"));
        Assert.All(Citizenship.EuEeaList, code => Assert.Contains(Citizenship.Region(code), new[] { Citizenship.EuEea, Citizenship.Sweden }));
        Assert.All(Citizenship.RegionOf.Values, region => Assert.Contains(region, Citizenship.Regions));
    }

    [Fact]
    public void The_intake_is_coded_from_its_enums_and_the_reporting_organisations_referral_source()
    {
        var person = new PersonDetails { Alias = "Maria", EstimatedAge = 20, Gender = Gender.Female, Citizenship = ["ro", "SE"], Contact = "+46 70", Languages = ["ro"] };
        CaseFacts facts = CaseFacts.FromIntake(Intake(person, Suspicion.Both), "private-sector");

        Assert.Equal("v1|private-sector|both|1|18--20|female|RO|active|-|0|-", facts.Key);
        Assert.Equal("v1|ngo|unclear|0|unknown|unknown|unknown|active|-|0|-", CaseFacts.FromIntake(Intake(null, Suspicion.Unclear), "ngo").Key);
    }

    [Fact]
    public void The_outcome_follows_the_case_state()
    {
        CaseFacts facts = CaseFacts.FromIntake(Intake(new PersonDetails { EstimatedAge = 40 }), "law-enforcement");

        CaseState supported = CaseScenario.InState("short-term-support")
            .Then<SupportGiven>(CaseScenario.T0.AddDays(1), e => e with { Kind = SupportKind.Medical })
            .Then<SupportGiven>(CaseScenario.T0.AddDays(2), e => e with { Kind = SupportKind.Accommodation })
            .Then<SupportGiven>(CaseScenario.T0.AddDays(3), e => e with { Kind = SupportKind.Medical });
        CaseFacts active = facts.WithOutcome(supported);
        Assert.Equal((ExportStatus.Active, null, false), (active.Status, active.CloseReason, active.Returned));
        Assert.Equal([SupportKind.Accommodation, SupportKind.Medical], active.SupportGiven);

        CaseFacts departed = facts.WithOutcome(CaseScenario.InState("return:departed"));
        Assert.Equal((ExportStatus.FollowUp, null, true), (departed.Status, departed.CloseReason, departed.Returned));

        CaseState returned = CaseScenario.InState("return:departed").Then(CaseEventType.ReintegrationFollowedUp, CaseScenario.T0.AddDays(30));
        CaseFacts closed = facts.WithOutcome(returned);
        Assert.Equal((ExportStatus.Closed, CloseReason.Returned, true), (closed.Status, closed.CloseReason, closed.Returned));

        CaseFacts completed = facts.WithOutcome(CaseScenario.InState("completed"));
        Assert.Equal((ExportStatus.Closed, CloseReason.Stable, false), (completed.Status, completed.CloseReason, completed.Returned));
        Assert.Equal("v1|law-enforcement|trafficking|1|39--47|unknown|unknown|closed|stable|0|-", completed.Key);
    }

    [Fact]
    public void A_key_reads_back_as_the_same_facts_and_anything_else_is_refused()
    {
        CaseFacts facts = CaseFacts.FromIntake(Intake(new PersonDetails { IsMinor = true, Gender = Gender.Other, Citizenship = ["TH"] }, Suspicion.Prostitution), "self")
            .WithOutcome(CaseScenario.InState("return:departed").Then<SupportGiven>(CaseScenario.T0.AddDays(20), e => e with { Kind = SupportKind.CounsellingLegal }));
        Assert.Equal(facts.Key, CaseFacts.Parse(facts.Key).Key);

        foreach (string bad in new[]
        {
            "", "v1", "v2|ngo|both|1|18--20|female|RO|active|-|0|-", "v1|friends|both|1|18--20|female|RO|active|-|0|-",
            "v1|ngo|both|1|20|female|RO|active|-|0|-", "v1|ngo|both|1|18--20|female|XX|active|-|0|-", "v1|ngo|both|1|18--20|female|RO|active|-|0|cash",
            "v1|ngo|both|2|18--20|female|RO|active|-|0|-", "v1|ngo|both|1|18--20|female|RO|active|gone|0|-",
        })
        {
            Assert.Throws<FormatException>(() => CaseFacts.Parse(bad));
        }
    }

    [Fact]
    public void Every_referral_source_of_the_built_in_profiles_is_a_known_category()
    {
        foreach (CityProfile profile in new[] { TestProfiles.Helsingborg, TestProfiles.Exempelstad })
        {
            Assert.All(profile.Organisations, o => Assert.Contains(o.ReferralSource, OrganisationProfile.ReferralSources));
        }

        Assert.All(OrganisationProfile.ReferralSources.Where(s => s is not ("self" or "other")), s => Assert.NotNull(Htcds.OrganisationType(s)));
        Assert.Null(Htcds.OrganisationType("self"));
        Assert.Null(Htcds.OrganisationType(null));
    }

    [Fact]
    public void A_known_set_of_cases_is_coded_to_htcds()
    {
        CaseFacts known = CaseFacts.FromIntake(Intake(new PersonDetails { EstimatedAge = 20, Gender = Gender.Female, Citizenship = ["RO"] }, Suspicion.Both), "ngo")
            .WithOutcome(CaseScenario.InState("closed").Then(CaseEventType.ConsentWithdrawn, CaseScenario.T0.AddDays(3))) with
            {
                SupportGiven = [SupportKind.Accommodation, SupportKind.Psychological, SupportKind.Medical, SupportKind.Other],
            };
        ExportRecord record = SmallGroups.Record(SmallGroups.At(new ExportCase(2026, 3, known), 0), known);

        Assert.Equal(
            new[]
            {
                "2026", "3", "18--20", "Adult", "Feminine", "RO", "both", "PossibleVictimOfTrafficking", "SexualExploitation", "ngo", "NGO", "true",
                "accommodation,psychological,medical,other", "Health,SocialCare", "Closed", "stable", "false", "",
            },
            record.Cells());

        var cases = new (Suspicion Suspicion, Gender Gender, string Referral, string? Status, string? Type, string HtcdsGender, string? OrgType)[]
        {
            (Suspicion.Trafficking, Gender.Male, "law-enforcement", "PossibleVictimOfTrafficking", null, "Masculine", "LawEnforcement"),
            (Suspicion.Prostitution, Gender.Other, "social-welfare", null, "SexualExploitation", "NonConforming", "LocalGovernmentOrganisation"),
            (Suspicion.Unclear, Gender.Unknown, "health-care", null, null, "NonSpecifiedUnknown", "HealthServiceOrganisation"),
            (Suspicion.Both, Gender.Female, "private-sector", "PossibleVictimOfTrafficking", "SexualExploitation", "Feminine", "CorporateBusiness"),
        };
        foreach (var c in cases)
        {
            CaseFacts facts = CaseFacts.FromIntake(Intake(new PersonDetails { Gender = c.Gender }, c.Suspicion), c.Referral);
            ExportRecord r = SmallGroups.Record(SmallGroups.At(new ExportCase(2026, 1, facts), 0), facts);
            Assert.Equal((c.Status, c.Type, c.HtcdsGender, c.OrgType, "Active"), (r.TraffickingStatus, r.TypeOfExploitation, r.Gender, r.ReferringOrganisationType, r.CaseStatus));
        }
    }
}
