using System.Globalization;
using System.Net;
using System.Text.Json;
using Helsingborg.Partners;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>One city's organisations in a transfer: who reports, leads, gives acute support on call, and takes over in the person's municipality.</summary>
public sealed record TransferCity(string Profile, string PartnerKey, string LeadKey, string Lead, string OnCallKey, string ReceiverKey, string Receiver, string Municipality, string WithoutAuthoritiesKey)
{
    public static readonly TransferCity Helsingborg = new("helsingborg", TestHost.PartnerKey, TestHost.CoordinatorKey, "social-services", "demo-coordinator-jour",
        TestHost.LandskronaKey, "landskrona-social-services", "landskrona", TestHost.SalvationArmyKey);

    public static readonly TransferCity Exempelstad = new("exempelstad", "demo-exempel-partner", "demo-exempel-coordinator", "exempel-soc", "demo-exempel-jour",
        "demo-exempel-norrby", "norrby-soc", "norrby", "demo-exempel-mission");

    public static TransferCity Named(string profile) => profile == Helsingborg.Profile ? Helsingborg : Exempelstad;
}

/// <summary>Both built-in profiles' hosts, with the transfer clock shrunk to seconds so that an unanswered transfer escalates.</summary>
public sealed class TransferHosts : IAsyncLifetime
{
    readonly Dictionary<string, TestHost> hosts = [];

    public TestHost this[string profile] => hosts[profile];

    public async Task InitializeAsync()
    {
        TestHost[] started = await Task.WhenAll(new[] { TransferCity.Helsingborg, TransferCity.Exempelstad }.Select(city => TestHost.StartAsync(new Dictionary<string, string?>
        {
            [CityProfiles.ProfileSetting] = city.Profile,
            ["CasePolicy:TransferDueAfter"] = "00:00:02",
        })));
        hosts[TransferCity.Helsingborg.Profile] = started[0];
        hosts[TransferCity.Exempelstad.Profile] = started[1];
    }

    public async Task DisposeAsync()
    {
        foreach (TestHost host in hosts.Values)
        {
            await host.DisposeAsync();
        }
    }
}

/// <summary>
/// Issue 23, part 1 through HTTP on the local host, under both built-in profiles: a case reported in a neighbouring
/// municipality gets acute support from the on-call service and is handed over to the person's home municipality, whose
/// receiver reads it read-only until it answers, is reminded (escalated to both sides on a shrunk clock) and leads it once
/// it accepts; the previous lead reads the old timeline with notes and the new one without.
/// </summary>
public sealed class TransferTests(TransferHosts hosts) : IClassFixture<TransferHosts>
{
    const string AcuteNote = "Akut boende ordnat via jouren, made-up test note.";
    const string Handover = "Överlämning: personen bor i hemkommunen, made-up test note.";
    const string NewLeadsNote = "Hemkommunens första samtal, made-up test note.";

    public static TheoryData<string> Profiles => new() { TransferCity.Helsingborg.Profile, TransferCity.Exempelstad.Profile };

    static IEnumerable<JsonElement> Items(JsonElement list) => list.GetProperty("items").EnumerateArray();

