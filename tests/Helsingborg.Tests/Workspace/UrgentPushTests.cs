using System.Net;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Workspace;

/// <summary>
/// Issue 21, item 1: an urgent reminder (a child's protection, every escalation) is pushed within a minute to the
/// case's lead and to the city's on-call organisation, with ids only; the reminder shows whom it reached and when; a
/// push that keeps failing shows as failed on the reminder and in readiness. The tests run on a host of their own whose
/// webhooks are receivers on loopback; its outbox is its own task hub's, so no other host pushes these reminders.
/// A default host of the class's own (not the shared one) seeds cases and answers readiness without webhooks, so that
/// the class, whose tests wait about two minutes in all on pushes and escalations, runs beside the shared host's.
/// </summary>
[StartEarly]
public sealed class UrgentPushTests(SharedHost fixture) : IAsyncLifetime, IClassFixture<SharedHost>
{
    const string Lead = "social-services";
    const string OnCall = "social-emergency";
    static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);

    TestHost host = null!;
    WebhookReceiver lead = null!;
    WebhookReceiver onCall = null!;

    public async Task InitializeAsync()
    {
        lead = await WebhookReceiver.StartAsync();
        onCall = await WebhookReceiver.StartAsync();
        host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [$"Notifications:Webhooks:{Lead}"] = lead.Url.ToString(),
            ["Notifications:Webhooks:salvation-army"] = lead.Url.ToString(),
            [$"Notifications:Webhooks:{OnCall}"] = onCall.Url.ToString(),
            ["Notifications:WebhookRetryDelay"] = "00:00:00.050",
            ["Notifications:UrgentPushRounds"] = "2",
            ["Notifications:AppUrl"] = "https://cases.example/",
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await lead.DisposeAsync();
        await onCall.DisposeAsync();
    }

    [Fact]
    public async Task A_minors_intake_is_pushed_within_a_minute_to_the_lead_and_the_on_call_organisation_with_nothing_of_the_person()
    {
        var canaries = Intakes.Canaries.New();
        DateTimeOffset submitted = DateTimeOffset.UtcNow;
        string caseId = await host.SubmitIntakeAsync(MinorIntake(canaries));

        await Poll.UntilAsync(() => Task.FromResult(For(lead, caseId).Count > 0 && For(onCall, caseId).Count > 0), Minute, "a push to the lead and to the on-call organisation");

        JsonElement reminder = await ReminderAsync(caseId, "protection-assessment", r => r.GetProperty("push").GetString() == "sent");
        JsonDocument push = Assert.Single(For(lead, caseId));
        Assert.Single(For(onCall, caseId));
        JsonElement body = push.RootElement;
        Assert.Equal("urgent-reminder", body.GetProperty("type").GetString());
        Assert.Equal("protection-assessment", body.GetProperty("kind").GetString());
        Assert.Equal(reminder.GetProperty("reminderId").GetString(), body.GetProperty("reminderId").GetString());
        Assert.Equal(reminder.GetProperty("dueAt").GetDateTimeOffset(), body.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal($"https://cases.example/#/case/{caseId}", body.GetProperty("caseUrl").GetString());
        Assert.Equal(["caseId", "caseUrl", "dueAt", "escalated", "kind", "reference", "reminderId", "type"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Matches("^HBG-[0-9]{4}-[0-9]{4,}$", body.GetProperty("reference").GetString());
        Assert.Equal(reminder.GetProperty("reference").GetString(), body.GetProperty("reference").GetString());
        Assert.All(lead.Bodies.Concat(onCall.Bodies), b => Assert.All(canaries.All, c => Assert.DoesNotContain(c, b, StringComparison.OrdinalIgnoreCase)));

        Assert.Equal([OnCall, Lead], reminder.GetProperty("notified").EnumerateArray().Select(o => o.GetString()).Order());
        DateTimeOffset notifiedAt = reminder.GetProperty("notifiedAt").GetDateTimeOffset();
        Assert.InRange(notifiedAt, submitted, submitted + Minute);

        // A reminder that is neither urgent nor escalated is not pushed, and says so.
        JsonElement police = await ReminderAsync(caseId, "call-police", _ => true);
        Assert.Equal(JsonValueKind.Null, police.GetProperty("push").ValueKind);
        Assert.Empty(police.GetProperty("notified").EnumerateArray());
    }

    [Fact]
    public async Task A_webhook_that_fails_three_times_and_then_answers_gets_the_push_exactly_once()
    {
        lead.FailNext(3);
        int before = lead.Requests;
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(minor: true));

        JsonElement reminder = await ReminderAsync(caseId, "protection-assessment", r => r.GetProperty("push").GetString() == "sent", Minute);

        Assert.Single(For(lead, caseId));
        Assert.Equal(4, lead.Requests - before);
        Assert.Single(For(onCall, caseId));
        Assert.Contains(Lead, reminder.GetProperty("notified").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task A_webhook_that_never_answers_shows_the_push_failed_on_the_reminder_and_in_readiness_until_the_reminder_is_acknowledged()
    {
        onCall.NeverAnswer = true;
        try
        {
            string caseId = await host.SubmitIntakeAsync(Intakes.Valid(minor: true));

            JsonElement reminder = await ReminderAsync(caseId, "protection-assessment", r => r.GetProperty("push").GetString() == "failed", TimeSpan.FromSeconds(120));
            Assert.Equal([Lead], reminder.GetProperty("notified").EnumerateArray().Select(o => o.GetString()));
            Assert.Single(For(lead, caseId));
            Assert.Empty(For(onCall, caseId));

            JsonElement failed = await ReadinessAsync(host, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("notifications.failed: 1", failed.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
            Assert.Equal(1, failed.GetProperty("notifications").GetProperty("failedPushes").GetInt32());

            // Seen by a coordinator: the failure leaves readiness.
            using HttpResponseMessage acknowledged = await host.SendAsync(HttpMethod.Post, $"api/reminders/{reminder.GetProperty("reminderId").GetString()}/acknowledge", TestHost.CoordinatorKey);
            Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
            await Poll.UntilAsync(async () => (await ReadinessAsync(host, null)).GetProperty("notifications").GetProperty("failedPushes").GetInt32() == 0, Minute, "the failed push to leave readiness");
        }
        finally
        {
            onCall.NeverAnswer = false;
        }
    }

    [Fact]
    public async Task An_escalation_of_a_case_led_without_the_authorities_is_pushed_to_its_lead_only()
    {
        string caseId = await fixture.SeedAsync("helsingborg", DateTimeOffset.UtcNow.AddDays(-3), s => s with { Phase = Phase.FirstContact, Lead = "salvation-army" });
        DateTimeOffset due = DateTimeOffset.UtcNow;
        var reminders = host.Services.GetRequiredService<ReminderStore>();
        var outbox = host.Services.GetRequiredService<UrgentPushOutbox>();
        Assert.True(outbox.IsUrgent(new ReminderDue(ReminderKind.FirstContact, due, Escalated: true, "salvation-army")));
        Assert.False(outbox.IsUrgent(new ReminderDue(ReminderKind.FirstContact, due, Escalated: false, "salvation-army")));
        await reminders.CreateAsync(caseId, ReminderKind.FirstContact, due, "salvation-army", escalated: true, push: true);
        await outbox.EnqueueAsync(ReminderStore.IdOf(caseId, ReminderKind.FirstContact, due), due);

        JsonElement reminder = await ReminderAsync(caseId, "first-contact", r => r.GetProperty("push").GetString() == "sent", Minute, TestHost.SalvationArmyKey);

        Assert.Equal(["salvation-army"], reminder.GetProperty("notified").EnumerateArray().Select(o => o.GetString()));
        Assert.Single(For(lead, caseId));
        Assert.Empty(For(onCall, caseId));
    }

    [Fact]
    public async Task Readiness_warns_when_the_on_call_organisation_has_no_webhook()
    {
        JsonElement configured = await ReadinessAsync(host, null);
        Assert.Empty(configured.GetProperty("warnings").EnumerateArray());
        Assert.True(configured.GetProperty("notifications").GetProperty("onCallWebhook").GetBoolean());

        // The shared host has no webhooks at all.
        JsonElement missing = await ReadinessAsync(fixture.Host, null);
        Assert.Equal([$"notifications.on-call: no webhook for {OnCall}"], missing.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(OnCall, missing.GetProperty("notifications").GetProperty("onCall").GetString());
        Assert.False(missing.GetProperty("notifications").GetProperty("onCallWebhook").GetBoolean());
    }

    /// <summary>Issue 21, item 4: a child's clock that passes its due time unmet escalates its reminder in place, and the escalation is pushed again to both.</summary>
    [Fact]
    public async Task A_childs_clock_passing_its_due_time_unmet_is_pushed_again_as_escalated()
    {
        await using TestHost shrunk = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [$"Notifications:Webhooks:{Lead}"] = lead.Url.ToString(),
            [$"Notifications:Webhooks:{OnCall}"] = onCall.Url.ToString(),
            ["Notifications:AppUrl"] = "https://cases.example/",
            // Long enough for the push at intake to leave first (the job runs every 15 s), then it escalates.
            ["CasePolicy:ProtectionAssessmentDueAfter"] = "00:00:40",
        });
        string caseId = await shrunk.SubmitIntakeAsync(MinorIntake(Intakes.Canaries.New()));
        await Poll.UntilAsync(() => Task.FromResult(For(lead, caseId).Count > 0 && For(onCall, caseId).Count > 0), TimeSpan.FromSeconds(35), "the push at intake, before the clock's due time");

        static bool Escalated(JsonDocument d) => d.RootElement.GetProperty("kind").GetString() == "protection-assessment" && d.RootElement.GetProperty("escalated").GetBoolean();
        await Poll.UntilAsync(() => Task.FromResult(For(lead, caseId).Any(Escalated) && For(onCall, caseId).Any(Escalated)), TimeSpan.FromSeconds(120), "the escalation pushed to the lead and the on-call organisation");

        foreach (WebhookReceiver receiver in new[] { lead, onCall })
        {
            List<JsonDocument> pushes = [.. For(receiver, caseId).Where(d => d.RootElement.GetProperty("kind").GetString() == "protection-assessment")];
            Assert.Equal([false, true], pushes.Select(d => d.RootElement.GetProperty("escalated").GetBoolean()));
            Assert.Equal(pushes[0].RootElement.GetProperty("reminderId").GetString(), pushes[1].RootElement.GetProperty("reminderId").GetString());
        }

        JsonElement page = await shrunk.GetJsonAsync($"api/reminders?status=all&caseId={caseId}&kind=protection-assessment", TestHost.CoordinatorKey);
        JsonElement reminder = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.True(reminder.GetProperty("escalated").GetBoolean());
        Assert.Equal("sent", reminder.GetProperty("push").GetString());
        Assert.Equal([OnCall, Lead], reminder.GetProperty("notified").EnumerateArray().Select(o => o.GetString()).Order());
    }

    static object MinorIntake(Intakes.Canaries canaries) => new
    {
        municipality = "helsingborg",
        observedAt = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"),
        placeType = "apartment",
        location = canaries.Location,
        suspicion = "both",
        description = canaries.Description,
        policeNotified = false,
        policeReference = canaries.PoliceReference,
        person = new { alias = canaries.Name, estimatedAge = 15, isMinor = true, contact = canaries.Phone, languages = new[] { "sv" } },
        reporterContact = canaries.Reporter,
    };

    static List<JsonDocument> For(WebhookReceiver receiver, string caseId) =>
        [.. receiver.Bodies.Select(b => JsonDocument.Parse(b)).Where(d => d.RootElement.GetProperty("caseId").GetString() == caseId)];

    async Task<JsonElement> ReminderAsync(string caseId, string kind, Func<JsonElement, bool> condition, TimeSpan? timeout = null, string key = TestHost.CoordinatorKey)
    {
        JsonElement found = default;
        await Poll.UntilAsync(async () =>
        {
            JsonElement page = await host.GetJsonAsync($"api/reminders?status=all&caseId={caseId}&kind={kind}", key);
            JsonElement[] items = [.. page.GetProperty("items").EnumerateArray()];
            if (items.Length == 1 && condition(items[0]))
            {
                found = items[0].Clone();
                return true;
            }

            return false;
        }, timeout ?? Minute, $"the {kind} reminder of {caseId}");
        return found;
    }

    static async Task<JsonElement> ReadinessAsync(TestHost on, HttpStatusCode? expected)
    {
        using HttpResponseMessage response = await on.SendAsync(HttpMethod.Get, "api/admin/readiness", TestHost.AdminKey);
        if (expected is { } status)
        {
            Assert.Equal(status, response.StatusCode);
        }

        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }
}
