using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Tests.Workspace;

namespace Helsingborg.Tests.Contract;

/// <summary>
/// Real answers of the routes, on one shared local host, validated against the generated document: status, content
/// type and body. Each route is driven for its success and its main errors.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class RouteContractTests(SharedHost fixture)
{
    /// <summary>
    /// One request and the status it must get, with a JSON body, a plain-text document or form fields. <c>{reminderId}</c>
    /// and <c>{caseId}</c> (a read model only) are seeded for the test; <c>{liveCaseId}</c> is a case opened by an intake,
    /// <c>{documentId}</c> a document attached to it, and <c>{referralId}</c> a referral sent from a case to
    /// <see cref="ReferralSetup.Receiver"/> (whose key the exchange then uses).
    /// </summary>
    public sealed record Exchange(string Route, string Method, string Path, string? Key, HttpStatusCode Status, object? Json = null, string? Text = null, bool Form = false)
    {
        public override string ToString() => $"{Route} {(int)Status}";
    }

    public static readonly IReadOnlyList<Exchange> Exchanges =
    [
        new("Health", "GET", "api/health", null, HttpStatusCode.OK),
        new("OpenApiDocument", "GET", "api/openapi.json", null, HttpStatusCode.OK),
        new("ListReminders", "GET", "api/reminders?status=all&limit=5", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("ListReminders", "GET", "api/reminders?limit=0", TestHost.CoordinatorKey, HttpStatusCode.BadRequest),
        new("ListReminders", "GET", "api/reminders?assignee=none&limit=5", TestHost.ErikKey, HttpStatusCode.OK),
        new("ListReminders", "GET", "api/reminders", null, HttpStatusCode.Unauthorized),
        new("ListReminders", "GET", "api/reminders", TestHost.PartnerKey, HttpStatusCode.Forbidden),
        new("AcknowledgeReminder", "POST", "api/reminders/{reminderId}/acknowledge", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("AcknowledgeReminder", "POST", "api/reminders/nope.nope/acknowledge", TestHost.CoordinatorKey, HttpStatusCode.NotFound),
        new("AcknowledgeReminder", "POST", "api/reminders/nope.nope/acknowledge", TestHost.StatisticsKey, HttpStatusCode.Forbidden),
        new("RunRetention", "POST", "api/admin/retention/run", TestHost.AdminKey, HttpStatusCode.OK),
        new("RunRetention", "POST", "api/admin/retention/run", TestHost.CoordinatorKey, HttpStatusCode.Forbidden),
        new("Dashboard", "GET", "", null, HttpStatusCode.OK),
        new("DashboardAsset", "GET", "dashboard/dashboard.js", null, HttpStatusCode.OK),
        new("DashboardAsset", "GET", "dashboard/dashboard.css", null, HttpStatusCode.OK),
        new("DashboardAsset", "GET", "dashboard/nope.js", null, HttpStatusCode.NotFound),
        new("IntakeForm", "GET", "intake", null, HttpStatusCode.OK),
        new("StatisticsPage", "GET", "statistics", null, HttpStatusCode.OK),
        new("OutreachPage", "GET", "outreach", null, HttpStatusCode.OK),
        new("AccessibilityStatement", "GET", "accessibility", null, HttpStatusCode.OK),
        new("ReferralInbox", "GET", "referrals", null, HttpStatusCode.OK),
        new("ListCases", "GET", "api/cases?limit=5", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("ListCases", "GET", "api/cases?limit=0", TestHost.CoordinatorKey, HttpStatusCode.BadRequest),
        new("ListCases", "GET", "api/cases", TestHost.PartnerKey, HttpStatusCode.Forbidden),
        new("ListCases", "GET", "api/cases?assignee=me&limit=5", TestHost.AnnaKey, HttpStatusCode.OK),
        new("ListCases", "GET", "api/cases?assignee=someone", TestHost.AnnaKey, HttpStatusCode.BadRequest),
        new("GetNavigation", "GET", "api/navigation?lang=en", TestHost.StatisticsKey, HttpStatusCode.OK),
        new("GetNavigation", "GET", "api/navigation", null, HttpStatusCode.Unauthorized),
        new("ListWorkers", "GET", "api/workers", TestHost.AnnaKey, HttpStatusCode.OK),
        new("ListWorkers", "GET", "api/workers", TestHost.PartnerKey, HttpStatusCode.Forbidden),
        new("ListAccessLog", "GET", "api/access-log?limit=5", TestHost.AdminKey, HttpStatusCode.OK),
        new("ListAccessLog", "GET", "api/access-log?cursor=%25%25", TestHost.AdminKey, HttpStatusCode.BadRequest),
        new("ListAccessLog", "GET", "api/access-log", TestHost.CoordinatorKey, HttpStatusCode.Forbidden),
        new("ListStalledCases", "GET", "api/admin/cases/stalled", TestHost.AdminKey, HttpStatusCode.OK),
        new("ListStalledCases", "GET", "api/admin/cases/stalled", TestHost.CoordinatorKey, HttpStatusCode.Forbidden),
        new("ResumeCase", "POST", "api/admin/cases/{terminatedCaseId}/resume", TestHost.AdminKey, HttpStatusCode.Accepted),
        new("ResumeCase", "POST", "api/admin/cases/{liveCaseId}/resume", TestHost.AdminKey, HttpStatusCode.Conflict),
        new("ResumeCase", "POST", "api/admin/cases/c_nosuchcase0000000000000000/resume", TestHost.AdminKey, HttpStatusCode.NotFound),
        new("GetReadiness", "GET", "api/admin/readiness", TestHost.AdminKey, HttpStatusCode.OK),
        new("GetReadiness", "GET", "api/admin/readiness", "no-such-key", HttpStatusCode.Unauthorized),
        new("RewrapDataKeys", "POST", "api/admin/data-keys/rewrap?limit=5", TestHost.AdminKey, HttpStatusCode.OK),
        new("RewrapDataKeys", "POST", "api/admin/data-keys/rewrap?limit=0", TestHost.AdminKey, HttpStatusCode.BadRequest),
        new("GetStatistics", "GET", "api/statistics", TestHost.StatisticsKey, HttpStatusCode.OK),
        new("GetStatistics", "GET", "api/statistics?view=referrals", TestHost.StatisticsKey, HttpStatusCode.OK),
        new("GetStatistics", "GET", "api/statistics?format=csv", TestHost.StatisticsKey, HttpStatusCode.OK),
        new("GetStatistics", "GET", "api/statistics?groupBy=colour", TestHost.StatisticsKey, HttpStatusCode.BadRequest),
        new("ExportCases", "GET", "api/exports/cases", TestHost.StatisticsKey, HttpStatusCode.OK),
        new("ExportCases", "GET", "api/exports/cases?format=csv", TestHost.AdminKey, HttpStatusCode.OK),
        new("ExportCases", "GET", "api/exports/cases", TestHost.CoordinatorKey, HttpStatusCode.Forbidden),
        new("ListOutreachSessions", "GET", "api/outreach-sessions", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("ListOutreachSessions", "GET", "api/outreach-sessions?from=nope", TestHost.CoordinatorKey, HttpStatusCode.BadRequest),
        new("ListRecentOutreachSessions", "GET", "api/outreach-sessions/recent", TestHost.PartnerKey, HttpStatusCode.OK),
        new("ListRecentOutreachSessions", "GET", "api/outreach-sessions/recent", TestHost.StatisticsKey, HttpStatusCode.Forbidden),
        new("ListReferrals", "GET", "api/referrals", TestHost.PartnerKey, HttpStatusCode.OK),
        new("ListReferrals", "GET", "api/referrals", TestHost.CoordinatorKey, HttpStatusCode.Forbidden),
        new("GetCase", "GET", "api/cases/{liveCaseId}", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("GetCase", "GET", "api/cases/nope", TestHost.CoordinatorKey, HttpStatusCode.NotFound),
        new("GetCaseTimeline", "GET", "api/cases/{liveCaseId}/timeline", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("GetCaseTimeline", "GET", "api/cases/nope/timeline", TestHost.CoordinatorKey, HttpStatusCode.NotFound),
        new("GetPossiblySamePerson", "GET", "api/cases/{liveCaseId}/possibly-same-person", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("GetPossiblySamePerson", "GET", "api/cases/nope/possibly-same-person", TestHost.CoordinatorKey, HttpStatusCode.NotFound),
        new("ListCaseDocuments", "GET", "api/cases/{caseId}/documents", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("ListCaseDocuments", "GET", "api/cases/nope/documents", TestHost.CoordinatorKey, HttpStatusCode.NotFound),
        new("GetCaseDocument", "GET", "api/cases/nope/documents/nope", TestHost.CoordinatorKey, HttpStatusCode.NotFound),
        new("GetCaseDocument", "GET", "api/cases/{liveCaseId}/documents/{documentId}", TestHost.CoordinatorKey, HttpStatusCode.OK),
        new("UploadCaseDocument", "POST", "api/cases/{liveCaseId}/documents", TestHost.CoordinatorKey, HttpStatusCode.Created, Text: "hej"),
        new("UploadCaseDocument", "POST", "api/cases/{liveCaseId}/documents", TestHost.CoordinatorKey, HttpStatusCode.BadRequest, Json: new { }),
        new("SubmitIntake", "POST", "api/intake", TestHost.PartnerKey, HttpStatusCode.Accepted, Json: Intakes.Valid()),
        new("SubmitIntake", "POST", "api/intake", TestHost.PartnerKey, HttpStatusCode.BadRequest, Json: new { municipality = "atlantis" }),
        new("SubmitIntake", "POST", "api/intake", null, HttpStatusCode.Unauthorized, Json: Intakes.Valid()),
        new("SubmitIntake", "POST", "api/intake", TestHost.StatisticsKey, HttpStatusCode.Forbidden, Json: Intakes.Valid()),
        new("SubmitIntakeForm", "POST", "intake", TestHost.PartnerKey, HttpStatusCode.BadRequest, Json: new { municipality = "atlantis" }),
        new("SubmitIntakeForm", "POST", "intake?lang=en", TestHost.PartnerKey, HttpStatusCode.Accepted, Form: true),
        new("PostCaseEvent", "POST", "api/cases/{liveCaseId}/events", TestHost.CoordinatorKey, HttpStatusCode.Accepted, Json: new { type = "contact-attempted", channel = "phone" }),
        new("PostPoliceInformed", "POST", "api/intake/{liveCaseId}/police-informed", TestHost.PartnerKey, HttpStatusCode.Accepted, Json: new { policeReference = "5000-K123456-26" }),
        new("PostPoliceInformed", "POST", "api/intake/{liveCaseId}/police-informed", TestHost.PartnerKey, HttpStatusCode.BadRequest, Json: new { colour = "blue" }),
        new("PostPoliceInformed", "POST", "api/intake/{liveCaseId}/police-informed", TestHost.CoordinatorKey, HttpStatusCode.NotFound, Json: new { }),
        new("PostCaseEvent", "POST", "api/cases/{liveCaseId}/events", TestHost.CoordinatorKey, HttpStatusCode.BadRequest, Json: new { type = "no-such-event" }),
        new("PostCaseEvent", "POST", "api/cases/{liveCaseId}/events", TestHost.CoordinatorKey, HttpStatusCode.BadRequest, Json: new { type = "contact-attempted", channel = "carrier-pigeon", at = "yesterday" }),
        new("PostCaseEvent", "POST", "api/cases/{liveCaseId}/events", TestHost.CoordinatorKey, HttpStatusCode.Conflict, Json: new { type = "long-term-started" }),
        new("PostCaseEvent", "POST", "api/cases/nope/events", TestHost.CoordinatorKey, HttpStatusCode.NotFound, Json: new { type = "contact-attempted", channel = "phone" }),
        new("CreateOutreachSession", "POST", "api/outreach-sessions", TestHost.CoordinatorKey, HttpStatusCode.Created, Json: new { heldOn = "2026-01-15", adsReviewed = 25, contactsAttempted = 8, responses = 3, supportAccepted = 1, participants = new[] { "salvation-army", "city" } }),
        new("CreateOutreachSession", "POST", "api/outreach-sessions", TestHost.CoordinatorKey, HttpStatusCode.BadRequest, Json: new { heldOn = "nope" }),
        new("AnswerReferral", "POST", "api/referrals/nope/accept", TestHost.PartnerKey, HttpStatusCode.NotFound),
        new("AnswerReferral", "POST", "api/referrals/{referralId}/accept", ReferralSetup.ReceiverKey, HttpStatusCode.Accepted),
        new("AnswerReferral", "POST", "api/referrals/{referralId}/decline", ReferralSetup.ReceiverKey, HttpStatusCode.BadRequest, Json: new { reason = "no-such-reason" }),
    ];

    public static TheoryData<Exchange> All() => [.. Exchanges];

    [Theory]
    [MemberData(nameof(All))]
    public async Task The_answer_is_what_the_document_promises(Exchange exchange)
    {
        string path = exchange.Path;
        if (path.Contains("{reminderId}", StringComparison.Ordinal))
        {
            string caseId = await fixture.SeedAsync("bjuv", DateTimeOffset.UtcNow.AddHours(-1));
            DateTimeOffset due = DateTimeOffset.UtcNow.AddDays(2);
            await fixture.Get<ReminderStore>().CreateAsync(caseId, ReminderKind.FollowUp, due, organisation: null, escalated: false);
            path = path.Replace("{reminderId}", Uri.EscapeDataString(ReminderStore.IdOf(caseId, ReminderKind.FollowUp, due)), StringComparison.Ordinal);
        }

        if (path.Contains("{caseId}", StringComparison.Ordinal))
        {
            path = path.Replace("{caseId}", await fixture.SeedAsync("bjuv", DateTimeOffset.UtcNow.AddHours(-1)), StringComparison.Ordinal);
        }

        if (path.Contains("{terminatedCaseId}", StringComparison.Ordinal))
        {
            // A case whose instance an operator terminated: the resume brings it back within this exchange.
            string caseId = await fixture.Host.SubmitIntakeAsync(Intakes.Valid());
            await fixture.Host.WaitForPhaseAsync(caseId, "first-contact");
            var durable = fixture.Host.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
            await durable.TerminateInstanceAsync(caseId);
            await Poll.UntilAsync(async () => (await durable.GetInstanceAsync(caseId))?.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Terminated, TimeSpan.FromSeconds(30), "the case terminated");
            path = path.Replace("{terminatedCaseId}", caseId, StringComparison.Ordinal);
        }

        if (path.Contains("{liveCaseId}", StringComparison.Ordinal))
        {
            string caseId = await fixture.Host.SubmitIntakeAsync(Intakes.Valid());
            path = path.Replace("{liveCaseId}", caseId, StringComparison.Ordinal);
            if (exchange.Status == HttpStatusCode.Conflict)
            {
                // Opened, so the 409 is the phase's refusal (phase, step, allowed) and not "still being opened".
                await fixture.Host.WaitForPhaseAsync(caseId, "first-contact");
            }

            if (exchange.Route is "PostCaseEvent" or "PostPoliceInformed")
            {
                // Started, so the answer is the event's and not the 503 of an orchestration still to start.
                await fixture.Host.WaitForStartedAsync(caseId);
            }

            if (path.Contains("{documentId}", StringComparison.Ordinal))
            {
                using HttpResponseMessage created = await fixture.Host.Client.SendAsync(Request(exchange with { Method = "POST", Text = "hej" }, $"api/cases/{caseId}/documents"));
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                path = path.Replace("{documentId}", System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("documentId").GetString(), StringComparison.Ordinal);
            }
        }

        if (path.Contains("{referralId}", StringComparison.Ordinal))
        {
            path = path.Replace("{referralId}", (await ReferralSetup.ReferAsync(fixture.Host)).ReferralId, StringComparison.Ordinal);
        }

        using HttpResponseMessage response = await fixture.Host.Client.SendAsync(Request(exchange, path));

        Assert.Equal(exchange.Status, response.StatusCode);
        await OpenApiContract.AssertConformsAsync(ApiRoutes.Named(exchange.Route), response);
        if (exchange.Status == HttpStatusCode.Conflict && ApiRoutes.Named(exchange.Route).Contract.Answers.Any(a => a.Status == 409 && a.Types.Contains(typeof(RefusalProblemBody))))
        {
            using var refusal = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(OpenApiContract.Compile(OpenApiTypes.Ref(typeof(RefusalProblemBody))).Evaluate(refusal.RootElement).IsValid, refusal.RootElement.GetRawText());
        }
    }

    HttpRequestMessage Request(Exchange exchange, string path)
    {
        HttpRequestMessage request = fixture.Host.Request(new HttpMethod(exchange.Method), path, exchange.Key, exchange.Json);
        if (exchange.Text is { } text)
        {
            request.Content = new StringContent(text, System.Text.Encoding.UTF8, "text/plain");
            request.Headers.Add("X-File-Name", "note.txt");
        }

        if (exchange.Form)
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["municipality"] = "bjuv",
                ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                ["placeType"] = "online",
                ["suspicion"] = "unclear",
                ["description"] = "An advert that looked like coercion.",
                ["policeNotified"] = "false",
            });
        }

        return request;
    }

    [Fact]
    public async Task The_served_document_is_the_one_the_answers_are_checked_against() =>
        Assert.Equal(OpenApiContract.Document.ToJsonString(), await fixture.Host.Client.GetStringAsync(new Uri("api/openapi.json", UriKind.Relative)));

    [Fact]
    public void Every_route_is_driven_for_a_success()
    {
        var driven = Exchanges.Where(e => (int)e.Status < 300).Select(e => e.Route).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(ApiRoutes.All.Select(r => r.Name).Except(driven));
        Assert.All(Exchanges, e => Assert.Equal(e.Method, ApiRoutes.Named(e.Route).Method));
    }
}
