using Helsingborg.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Http;

/// <summary>What a handler gets: the request, the authenticated caller, the durable client and route values.</summary>
public sealed record ApiCall(HttpRequest Request, Caller? Caller, DurableTaskClient Durable, IReadOnlyDictionary<string, string> RouteValues)
{
    /// <summary>
    /// Cancelled when the client goes away or the request's deadline passes (<see cref="ApiDispatcher.Deadline"/>,
    /// which the dispatcher answers with 503): every storage and durable call takes it.
    /// </summary>
    public CancellationToken Aborted => Deadline?.Token ?? Request.HttpContext.RequestAborted;

    /// <summary>The request's deadline, set by the dispatcher.</summary>
    internal CancellationTokenSource? Deadline { get; init; }

    /// <summary>
    /// Reads a large body on the client's time (a 10 MiB document over a slow line): the deadline is held while it
    /// arrives and starts afresh after it, so it bounds only the waiting for storage.
    /// </summary>
    public async Task<T> OnClientTimeAsync<T>(Func<CancellationToken, Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Deadline?.CancelAfter(Timeout.InfiniteTimeSpan);
        try
        {
            return await read(Request.HttpContext.RequestAborted);
        }
        finally
        {
            Deadline?.CancelAfter(ApiDispatcher.Deadline);
        }
    }

    public string Route(string name) => RouteValues.TryGetValue(name, out string? value) ? value : string.Empty;

    /// <summary>The caller, for handlers whose route requires a role (the dispatcher checked it).</summary>
    public Caller Authenticated => Caller ?? throw new InvalidOperationException("The route requires a caller.");
}

/// <summary>
/// One HTTP route of the app. The table below is the single source of both hosts: the local host maps
/// it directly; each Functions HTTP trigger calls <see cref="ApiDispatcher"/> with its route's name, and a
/// test checks that the Functions assembly declares exactly these routes. Every answer is sent with
/// <c>Cache-Control: no-store</c> (personal data and notes must not stay in a browser or proxy cache) unless the
/// route is <paramref name="Cacheable"/>: static assets and documents with nothing of a case in them. An
/// <paramref name="IntakeLimited"/> route counts against its caller's intake allowance (<see cref="RateLimits"/>). Its
/// <paramref name="Contract"/> (<see cref="RouteContracts"/>) is what the OpenAPI document says it takes and answers.
/// </summary>
public sealed record ApiRoute(string Name, string Method, string Template, IReadOnlyList<Role> Roles, Func<IServiceProvider, ApiCall, Task<IResult>> Handler, RouteContract Contract, bool Cacheable = false, bool IntakeLimited = false)
{
    public bool Anonymous => Roles.Count == 0;
}

public static partial class ApiRoutes
{
    static readonly Role[] Anyone = [];
    static readonly Role[] Coordinators = [Role.Coordinator];

