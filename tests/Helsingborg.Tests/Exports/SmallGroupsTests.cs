using Helsingborg.Exports;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using static Helsingborg.Tests.Exports.ExportSeed;

namespace Helsingborg.Tests.Exports;

/// <summary>Small groups in the national export: generalised along the ladder or suppressed, never exported below k.</summary>
[Trait("Category", "Unit")]
public sealed class SmallGroupsTests
{
    static void AssertEveryGroupHasAtLeast(int k, ProtectedExport export)
    {
        foreach (IGrouping<QuasiIdentifiers, ExportRecord> group in export.Records.GroupBy(r => r.QuasiIdentifiers()))
        {
            Assert.True(group.Count() >= k, $"{group.Key} occurs {group.Count()} times, fewer than {k}");
        }
    }

    [Fact]
    public void The_known_set_keeps_its_large_group_generalises_the_months_of_another_and_suppresses_the_lone_cases()
    {
        ProtectedExport export = SmallGroups.Protect(Known, 5);

        Assert.Equal((13, 10, 5, 3), (export.Cases, export.Exported, export.Generalised, export.Suppressed));
        AssertEveryGroupHasAtLeast(5, export);

        List<ExportRecord> march = [.. export.Records.Where(r => r.RegistrationMonth == 3)];
        Assert.Equal(5, march.Count);
        Assert.All(march, r => Assert.Equal(("18--20", "Adult", "Feminine", "RO", "ngo"), (r.AgeBroad, r.MajorityStatus, r.Gender, r.Citizenship, r.ReferralSource)));
        Assert.Equal(3, march.Count(r => r.ReasonForCaseClosure == "stable" && r.SupportGiven.SequenceEqual(["accommodation", "medical"])));
        Assert.Equal(2, march.Count(r => r is { CaseStatus: "Active", ReasonForCaseClosure: null, SupportGiven.Count: 0 }));

        List<ExportRecord> nigerian = [.. export.Records.Where(r => r.Citizenship == "NG")];
        Assert.Equal(5, nigerian.Count);
        Assert.All(nigerian, r => Assert.Equal((ExportSeed.Year, (int?)null, "24--26", "Masculine", "trafficking", "PossibleVictimOfTrafficking", (string?)null, "LawEnforcement"),
            (r.RegistrationYear, r.RegistrationMonth, r.AgeBroad, r.Gender, r.Suspicion, r.TraffickingStatus, r.TypeOfExploitation, r.ReferringOrganisationType)));
        Assert.Single(nigerian, r => r is { CaseStatus: "FollowUp", Returned: true } && r.SupportPlanTypes.SequenceEqual(["SocialCare"]));

        Assert.DoesNotContain(export.Records, r => r.Suspicion == "prostitution" || r.MajorityStatus == "Minor");
    }

    public static TheoryData<string, CaseFacts, CaseFacts, int?> Pairs => new()
    {
        { "identical", Facts(), Facts(), 0 },
        { "month", Facts(), Facts(), 1 },
        { "narrow band", Facts(), Facts(age: "24--26"), 2 },
        { "country in one region", Facts(), Facts(citizenship: "PL"), 3 },
        { "wide band", Facts(), Facts(age: "30--38"), 4 },
        { "non-conforming gender", Facts(gender: Gender.Other), Facts(gender: Gender.Unknown), 4 },
        { "region outside the EU/EEA", Facts(citizenship: "NG"), Facts(citizenship: "TH"), 5 },
        { "gender", Facts(), Facts(gender: Gender.Male), 6 },
        { "referral source", Facts(), Facts("law-enforcement"), 7 },
        { "suspicion", Facts(), Facts(suspicion: Suspicion.Trafficking), null },
        { "person documented", Facts(), Facts(person: false), null },
    };

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Two_cases_that_differ_in_one_quasi_identifier_meet_at_the_first_level_that_hides_it(string difference, CaseFacts a, CaseFacts b, int? level)
    {
        int otherMonth = difference == "month" ? 4 : 3;
        ExportCase first = new(2030, 3, a), second = new(2030, otherMonth, b);

        ProtectedExport export = SmallGroups.Protect([first, second], 2);

        if (level is not { } expected)
        {
            Assert.Equal((0, 2), (export.Exported, export.Suppressed));
            return;
        }

        Assert.Equal((2, 0, expected > 0 ? 2 : 0), (export.Exported, export.Suppressed, export.Generalised));
        Assert.All(export.Records, r => Assert.Equal(SmallGroups.At(first, expected), r.QuasiIdentifiers()));
        if (expected > 0)
        {
            Assert.NotEqual(SmallGroups.At(first, expected - 1), SmallGroups.At(second, expected - 1));
        }
    }

    [Fact]
    public void A_group_of_exactly_k_keeps_its_detail_and_one_fewer_is_generalised()
    {
        ExportCase[] five = [.. Enumerable.Repeat(new ExportCase(2030, 5, Facts()), 5)];
        ProtectedExport kept = SmallGroups.Protect(five, 5);
        Assert.Equal((5, 0, 0), (kept.Exported, kept.Generalised, kept.Suppressed));
        Assert.All(kept.Records, r => Assert.Equal(5, r.RegistrationMonth));

        ProtectedExport four = SmallGroups.Protect(five[..4], 5);
        Assert.Equal((0, 0, 4), (four.Exported, four.Generalised, four.Suppressed));
    }

