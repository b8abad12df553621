using System.Globalization;

namespace Helsingborg;

/// <summary>
/// Times as people in the network read them: Swedish wall-clock time (Europe/Stockholm, with summer time), written
/// the Swedish standard's numeric way, <c>2026-12-07 14:05</c>, on Swedish and English pages alike. The API, the
/// digest and the pushes stay UTC; only what a person reads on a page goes through here (pages' scripts use the same
/// form, dom.js <c>localTime</c>).
/// </summary>
public static class LocalTime
{
    /// <summary>The IANA zone every time shown to a person is in.</summary>
    public const string ZoneId = "Europe/Stockholm";

    static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById(ZoneId);

    /// <summary>The same instant on a Swedish clock.</summary>
    public static DateTimeOffset InSweden(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, Zone);

    /// <summary>
    /// The instant a Swedish wall clock shows <paramref name="wallClock"/>: a time skipped when summer time starts is taken an
    /// hour later, a time shown twice when it ends is taken the first time.
    /// </summary>
    public static DateTimeOffset FromSwedishClock(DateTime wallClock)
    {
        DateTime local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        TimeSpan offset = Zone.IsAmbiguousTime(local) ? Zone.GetAmbiguousTimeOffsets(local).Max() : Zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>Date and time on a Swedish clock: <c>2026-12-07 14:05</c>.</summary>
    public static string Format(DateTimeOffset time) => InSweden(time).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The date in Sweden: <c>2026-12-07</c>.</summary>
    public static string FormatDate(DateTimeOffset time) => InSweden(time).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The instant for a <c>&lt;time datetime&gt;</c> attribute, in UTC as the API writes it.</summary>
    public static string Machine(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