    public static readonly IReadOnlyList<ApiRoute> All =
    [
        new("Health", "GET", "api/health", Anyone, (sp, call) => Get<Health.HealthHandler>(sp).CheckAsync(call), RouteContracts.Health),
        new("SubmitIntake", "POST", "api/intake", [Role.Partner, Role.Coordinator], (sp, call) => Get<Intake.IntakeHandler>(sp).SubmitAsync(call), RouteContracts.SubmitIntake, IntakeLimited: true),
        new("PostPoliceInformed", "POST", "api/intake/{caseId}/police-informed", [Role.Partner, Role.Coordinator], (sp, call) => Get<Intake.PoliceInformedHandler>(sp).PostAsync(call), RouteContracts.PostPoliceInformed),
        new("GetCase", "GET", "api/cases/{caseId}", Coordinators, (sp, call) => Get<Cases.CaseReadHandler>(sp).GetAsync(call), RouteContracts.GetCase),
        new("GetCaseTimeline", "GET", "api/cases/{caseId}/timeline", Coordinators, (sp, call) => Get<Cases.CaseReadHandler>(sp).TimelineAsync(call), RouteContracts.GetCaseTimeline),
        new("GetPossiblySamePerson", "GET", "api/cases/{caseId}/possibly-same-person", Coordinators, (sp, call) => Get<PersonHints.PossiblySamePersonHandler>(sp).GetAsync(call), RouteContracts.GetPossiblySamePerson),
        new("PostCaseEvent", "POST", "api/cases/{caseId}/events", Coordinators, (sp, call) => Get<Lifecycle.CaseEventsHandler>(sp).PostAsync(call), RouteContracts.PostCaseEvent),
        new("ListReminders", "GET", "api/reminders", Coordinators, (sp, call) => Get<Reminders.RemindersHandler>(sp).ListAsync(call), RouteContracts.ListReminders),
        new("AcknowledgeReminder", "POST", "api/reminders/{reminderId}/acknowledge", Coordinators, (sp, call) => Get<Reminders.RemindersHandler>(sp).AcknowledgeAsync(call), RouteContracts.AcknowledgeReminder),
        new("IntakeForm", "GET", "intake", Anyone, (sp, call) => Get<Intake.IntakePage>(sp).FormAsync(call), RouteContracts.IntakeForm),
        new("SubmitIntakeForm", "POST", "intake", [Role.Partner, Role.Coordinator], (sp, call) => Get<Intake.IntakePage>(sp).SubmitAsync(call), RouteContracts.SubmitIntakeForm, IntakeLimited: true),
        new("OpenApiDocument", "GET", "api/openapi.json", Anyone, (sp, _) => OpenApiDocument.GetAsync(Get<Partners.CityProfile>(sp)), RouteContracts.OpenApi, Cacheable: true),
        new("CreateOutreachSession", "POST", "api/outreach-sessions", Coordinators, (sp, call) => Get<Outreach.OutreachHandler>(sp).CreateAsync(call), RouteContracts.CreateOutreachSession),
        new("ListOutreachSessions", "GET", "api/outreach-sessions", Coordinators, (sp, call) => Get<Outreach.OutreachHandler>(sp).ListAsync(call), RouteContracts.ListOutreachSessions),
        new("ListRecentOutreachSessions", "GET", "api/outreach-sessions/recent", [Role.Partner, Role.Coordinator], (sp, call) => Get<Outreach.OutreachHandler>(sp).RecentAsync(call), RouteContracts.ListRecentOutreachSessions),
        new("OutreachPage", "GET", "outreach", Anyone, (sp, call) => Get<Outreach.OutreachPage>(sp).GetAsync(call), RouteContracts.OutreachPage),
        new("GetStatistics", "GET", "api/statistics", [Role.Coordinator, Role.Statistics], (sp, call) => Get<Statistics.StatisticsHandler>(sp).GetAsync(call), RouteContracts.GetStatistics),
        new("ExportCases", "GET", "api/exports/cases", [Role.Statistics, Role.Admin], (sp, call) => Get<Exports.NationalExportHandler>(sp).GetAsync(call), RouteContracts.ExportCases),
        new("StatisticsPage", "GET", "statistics", Anyone, (sp, call) => Statistics.StatisticsPage.GetAsync(call), RouteContracts.StatisticsPage),
        new("AccessibilityStatement", "GET", "accessibility", Anyone, (sp, call) => Get<Web.AccessibilityStatementPage>(sp).GetAsync(call), RouteContracts.AccessibilityStatement),
        new("RunRetention", "POST", "api/admin/retention/run", [Role.Admin], (sp, call) => Get<Retention.RetentionHandler>(sp).RunAsync(call), RouteContracts.RunRetention),
        new("RewrapDataKeys", "POST", "api/admin/data-keys/rewrap", [Role.Admin], (sp, call) => Get<DataProtection.DataKeyRewrapHandler>(sp).RunAsync(call), RouteContracts.RewrapDataKeys),
        new("ListStalledCases", "GET", "api/admin/cases/stalled", [Role.Admin], (sp, call) => Get<Lifecycle.CaseAdminHandler>(sp).ListStalledAsync(call), RouteContracts.ListStalledCases),
        new("ResumeCase", "POST", "api/admin/cases/{caseId}/resume", [Role.Admin], (sp, call) => Get<Lifecycle.CaseAdminHandler>(sp).ResumeAsync(call), RouteContracts.ResumeCase),
        new("GetReadiness", "GET", "api/admin/readiness", [Role.Admin], (sp, call) => Get<Health.ReadinessHandler>(sp).GetAsync(call), RouteContracts.GetReadiness),
        new("GetNavigation", "GET", "api/navigation", [Role.Partner, Role.Coordinator, Role.Statistics, Role.Admin], (_, call) => Web.SiteNavigation.GetAsync(call), RouteContracts.GetNavigation),
        new("ListWorkers", "GET", "api/workers", Coordinators, (sp, call) => Get<WorkersHandler>(sp).ListAsync(call), RouteContracts.ListWorkers),
        new("ListCases", "GET", "api/cases", Coordinators, (sp, call) => Get<Cases.CaseListHandler>(sp).ListAsync(call), RouteContracts.ListCases),
        new("UploadCaseDocument", "POST", "api/cases/{caseId}/documents", Coordinators, (sp, call) => Get<Documents.DocumentsHandler>(sp).UploadAsync(call), RouteContracts.UploadCaseDocument),
        new("ListCaseDocuments", "GET", "api/cases/{caseId}/documents", Coordinators, (sp, call) => Get<Documents.DocumentsHandler>(sp).ListAsync(call), RouteContracts.ListCaseDocuments),
        new("GetCaseDocument", "GET", "api/cases/{caseId}/documents/{documentId}", Coordinators, (sp, call) => Get<Documents.DocumentsHandler>(sp).DownloadAsync(call), RouteContracts.GetCaseDocument),
        new("ListReferrals", "GET", "api/referrals", [Role.Partner], (sp, call) => Get<Referrals.ReferralsHandler>(sp).ListAsync(call), RouteContracts.ListReferrals),
        new("ReferralInbox", "GET", "referrals", Anyone, (sp, call) => Get<Referrals.ReferralsPage>(sp).ShellAsync(call), RouteContracts.ReferralInbox),
        new("AnswerReferral", "POST", "api/referrals/{referralId}/{answer}", [Role.Partner], (sp, call) => Get<Referrals.ReferralsHandler>(sp).AnswerAsync(call), RouteContracts.AnswerReferral),
        new("ListAccessLog", "GET", "api/access-log", [Role.Admin], (sp, call) => Get<DataProtection.AccessLogHandler>(sp).ListAsync(call), RouteContracts.ListAccessLog),
        new("Dashboard", "GET", "{ignored:maxlength(0)?}", Anyone, (sp, call) => Get<Web.DashboardPage>(sp).ShellAsync(call), RouteContracts.Dashboard),
        new("DashboardAsset", "GET", "dashboard/{asset}", Anyone, (sp, call) => Get<Web.DashboardPage>(sp).AssetAsync(call), RouteContracts.DashboardAsset, Cacheable: true),
    ];

    public static ApiRoute Named(string name) =>
        All.FirstOrDefault(r => r.Name == name) ?? throw new ArgumentException($"No route named {name}.", nameof(name));

    static T Get<T>(IServiceProvider services) where T : notnull =>
        (T)(services.GetService(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not registered."));
}
