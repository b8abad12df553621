using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Documents;
using Helsingborg.Exports;
using Helsingborg.Health;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Outreach;
using Helsingborg.Referrals;
using Helsingborg.Reminders;
using Helsingborg.Retention;
using Helsingborg.Statistics;
using static Helsingborg.Http.RouteAnswer;

namespace Helsingborg.Http;

/// <summary>The contract of each route of <see cref="ApiRoutes.All"/> (its own class, so it is made before the table).</summary>
public static class RouteContracts
{
    const string Pdf = "application/pdf";
    const string Jpeg = "image/jpeg";
    const string Png = "image/png";
    const string Text = "text/plain";
    const string Html = "text/html";
    const string Csv = "text/csv";
    const string Form = "application/x-www-form-urlencoded";

    static readonly RouteParameter Lang = new("lang", "`sv` (default) or `en`.");

    static readonly RouteParameter IdempotencyKey = new(IntakeHandler.IdempotencyHeader,
        "Makes a retried intake safe: the same key from the same organisation within 7 days opens one case.", In: "header", MaxLength: IntakeHandler.MaxIdempotencyKey);

    public static readonly RouteContract Health = new("Health", "Checks storage; reveals nothing else.")
    {
        Answers = [Ok<HealthResponse>(), Of<HealthResponse>(503, "Storage does not answer.")],
    };

    public static readonly RouteContract OpenApi = new("This document", "The OpenAPI 3.1 document of every route, generated from the route table.")
    {
        Answers = [Content(200, Json, "This document.")],
    };

    public static readonly RouteContract SubmitIntake = new("Submit an intake", "A partner reports what they saw; opens a case. The reporting organisation is the key's. " +
        "The receipt's `reference` is the case number people say (the city's prefix, the year in Swedish time, a number counting up within the year: `HBG-2026-0042`). " +
        "With Idempotency-Key (at most 100 characters), the same key from the same organisation within 7 days answers the original receipt with Idempotent-Replayed: true and opens no second case.")
    {
        Parameters = [IdempotencyKey],
        Request = [new(Json, typeof(IntakeSubmission)), new(Form, typeof(IntakeFormBody))],
        Answers = [Of<IntakeHandler.IntakeReceipt>(202, "The case is open."), Invalid, TooLarge, WrongType],
    };

    public static readonly RouteContract IntakeForm = new("The partner form", "Server-rendered HTML, Swedish by default; `?lang=en` for English. Submitting needs a partner key.")
    {
        Parameters = [Lang],
        Answers = [Content(200, Html, "The form.")],
    };

    public static readonly RouteContract SubmitIntakeForm = new("Submit the partner form",
        "The form's submit (its script sends the key as X-Api-Key): as POST /api/intake, but the receipt is an HTML page showing the case reference.")
    {
        Parameters = [Lang, IdempotencyKey],
        Request = [new(Form, typeof(IntakeFormBody)), new(Json, typeof(IntakeSubmission))],
        Answers = [Content(202, Html, "The HTML receipt with the case reference."), Invalid, TooLarge, WrongType],
    };

    public static readonly RouteContract Dashboard = new("The coordinator dashboard", "Served at `/`: server-rendered HTML; acting needs a coordinator key or Entra sign-in.")
    {
        Answers = [Content(200, Html, "The dashboard.")],
    };

    public static readonly RouteContract DashboardAsset = new("A page asset", "The dashboard's and the referral inbox's own scripts and stylesheets; nothing is loaded from outside the app.")
    {
        Answers = [Content(200, "text/javascript", "A script."), Content(200, "text/css", "A stylesheet."), Problem(404, "No such asset.")],
    };

    public static readonly RouteContract StatisticsPage = new("The statistics page",
        "Charts of the IOP figures per month, outreach figures, the referrals by receiving organisation and support kind, and CSV downloads; data needs a coordinator or statistics key.")
    {
        Answers = [Content(200, Html, "The page.")],
    };

    public static readonly RouteContract AccessibilityStatement = new("The accessibility statement",
        "The tillgänglighetsredogörelse (DOS-lagen, WCAG 2.1 AA): how accessible the pages are, how to report a problem, where to complain. Every page links to it.")
    {
        Parameters = [Lang],
        Answers = [Content(200, Html, "The statement.")],
    };

    public static readonly RouteContract ListCases = new("List cases", "No personal data in the items. Page with `next` as `cursor`. " +
        "`reference` finds one case by its case number, exactly (letters in either case); a reference of another year, another city or a case the caller may not see finds nothing.")
    {
        Parameters =
        [
            new("reference", "A case reference such as `HBG-2026-0042`; alone (with `lang` at most)."),
            new("phase", "Filter by phase."), new("municipality", "Filter by municipality."), new("lead", "Filter by lead organisation."),
            new("minor", "`true` or `false`.", "boolean"), new("overdue", "`true`: only cases with an overdue deadline.", "boolean"),
            new("assignee", "`me`: the cases the caller holds; `none`: the caller's organisation's unassigned cases (led by it or by no one yet, held by no one)."),
            new("limit", "1–200, default 50.", "integer"), new("cursor", "The previous page's `next`."),
        ],
        Answers = [Ok<CaseListPage>(), Invalid],
    };

