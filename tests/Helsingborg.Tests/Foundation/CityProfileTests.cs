using Helsingborg.Access;
using Helsingborg.LocalHost;
using Helsingborg.Partners;
using Helsingborg.Tests.Engine;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Tests.Foundation;

/// <summary>The city profile (issue 15): the built-in profiles, the layering, start-up validation and the rules that are now data.</summary>
public sealed class CityProfileTests
{
    static CityProfile Read(Dictionary<string, string?> settings) =>
        CityProfiles.Read(CityProfiles.Layered(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()));

    static InvalidCityProfileException Invalid(Dictionary<string, string?> settings) =>
        Assert.Throws<InvalidCityProfileException>(() => Read(settings));

    [Fact]
    public void Without_a_setting_the_profile_is_Helsingborgs_network_as_it_was_compiled_in_before()
    {
        CityProfile profile = Read([]);

        Assert.Equal("helsingborg", profile.Id);
        Assert.Equal(
            ["police", "social-services", "salvation-army", "helsingborgshem", "womens-shelter", "hotel-group", "victim-support", "security-guards", "city", "social-emergency", "landskrona-social-services", "angelholm-social-services"],
            profile.Organisations.Select(o => o.Id));
        Assert.Equal(
            ["bjuv", "bastad", "helsingborg", "hoganas", "klippan", "landskrona", "perstorp", "svalov", "astorp", "angelholm", "orkelljunga"],
            profile.Municipalities.Select(m => m.Code));
        Assert.Equal("Båstad", profile.MunicipalityName("bastad"));
        Assert.Equal(("social-services", "salvation-army"), (profile.Leads.Default, profile.Leads.WithoutAuthorities));
        Assert.Equal(["social-services", "salvation-army", "social-emergency", "landskrona-social-services", "angelholm-social-services"], profile.Holding(OrganisationProfile.CoordinatorRole));
        Assert.Equal(["social-services", "salvation-army", "landskrona-social-services", "angelholm-social-services"], profile.Holding(OrganisationProfile.LeadRole));
        Assert.Equal("social-emergency", profile.OnCall);
        // The neighbouring municipalities' receivers take cases over; they do not report into the network.
        Assert.All(profile.Organisations.Where(o => o.SeesNetwork), o => Assert.True(o.Holds(OrganisationProfile.PartnerRole)));
        Assert.Equal(["landskrona-social-services", "angelholm-social-services"], profile.Organisations.Where(o => !o.SeesNetwork).Select(o => o.Id));
        Assert.Equal("landskrona-social-services", profile.ReceiverOf("landskrona"));
        Assert.Equal("social-services", profile.ReceiverOf("bjuv"));
    }

    [Fact]
    public void Both_built_in_profiles_are_valid_and_differ_in_every_list()
    {
        Assert.Equal(["exempelstad", "helsingborg"], CityProfiles.BuiltIn);
        CityProfile helsingborg = TestProfiles.Helsingborg;
        CityProfile exempelstad = TestProfiles.Exempelstad;

        Assert.Empty(helsingborg.Validate());
        Assert.Empty(exempelstad.Validate());
        Assert.Empty(exempelstad.Municipalities.Select(m => m.Code).Intersect(helsingborg.Municipalities.Select(m => m.Code)));
        Assert.Empty(exempelstad.Holding(OrganisationProfile.CoordinatorRole).Intersect(helsingborg.Organisations.Select(o => o.Id)));
    }

