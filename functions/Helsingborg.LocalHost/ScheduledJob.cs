using System.Globalization;

namespace Helsingborg.LocalHost;

/// <summary>
/// The subset of NCRONTAB ("second minute hour day month day-of-week") the app's timers use: fixed second,
/// minute and hour, any day and month, and any or one day of the week. Enough to compute the next
/// occurrence without a cron library; anything else is refused when the host starts.
/// </summary>
public sealed record DailySchedule(int Second, int Minute, int Hour, DayOfWeek? Day)
{
    static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public static DailySchedule Parse(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        string[] f = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 6 || f[3] != "*" || f[4] != "*"
            || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out int s) || s > 59
            || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out int m) || m > 59
            || !int.TryParse(f[2], NumberStyles.None, CultureInfo.InvariantCulture, out int h) || h > 23)
        {
            throw new FormatException($"Unsupported schedule '{cron}'.");
        }

        DayOfWeek? day = null;
        if (f[5] != "*")
        {
            int index = Array.FindIndex(DayNames, n => string.Equals(n, f[5], StringComparison.OrdinalIgnoreCase));
            if (index < 0 && (!int.TryParse(f[5], NumberStyles.None, CultureInfo.InvariantCulture, out index) || index > 6))
            {
                throw new FormatException($"Unsupported schedule '{cron}'.");
            }

            day = (DayOfWeek)index;
        }

        return new DailySchedule(s, m, h, day);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (UTC).</summary>
    public DateTimeOffset Next(DateTimeOffset after)
    {
        DateTime utc = after.UtcDateTime;
        DateTime candidate = utc.Date.AddHours(Hour).AddMinutes(Minute).AddSeconds(Second);
        while (candidate <= utc || (Day is { } d && candidate.DayOfWeek != d))
        {
            candidate = candidate.AddDays(1);
        }

        return new DateTimeOffset(candidate, TimeSpan.Zero);
    }
}

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
