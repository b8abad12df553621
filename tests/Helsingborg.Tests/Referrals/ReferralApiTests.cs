using System.Net;
using System.Text.Json;
using Helsingborg.DataProtection;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Referrals;

/// <summary>One host for the referral scenarios, with the referral clocks shrunk to seconds.</summary>
public sealed class ReferralHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["CasePolicy:ReferralReminderBefore"] = "00:00:02",
        ["CasePolicy:ReferralExpireAfterDue"] = "00:00:03",
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Closed-loop referrals with consent through the API (issue 14): consent gates every sharing, the receiving partner
/// sees only its own referrals and only the consented fields, answers them, and loses them the moment consent goes.
/// </summary>
public sealed class ReferralApiTests(ReferralHost fixture) : IClassFixture<ReferralHost>
{
    /// <summary>The receiving organisation (Helsingborgshem) and another partner (the hotel group).</summary>
    const string Receiver = "helsingborgshem";
    const string ReceiverKey = "demo-partner-housing";
    const string OtherPartnerKey = TestHost.PartnerKey;

    TestHost Host => fixture.Host;

    /// <summary>A case in support, led by social services; with <paramref name="key"/> the Salvation Army's, by the Salvation Army.</summary>
    async Task<string> CaseInSupportAsync(Intakes.Canaries canaries, string key = TestHost.CoordinatorKey)
    {
        string caseId = await Host.SubmitIntakeAsync(canaries.Intake());
        await Host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = key == TestHost.SalvationArmyKey ? "no" : "yes" });
        await Host.WaitForPhaseAsync(caseId, "short-term-support", key: key);
        return caseId;
    }

    async Task<string> ReferAsync(string caseId, string note, DateTimeOffset? due = null, string key = TestHost.CoordinatorKey)
    {
        using HttpResponseMessage sent = await Host.PostEventAsync(caseId, new
        {
            type = "referral-sent",
            organisation = Receiver,
            kind = "accommodation",
            due = (due ?? DateTimeOffset.UtcNow.AddDays(7)).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"),
            note,
        }, key);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        JsonElement withReferral = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals").GetArrayLength() > 0 && c.GetProperty("referrals").EnumerateArray().Any(r => r.GetProperty("status").GetString() == "sent"), "the referral on the case", key: key);
        return withReferral.GetProperty("referrals").EnumerateArray().Last(r => r.GetProperty("status").GetString() == "sent").GetProperty("referralId").GetString()!;
    }

    async Task<JsonElement?> InboxItemAsync(string referralId, string key = ReceiverKey)
    {
        JsonElement inbox = await Host.GetJsonAsync("api/referrals", key);
        return inbox.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("referralId").GetString() == referralId).Cast<JsonElement?>().FirstOrDefault();
    }

    async Task<JsonElement> WaitForInboxAsync(string referralId, Func<JsonElement, bool> condition, string what)
    {
        JsonElement found = default;
        await Poll.UntilAsync(async () => await InboxItemAsync(referralId) is { } item && condition(found = item), TimeSpan.FromSeconds(60), what);
        return found;
    }

    [Fact]
    public async Task Without_consent_a_referral_is_refused_with_a_problem_that_says_what_to_do()
    {
        string caseId = await CaseInSupportAsync(Intakes.Canaries.New());

        using HttpResponseMessage refused = await Host.PostEventAsync(caseId, new { type = "referral-sent", organisation = Receiver, kind = "accommodation", due = "2030-01-01" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("No consent covers sharing with helsingborgshem: record sharing-consent-given for it first.", problem.RootElement.GetProperty("title").GetString());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_receiver_sees_only_the_consented_fields_answers_and_completing_records_support_given_while_another_partner_sees_nothing()
    {
        var canaries = Intakes.Canaries.New();
        string caseId = await CaseInSupportAsync(canaries);
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Receiver, fields = new[] { "alias", "languages", "need" }, purpose = "accommodation" });
        string referralId = await ReferAsync(caseId, canaries.Note);

        JsonElement item = await WaitForInboxAsync(referralId, _ => true, "the referral in the receiver's inbox");
        JsonElement shared = item.GetProperty("shared");
        Assert.Equal(["alias", "languages", "need"], shared.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(canaries.Name, shared.GetProperty("alias").GetString());
        Assert.Equal(canaries.Note, shared.GetProperty("need").GetString());
        Assert.DoesNotContain(canaries.Phone, item.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain(caseId, item.GetRawText(), StringComparison.Ordinal);

        Assert.Null(await InboxItemAsync(referralId, OtherPartnerKey));
        using (HttpResponseMessage stranger = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/accept", OtherPartnerKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
        }

        using (HttpResponseMessage caseRead = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", ReceiverKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, caseRead.StatusCode);
        }

        using (HttpResponseMessage accepted = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/accept", ReceiverKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        await WaitForInboxAsync(referralId, i => i.GetProperty("status").GetString() == "accepted", "the referral accepted");
        using (HttpResponseMessage completed = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/complete", ReceiverKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        }

        JsonElement done = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals")[0].GetProperty("status").GetString() == "completed", "the referral completed on the case");
        Assert.Equal(1, done.GetProperty("counts").GetProperty("supportGiven").GetProperty("accommodation").GetInt32());
        JsonElement timeline = await Host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("type").GetString() == "referral-completed" && e.GetProperty("by").GetString() == Receiver);
        JsonElement log = await Host.GetJsonAsync($"api/access-log?caseId={caseId}", TestHost.AdminKey);
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "read-referral" && e.GetProperty("organisation").GetString() == Receiver);

        using HttpResponseMessage again = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/accept", ReceiverKey);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        // What the referral shared is sealed: not in plain text in any table, queue or blob, nor in the logs.
        Assert.Empty(await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), canaries.All));
        Assert.DoesNotContain(Host.Logs.Lines, line => canaries.All.Any(c => line.Contains(c, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task A_decline_needs_a_reason_from_the_list()
    {
        var canaries = Intakes.Canaries.New();
        string caseId = await CaseInSupportAsync(canaries);
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Receiver, fields = new[] { "alias" } });
        string referralId = await ReferAsync(caseId, "Needs a flat");
        await WaitForInboxAsync(referralId, _ => true, "the referral in the inbox");

        using (HttpResponseMessage bad = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/decline", ReceiverKey, new { reason = "busy" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.DoesNotContain("busy", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (HttpResponseMessage declined = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/decline", ReceiverKey, new { reason = "no-capacity" }))
        {
            Assert.Equal(HttpStatusCode.Accepted, declined.StatusCode);
        }

        JsonElement item = await WaitForInboxAsync(referralId, i => i.GetProperty("status").GetString() == "declined", "the referral declined");
        Assert.Equal("no-capacity", item.GetProperty("declineReason").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("shared").ValueKind);
    }

    [Fact]
    public async Task Withdrawing_consent_removes_the_receivers_access_at_once()
    {
        var canaries = Intakes.Canaries.New();
        string caseId = await CaseInSupportAsync(canaries);
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Receiver, fields = new[] { "alias", "need" } });
        string referralId = await ReferAsync(caseId, canaries.Note);
        await WaitForInboxAsync(referralId, i => i.GetProperty("shared").ValueKind == JsonValueKind.Object, "the shared fields in the inbox");

        await Host.RecordAsync(caseId, new { type = "sharing-consent-withdrawn", organisation = Receiver });

        // No polling: the answer to the withdrawal is the moment access ends.
        Assert.Null(await InboxItemAsync(referralId));
        using (HttpResponseMessage answer = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/accept", ReceiverKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }

        JsonElement cancelled = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals")[0].GetProperty("status").GetString() == "cancelled", "the referral cancelled");
        Assert.Equal(JsonValueKind.String, cancelled.GetProperty("consents")[0].GetProperty("withdrawnAt").ValueKind);
    }

    [Fact]
    public async Task Erasing_a_case_led_on_consent_makes_what_its_referrals_shared_unreadable()
    {
        const string key = TestHost.SalvationArmyKey;
        var canaries = Intakes.Canaries.New();
        string caseId = await CaseInSupportAsync(canaries, key);
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Receiver, fields = new[] { "alias", "need" } }, key);
        string referralId = await ReferAsync(caseId, canaries.Note, key: key);
        var vault = (CaseVault)Host.Services.GetService(typeof(CaseVault))!;
        Assert.Contains(canaries.Name, await vault.GetAsync(caseId, Referral.VaultField(referralId)), StringComparison.Ordinal);

        await Host.RecordAsync(caseId, new { type = "consent-withdrawn" }, key);
        Assert.Null(await InboxItemAsync(referralId));
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("erased").GetBoolean(), "the case erased", key: key);

        Assert.Null(await vault.GetAsync(caseId, Referral.VaultField(referralId)));
        Assert.Null(await InboxItemAsync(referralId));
        IReadOnlyList<string> hits = await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), canaries.All);
        Assert.Empty(hits);
        Assert.DoesNotContain(Host.Logs.Lines, line => canaries.All.Any(c => line.Contains(c, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task On_a_shrunk_policy_the_receiver_is_reminded_the_referrer_is_escalated_to_and_the_referral_expires()
    {
        var canaries = Intakes.Canaries.New();
        string caseId = await CaseInSupportAsync(canaries);
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Receiver, fields = new[] { "need" } });
        string referralId = await ReferAsync(caseId, "Needs a flat", DateTimeOffset.UtcNow.AddSeconds(4));
        var reminders = (ReminderStore)Host.Services.GetService(typeof(ReminderStore))!;

        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals")[0].GetProperty("status").GetString() == "expired", "the referral expired", TimeSpan.FromSeconds(60));

        IReadOnlyList<Reminder> made = await reminders.ListAsync(caseId, acknowledged: null);
        Assert.Contains(made, r => r.Kind == ReminderKind.ReferralDue && r.Organisation == Receiver && !r.Escalated);
        Assert.Contains(made, r => r.Kind == ReminderKind.ReferralOverdue && r.Organisation == "social-services" && r.Escalated);
        Assert.Equal("expired", (await WaitForInboxAsync(referralId, i => i.GetProperty("status").GetString() == "expired", "the expiry in the inbox")).GetProperty("status").GetString());
    }
}
