using System.Globalization;

namespace Helsingborg.Scheduling;

/// <summary>
/// A daily NCRONTAB schedule ("s m h * * *", UTC) and its next occurrence: the tiny scheduler the local
/// host uses for the timer jobs that run once a day, with the same cron string as the Functions trigger.
/// </summary>
public sealed record DailySchedule(int Hour, int Minute, int Second)
{
    public static DailySchedule Parse(string cron)
    {
        ArgumentNullException.ThrowIfNull(cron);
        string[] parts = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 6 || parts[3] != "*" || parts[4] != "*" || parts[5] != "*"
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int second) || second > 59
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minute) || minute > 59
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int hour) || hour > 23)
        {
            throw new FormatException("Only daily schedules \"s m h * * *\" with fixed numbers are supported.");
        }

        return new DailySchedule(hour, minute, second);
    }

    /// <summary>The first occurrence strictly after <paramref name="now"/>, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset now)
    {
        DateTime utc = now.UtcDateTime;
        var today = new DateTimeOffset(utc.Year, utc.Month, utc.Day, Hour, Minute, Second, TimeSpan.Zero);
        return today > now ? today : today.AddDays(1);
    }
}
