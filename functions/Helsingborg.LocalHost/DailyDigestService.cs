using Helsingborg.Reminders;
using Helsingborg.Scheduling;

namespace Helsingborg.LocalHost;

/// <summary>The local host's daily digest: waits for the next 06:00 UTC on the injected clock, then runs the job.</summary>
public sealed partial class DailyDigestService(DailyDigestJob job, TimeProvider clock, ILogger<DailyDigestService> logger) : BackgroundService
{
    static readonly Helsingborg.Scheduling.DailySchedule Schedule = Helsingborg.Scheduling.DailySchedule.Parse(DailyDigestJob.Schedule);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset now = clock.GetUtcNow();
            DateTimeOffset next = Schedule.NextAfter(now);
            try
            {
                await Task.Delay(next - now, clock, stoppingToken);
                await job.RunAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed run is logged; the next day's run still happens.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailed(logger, e.GetType().FullName ?? "unknown");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Daily digest failed with {ExceptionType}")]
    static partial void LogFailed(ILogger logger, string exceptionType);
}
