using System.Globalization;

namespace Helsingborg.Scheduling;

/// <summary>
/// The subset of NCRONTAB ("second minute hour day month day-of-week", UTC) the app's timer triggers use:
/// fixed second, minute and hour, any day and month, any or one day of the week (the daily jobs and the
/// weekly outreach reminder). Enough for the local host to run its jobs on the very cron strings of the
/// Functions triggers without a cron library; anything else is refused when the host starts.
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

    /// <summary>The last occurrence at or before <paramref name="at"/> (UTC).</summary>
    public DateTimeOffset Previous(DateTimeOffset at)
    {
        DateTime utc = at.UtcDateTime;
        DateTime candidate = utc.Date.AddHours(Hour).AddMinutes(Minute).AddSeconds(Second);
        while (candidate > utc || (Day is { } d && candidate.DayOfWeek != d))
        {
            candidate = candidate.AddDays(-1);
        }

        return new DateTimeOffset(candidate, TimeSpan.Zero);
    }
}
