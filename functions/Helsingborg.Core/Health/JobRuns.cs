using System.Diagnostics;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Outreach;
using Helsingborg.Reminders;
using Helsingborg.Retention;
using Helsingborg.Scheduling;
using Helsingborg.Storage;
using Helsingborg.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Health;

/// <summary>A scheduled job as the readiness view sees it: its schedule and what its runs left behind.</summary>
public sealed record JobRecord(string Name, string Schedule, DateTimeOffset? WatchedSince, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure);

/// <summary>
/// Each scheduled job's last successful and last failed run, one table row per job (partition = the task hub, so
/// that hosts sharing a storage account keep theirs apart). Both hosts run their jobs through <see cref="RunAsync"/>:
/// the Functions app's timer triggers and the local host's scheduled services. The row also says since when the app
/// has watched the job (<see cref="WatchAsync"/> at start-up), so a job that never succeeded is noticed too. A run
/// is also a span (<c>job DailyDigest</c>) and a count (<c>helsingborg.jobs.runs</c>).
/// </summary>
public sealed partial class JobRuns(CaseStorage storage, IConfiguration configuration, TimeProvider clock, ILogger<JobRuns> logger)
{
    /// <summary>The scheduled jobs of api.md, with their schedules (both hosts use these constants).</summary>
    public static readonly IReadOnlyList<(string Name, string Schedule)> Jobs =
    [
        (DailyDigestJob.Name, DailyDigestJob.Schedule),
        (OutreachReminderJob.Name, OutreachReminderJob.Schedule),
        (RetentionSweep.Name, RetentionSweep.Schedule),
        (Lifecycle.InboxRedeliveryJob.Name, Lifecycle.InboxRedeliveryJob.Schedule),
        (UrgentPushJob.Name, UrgentPushJob.Schedule),
    ];

    readonly TableClient table = storage.Table(CaseStorage.JobRunsTable);

    /// <summary>The task hub's name: the partition of this app's rows.</summary>
    public string Partition { get; } = TaskHubProbe.HubName(configuration);

    /// <summary>Runs a job, records its outcome and rethrows its failure (the host logs it and runs the next occurrence as usual).</summary>
    public async Task RunAsync(string job, Func<Task> run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        using Activity? span = AppTelemetry.Source.StartActivity($"job {job}", Activity.Current is null ? ActivityKind.Server : ActivityKind.Internal);
        span?.SetTag(AppTelemetry.Tags.Job, job);
        try
        {
            await run();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            span?.SetStatus(ActivityStatusCode.Error);
            AppTelemetry.JobRan(job, succeeded: false);
            await RecordAsync(job, new TableEntity { ["LastFailureAt"] = clock.GetUtcNow(), ["LastFailure"] = e.GetType().FullName });
            throw;
        }

        AppTelemetry.JobRan(job, succeeded: true);
        await RecordAsync(job, new TableEntity { ["LastSuccessAt"] = clock.GetUtcNow() });
    }

    /// <summary>Notes, once, since when this app watches each job; later starts keep the first time.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken = default)
    {
        await table.CreateIfNotExistsAsync(cancellationToken);
        DateTimeOffset now = clock.GetUtcNow();
        foreach ((string name, _) in Jobs)
        {
            try
            {
                await table.AddEntityAsync(new TableEntity(Partition, name) { ["WatchedSince"] = now }, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
            {
            }
        }
    }

    public async Task<IReadOnlyList<JobRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            rows[row.RowKey] = row;
        }

        return Jobs.Select(j => rows.TryGetValue(j.Name, out TableEntity? row)
                ? new JobRecord(j.Name, j.Schedule, row.GetDateTimeOffset("WatchedSince"), row.GetDateTimeOffset("LastSuccessAt"), row.GetDateTimeOffset("LastFailureAt"), row.GetString("LastFailure"))
                : new JobRecord(j.Name, j.Schedule, null, null, null, null))
            .ToList();
    }

    /// <summary>
    /// Whether a job is late: an occurrence passed more than <paramref name="grace"/> ago without a success since,
    /// while the app was watching. A job that has not succeeded since before its last occurrence is late.
    /// </summary>
    public static bool IsLate(JobRecord job, DateTimeOffset now, TimeSpan grace, out DateTimeOffset lastDue)
    {
        ArgumentNullException.ThrowIfNull(job);
        lastDue = TimerSchedule.Parse(job.Schedule).Previous(now - grace);
        DateTimeOffset since = job.LastSuccessAt ?? job.WatchedSince ?? now;
        return since < lastDue;
    }

    async Task RecordAsync(string job, TableEntity fields)
    {
        fields.PartitionKey = Partition;
        fields.RowKey = job;
        try
        {
            // The job's outcome is what matters; a record that cannot be written is logged, not thrown.
            await table.UpsertEntityAsync(fields, TableUpdateMode.Merge, CancellationToken.None);
        }
        catch (RequestFailedException e)
        {
            LogNotRecorded(logger, job, e.Status);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The run of job {Job} could not be recorded (storage answered {Status})")]
    static partial void LogNotRecorded(ILogger logger, string job, int status);

    /// <summary>Notes the jobs as watched when a host starts; storage that does not answer yet is no reason to fail the start.</summary>
    internal sealed partial class Watch(JobRuns runs, ILogger<Watch> logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            try
            {
                await runs.WatchAsync(cancellationToken);
            }
#pragma warning disable CA1031 // Readiness reports storage; the host starts regardless.
            catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
            {
                LogNotWatched(logger, e.GetType().FullName ?? "unknown");
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "The scheduled jobs could not be noted as watched at start-up: {ExceptionType}")]
        static partial void LogNotWatched(ILogger logger, string exceptionType);
    }
}
