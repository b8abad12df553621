using Helsingborg.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helsingborg.Health;

/// <summary>
/// Turns the readiness view's engine and job findings into gauges, once a minute (<c>Readiness:MonitorInterval</c>),
/// so that alerts need no one to call the view: <c>helsingborg.engine.oldest_waiting_age</c>,
/// <c>helsingborg.engine.waiting_messages</c>, and per job <c>helsingborg.jobs.late</c> (1 when late) and
/// <c>helsingborg.jobs.since_success</c>. A look costs a queue listing, a peek per task-hub queue and one table query.
/// </summary>
public sealed partial class ReadinessMonitor(TaskHubProbe hub, JobRuns jobs, IOptionsMonitor<ReadinessOptions> options, TimeProvider clock, ILogger<ReadinessMonitor> logger, Microsoft.DurableTask.Client.DurableTaskClient? durable = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.MonitorInterval, clock, stoppingToken);
                await ObserveAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Storage that does not answer shows in the readiness view; the monitor tries again.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e.GetType().FullName ?? "unknown");
            }
        }
    }

    public async Task ObserveAsync(CancellationToken cancellationToken)
    {
        ReadinessOptions settings = options.CurrentValue;
        DateTimeOffset now = clock.GetUtcNow();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.CheckTimeout);
        TaskHubSnapshot snapshot = await hub.InspectAsync(now, timeout.Token);
        AppTelemetry.EngineObserved(jobs.Partition, snapshot.Waiting, snapshot.OldestWaiting ?? TimeSpan.Zero);
        foreach (JobRecord job in await jobs.ListAsync(timeout.Token))
        {
            bool late = JobRuns.IsLate(job, now, settings.JobGrace, out _);
            TimeSpan? sinceSuccess = job.LastSuccessAt is { } success ? now - success : null;
            AppTelemetry.JobObserved(job.Name, late, sinceSuccess);
        }

        if (durable is not null)
        {
            AppTelemetry.CasesStopped((await Lifecycle.StoppedCases.FindAsync(durable, timeout.Token)).Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The readiness monitor could not look at the engine and jobs: {ExceptionType}")]
    static partial void LogFailed(ILogger logger, string exceptionType);
}
