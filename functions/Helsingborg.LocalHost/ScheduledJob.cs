using Helsingborg.Scheduling;

namespace Helsingborg.LocalHost;

/// <summary>
/// A timer job of the local host: waits (on the injected <see cref="TimeProvider"/>) until the next occurrence of
/// the Functions trigger's own schedule (<see cref="TimerSchedule"/>: NCrontab, UTC), runs the job with that time,
/// and goes on. A failing run is logged by type and the next occurrence comes as usual, as with a Functions timer.
/// </summary>
public sealed partial class ScheduledJob(string name, string cron, TimeProvider clock, ILogger<ScheduledJob> logger, Func<DateTimeOffset, CancellationToken, Task> run) : BackgroundService
{
    readonly NCrontab.CrontabSchedule schedule = TimerSchedule.Parse(cron);

    public string Name => name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DateTimeOffset last = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            // After the last run's time too, so that a timer that fires a little early never runs an occurrence twice.
            DateTimeOffset now = clock.GetUtcNow();
            DateTimeOffset next = schedule.Next(now > last ? now : last);
            last = next;
            TimeSpan wait = next - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, stoppingToken);
            }

            try
            {
                await run(next, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A timer job's failure must not stop the host; the next occurrence runs as usual.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogFailure(logger, name, e.GetType().FullName ?? "unknown");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer job {Job} failed with {ExceptionType}")]
    static partial void LogFailure(ILogger logger, string job, string exceptionType);
}
