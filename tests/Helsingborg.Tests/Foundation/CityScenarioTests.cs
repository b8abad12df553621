using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Partners;
using Helsingborg.Reminders;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Foundation;

/// <summary>One city's keys and words, as its profile and the sample settings' demo keys give them.</summary>
public sealed record City(string Profile, string PartnerKey, string CoordinatorKey, string WithoutAuthoritiesKey, string StatisticsKey, string OtherCitysMunicipality)
{
    public static readonly City Helsingborg = new("helsingborg", TestHost.PartnerKey, TestHost.CoordinatorKey, TestHost.SalvationArmyKey, TestHost.StatisticsKey, "soderas");

    public static readonly City Exempelstad = new("exempelstad", "demo-exempel-partner", "demo-exempel-coordinator", "demo-exempel-mission", "demo-exempel-statistics", "bjuv");

    public static City Named(string profile) => profile == Helsingborg.Profile ? Helsingborg : Exempelstad;

    public CityProfile Network => TestProfiles.Load(Profile);

    /// <summary>The other city's partner key: not loaded here, so it cannot sign in.</summary>
    public string OtherCitysPartnerKey => (this == Helsingborg ? Exempelstad : Helsingborg).PartnerKey;
}

/// <summary>A local host under the fictional Exempelstad's profile; Helsingborg's, the default, is the shared host.</summary>
public sealed class ExempelstadHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?> { [CityProfiles.ProfileSetting] = City.Exempelstad.Profile });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Stad för stad (issue 15, 2): the same scenarios under Helsingborg's profile and the fictional Exempelstad's — intake,
/// who sees a case, statistics by partner and municipality, the form's lists and the dashboard's filters all follow the
/// profile the host runs.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class CityScenarioTests(SharedHost helsingborg, ExempelstadHost exempelstad) : IClassFixture<ExempelstadHost>
{
    TestHost Host(string profile) => profile == City.Helsingborg.Profile ? helsingborg.Host : exempelstad.Host;

    public static TheoryData<string> Profiles => new() { City.Helsingborg.Profile, City.Exempelstad.Profile };

    static object Intake(string municipality) => Intakes.Valid(municipality: municipality);

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Intake_takes_the_profiles_municipalities_and_refuses_another_citys(string profile)
    {
        City city = City.Named(profile);
        TestHost host = Host(profile);
        // Every municipality of the profile passes validation (checked on intakes that fail on another field, so the
        // shared test tables get no cases in municipalities other tests count); one opens a case for real.
        foreach (MunicipalityProfile municipality in city.Network.Municipalities)
        {
            using HttpResponseMessage incomplete = await host.SendAsync(HttpMethod.Post, "api/intake", city.PartnerKey, new { municipality = municipality.Code });
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            using JsonDocument errors = JsonDocument.Parse(await incomplete.Content.ReadAsStringAsync());
            Assert.True(errors.RootElement.GetProperty("errors").TryGetProperty("description", out _));
            Assert.False(errors.RootElement.GetProperty("errors").TryGetProperty("municipality", out _), municipality.Code);
        }

        MunicipalityProfile first = city.Network.Municipalities[0];
        string caseId = await host.SubmitIntakeAsync(Intake(first.Code), city.PartnerKey);
        JsonElement opened = await host.GetJsonAsync($"api/cases/{caseId}", city.CoordinatorKey);
        Assert.Equal(first.Code, opened.GetProperty("municipality").GetString());

        using HttpResponseMessage refused = await host.SendAsync(HttpMethod.Post, "api/intake", city.PartnerKey, Intake(city.OtherCitysMunicipality));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Contains(city.Network.Name, problem.RootElement.GetProperty("errors").GetProperty("municipality")[0].GetString(), StringComparison.Ordinal);

        using HttpResponseMessage stranger = await host.SendAsync(HttpMethod.Post, "api/intake", city.OtherCitysPartnerKey, Intake(city.Network.Municipalities[0].Code));
        Assert.Equal(HttpStatusCode.Unauthorized, stranger.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task A_person_who_declines_the_authorities_is_led_by_the_profiles_organisation_and_hidden_from_the_other_coordinators(string profile)
    {
        City city = City.Named(profile);
        CityProfile network = city.Network;
        TestHost host = Host(profile);
        string caseId = await host.SubmitIntakeAsync(Intake(network.Municipalities[0].Code), city.PartnerKey);

        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" }, city.CoordinatorKey);
        JsonElement led = await host.WaitForCaseAsync(caseId, c => c.GetProperty("lead").ValueKind == JsonValueKind.String, "the lead after contact", key: city.WithoutAuthoritiesKey);

        Assert.Equal(network.Leads.WithoutAuthorities, led.GetProperty("lead").GetString());
        using (HttpResponseMessage hidden = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", city.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        JsonElement listed = await host.GetJsonAsync($"api/cases?lead={network.Leads.WithoutAuthorities}&limit=200", city.WithoutAuthoritiesKey);
        Assert.Contains(listed.GetProperty("items").EnumerateArray(), i => i.GetProperty("caseId").GetString() == caseId);
        string otherCitysLead = (city == City.Helsingborg ? City.Exempelstad : City.Helsingborg).Network.Leads.Default;
        using (HttpResponseMessage unknownLead = await host.SendAsync(HttpMethod.Get, $"api/cases?lead={otherCitysLead}", city.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknownLead.StatusCode);
        }

        using (HttpResponseMessage wrongLead = await host.PostEventAsync(caseId, new { type = "lead-changed", lead = otherCitysLead }, city.WithoutAuthoritiesKey))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrongLead.StatusCode);
        }

        await host.RecordAsync(caseId, new { type = "lead-changed", lead = network.Leads.Default }, city.WithoutAuthoritiesKey);
        // Hidden from the authorities' coordinator (404) until the case applies the change; then theirs to see.
        await Poll.UntilAsync(
            async () =>
            {
                using HttpResponseMessage read = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", city.CoordinatorKey);
                return read.StatusCode == HttpStatusCode.OK
                    && JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement.GetProperty("lead").GetString() == network.Leads.Default;
            },
            TimeSpan.FromSeconds(60),
            "the case handed to the authorities' lead");
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Reports_of_one_person_are_linked_and_unlinked_by_the_profiles_coordinators_and_a_case_they_may_not_see_cannot_be_linked(string profile)
    {
        City city = City.Named(profile);
        TestHost host = Host(profile);
        string municipality = city.Network.Municipalities[0].Code;
        string first = await host.SubmitIntakeAsync(Intake(municipality), city.PartnerKey);
        string second = await host.SubmitIntakeAsync(Intake(municipality), city.PartnerKey);
        string hidden = await host.SubmitIntakeAsync(Intake(municipality), city.PartnerKey);
        await host.RecordAsync(hidden, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" }, city.CoordinatorKey);
        await host.WaitForCaseAsync(hidden, c => c.GetProperty("lead").ValueKind == JsonValueKind.String, "the lead after contact", key: city.WithoutAuthoritiesKey);
        string secondReference = (await host.WaitForCaseAsync(second, c => c.GetProperty("reference").ValueKind == JsonValueKind.String, "the reference", key: city.CoordinatorKey))
            .GetProperty("reference").GetString()!;

        await host.RecordAsync(first, new { type = "same-person-as", reference = secondReference }, city.CoordinatorKey);
        JsonElement linked = await host.WaitForCaseAsync(second, c => c.GetProperty("samePerson").GetArrayLength() == 1, "the link on the other report", key: city.CoordinatorKey);
        Assert.Equal(first, linked.GetProperty("samePerson")[0].GetProperty("caseId").GetString());
        Assert.Equal(linked.GetProperty("reportedBy").GetString(), linked.GetProperty("samePerson")[0].GetProperty("reportedBy").GetString());
        using (HttpResponseMessage refused = await host.PostEventAsync(first, new { type = "same-person-as", reference = hidden }, city.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        await host.RecordAsync(second, new { type = "same-person-unlinked", reference = first }, city.CoordinatorKey);
        await host.WaitForCaseAsync(first, c => c.GetProperty("samePerson").GetArrayLength() == 0, "the link removed", key: city.CoordinatorKey);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task Statistics_by_partner_and_municipality_carry_the_profiles_names(string profile)
    {
        City city = City.Named(profile);
        CityProfile network = city.Network;
        TestHost host = Host(profile);
        MunicipalityProfile municipality = network.Municipalities[0];
        await host.SubmitIntakeAsync(Intake(municipality.Code), city.PartnerKey);
        string partner = KeyOrganisation(city.PartnerKey);
        string period = $"from={DateTimeOffset.UtcNow:yyyy-MM}-01&to={DateTimeOffset.UtcNow:yyyy-MM-dd}";

        JsonElement partners = await host.GetJsonAsync($"api/statistics?{period}&groupBy=partner", city.StatisticsKey);
        JsonElement mine = partners.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("group").GetString() == partner);
        Assert.Equal(network.Organisation(partner)!.NameSv, mine.GetProperty("label").GetString());

        JsonElement municipalities = await host.GetJsonAsync($"api/statistics?{period}&groupBy=municipality", city.StatisticsKey);
        JsonElement place = municipalities.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("group").GetString() == municipality.Code);
        Assert.Equal(municipality.Name, place.GetProperty("label").GetString());

        using HttpResponseMessage csv = await host.SendAsync(HttpMethod.Get, $"api/statistics?{period}&groupBy=partner&format=csv&lang=en", city.StatisticsKey);
        Assert.Contains(network.Organisation(partner)!.NameEn, await csv.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task The_form_lists_the_profiles_municipalities_and_its_contact_and_no_other(string profile)
    {
        City city = City.Named(profile);
        CityProfile network = city.Network;
        string form = await Host(profile).Client.GetStringAsync("intake");

        var options = Regex.Matches(form, """<select id="f-municipality"[\s\S]*?</select>""").Single().Value;
        Assert.Equal(
            network.Municipalities.Select(m => $"{m.Code}={m.Name}"),
            Regex.Matches(options, """<option value="([^"]+)">([^<]+)</option>""").Select(m => $"{m.Groups[1].Value}={WebUtility.HtmlDecode(m.Groups[2].Value)}"));
        Assert.Contains(WebUtility.HtmlEncode(network.Contact.Email), form, StringComparison.Ordinal);

        string statement = await Host(profile).Client.GetStringAsync("accessibility?lang=en");
        Assert.Contains(WebUtility.HtmlEncode(network.Organisation(network.Responsible)!.NameEn), statement, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode(network.Contact.Email), statement, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task The_dashboard_gets_the_profiles_municipalities_leads_and_names_for_its_filters(string profile)
    {
        City city = City.Named(profile);
        CityProfile network = city.Network;
        string shell = await Host(profile).Client.GetStringAsync("?lang=en");

        string block = Regex.Match(shell, """<script type="application/json" id="city-profile">([^<]*)</script>""").Groups[1].Value;
        using JsonDocument data = JsonDocument.Parse(block);
        Assert.Equal(network.Municipalities.Select(m => m.Code), data.RootElement.GetProperty("municipalities").EnumerateArray().Select(m => m[0].GetString()));
        Assert.Equal(network.Municipalities.Select(m => m.Name), data.RootElement.GetProperty("municipalities").EnumerateArray().Select(m => m[1].GetString()));
        Assert.Equal(network.Holding(OrganisationProfile.LeadRole), data.RootElement.GetProperty("leads").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(network.Organisations.Select(o => o.NameEn), data.RootElement.GetProperty("organisations").EnumerateObject().Select(o => o.Value.GetString()));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task The_daily_digest_goes_to_the_profiles_coordinating_organisations(string profile)
    {
        TestHost host = Host(profile);
        DailyDigestJob job = ActivatorUtilities.CreateInstance<DailyDigestJob>(host.Services);

        IReadOnlyList<Digest> digests = await job.RunAsync(new DateTimeOffset(2032, 1, 2, 6, 0, 0, TimeSpan.Zero));

        // Every coordinating organisation gets one; another only on a day a referral awaits its answer (other tests may send some), and without reminders.
        IReadOnlyList<string> coordinating = City.Named(profile).Network.Holding(OrganisationProfile.CoordinatorRole);
        Assert.Equal(coordinating, digests.Select(d => d.Organisation).Where(coordinating.Contains));
        Assert.All(digests.Where(d => !coordinating.Contains(d.Organisation)), d =>
        {
            Assert.NotEqual(0, d.AwaitingAnswer);
            Assert.Empty(d.Items);
        });
    }

    static string KeyOrganisation(string key) => key switch
    {
        TestHost.PartnerKey => "hotel-group",
        "demo-exempel-partner" => "exempel-bostader",
        _ => throw new ArgumentException(key, nameof(key)),
    };
}
