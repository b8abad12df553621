using NCrontab;

namespace Helsingborg.Scheduling;

/// <summary>
/// The timer triggers' schedules for the code that runs outside a trigger: the local host's jobs and the readiness
/// view's "last due". Read by NCrontab, the library the Functions host itself reads <c>TimerTrigger</c> schedules
/// with, as six fields with seconds ("second minute hour day month day-of-week"). In UTC, as in Azure: on Flex
/// Consumption the Functions host has no WEBSITE_TIME_ZONE, so its timers run in UTC, and the local host does the
/// same whatever the machine's own time zone.
/// </summary>
public static class TimerSchedule
{
    static readonly CrontabSchedule.ParseOptions WithSeconds = new() { IncludingSeconds = true };

    /// <summary>Parses a trigger's expression; an expression the Functions host would refuse throws <see cref="CrontabException"/>.</summary>
    public static CrontabSchedule Parse(string expression) => CrontabSchedule.Parse(expression, WithSeconds);

    /// <summary>The first occurrence strictly after <paramref name="after"/>, in UTC.</summary>
    public static DateTimeOffset Next(this CrontabSchedule schedule, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new DateTimeOffset(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));
    }

    /// <summary>
    /// The last occurrence at or before <paramref name="at"/>, in UTC: NCrontab only looks forward, so this looks for
    /// occurrences in a window before it, doubling the window (a minute, then up to some years) until one is there.
    /// </summary>
    public static DateTimeOffset Previous(this CrontabSchedule schedule, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        DateTime end = at.UtcDateTime.AddTicks(1);
        for (TimeSpan window = TimeSpan.FromMinutes(1); window < TimeSpan.FromDays(5 * 366); window *= 2)
        {
            DateTime? last = null;
            foreach (DateTime occurrence in schedule.GetNextOccurrences(end - window, end))
            {
                last = occurrence;
            }

            if (last is { } found)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(found, DateTimeKind.Utc));
            }
        }

        throw new InvalidOperationException($"The schedule '{schedule}' has no occurrence in the five years before the given time.");
    }
}
