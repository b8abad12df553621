using System.Diagnostics;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Http;
using Helsingborg.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Helsingborg.Health;

/// <summary>Configuration section <c>Readiness</c>: when the readiness view calls something wrong.</summary>
public sealed class ReadinessOptions
{
    /// <summary>A message of the task hub visible longer than this means the engine is not dispatching.</summary>
    public TimeSpan EngineStallAfter { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long after its scheduled time a job may take to succeed before it counts as late.</summary>
    public TimeSpan JobGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long each check may take before it counts as failed.</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often <see cref="ReadinessMonitor"/> records the engine and job gauges.</summary>
    public TimeSpan MonitorInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// <c>GET /api/admin/readiness</c>: ready or not, what needs action (<see cref="Problems"/>), what should be set up but
/// does not stop the app (<see cref="Warnings"/>), and each check.
/// </summary>
public sealed record ReadinessReport(ReadinessStatus Status, DateTimeOffset CheckedAt, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings, StorageChecks Storage, EngineCheck Engine, IReadOnlyList<JobCheck> Jobs, CasesCheck Cases, NotificationsCheck Notifications);

/// <summary>
/// The urgent pushes: the on-call organisation of the city profile and whether it has a webhook, and how many pushes
/// failed after their retries (each shown as failed on its reminder until the reminder is acknowledged).
/// </summary>
public sealed record NotificationsCheck(bool Ok, string? OnCall, bool OnCallWebhook, int? FailedPushes, string? Error);

/// <summary>Cases that do not move on by themselves (GET /api/admin/cases/stalled lists them): stalled, failed or terminated.</summary>
public sealed record CasesCheck(bool Ok, int? Stopped, int? Stalled, int? Failed, int? Terminated, string? Error);

[System.Text.Json.Serialization.JsonConverter(typeof(KebabCaseEnumConverter<ReadinessStatus>))]
public enum ReadinessStatus
{
    Ready,
    NotReady,
}

/// <summary>The three storage services, each checked.</summary>
public sealed record StorageChecks(StorageCheck Tables, StorageCheck Queues, StorageCheck Blobs);

/// <summary>One storage service's check.</summary>
public sealed record StorageCheck(bool Ok, long LatencyMs, string? Error);

/// <summary>The durable engine as its task hub's queues show it.</summary>
public sealed record EngineCheck(bool Ok, bool? Dispatching, int? WaitingMessages, double? OldestWaitingMessageAgeSeconds, double StallAfterSeconds, string? Error);

/// <summary>One scheduled job.</summary>
public sealed record JobCheck(string Name, string Schedule, bool Ok, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure, DateTimeOffset LastDueAt, DateTimeOffset? WatchedSince);

/// <summary>
/// <c>GET /api/admin/readiness</c> (admin): what an operator needs to see to act, and nothing of a case. Storage
/// (tables, queues, blobs: answered, how fast, or the error's type and status), the durable engine (dispatching or
/// not, how many messages wait and the age of the oldest), and each scheduled job's last successful run against its
/// schedule, and the urgent pushes (failed ones, and whether the on-call organisation has a webhook). 200 with
/// <c>status: "ready"</c>, or 503 with <c>status: "not-ready"</c> and <c>problems</c> naming what to act on
/// (infra/README.md, runbook); <c>warnings</c> name what should be set up but does not make the app not ready. <c>GET /api/health</c> stays the public, cheap one.
/// </summary>
public sealed class ReadinessHandler(CaseStorage storage, TaskHubProbe hub, JobRuns jobs, Reminders.UrgentPushOutbox pushes, Reminders.WebhookSender webhooks, Partners.CityProfile profile, IOptionsMonitor<ReadinessOptions> options, TimeProvider clock)
{
    public async Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        ReadinessOptions settings = options.CurrentValue;
        DateTimeOffset now = clock.GetUtcNow();

        Task<StorageCheck> tables = CheckAsync(settings, call.Aborted, t => storage.Table(CaseStorage.CasesTable).GetEntityIfExistsAsync<TableEntity>("health", "health", select: ["PartitionKey"], cancellationToken: t));
        Task<StorageCheck> blobs = CheckAsync(settings, call.Aborted, t => storage.Documents.GetPropertiesAsync(cancellationToken: t));
        TaskHubSnapshot? snapshot = null;
        Task<StorageCheck> queues = CheckAsync(settings, call.Aborted, async t => snapshot = await hub.InspectAsync(now, t));
        IReadOnlyList<JobRecord>? records = null;
        Task<StorageCheck> jobRows = CheckAsync(settings, call.Aborted, async t => records = await jobs.ListAsync(t));
        IReadOnlyList<Lifecycle.StoppedCase>? stopped = null;
        Task<StorageCheck> instances = CheckAsync(settings, call.Aborted, async t => stopped = await Lifecycle.StoppedCases.FindAsync(call.Durable, t));
        int? failedPushes = null;
        Task<StorageCheck> pushRows = CheckAsync(settings, call.Aborted, async t => failedPushes = await pushes.FailedAsync(t));
        await Task.WhenAll(tables, blobs, queues, jobRows, instances, pushRows);
        string? onCall = string.IsNullOrWhiteSpace(profile.OnCall) ? null : profile.OnCall;
        bool onCallWebhook = onCall is not null && webhooks.IsConfigured(onCall);
        var notifications = new NotificationsCheck(failedPushes == 0, onCall, onCallWebhook, failedPushes, pushRows.Result.Error);
        CasesCheck cases = stopped is null
            ? new CasesCheck(false, null, null, null, null, instances.Result.Error)
            : new CasesCheck(stopped.Count == 0, stopped.Count, stopped.Count(c => c.Status == Lifecycle.StoppedStatus.Stalled),
                stopped.Count(c => c.Status == Lifecycle.StoppedStatus.Failed), stopped.Count(c => c.Status == Lifecycle.StoppedStatus.Terminated), null);
        if (stopped is not null)
        {
            Telemetry.AppTelemetry.CasesStopped(stopped.Count);
        }

        EngineCheck engine = snapshot is { } s
            ? Engine(s, settings)
            : new EngineCheck(false, null, null, null, settings.EngineStallAfter.TotalSeconds, "The task hub's queues do not answer.");
        List<JobCheck> jobChecks = (records ?? JobRuns.Jobs.Select(j => new JobRecord(j.Name, j.Schedule, null, null, null, null)).ToList())
            .Select(r =>
            {
                bool late = JobRuns.IsLate(r, now, settings.JobGrace, out DateTimeOffset lastDue);
                return new JobCheck(r.Name, r.Schedule, records is not null && !late, r.LastSuccessAt, r.LastFailureAt, r.LastFailure, lastDue, r.WatchedSince);
            })
            .ToList();

        var problems = new List<string>();
        if (!tables.Result.Ok)
        {
            problems.Add("storage.tables");
        }

        if (!queues.Result.Ok)
        {
            problems.Add("storage.queues");
        }

        if (!blobs.Result.Ok)
        {
            problems.Add("storage.blobs");
        }

        if (!engine.Ok)
        {
            problems.Add("engine");
        }

        problems.AddRange(jobChecks.Where(j => !j.Ok).Select(j => "jobs." + j.Name));
        if (!cases.Ok)
        {
            problems.Add(cases.Stopped is { } count ? $"cases.stopped: {count}" : "cases.stopped");
        }

        if (!notifications.Ok)
        {
            problems.Add(failedPushes is { } failed ? $"notifications.failed: {failed}" : "notifications.failed");
        }

        // Urgent reminders still reach the lead's webhook and the dashboard; without the on-call one nobody hears at night.
        List<string> warnings = onCallWebhook ? [] : [onCall is null ? "notifications.on-call: none in the city profile" : $"notifications.on-call: no webhook for {onCall}"];
        bool ready = problems.Count == 0;
        var body = new ReadinessReport(ready ? ReadinessStatus.Ready : ReadinessStatus.NotReady, now, problems, warnings, new StorageChecks(tables.Result, queues.Result, blobs.Result), engine, jobChecks, cases, notifications);
        return Results.Json(body, ApiJson.Options, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    static EngineCheck Engine(TaskHubSnapshot snapshot, ReadinessOptions settings)
    {
        bool dispatching = snapshot.OldestWaiting is not { } age || age <= settings.EngineStallAfter;
        return new EngineCheck(dispatching && snapshot.Queues > 0, dispatching, snapshot.Waiting, snapshot.OldestWaiting?.TotalSeconds,
            settings.EngineStallAfter.TotalSeconds, snapshot.Queues > 0 ? null : "The task hub has no queues: the engine never started on this storage.");
    }

    /// <summary>Runs one check with its own timeout; a failure is told by type and status code, never by message.</summary>
    static async Task<StorageCheck> CheckAsync(ReadinessOptions settings, CancellationToken aborted, Func<CancellationToken, Task> check)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(settings.CheckTimeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await check(timeout.Token);
            return new StorageCheck(true, Elapsed(started), null);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            return new StorageCheck(false, Elapsed(started), $"no answer within {settings.CheckTimeout.TotalSeconds:0} s");
        }
        catch (RequestFailedException e)
        {
            return new StorageCheck(false, Elapsed(started), $"{e.GetType().Name} {e.Status} {e.ErrorCode}".TrimEnd());
        }
#pragma warning disable CA1031 // Any other failure of a check is reported by its type, not thrown.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return new StorageCheck(false, Elapsed(started), e.GetType().Name);
        }
    }

    static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