    public static readonly RouteContract GetNavigation = new("The navigation the caller's roles allow",
        "The links of every page's header that the caller may use, in order, with `lang=en` in English: the pages whose key is kept in the browser draw their navigation from it.")
    {
        Answers = [Ok<Web.NavigationLinks>()],
    };

    public static readonly RouteContract ListWorkers = new("List the coordinators of the caller's organisation",
        "Who a case can be handed over to (`worker-assigned` with `worker`): ids and names; `me` is the caller's id. Names are shown, never written into a case's history.")
    {
        Answers = [Ok<Access.WorkerList>()],
    };

    public static readonly RouteContract GetCase = new("Read a case", "Includes personal data; every call is written to the access log.")
    {
        Answers = [Ok<CaseResponse>(), NoSuchCase],
    };

    public static readonly RouteContract GetCaseTimeline = new("Read a case's timeline", "Events in order, with notes; refused events are marked. Written to the access log.")
    {
        Answers = [Ok<TimelineResponse>(), NoSuchCase],
    };

    public static readonly RouteContract GetPossiblySamePerson = new("Possibly the same person",
        "Other cases whose person has the same alias or the same contact (compared by keyed hashes, never by the values), that the caller may see and that are not erased: " +
        "their number, opening time, reporter, phase and which detail matched. Suggestions only; nothing is linked by them. Written to the access log.")
    {
        Answers = [Ok<PersonHints.PossiblySamePersonResponse>(), NoSuchCase],
    };

    static readonly RouteParameter EventIdempotencyKey = new(IntakeHandler.IdempotencyHeader,
        "Makes a retried event or answer safe: the same key from the same organisation on the same case within 7 days answers the original 202 " +
        "with Idempotent-Replayed: true and stores nothing again; the same key with another request is refused (422).", In: "header", MaxLength: IntakeHandler.MaxIdempotencyKey);

    static readonly RouteAnswer KeyReused = Problem(422, "The Idempotency-Key was already used for another request.");

    public static readonly RouteContract PostCaseEvent = new("Record an event",
        "Body `{ type, at?, note?, …payload }`, one object per event type (lifecycle.md), generated from the event records the endpoint reads. " +
        "The event is stored in the case's inbox, in the case's order, before the 202, and is applied exactly once. " +
        "503 with Retry-After while the case's workflow has not started, and 503 when it has failed or was terminated (an administrator resumes it).")
    {
        Parameters = [EventIdempotencyKey],
        Request = [new(Json, Schema: profile => CaseEventSchema.Build(profile, english: true))],
        Answers = [Of<EventAccepted>(202, "Accepted."), Invalid, NoSuchCase, Refused("Not allowed in the case's phase now (the problem has `phase`, `step` and `allowed`), or the case is still being opened."), KeyReused, TooLarge, WrongType],
    };

    public static readonly RouteContract PostPoliceInformed = new("Tell the case the police were informed",
        "The reporting organisation's key only, with the case id of its receipt: records `police-informed`, which ends the case's `call-police` reminder. " +
        "`policeReference` (optional, at most 50 characters) is sealed like a note. Another organisation's key gets 404, as for a case that does not exist.")
    {
        Parameters = [EventIdempotencyKey],
        Request = [new(Json, typeof(PoliceInformedBody))],
        Answers = [Of<EventAccepted>(202, "Accepted."), Invalid, Problem(404, "No such case reported by the caller's organisation."), Refused("Not allowed now (the case has completed), or the case is still being opened."), KeyReused, TooLarge, WrongType],
    };

    public static readonly RouteContract UploadCaseDocument = new("Attach a document",
        "Raw body with Content-Type and X-File-Name, or multipart; pdf, jpeg, png, plain text; at most 10 MiB; encrypted with the case's key.")
    {
        Request = [new(Pdf), new(Jpeg), new(Png), new(Text), new("multipart/form-data")],
        Answers = [Of<DocumentCreated>(201, "Stored."), Invalid, NoSuchCase, Problem(409, "The case's personal data was erased; it takes no documents."), Problem(413, "Over 10 MiB."), WrongType],
    };

    public static readonly RouteContract ListCaseDocuments = new("List a case's documents", "Names, types and sizes. Written to the access log.")
    {
        Answers = [Ok<DocumentList>(), NoSuchCase],
    };

