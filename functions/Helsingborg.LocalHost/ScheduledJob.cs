using Helsingborg.Scheduling;

namespace Helsingborg.LocalHost;

/// <summary>
/// A timer job of the local host: waits (on the injected <see cref="TimeProvider"/>) until the schedule's next
/// occurrence, runs the job with that time, and goes on. A failing run is logged by type and the next
/// occurrence comes as usual, as with a Functions timer.
/// </summary>
public sealed partial class ScheduledJob(string name, string cron, TimeProvider clock, ILogger<ScheduledJob> logger, Func<DateTimeOffset, CancellationToken, Task> run) : BackgroundService
{
    readonly DailySchedule schedule = DailySchedule.Parse(cron);

    public string Name => name;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset next = schedule.Next(clock.GetUtcNow());
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