    [Fact]
    public void Records_in_small_groups_join_a_group_already_exported_at_a_coarser_level()
    {
        // Four January cases reach k only as a year; a fifth case of February joins them there.
        ExportCase[] cases = [.. Enumerable.Repeat(new ExportCase(2030, 1, Facts()), 4), new ExportCase(2030, 2, Facts()), .. Enumerable.Repeat(new ExportCase(2030, 3, Facts()), 5)];

        ProtectedExport export = SmallGroups.Protect(cases, 5);

        Assert.Equal((10, 5, 0), (export.Exported, export.Generalised, export.Suppressed));
        Assert.Equal(5, export.Records.Count(r => r.RegistrationMonth is null));
        Assert.Equal(5, export.Records.Count(r => r.RegistrationMonth == 3));
    }

    [Fact]
    public void Random_cases_are_never_exported_in_a_group_below_k_and_every_case_is_exported_or_counted_suppressed()
    {
        var random = new Random(20260315);
        string[] referrals = ["ngo", "law-enforcement", "social-welfare", "private-sector"];
        string[] ages = [.. AgeBands.Stored];
        string[] countries = ["SE", "RO", "BG", "NG", "TH", "UA", "BR", "TV", Citizenship.Unknown];
        for (int run = 0; run < 40; run++)
        {
            int k = random.Next(2, 12);
            List<ExportCase> cases =
            [
                .. Enumerable.Range(0, random.Next(0, 400)).Select(_ => new ExportCase(
                    2030 + random.Next(2), random.Next(1, 13),
                    Facts(referrals[random.Next(referrals.Length)], (Suspicion)random.Next(4), random.Next(5) > 0, ages[random.Next(ages.Length)],
                        (Gender)random.Next(4), countries[random.Next(countries.Length)], (ExportStatus)random.Next(3),
                        random.Next(3) == 0 ? (CloseReason)random.Next(7) : null, random.Next(4) == 0,
                        [.. Enum.GetValues<SupportKind>().Where(_ => random.Next(5) == 0)]))),
            ];

            ProtectedExport export = SmallGroups.Protect(cases, k);

            AssertEveryGroupHasAtLeast(k, export);
            Assert.Equal(cases.Count, export.Exported + export.Suppressed);
            Assert.Equal(export.Records.Count(r => r.RegistrationMonth is null), export.Generalised);

            // The outcomes are never changed: every exported outcome is one of the cases'.
            var outcomes = cases.Select(c => SmallGroups.Record(SmallGroups.At(c, 0), c.Facts)).Select(Outcome).ToList();
            foreach (string outcome in export.Records.Select(Outcome))
            {
                Assert.True(outcomes.Remove(outcome), $"{outcome} is not an outcome of the cases");
            }

            // The order of the records says nothing of the order the cases came in.
            Assert.Equal(export.Records.Select(Line), SmallGroups.Protect([.. cases.OrderBy(_ => random.Next())], k).Records.Select(Line));
        }

        static string Outcome(ExportRecord r) => $"{string.Join(',', r.SupportGiven)}|{r.CaseStatus}|{r.ReasonForCaseClosure}|{r.Returned}";

        static string Line(ExportRecord r) => string.Join(';', r.Cells());
    }

    [Fact]
    public void A_group_size_below_two_protects_nothing_and_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SmallGroups.Protect(Known, 1));
        Assert.Equal((0, 0, 0), (SmallGroups.Protect([], 5).Exported, SmallGroups.Protect([], 5).Generalised, SmallGroups.Protect([], 5).Suppressed));
    }

    [Theory]
    [InlineData("1", false)]
    [InlineData("0", false)]
    [InlineData("2", true)]
    [InlineData(null, true)]
    public void The_group_size_setting_must_protect_something(string? setting, bool valid)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" })
            .AddInMemoryCollection(setting is null ? [] : new Dictionary<string, string?> { ["Exports:MinGroupSize"] = setting })
            .Build();
        using ServiceProvider services = new ServiceCollection().AddLogging().AddHelsingborg(configuration).BuildServiceProvider();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<ExportOptions>>();

        if (valid)
        {
            Assert.Equal(setting is null ? 5 : 2, options.CurrentValue.MinGroupSize);
        }
        else
        {
            var refused = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => options.CurrentValue);
            Assert.Contains("Exports:MinGroupSize", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_csv_is_utf8_with_bom_semicolons_and_crlf_with_one_row_per_record()
    {
        byte[] csv = NationalExportHandler.Csv(SmallGroups.Protect(Known, 5));

        Assert.Equal(System.Text.Encoding.UTF8.GetPreamble(), csv[..3]);
        string[] lines = System.Text.Encoding.UTF8.GetString(csv[3..]).Split("\r\n");
        Assert.Equal(string.Join(';', ExportRecord.Columns), lines[0]);
        Assert.Equal(12, lines.Length);
        Assert.Equal(string.Empty, lines[^1]);
        Assert.Equal("2011;3;18--20;Adult;Feminine;RO;both;PossibleVictimOfTrafficking;SexualExploitation;ngo;NGO;true;accommodation,medical;Health,SocialCare;Closed;stable;false;", lines[3]);
        Assert.Contains("2011;;24--26;Adult;Masculine;NG;trafficking;PossibleVictimOfTrafficking;;law-enforcement;LawEnforcement;true;interpretation;SocialCare;FollowUp;;true;", lines);
        Assert.DoesNotContain(lines, l => l.Contains('\n', StringComparison.Ordinal) || l.Contains('"', StringComparison.Ordinal));
    }
}
