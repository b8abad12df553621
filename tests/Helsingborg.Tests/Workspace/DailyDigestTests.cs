using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Helsingborg.Cases;
using Helsingborg.LocalHost;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.Workspace;

[Collection(SharedHostCollection.Name)]
public sealed class DailyDigestTests(SharedHost fixture) : IDisposable
{
    readonly List<ServiceProvider> webhookClients = [];

    TestHost Host => fixture.Host;

    public void Dispose()
    {
        webhookClients.ForEach(p => p.Dispose());
    }

    DailyDigestJob Job(Uri? socialServicesWebhook, int attempts = 4, params string[] alsoTo)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Notifications:WebhookAttempts"] = attempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notifications:WebhookRetryDelay"] = "00:00:00.050",
            ["Notifications:Webhooks:social-services"] = socialServicesWebhook?.ToString(),
        };
        foreach (string organisation in alsoTo)
        {
            settings[$"Notifications:Webhooks:{organisation}"] = socialServicesWebhook?.ToString();
        }

        // The webhook's client as both hosts register it, read from these settings (a 50 ms first retry delay).
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        WebhookSender.AddClient(services, configuration);
        ServiceProvider clients = services.BuildServiceProvider();
        webhookClients.Add(clients);
        var sender = ActivatorUtilities.CreateInstance<WebhookSender>(clients, configuration);
        return ActivatorUtilities.CreateInstance<DailyDigestJob>(Host.Services, sender);
    }

    [Fact]
    public async Task The_digest_posts_each_organisation_its_open_and_overdue_reminders_without_personal_data()
    {
        var canaries = Intakes.Canaries.New();
        string caseId = await Host.SubmitIntakeAsync(canaries.Intake());
        var store = fixture.Get<ReminderStore>();
        await Poll.UntilAsync(async () => (await store.ListAsync(caseId, false)).Any(r => r.Kind == ReminderKind.CallPolice), TimeSpan.FromSeconds(60), "the call-police reminder");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        await store.CreateAsync(caseId, ReminderKind.FollowUp, now.AddDays(2), null, false);
        string hidden = await fixture.SeedAsync("bjuv", now.AddDays(-1), s => s with { Phase = Phase.ShortTermSupport, Lead = "salvation-army" });
        await store.CreateAsync(hidden, ReminderKind.FollowUp, now.AddHours(-1), null, false);
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();

        IReadOnlyList<Digest> digests = await Job(receiver.Url).RunAsync(DateTimeOffset.UtcNow);

        string body = Assert.Single(receiver.Bodies);
        Assert.All(canaries.All, c => Assert.DoesNotContain(c, body));
        using JsonDocument payload = JsonDocument.Parse(body);
        Assert.Equal("social-services", payload.RootElement.GetProperty("organisation").GetString());
        var mine = payload.RootElement.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caseId").GetString() == caseId).ToList();
        Assert.Contains(mine, i => i.GetProperty("kind").GetString() == "call-police" && i.GetProperty("overdue").GetBoolean());
        Assert.Contains(mine, i => i.GetProperty("kind").GetString() == "follow-up" && !i.GetProperty("overdue").GetBoolean());
        Assert.All(mine, i => Assert.Equal(["caseId", "dueAt", "escalated", "kind", "overdue", "reference", "reminderId"], i.EnumerateObject().Select(p => p.Name).Order()));
        // The reminder the step created carries the case's number; the one created without it takes it from the case.
        Assert.Single(mine.Select(i => i.GetProperty("reference").GetString()).Distinct());
        Assert.Matches("^HBG-[0-9]{4}-[0-9]{4,}$", mine[0].GetProperty("reference").GetString());
        Assert.DoesNotContain(hidden, body);
        Assert.Contains(digests.Single(d => d.Organisation == "salvation-army").Items, i => i.CaseId == hidden);
        Assert.True(payload.RootElement.GetProperty("overdue").GetInt32() >= 1);

        TableClient table = fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable);
        var stored = await table.GetEntityAsync<TableEntity>("social-services", DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyyMMdd"));
        Assert.True(stored.Value.GetBoolean("Delivered"));
        string kept = await StoredPayloadAsync(stored.Value);
        Assert.Contains(caseId, kept);
        Assert.All(canaries.All, c => Assert.DoesNotContain(c, kept));
    }

    [Fact]
    public async Task The_digest_gives_each_receiving_organisation_the_referrals_awaiting_its_answer_without_case_ids_or_personal_data()
    {
        const string receiver = "womens-shelter";
        var canaries = Intakes.Canaries.New();
        string caseId = await Host.CaseInShortTermSupportAsync(canaries.Intake());
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = receiver, fields = new[] { "alias", "contact", "need" } });
        DateTimeOffset due = DateTimeOffset.UtcNow.AddDays(5);
        await Host.RecordAsync(caseId, new { type = "referral-sent", organisation = receiver, kind = "psychological", due = due.ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"), note = canaries.Note });
        JsonElement referred = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals").GetArrayLength() == 1, "the referral on the case");
        string awaiting = referred.GetProperty("referrals")[0].GetProperty("referralId").GetString()!;
        var referrals = fixture.Get<Helsingborg.Referrals.ReferralStore>();
        await Poll.UntilAsync(async () => await referrals.GetAsync(receiver, awaiting) is not null, TimeSpan.FromSeconds(60), "the referral in the Referrals table");

        // Beside it: one the receiver has answered, one overdue, and one of another case whose consent was withdrawn.
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string tag = Guid.NewGuid().ToString("N")[..8];
        Referral[] others =
        [
            new("e_answered" + tag, receiver, "social-services", SupportKind.Accommodation, now.AddDays(-3), now.AddDays(4), ReferralStatus.Accepted, AnsweredAt: now.AddDays(-2)),
            new("e_overdue" + tag, receiver, "social-services", SupportKind.Medical, now.AddDays(-10), now.AddDays(-1), ReferralStatus.Sent),
            new("e_revoked" + tag, receiver, "social-services", SupportKind.Material, now.AddDays(-2), now.AddDays(6), ReferralStatus.Sent),
        ];
        string withdrawn = CaseIds.New();
        await referrals.SyncAsync(Opened(CaseIds.New(), now) with { Referrals = others[..2] });
        await referrals.SyncAsync(Opened(withdrawn, now) with { Referrals = others[2..] });
        await referrals.RevokeAsync(withdrawn, receiver, now);
        await using WebhookReceiver webhook = await WebhookReceiver.StartAsync();

        try
        {
            IReadOnlyList<Digest> digests = await Job(webhook.Url, 4, receiver).RunAsync(now);

            string body = webhook.Bodies.Single(b => JsonDocument.Parse(b).RootElement.GetProperty("organisation").GetString() == receiver);
            using JsonDocument payload = JsonDocument.Parse(body);
            List<JsonElement> listed = [.. payload.RootElement.GetProperty("referrals").EnumerateArray()];
            Assert.Contains(listed, r => r.GetProperty("referralId").GetString() == awaiting && r.GetProperty("kind").GetString() == "psychological" && !r.GetProperty("overdue").GetBoolean());
            Assert.Contains(listed, r => r.GetProperty("referralId").GetString() == "e_overdue" + tag && r.GetProperty("overdue").GetBoolean());
            Assert.DoesNotContain(listed, r => r.GetProperty("referralId").GetString() == "e_answered" + tag);
            Assert.DoesNotContain(listed, r => r.GetProperty("referralId").GetString() == "e_revoked" + tag);
            Assert.All(listed, r => Assert.Equal(["dueAt", "kind", "overdue", "referralId", "sentAt"], r.EnumerateObject().Select(p => p.Name).Order()));
            Assert.Equal(listed.Count, payload.RootElement.GetProperty("awaitingAnswer").GetInt32());
            Assert.Empty(payload.RootElement.GetProperty("items").EnumerateArray());
            Assert.DoesNotContain(caseId, body, StringComparison.Ordinal);
            Assert.DoesNotContain(withdrawn, body, StringComparison.Ordinal);
            Assert.All(canaries.All, c => Assert.DoesNotContain(c, body, StringComparison.OrdinalIgnoreCase));

            // The referrer's organisation is not sent the receiver's list; a late one reaches it as referral-overdue.
            Assert.DoesNotContain(digests.Single(d => d.Organisation == "social-services").Referrals, r => r.ReferralId == awaiting);
            TableClient table = fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable);
            var stored = await table.GetEntityAsync<TableEntity>(receiver, now.UtcDateTime.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(listed.Count, stored.Value.GetInt32("AwaitingAnswer"));
            Assert.True(stored.Value.GetBoolean("Delivered"));
            string kept = await StoredPayloadAsync(stored.Value);
            Assert.Contains(awaiting, kept, StringComparison.Ordinal);
            Assert.All(canaries.All, c => Assert.DoesNotContain(c, kept, StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            // Nothing of this test stays awaiting the receiver's answer for the digests of other tests.
            await Host.RecordAsync(caseId, new { type = "sharing-consent-withdrawn", organisation = receiver });
            TableClient rows = fixture.Get<CaseStorage>().Table(CaseStorage.ReferralsTable);
            foreach (Referral other in others)
            {
                await rows.DeleteEntityAsync(receiver, other.Id);
            }
        }
    }

    static CaseState Opened(string caseId, DateTimeOffset at) =>
        CaseDecider.Open(new IntakeFacts(caseId, "bjuv", "hotel-group", at.AddDays(-20), true, false), new CasePolicy()).State;

    [Fact]
    public async Task A_digest_larger_than_a_table_property_is_stored_whole()
    {
        // A table property holds 32K characters; 400 reminders make a payload of about 60K.
        var store = fixture.Get<ReminderStore>();
        DateTimeOffset due = new(2040, 1, 1, 9, 0, 0, TimeSpan.Zero);
        string caseId = await fixture.SeedAsync("helsingborg", DateTimeOffset.UtcNow.AddDays(-1), s => s with { Phase = Phase.ShortTermSupport, Lead = "social-services" });
        var dues = Enumerable.Range(0, 400).Select(i => due.AddMinutes(i)).ToList();
        try
        {
            await Parallel.ForEachAsync(dues, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, t) => await store.CreateAsync(caseId, ReminderKind.FollowUp, d, null, false, t));
            DateTimeOffset day = new(2031, 7, 8, 6, 0, 0, TimeSpan.Zero);

            IReadOnlyList<Digest> digests = await Job(null).RunAsync(day);

            var stored = await fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable).GetEntityAsync<TableEntity>("social-services", "20310708");
            using JsonDocument payload = JsonDocument.Parse(await StoredPayloadAsync(stored.Value));
            Assert.True(payload.RootElement.GetRawText().Length > 32 * 1024);
            Assert.Equal(400, payload.RootElement.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("caseId").GetString() == caseId));
            Assert.Equal(digests.Single(d => d.Organisation == "social-services").Open, stored.Value.GetInt32("Open"));
            Assert.Equal(stored.Value.GetInt32("Open"), payload.RootElement.GetProperty("items").GetArrayLength());
        }
        finally
        {
            await Parallel.ForEachAsync(dues, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, t) =>
                await store.AcknowledgeAsync(ReminderStore.IdOf(caseId, ReminderKind.FollowUp, d), "test-cleanup", DateTimeOffset.UtcNow, t));
        }
    }

    async Task<string> StoredPayloadAsync(TableEntity row)
    {
        var blob = fixture.Get<CaseStorage>().Digests.GetBlobClient(row.GetString("Payload"));
        return (await blob.DownloadContentAsync()).Value.Content.ToString();
    }

    [Fact]
    public async Task A_failing_webhook_is_retried_until_it_answers()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(failFirst: 2);

        await Job(receiver.Url).RunAsync(DateTimeOffset.UtcNow);

        Assert.Equal(3, receiver.Requests);
        Assert.Single(receiver.Bodies);
    }

    [Fact]
    public async Task A_webhook_that_keeps_failing_is_given_up_after_the_last_attempt_and_the_digest_is_still_stored()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(failFirst: 100);
        DateTimeOffset day = new(2031, 3, 4, 6, 0, 0, TimeSpan.Zero);

        await Job(receiver.Url, attempts: 3).RunAsync(day);

        Assert.Equal(3, receiver.Requests);
        TableClient table = fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable);
        var stored = await table.GetEntityAsync<TableEntity>("social-services", "20310304");
        Assert.False(stored.Value.GetBoolean("Delivered"));
    }

    [Theory]
    [InlineData(StatusCodes.Status400BadRequest)]
    [InlineData(StatusCodes.Status404NotFound)]
    public async Task A_webhook_that_refuses_the_digest_is_not_asked_again(int refusal)
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync(failFirst: 100, failureStatus: refusal);
        DateTimeOffset day = new(2031, 3, 5, 6, 0, 0, TimeSpan.Zero);

        await Job(receiver.Url).RunAsync(day);

        Assert.Equal(1, receiver.Requests);
        TableClient table = fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable);
        var stored = await table.GetEntityAsync<TableEntity>("social-services", "20310305");
        Assert.False(stored.Value.GetBoolean("Delivered"));
    }

    [Fact]
    public async Task A_webhook_that_cannot_be_reached_is_given_up_and_the_digest_is_still_stored()
    {
        // Nothing listens on the port: every attempt fails to connect, a transient failure.
        var nowhere = new Uri($"http://127.0.0.1:{LocalApp.FreePort()}/hook");
        DateTimeOffset day = new(2031, 3, 6, 6, 0, 0, TimeSpan.Zero);

        IReadOnlyList<Digest> digests = await Job(nowhere, attempts: 2).RunAsync(day);

        Assert.NotEmpty(digests);
        TableClient table = fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable);
        var stored = await table.GetEntityAsync<TableEntity>("social-services", "20310306");
        Assert.False(stored.Value.GetBoolean("Delivered"));
    }

    [Fact]
    public async Task Without_a_webhook_the_digest_is_only_stored()
    {
        DateTimeOffset day = new(2031, 5, 6, 6, 0, 0, TimeSpan.Zero);
        await Job(null).RunAsync(day);
        TableClient table = fixture.Get<CaseStorage>().Table(CaseStorage.DigestsTable);
        var stored = await table.GetEntityAsync<TableEntity>("salvation-army", "20310506");
        Assert.Null(stored.Value.GetBoolean("Delivered"));
        Assert.Equal(DailyDigestJob.PayloadBlobName("salvation-army", "20310506"), stored.Value.GetString("Payload"));
        using JsonDocument payload = JsonDocument.Parse(await StoredPayloadAsync(stored.Value));
        Assert.Equal("salvation-army", payload.RootElement.GetProperty("organisation").GetString());
    }
}
