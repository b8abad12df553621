using Helsingborg.Http;
using Helsingborg.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Functions;

/// <summary>
/// The HTTP triggers: one per route of <see cref="ApiRoutes"/>, each a one-line adapter to the
/// <see cref="ApiDispatcher"/> that the local host uses too. Function name = route name.
/// </summary>
public sealed class HttpFunctions(ApiDispatcher dispatcher)
{
    [Function(nameof(Health))]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(Health), request, durable);

    [Function(nameof(SubmitIntake))]
    public Task<IActionResult> SubmitIntake(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(SubmitIntake), request, durable);

    [Function(nameof(PostPoliceInformed))]
    public Task<IActionResult> PostPoliceInformed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake/{caseId}/police-informed")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(PostPoliceInformed), request, durable, ("caseId", caseId));

    [Function(nameof(GetCase))]
    public Task<IActionResult> GetCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(GetCase), request, durable, ("caseId", caseId));

    [Function(nameof(GetCaseTimeline))]
    public Task<IActionResult> GetCaseTimeline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/timeline")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(GetCaseTimeline), request, durable, ("caseId", caseId));

    [Function(nameof(GetPossiblySamePerson))]
    public Task<IActionResult> GetPossiblySamePerson(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/possibly-same-person")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(GetPossiblySamePerson), request, durable, ("caseId", caseId));

    [Function(nameof(PostCaseEvent))]
    public Task<IActionResult> PostCaseEvent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/events")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(PostCaseEvent), request, durable, ("caseId", caseId));

    [Function(nameof(ListReminders))]
    public Task<IActionResult> ListReminders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reminders")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListReminders), request, durable);

    [Function(nameof(AcknowledgeReminder))]
    public Task<IActionResult> AcknowledgeReminder(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reminders/{reminderId}/acknowledge")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string reminderId) => Run(nameof(AcknowledgeReminder), request, durable, ("reminderId", reminderId));

    [Function(nameof(IntakeForm))]
    public Task<IActionResult> IntakeForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "intake")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(IntakeForm), request, durable);

    [Function(nameof(SubmitIntakeForm))]
    public Task<IActionResult> SubmitIntakeForm(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "intake")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(SubmitIntakeForm), request, durable);

    [Function(nameof(OpenApiDocument))]
    public Task<IActionResult> OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(OpenApiDocument), request, durable);
    [Function(nameof(CreateOutreachSession))]
    public Task<IActionResult> CreateOutreachSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/outreach-sessions")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(CreateOutreachSession), request, durable);

    [Function(nameof(ListOutreachSessions))]
    public Task<IActionResult> ListOutreachSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/outreach-sessions")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListOutreachSessions), request, durable);

    [Function(nameof(ListRecentOutreachSessions))]
    public Task<IActionResult> ListRecentOutreachSessions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/outreach-sessions/recent")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListRecentOutreachSessions), request, durable);

    [Function(nameof(OutreachPage))]
    public Task<IActionResult> OutreachPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "outreach")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(OutreachPage), request, durable);

    [Function(nameof(GetStatistics))]
    public Task<IActionResult> GetStatistics(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/statistics")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(GetStatistics), request, durable);

    [Function(nameof(ExportCases))]
    public Task<IActionResult> ExportCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/exports/cases")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ExportCases), request, durable);

    [Function(nameof(StatisticsPage))]
    public Task<IActionResult> StatisticsPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "statistics")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(StatisticsPage), request, durable);

    [Function(nameof(AccessibilityStatement))]
    public Task<IActionResult> AccessibilityStatement(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "accessibility")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(AccessibilityStatement), request, durable);

    [Function(nameof(RunRetention))]
    public Task<IActionResult> RunRetention(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/retention/run")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(RunRetention), request, durable);

    [Function(nameof(RewrapDataKeys))]
    public Task<IActionResult> RewrapDataKeys(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/data-keys/rewrap")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(RewrapDataKeys), request, durable);

    [Function(nameof(ListStalledCases))]
    public Task<IActionResult> ListStalledCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/cases/stalled")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListStalledCases), request, durable);

    [Function(nameof(ResumeCase))]
    public Task<IActionResult> ResumeCase(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/admin/cases/{caseId}/resume")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ResumeCase), request, durable);

    [Function(nameof(GetReadiness))]
    public Task<IActionResult> GetReadiness(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/admin/readiness")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(GetReadiness), request, durable);

    [Function(nameof(GetNavigation))]
    public Task<IActionResult> GetNavigation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/navigation")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(GetNavigation), request, durable);

    [Function(nameof(ListWorkers))]
    public Task<IActionResult> ListWorkers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/workers")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListWorkers), request, durable);

    [Function(nameof(ListCases))]
    public Task<IActionResult> ListCases(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListCases), request, durable);

    [Function(nameof(UploadCaseDocument))]
    public Task<IActionResult> UploadCaseDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/cases/{caseId}/documents")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(UploadCaseDocument), request, durable, ("caseId", caseId));

    [Function(nameof(ListCaseDocuments))]
    public Task<IActionResult> ListCaseDocuments(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/documents")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId) => Run(nameof(ListCaseDocuments), request, durable, ("caseId", caseId));

    [Function(nameof(GetCaseDocument))]
    public Task<IActionResult> GetCaseDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/cases/{caseId}/documents/{documentId}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string caseId, string documentId) => Run(nameof(GetCaseDocument), request, durable, ("caseId", caseId), ("documentId", documentId));

    [Function(nameof(ListReferrals))]
    public Task<IActionResult> ListReferrals(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/referrals")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListReferrals), request, durable);

    [Function(nameof(ReferralInbox))]
    public Task<IActionResult> ReferralInbox(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "referrals")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ReferralInbox), request, durable);

    [Function(nameof(AnswerReferral))]
    public Task<IActionResult> AnswerReferral(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/referrals/{referralId}/{answer}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string referralId, string answer) => Run(nameof(AnswerReferral), request, durable, ("referralId", referralId), ("answer", answer));

    [Function(nameof(ListAccessLog))]
    public Task<IActionResult> ListAccessLog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/access-log")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(ListAccessLog), request, durable);

    [Function(nameof(Dashboard))]
    public Task<IActionResult> Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{ignored:maxlength(0)?}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable) => Run(nameof(Dashboard), request, durable);

    [Function(nameof(DashboardAsset))]
    public Task<IActionResult> DashboardAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{asset}")] HttpRequest request,
        [DurableClient] DurableTaskClient durable, string asset) => Run(nameof(DashboardAsset), request, durable, ("asset", asset));

    async Task<IActionResult> Run(string route, HttpRequest request, DurableTaskClient durable, params (string Name, string Value)[] values)
    {
        Dictionary<string, string> routeValues = values.ToDictionary(v => v.Name, v => v.Value);
        return new ResultAction(await RouteTelemetry.TraceAsync(route, routeValues, () => dispatcher.InvokeAsync(route, request.HttpContext, durable, routeValues)));
    }

    /// <summary>Lets the Functions host execute the shared handlers' <see cref="IResult"/>.</summary>
    sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
