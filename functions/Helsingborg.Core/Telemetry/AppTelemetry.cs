using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Helsingborg.Telemetry;

/// <summary>
/// The app's own spans and metrics, one definition for both hosts. Every dimension is an id or a word of the
/// app's vocabulary — route template, case id (opaque), partner or organisation id, municipality code, event type,
/// reminder kind, job name — never a value a person typed, a note, a key or a document name
/// (data-protection.md rule 4); the canary test scans what is exported.
/// </summary>
public static class AppTelemetry
{
    /// <summary>The name of the app's <see cref="ActivitySource"/> and <see cref="Meter"/>.</summary>
    public const string Name = "Helsingborg";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);

    /// <summary>Attribute names, in OpenTelemetry's dotted style; the HTTP ones are the semantic conventions'.</summary>
    public static class Tags
    {
        public const string Route = "helsingborg.route";
        public const string CaseId = "helsingborg.case_id";
        public const string Partner = "helsingborg.partner";
        public const string Organisation = "helsingborg.organisation";
        public const string Municipality = "helsingborg.municipality";
        public const string EventType = "helsingborg.event_type";
        public const string Refused = "helsingborg.refused";
        public const string RefusedBy = "helsingborg.refused_by";
        public const string ReminderKind = "helsingborg.reminder_kind";
        public const string Escalated = "helsingborg.escalated";
        public const string Job = "helsingborg.job";
        public const string TaskHub = "helsingborg.task_hub";
        public const string Outcome = "helsingborg.outcome";
        public const string HttpMethod = "http.request.method";
        public const string HttpRoute = "http.route";
        public const string HttpStatus = "http.response.status_code";
    }

    static readonly Counter<long> CasesOpenedCounter = Meter.CreateCounter<long>(
        "helsingborg.cases.opened", "{case}", "Cases opened by intake (a replayed Idempotency-Key opens none), by partner and municipality.");

    static readonly Counter<long> EventsCounter = Meter.CreateCounter<long>(
        "helsingborg.case_events", "{event}", "Case events: recorded in a case's timeline (applied or refused by the case), or refused by the events endpoint (409); by type.");

    static readonly Counter<long> RemindersCreatedCounter = Meter.CreateCounter<long>(
        "helsingborg.reminders.created", "{reminder}", "Reminders created, by kind and escalation.");

    static readonly Gauge<long> RemindersOverdueGauge = Meter.CreateGauge<long>(
        "helsingborg.reminders.overdue", "{reminder}", "Open reminders past their due time, per coordinating organisation, as the daily digest last counted them.");

    static readonly Histogram<double> IntakeDurationHistogram = Meter.CreateHistogram<double>(
        "helsingborg.intake.duration", "s", "Time from an intake request's arrival to its answer (API and partner form), by route and status code.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    static readonly Counter<long> JobRunsCounter = Meter.CreateCounter<long>(
        "helsingborg.jobs.runs", "{run}", "Runs of the scheduled jobs (daily digest, outreach reminder, retention sweep), by job and outcome.");

    static readonly Gauge<double> OldestWaitingGauge = Meter.CreateGauge<double>(
        "helsingborg.engine.oldest_waiting_age", "s", "How long the oldest visible message of the task hub's queues has waited (0 when none waits): grows when the durable engine does not dispatch.");

    static readonly Gauge<long> WaitingMessagesGauge = Meter.CreateGauge<long>(
        "helsingborg.engine.waiting_messages", "{message}", "Visible messages at the front of the task hub's queues (at most 32 per queue are looked at).");

    static readonly Gauge<long> CasesStoppedGauge = Meter.CreateGauge<long>(
        "helsingborg.cases.stopped", "{case}", "Cases that do not move on by themselves (a step keeps failing, or the workflow failed or was terminated), as readiness and its monitor last counted them.");

    static readonly Gauge<long> JobLateGauge = Meter.CreateGauge<long>(
        "helsingborg.jobs.late", "{job}", "1 when a scheduled job's last occurrence passed its grace without a success, else 0; by job.");

    static readonly Gauge<double> JobSinceSuccessGauge = Meter.CreateGauge<double>(
        "helsingborg.jobs.since_success", "s", "Time since a scheduled job last succeeded, by job (not recorded before its first success).");

    /// <summary>A case was opened by intake; the current span (the intake's) gets the case, partner and municipality.</summary>
    public static void CaseOpened(string caseId, string partner, string municipality)
    {
        CasesOpenedCounter.Add(1, new KeyValuePair<string, object?>(Tags.Partner, partner), new KeyValuePair<string, object?>(Tags.Municipality, municipality));
        Activity.Current?.SetTag(Tags.CaseId, caseId).SetTag(Tags.Partner, partner).SetTag(Tags.Municipality, municipality);
    }

    /// <summary>An event entered a case's timeline (<paramref name="refused"/> when the case refused it).</summary>
    public static void EventRecorded(string type, bool refused)
    {
        var tags = new TagList { { Tags.EventType, type }, { Tags.Refused, refused } };
        if (refused)
        {
            tags.Add(Tags.RefusedBy, "case");
        }

        EventsCounter.Add(1, tags);
    }

    /// <summary>The events endpoint refused an event against the case's phase (409); it never reaches the timeline.</summary>
    public static void EventRefusedByApi(string type) =>
        EventsCounter.Add(1, new TagList { { Tags.EventType, type }, { Tags.Refused, true }, { Tags.RefusedBy, "api" } });

    public static void ReminderCreated(string kind, bool escalated) =>
        RemindersCreatedCounter.Add(1, new KeyValuePair<string, object?>(Tags.ReminderKind, kind), new KeyValuePair<string, object?>(Tags.Escalated, escalated));

    public static void RemindersOverdue(string organisation, long overdue) =>
        RemindersOverdueGauge.Record(overdue, new KeyValuePair<string, object?>(Tags.Organisation, organisation));

    public static void IntakeAnswered(string route, int statusCode, TimeSpan duration) =>
        IntakeDurationHistogram.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(Tags.Route, route), new KeyValuePair<string, object?>(Tags.HttpStatus, statusCode));

    public static void EngineObserved(string taskHub, long waiting, TimeSpan oldestWaiting)
    {
        WaitingMessagesGauge.Record(waiting, new KeyValuePair<string, object?>(Tags.TaskHub, taskHub));
        OldestWaitingGauge.Record(oldestWaiting.TotalSeconds, new KeyValuePair<string, object?>(Tags.TaskHub, taskHub));
    }

    public static void CasesStopped(long count) => CasesStoppedGauge.Record(count);

    public static void JobObserved(string job, bool late, TimeSpan? sinceSuccess)
    {
        JobLateGauge.Record(late ? 1 : 0, new KeyValuePair<string, object?>(Tags.Job, job));
        if (sinceSuccess is { } since)
        {
            JobSinceSuccessGauge.Record(since.TotalSeconds, new KeyValuePair<string, object?>(Tags.Job, job));
        }
    }

    public static void JobRan(string job, bool succeeded) =>
        JobRunsCounter.Add(1, new KeyValuePair<string, object?>(Tags.Job, job), new KeyValuePair<string, object?>(Tags.Outcome, succeeded ? "succeeded" : "failed"));
}