    public static readonly RouteContract GetCaseDocument = new("Read a document", "The content with its type. Written to the access log.")
    {
        Answers = [Content(200, Pdf, "A pdf."), Content(200, Jpeg, "A jpeg."), Content(200, Png, "A png."), Content(200, Text, "Plain text."), NoSuchCase],
    };

    public static readonly RouteContract ListReminders = new("List reminders", "Page with `next` as `cursor`.")
    {
        Parameters =
        [
            new("status", "`open`, `overdue`, `acknowledged` or `all`."), new("organisation", "Filter by organisation."), new("kind", "Filter by reminder kind."),
            new("caseId", "One case's reminders."),
            new("assignee", "`me`: the reminders of the cases the caller holds; `none`: those of the caller's organisation's unassigned cases. Reminders of no case (outreach) are left out."),
            new("limit", "1–200, default 50. A page may hold fewer (reminders of cases the caller may not see are left out); only `next: null` ends the listing.", "integer"),
            new("cursor", "The previous page's `next` (opaque)."),
        ],
        Answers = [Ok<ReminderPage>(), Invalid],
    };

    public static readonly RouteContract AcknowledgeReminder = new("Acknowledge a reminder", "Idempotent.")
    {
        Answers = [Ok<ReminderResponse>(), Problem(404, "No such reminder.")],
    };

    public static readonly RouteContract ListReferrals = new("List the caller's referrals",
        "Partner keys: the referrals to the caller's organisation, newest first, each with what the person agreed to share with it (`shared`, while the referral is open); " +
        "a referral whose consent was withdrawn is not listed. Each read of shared fields is written to the access log.")
    {
        Answers = [Ok<ReferralList>()],
    };

    public static readonly RouteContract ReferralInbox = new("The referral inbox",
        "The receiving partner's page: server-rendered HTML, Swedish by default; `?lang=en` for English. Its script asks for the partner key and uses " +
        "GET /api/referrals and POST /api/referrals/{referralId}/{answer}; the page itself holds nothing of a referral.")
    {
        Parameters = [Lang],
        Answers = [Content(200, Html, "The page.")],
    };

    public static readonly RouteContract AnswerReferral = new("Answer a referral",
        "Partner keys, the receiving organisation only: `accept`, `decline` (body `{ \"reason\": … }`) or `complete` (records support given of the referral's kind on the case).")
    {
        Parameters = [EventIdempotencyKey],
        Request = [new(Json, typeof(ReferralDecline))],
        Answers = [Of<EventAccepted>(202, "Accepted."), Invalid, Problem(404, "No such referral to the caller's organisation."), Refused("Not allowed in the referral's state now."), KeyReused],
    };

    public static readonly RouteContract CreateOutreachSession = new("Record an outreach session", "Counts of one outreach session; no personal data.")
    {
        Parameters = [new(IntakeHandler.IdempotencyHeader, "Makes a retried recording safe: the same key from the same organisation records one session and answers its id.", In: "header", MaxLength: IntakeHandler.MaxIdempotencyKey)],
        Request = [new(Json, typeof(OutreachSessionInput))],
        Answers = [Of<OutreachSessionCreated>(201, "Recorded (or, for a repeated Idempotency-Key, recorded before)."), Invalid, TooLarge, WrongType],
    };

    public static readonly RouteContract ListOutreachSessions = new("List outreach sessions", "Sessions held between `from` and `to`.")
    {
        Parameters = [new("from", "First date (yyyy-MM-dd)."), new("to", "Last date (yyyy-MM-dd).")],
        Answers = [Ok<OutreachSessionList>(), Invalid],
    };

    public static readonly RouteContract ListRecentOutreachSessions = new("Outreach sessions a report may name",
        "The sessions held in the last 14 days (Swedish dates), newest first, by id, date and type only: the partner form's choice of `outreachSessionId`.")
    {
        Answers = [Ok<OutreachSessionChoices>()],
    };

    public static readonly RouteContract OutreachPage = new("The outreach page",
        "Records an outreach session (date, type, participating organisations, counts) and lists the past ones; data needs a coordinator key.")
    {
        Answers = [Content(200, Html, "The page.")],
    };

