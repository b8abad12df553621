using System.Globalization;
using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// Issue 21, items 4 and 5 through HTTP on the local host: a minor's statutory clocks as reminders with their due times,
/// started and ended by the social services' decisions and escalated on a shrunk policy; the police step recorded by the
/// reporting partner (its own case only) or by a coordinator, which ends the call-police reminder.
/// </summary>
public sealed class ChildClocksAndPoliceStepTests(EventDrivenHost fixture) : IClassFixture<EventDrivenHost>
{
    readonly TestHost host = fixture.Host;

    static IEnumerable<JsonElement> Reminders(JsonElement c, string kind) =>
        c.GetProperty("openReminders").EnumerateArray().Where(r => r.GetProperty("kind").GetString() == kind);

    static DateTimeOffset Time(JsonElement e, string property) =>
        DateTimeOffset.Parse(e.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_childs_case_shows_its_clocks_with_their_due_times_and_investigation_opened_starts_the_four_month_one()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(minor: true));
        JsonElement c = await host.WaitForCaseAsync(caseId, x => Reminders(x, "protection-assessment").Any() && Reminders(x, "initial-assessment").Any(), "the two clocks");
        DateTimeOffset opened = Time(c, "openedAt");
        Assert.Equal(opened.AddDays(1), Time(Reminders(c, "protection-assessment").Single(), "dueAt"));
        Assert.Equal(opened.AddDays(14), Time(Reminders(c, "initial-assessment").Single(), "dueAt"));
        Assert.All(c.GetProperty("openReminders").EnumerateArray(), r => Assert.Equal("social-services", r.GetProperty("organisation").GetString()));
        Assert.Empty(Reminders(c, "child-protection"));

        DateTimeOffset decided = DateTimeOffset.UtcNow.AddMinutes(-1) > opened ? DateTimeOffset.UtcNow.AddMinutes(-1) : opened;
        await host.RecordAsync(caseId, new { type = "investigation-opened", date = decided.ToString("O", CultureInfo.InvariantCulture) });
        c = await host.WaitForCaseAsync(caseId, x => Reminders(x, "investigation").Any() && !Reminders(x, "initial-assessment").Any(), "the investigation clock, the assessments done");

        Assert.Equal(decided.AddDays(120), Time(Reminders(c, "investigation").Single(), "dueAt"));
        Assert.Empty(Reminders(c, "protection-assessment"));
        JsonElement done = await host.GetJsonAsync($"api/reminders?status=acknowledged&kind=initial-assessment&caseId={caseId}");
        Assert.Contains(done.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetString() == caseId);

        await host.RecordAsync(caseId, new { type = "investigation-closed", date = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        await host.WaitForCaseAsync(caseId, x => !Reminders(x, "investigation").Any(), "the investigation clock ended");
    }

    [Fact]
    public async Task A_decision_on_an_adults_case_or_dated_after_it_is_recorded_is_refused_with_problem_json()
    {
        string adult = await host.SubmitIntakeAsync(Intakes.Valid());
        string child = await host.SubmitIntakeAsync(Intakes.Valid(minor: true));
        await host.WaitForStartedAsync(adult);
        await host.WaitForStartedAsync(child);

        using HttpResponseMessage onAdult = await host.PostEventAsync(adult, new { type = "protection-assessed", date = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        using HttpResponseMessage future = await host.PostEventAsync(child, new { type = "no-investigation", date = DateTimeOffset.UtcNow.AddDays(2).ToString("O", CultureInfo.InvariantCulture) });
        using HttpResponseMessage without = await host.PostEventAsync(child, new { type = "no-investigation" });

        Assert.Equal(HttpStatusCode.Conflict, onAdult.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, future.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.All(new[] { onAdult, future, without }, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        Assert.Contains("\"date\"", await future.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Police_informed_by_the_reporting_partner_ends_the_call_police_reminder_and_another_partner_gets_404()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(policeNotified: false));
        await host.WaitForCaseAsync(caseId, x => Reminders(x, "call-police").Any(), "the call-police reminder");
        string reference = "K-" + Guid.NewGuid().ToString("N")[..12];

        using HttpResponseMessage other = await host.SendAsync(HttpMethod.Post, $"api/intake/{caseId}/police-informed", ReferralSetup.ReceiverKey, new { policeReference = reference });
        using HttpResponseMessage unknown = await host.SendAsync(HttpMethod.Post, "api/intake/c_00000000000000000000000000/police-informed", TestHost.PartnerKey, new { });
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(await unknown.Content.ReadAsStringAsync(), await other.Content.ReadAsStringAsync());

        HttpRequestMessage Informed()
        {
            HttpRequestMessage request = host.Request(HttpMethod.Post, $"api/intake/{caseId}/police-informed", TestHost.PartnerKey, new { policeReference = reference });
            request.Headers.Add("Idempotency-Key", "police-" + caseId);
            return request;
        }

        using HttpResponseMessage first = await host.Client.SendAsync(Informed());
        using HttpResponseMessage again = await host.Client.SendAsync(Informed());
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());

        await host.WaitForCaseAsync(caseId, x => !Reminders(x, "call-police").Any(), "the call-police reminder done");
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        JsonElement[] informed = [.. timeline.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("type").GetString() == "police-informed")];
        Assert.Equal(reference, Assert.Single(informed).GetProperty("note").GetString());
        Assert.Equal("hotel-group", informed[0].GetProperty("by").GetString());
    }

    [Fact]
    public async Task A_coordinator_can_record_police_informed_too()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(policeNotified: false));
        await host.WaitForCaseAsync(caseId, x => Reminders(x, "call-police").Any(), "the call-police reminder");

        await host.RecordAsync(caseId, new { type = "police-informed", note = "5000-K1-26" });

        await host.WaitForCaseAsync(caseId, x => !Reminders(x, "call-police").Any(), "the call-police reminder done");
        JsonElement done = await host.GetJsonAsync($"api/reminders?status=acknowledged&kind=call-police&caseId={caseId}");
        Assert.Contains(done.GetProperty("items").EnumerateArray(), r => r.GetProperty("caseId").GetString() == caseId);
    }
}

/// <summary>The clocks on a shrunk policy: each escalates in place at its due time when no decision came.</summary>
public sealed class ChildClockEscalationTests
{
    [Fact]
    public async Task On_a_shrunk_policy_each_clock_escalates_at_its_due_time()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CasePolicy:ProtectionAssessmentDueAfter"] = "00:00:01",
            ["CasePolicy:InitialAssessmentDueAfter"] = "00:00:02",
            ["CasePolicy:InvestigationDueAfter"] = "00:00:02",
        });
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(minor: true));

        static bool Escalated(JsonElement c, string kind) =>
            c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == kind && r.GetProperty("escalated").GetBoolean());

        await host.WaitForCaseAsync(caseId, c => Escalated(c, "protection-assessment") && Escalated(c, "initial-assessment"), "both assessments escalated", TimeSpan.FromSeconds(60));
        await host.RecordAsync(caseId, new { type = "investigation-opened", date = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) });
        JsonElement escalated = await host.WaitForCaseAsync(caseId, c => Escalated(c, "investigation"), "the investigation escalated", TimeSpan.FromSeconds(60));

        Assert.DoesNotContain(escalated.GetProperty("openReminders").EnumerateArray(), r => r.GetProperty("kind").GetString() is "protection-assessment" or "initial-assessment");
        JsonElement all = await host.GetJsonAsync($"api/reminders?status=all&caseId={caseId}");
        Assert.Equal(3, all.GetProperty("items").EnumerateArray().Count(r => r.GetProperty("escalated").GetBoolean()));
    }
}