    [Fact]
    public void The_profiles_policy_and_outreach_schedule_are_the_lowest_layer_and_a_setting_still_overrides_one_value()
    {
        IConfiguration exempelstad = CityProfiles.Layered(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [CityProfiles.ProfileSetting] = "exempelstad",
            ["CasePolicy:ReflectionPeriod"] = "45.00:00:00",
            ["City:Contact:Email"] = "other@exempelstad.example",
        }).Build());

        Assert.Equal("5.00:00:00", exempelstad["CasePolicy:ShortTermFollowUpInterval"]);
        Assert.Equal("45.00:00:00", exempelstad["CasePolicy:ReflectionPeriod"]);
        Assert.Equal("odd", exempelstad["Outreach:WeekParity"]);
        Assert.Equal("other@exempelstad.example", CityProfiles.Read(exempelstad).Contact.Email);
    }

    [Fact]
    public void A_profile_given_wholly_by_settings_runs_without_a_built_in_layer()
    {
        CityProfile profile = Read(new()
        {
            [CityProfiles.ProfileSetting] = "none",
            ["City:Id"] = "nystad",
            ["City:Name"] = "Nystad",
            ["City:CaseReferencePrefix"] = "NYS",
            ["City:Organisations:0:Id"] = "nystad-soc",
            ["City:Organisations:0:NameSv"] = "Socialtjänsten",
            ["City:Organisations:0:NameEn"] = "Social services",
            ["City:Organisations:0:Roles:0"] = "coordinator",
            ["City:Organisations:0:Roles:1"] = "lead",
            ["City:Organisations:0:LegalBasis"] = "public-task",
            ["City:Municipalities:0:Code"] = "nystad",
            ["City:Municipalities:0:Name"] = "Nystad",
            ["City:Leads:Default"] = "nystad-soc",
            ["City:Responsible"] = "nystad-soc",
            ["City:Contact:Email"] = "info@nystad.example",
            ["City:Contact:Phone"] = "0100-11 11 11",
        });

        Assert.Equal("nystad", profile.Id);
        Assert.Equal("NYS", profile.CaseReferencePrefix);
        Assert.Null(profile.Leads.WithoutAuthorities);
        Assert.False(profile.IsOrganisation("social-services"));
    }

    public static TheoryData<string, string, string?, string> Faults => new()
    {
        { "an unknown built-in profile", CityProfiles.ProfileSetting, "malmo", "City:Profile: \"malmo\" is not a built-in profile" },
        { "a lead that is not an organisation", "City:Leads:Default", "nobody", "City:Leads:Default: \"nobody\" is not an organisation of the profile" },
        { "a lead without the lead role", "City:Leads:WithoutAuthorities", "police", "City:Leads:WithoutAuthorities: \"police\"" },
        { "a lead organisation without a legal basis", "City:Organisations:2:LegalBasis", "contract", "City:Organisations:2:LegalBasis: \"contract\" is not one of consent, public-task" },
        { "no default lead", "City:Leads:Default", " ", "City:Leads:Default: required." },
        { "a role that does not exist", "City:Organisations:0:Roles:1", "boss", "City:Organisations:0:Roles:1: \"boss\" is not a role" },
        { "an organisation named twice", "City:Organisations:1:Id", "police", "City:Organisations:1:Id: \"police\" is named twice." },
        { "an id with capitals", "City:Municipalities:0:Code", "Bjuv", "City:Municipalities:0:Code: \"Bjuv\" must be lower-case" },
        { "a municipality without a name", "City:Municipalities:2:Name", " ", "City:Municipalities:2:Name: required." },
        { "an unknown referral source", "City:Organisations:3:ReferralSource", "friends", "City:Organisations:3:ReferralSource: \"friends\" is not one of" },
        { "no case reference prefix", "City:CaseReferencePrefix", " ", "City:CaseReferencePrefix: required." },
        { "a case reference prefix with small letters", "City:CaseReferencePrefix", "Hbg", "City:CaseReferencePrefix: \"Hbg\" must be two to eight capital letters A-Z." },
        { "no contact email", "City:Contact:Email", " ", "City:Contact:Email: required." },
        { "a clock out of range", "CasePolicy:ShortTermFollowUpInterval", "-1.00:00:00", "CasePolicy:ShortTermFollowUpInterval: out of range." },
        { "a clock that is not a time span", "CasePolicy:ReflectionPeriod", "a month", "CasePolicy:ReflectionPeriod" },
        { "an on-call organisation that does not coordinate", "City:OnCall", "police", "City:OnCall: \"police\" is not an organisation of the profile with the role coordinator." },
        { "an on-call organisation that does not exist", "City:OnCall", "nightwatch", "City:OnCall: \"nightwatch\"" },
        { "an urgent reminder kind that does not exist", "City:UrgentReminders:0", "fire", "City:UrgentReminders:0: \"fire\" is not a reminder kind." },
        { "an outreach week that is neither even nor odd", "Outreach:WeekParity", "every", "Outreach:WeekParity: \"every\" must be even or odd." },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void An_invalid_profile_is_refused_with_a_message_naming_the_setting(string what, string setting, string? value, string message)
    {
        InvalidCityProfileException e = Invalid(new() { [setting] = value });

        Assert.True(e.Message.Contains(message, StringComparison.Ordinal), $"{what}: {e.Message}");
    }

    [Fact]
    public void Api_keys_of_organisations_outside_the_profile_are_not_loaded_and_a_role_the_organisation_may_not_hold_is_dropped()
    {
        ApiKeyOptions[] keys =
        [
            new() { Id = "sos", Sha256 = "00", Organisation = "social-services", Roles = ["coordinator"] },
            new() { Id = "hotel-coordinator", Sha256 = "01", Organisation = "hotel-group", Roles = ["partner", "coordinator"] },
            new() { Id = "elsewhere", Sha256 = "02", Organisation = "exempel-soc", Roles = ["coordinator"] },
        ];

        IReadOnlyList<ApiKeyOptions> usable = CityProfiles.UsableKeys(TestProfiles.Helsingborg, keys, out IReadOnlyList<string> ignored);

        Assert.Equal(["sos", "hotel-coordinator"], usable.Select(k => k.Id));
        Assert.Equal(["partner"], usable[1].Roles);
        Assert.Equal(2, ignored.Count);
        Assert.Contains(ignored, n => n.StartsWith("elsewhere: exempel-soc is not an organisation", StringComparison.Ordinal));
        Assert.Contains(ignored, n => n.StartsWith("hotel-coordinator: hotel-group may not hold the role coordinator", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("helsingborg", "social-emergency")]
    [InlineData("exempelstad", "exempel-socialjour")]
    public void Each_built_in_profile_names_its_own_on_call_organisation_which_coordinates_and_a_childs_protection_and_every_escalation_are_urgent(string city, string onCall)
    {
        CityProfile profile = TestProfiles.Load(city);

        Assert.Equal(onCall, profile.OnCall);
        Assert.True(profile.Organisation(onCall)!.Holds(OrganisationProfile.CoordinatorRole));
        Assert.True(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.ChildProtection, escalated: false));
        Assert.True(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.ReferralOverdue, escalated: true));
        Assert.True(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.FirstContact, escalated: true));
        Assert.False(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.FirstContact, escalated: false));
        Assert.False(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.CallPolice, escalated: false));
        Assert.Contains("protection-assessment", CityProfile.DefaultUrgentReminders);
    }

    [Fact]
    public void A_profile_may_name_its_own_urgent_reminder_kinds()
    {
        CityProfile profile = Read(new() { ["City:UrgentReminders:0"] = "call-police" });

        Assert.True(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.CallPolice, escalated: false));
        Assert.False(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.ChildProtection, escalated: false));
        Assert.True(profile.IsUrgent(Helsingborg.Lifecycle.ReminderKind.ChildProtection, escalated: true));
    }

    [Theory]
    [InlineData("helsingborg", "social-services", "salvation-army")]
    [InlineData("exempelstad", "exempel-soc", "stadsmissionen")]
    public void A_case_led_without_the_authorities_is_seen_only_by_its_lead_organisations_coordinators(string city, string authority, string withoutAuthorities)
    {
        CityProfile profile = TestProfiles.Load(city);
        Caller Coordinator(string organisation) => new("k", organisation, new HashSet<Role> { Role.Coordinator });
        bool MaySee(Caller caller, string? lead) => CaseAccess.Of(profile, caller, lead, receiver: null, []).Sees;
        var statistics = new Caller("k", withoutAuthorities, new HashSet<Role> { Role.Statistics });

        Assert.True(MaySee(Coordinator(authority), null));
        Assert.True(MaySee(Coordinator(authority), authority));
        Assert.True(MaySee(Coordinator(withoutAuthorities), authority));
        Assert.False(MaySee(Coordinator(authority), withoutAuthorities));
        Assert.True(MaySee(Coordinator(withoutAuthorities), withoutAuthorities));
        Assert.False(MaySee(statistics, withoutAuthorities));
    }

    [Fact]
    public async Task The_local_host_refuses_to_start_on_an_invalid_profile_and_says_which_setting_is_wrong()
    {
        Dictionary<string, string> environment = HostProcess.Environment(await TestStorage.ConnectionStringAsync(), LocalApp.FreePort(), "tprofile", "profile-worker");
        environment["City__Leads__Default"] = "hotel-group";
        await using HostProcess host = HostProcess.Start(environment);

        Assert.NotNull(await host.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(1, host.ExitCode);
        Assert.Contains("City:Leads:Default: \"hotel-group\" is not an organisation of the profile with the roles lead and coordinator.", host.Tail(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Tail(), StringComparison.Ordinal);
    }
}