    static DateTimeOffset Time(JsonElement e, string property) => DateTimeOffset.Parse(e.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    static async Task<string> ReportedAndLedAsync(TestHost host, TransferCity city)
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(municipality: city.Municipality), city.PartnerKey);
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" }, city.LeadKey);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("lead").GetString() == city.Lead, "the default lead after contact", key: city.LeadKey);
        return caseId;
    }

    static async Task RequestAsync(TestHost host, TransferCity city, string caseId)
    {
        await host.RecordAsync(caseId, new { type = "transfer-requested", municipality = city.Municipality, note = Handover }, city.LeadKey);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("transfer") is { ValueKind: JsonValueKind.Object } t && t.GetProperty("status").GetString() == "pending", "the transfer pending", key: city.LeadKey);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task A_case_reported_in_a_neighbouring_municipality_is_handed_over_to_its_receiver(string profile)
    {
        TestHost host = hosts[profile];
        TransferCity city = TransferCity.Named(profile);
        string caseId = await ReportedAndLedAsync(host, city);
        await host.RecordAsync(caseId, new { type = "support-given", kind = "accommodation", note = AcuteNote }, city.OnCallKey);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("accommodation", out _), "the acute support", key: city.LeadKey);
        using (HttpResponseMessage before = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", city.ReceiverKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        await RequestAsync(host, city, caseId);

        // The receiver reads the case and the handover, and may only answer.
        JsonElement asked = await host.GetJsonAsync($"api/cases/{caseId}", city.ReceiverKey);
        Assert.Equal("read-only", asked.GetProperty("access").GetString());
        Assert.Equal(["transfer-accepted", "transfer-declined"], asked.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(city.Receiver, asked.GetProperty("transfer").GetProperty("to").GetString());
        JsonElement handover = Items(await host.GetJsonAsync($"api/cases/{caseId}/timeline", city.ReceiverKey)).Single(i => i.GetProperty("type").GetString() == "transfer-requested");
        Assert.Equal((Handover, city.Receiver), (handover.GetProperty("note").GetString(), handover.GetProperty("outcome").GetString()));
        using (HttpResponseMessage other = await host.PostEventAsync(caseId, new { type = "support-conversation" }, city.ReceiverKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        }

        using (HttpResponseMessage again = await host.PostEventAsync(caseId, new { type = "transfer-requested", toOrganisation = city.Lead }, city.LeadKey))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        // Its transfer-due reminder is in its coordinators' own list; unanswered on the shrunk clock it is escalated to both sides.
        await Poll.UntilAsync(
            async () => Items(await host.GetJsonAsync($"api/reminders?assignee=me&kind=transfer-due&caseId={caseId}", city.ReceiverKey)).Any(r => r.GetProperty("organisation").GetString() == city.Receiver),
            TimeSpan.FromSeconds(60),
            "the receiver's transfer-due reminder");
        await Poll.UntilAsync(
            async () => Items(await host.GetJsonAsync($"api/reminders?kind=transfer-due&caseId={caseId}", city.LeadKey))
                .Where(r => r.GetProperty("escalated").GetBoolean()).Select(r => r.GetProperty("organisation").GetString()).Order().SequenceEqual(new[] { city.Lead, city.Receiver }.Order()),
            TimeSpan.FromSeconds(60),
            "the transfer-due reminder escalated to both sides");

        await host.RecordAsync(caseId, new { type = "transfer-accepted" }, city.ReceiverKey);
        JsonElement taken = await host.WaitForCaseAsync(caseId, c => c.GetProperty("lead").GetString() == city.Receiver, "the receiver leading", key: city.ReceiverKey);
        Assert.Equal("full", taken.GetProperty("access").GetString());
        Assert.Equal(city.Municipality, taken.GetProperty("municipalityNow").GetString());
        Assert.DoesNotContain(taken.GetProperty("openReminders").EnumerateArray(), r => r.GetProperty("kind").GetString() == "transfer-due");
        JsonElement[] leads = [.. taken.GetProperty("leads").EnumerateArray()];
        Assert.Equal([city.Lead, city.Receiver], leads.Select(l => l.GetProperty("organisation").GetString()));
        DateTimeOffset handedOver = Time(leads[0], "until");
        Assert.Equal(handedOver, Time(leads[1], "from"));
        Assert.Equal(JsonValueKind.Null, leads[1].GetProperty("until").ValueKind);

        await host.RecordAsync(caseId, new { type = "support-conversation", note = NewLeadsNote }, city.ReceiverKey);
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() == 1, "the new lead's conversation", key: city.ReceiverKey);

        // The previous lead reads its part with notes and the rest without; it records nothing. The network no longer sees it.
        JsonElement former = await host.GetJsonAsync($"api/cases/{caseId}", city.LeadKey);
        Assert.Equal("former-lead", former.GetProperty("access").GetString());
        Assert.Empty(former.GetProperty("allowed").EnumerateArray());
        JsonElement[] timeline = [.. Items(await host.GetJsonAsync($"api/cases/{caseId}/timeline", city.LeadKey))];
        Assert.Equal(AcuteNote, timeline.Single(i => i.GetProperty("type").GetString() == "support-given").GetProperty("note").GetString());
        Assert.Equal(Handover, timeline.Single(i => i.GetProperty("type").GetString() == "transfer-requested").GetProperty("note").GetString());
        JsonElement later = timeline.Single(i => i.GetProperty("type").GetString() == "support-conversation");
        Assert.Equal(JsonValueKind.Null, later.GetProperty("note").ValueKind);
        Assert.Equal(handedOver, Time(timeline.Single(i => i.GetProperty("type").GetString() == "transfer-accepted"), "at"));
        Assert.Equal(NewLeadsNote, Items(await host.GetJsonAsync($"api/cases/{caseId}/timeline", city.ReceiverKey)).Single(i => i.GetProperty("type").GetString() == "support-conversation").GetProperty("note").GetString());
        using (HttpResponseMessage recorded = await host.PostEventAsync(caseId, new { type = "support-conversation" }, city.LeadKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, recorded.StatusCode);
        }

        // Nor may it link a case it leads to the one it only reads: a link changes both (422, as for a case it cannot see).
        string own = await ReportedAndLedAsync(host, city);
        using (HttpResponseMessage link = await host.PostEventAsync(own, new { type = "same-person-as", reference = caseId }, city.LeadKey))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, link.StatusCode);
        }

        using (HttpResponseMessage network = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", city.OnCallKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, network.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task A_declined_transfer_returns_the_case_with_the_reason(string profile)
    {
        TestHost host = hosts[profile];
        TransferCity city = TransferCity.Named(profile);
        string caseId = await ReportedAndLedAsync(host, city);
        await RequestAsync(host, city, caseId);

        await host.RecordAsync(caseId, new { type = "transfer-declined", reason = "not-responsible" }, city.ReceiverKey);
        JsonElement c = await host.WaitForCaseAsync(caseId, x => x.GetProperty("transfer").GetProperty("status").GetString() == "declined", "the transfer declined", key: city.LeadKey);

        Assert.Equal(city.Lead, c.GetProperty("lead").GetString());
        Assert.Equal("not-responsible", c.GetProperty("transfer").GetProperty("declineReason").GetString());
        Assert.Equal(city.Municipality, c.GetProperty("municipalityNow").GetString());
        Assert.Contains("transfer-requested", c.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
        JsonElement declined = Items(await host.GetJsonAsync($"api/cases/{caseId}/timeline", city.LeadKey)).Single(i => i.GetProperty("type").GetString() == "transfer-declined");
        Assert.Equal((city.Receiver, "not-responsible"), (declined.GetProperty("by").GetString(), declined.GetProperty("outcome").GetString()));
        Assert.DoesNotContain(Items(await host.GetJsonAsync($"api/reminders?status=open&kind=transfer-due&caseId={caseId}", city.LeadKey)), _ => true);
        using HttpResponseMessage gone = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", city.ReceiverKey);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public async Task A_case_led_without_the_authorities_cannot_be_transferred_to_social_services(string profile)
    {
        TestHost host = hosts[profile];
        TransferCity city = TransferCity.Named(profile);
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(municipality: city.Municipality, wantsAuthorityContact: "no"), city.PartnerKey);
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" }, city.WithoutAuthoritiesKey);
        await host.WaitForPhaseAsync(caseId, "short-term-support", key: city.WithoutAuthoritiesKey);

        foreach (string to in new[] { city.Lead, city.Receiver })
        {
            using HttpResponseMessage refused = await host.PostEventAsync(caseId, new { type = "transfer-requested", toOrganisation = to }, city.WithoutAuthoritiesKey);
            string body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("declined contact with the authorities", body, StringComparison.Ordinal);
        }
    }
}
