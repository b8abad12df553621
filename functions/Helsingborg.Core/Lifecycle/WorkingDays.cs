namespace Helsingborg.Lifecycle;

/// <summary>
/// Clocks that count working days (<see cref="CasePolicy.TransferDueAfter"/>): a whole number of days counts Monday to
/// Friday on a Swedish clock, the same time of day; what is left under a day, and a span under a day, is plain time, so
/// tests and demos can shrink the clock to seconds. Public holidays count as working days (the network's on-call service
/// answers on them too, and the rule stays one the case's policy snapshot fixes).
/// </summary>
public static class WorkingDays
{
    /// <summary>The time <paramref name="span"/> after <paramref name="start"/>, its whole days counted as working days.</summary>
    public static DateTimeOffset Add(DateTimeOffset start, TimeSpan span)
    {
        if (span < TimeSpan.FromDays(1))
        {
            return start + (span > TimeSpan.Zero ? span : TimeSpan.FromSeconds(1));
        }

        int days = (int)Math.Min(span.TotalDays, 3650);
        TimeSpan rest = span - TimeSpan.FromDays(Math.Floor(span.TotalDays));
        DateTime clock = LocalTime.InSweden(start).DateTime;
        for (int counted = 0; counted < days;)
        {
            clock = clock.AddDays(1);
            if (clock.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
            {
                counted++;
            }
        }

        return LocalTime.FromSwedishClock(clock) + rest;
    }
}