    public static readonly RouteContract GetStatistics = new("Statistics", "Anonymous counts; for the statistics role and in CSV, counts 1–4 show as `<5`. " +
        "`view=figures` (default): the IOP figures per `groupBy` group (`FigureStatistics`). " +
        "`view=referrals`: the referrals sent in the period (UTC days, each counted in the period it was sent, with its current status) per receiving organisation and support kind (`items`), " +
        "per organisation (`organisations`, kind null) and in total, from the anonymous Referrals rows, which erasure leaves alone (`ReferralStatistics`): " +
        "`sent`, `accepted` (every referral the organisation accepted, whatever came after), `declined`, `completed`, `expired`, `cancelled`, `awaitingAnswer` (still sent), " +
        "`medianAnswerHours` (sending to accepting or declining, over the answered referrals), `declinedShare` and `expiredShare` (of those sent, 0–1). " +
        "A median or share is null when there is nothing to compute it from, or when a count it comes from is suppressed. " +
        "In CSV the median and the shares (per cent) have one decimal with a decimal comma; rows are organisation and kind, each organisation's row of all kinds, and the total. " +
        "Labels (`label`, `kindLabel`, CSV) follow `lang`; organisations are named by the city profile.")
    {
        Parameters =
        [
            new("from", "First date (yyyy-MM-dd); default 1 January this year."), new("to", "Last date (yyyy-MM-dd), included; default today."),
            new("view", "`figures` (default) or `referrals`."),
            new("groupBy", "`month` (default), `quarter`, `partner` or `municipality`; view=figures only (with view=referrals it is refused)."),
            new("format", "`json` (default) or `csv`."), new("lang", "`sv` (default) or `en`: labels and CSV headers."),
        ],
        Answers =
        [
            new(200, "`FigureStatistics` for view=figures, `ReferralStatistics` for view=referrals.", Json, [typeof(FigureStatistics), typeof(ReferralStatistics)]),
            Content(200, Csv, "CSV when format=csv."), Invalid,
        ],
    };

    public static readonly RouteContract ExportCases = new("National export", "The anonymised export for the national follow-up: one record per case registered in the period, coded to the " +
        "Human Trafficking Case Data Standard (HTCDS 2.0), without case ids or dates finer than the month (docs/national-export.md). Every combination of " +
        "quasi-identifiers occurs at least `Exports:MinGroupSize` times (default 5): records of smaller groups are generalised along a fixed ladder or " +
        "suppressed, and the answer counts both. The period is whole months. For the statistics and admin roles.")
    {
        Parameters =
        [
            new("from", "First day of a month (yyyy-MM-dd); default 1 January this year."), new("to", "Last day of a month (yyyy-MM-dd); default the end of this month."),
            new("format", "`json` (default) or `csv`."),
        ],
        Answers =
        [
            Ok<NationalExport>(),
            Content(200, Csv, "CSV when format=csv (UTF-8 with BOM, semicolons, CRLF); the counts come as the headers Export-Cases, " +
                "Export-Exported, Export-Generalised, Export-Suppressed, Export-Min-Group-Size and Export-Cases-Without-Facts."),
            Invalid,
        ],
    };

    public static readonly RouteContract ListAccessLog = new("Read the access log", "Newest first (data-protection.md rule 6).")
    {
        Parameters = [new("caseId", "One case's entries."), new("from", "From this time."), new("to", "Until this time."), new("cursor", "The previous page's `next`.")],
        Answers = [Ok<AccessLogPage>(), Invalid],
    };

    public static readonly RouteContract RunRetention = new("Run the retention sweep now",
        "For operators and tests. Synchronous: answers when the sweep is done, within the request's deadline (else 503; the sweep is idempotent, so calling again continues).")
    {
        Answers = [Ok<RetentionResult>("What the sweep did.")],
    };

    public static readonly RouteContract RewrapDataKeys = new("Re-wrap data keys with the current master key version",
        "For operators after rotating the master key (README, *Rotating the master key*): one run re-wraps for a few seconds, or `limit` keys, and answers where it stands; " +
        "call again until `complete` is true. Erased cases stay erased. Nothing of a case.")
    {
        Parameters = [new("limit", $"At most this many keys in this run (1–{DataKeyRewrapHandler.MaxLimit}).", "integer")],
        Answers = [Ok<DataKeyRewrapProgress>(), Invalid],
    };

    public static readonly RouteContract GetReadiness = new("Readiness",
        "For operators: storage (tables, queues, blobs), the durable engine (dispatching or not, the age of the oldest waiting message) " +
        "and each scheduled job's last successful run against its schedule. `problems` names what needs action (infra/README.md, runbook). Nothing of a case.")
    {
        Answers = [Ok<ReadinessReport>("Ready."), Of<ReadinessReport>(503, "Not ready: something in `problems` needs an operator.")],
    };

    public static readonly RouteContract ListStalledCases = new("Cases that do not move",
        "For operators: cases whose step keeps failing (`stalled`, retried by themselves), and cases whose workflow failed or was terminated " +
        "(resume them). Oldest first; the reason is an exception's type. Nothing personal.")
    {
        Answers = [Ok<StoppedCaseList>()],
    };

    public static readonly RouteContract ResumeCase = new("Resume a failed or terminated case",
        "Restarts the case's workflow from its last committed state with the accepted events it had not applied; its clocks are scheduled again.")
    {
        Answers = [Of<CaseResumed>(202, "The case runs again."), Problem(404, "No such case."), Problem(409, "The case's workflow is not failed or terminated.")],
    };
}
