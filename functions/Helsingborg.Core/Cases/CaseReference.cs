using System.Globalization;
using System.Text.RegularExpressions;

namespace Helsingborg.Cases;

/// <summary>
/// A case number a person can say: the city profile's prefix, the year the intake was received (Swedish local time)
/// and a number counting up within that year, at least four digits (<c>HBG-2026-0042</c>). The opaque case id stays
/// the key everywhere; the reference only names the case to people and finds it (<c>GET /api/cases?reference=</c>).
/// </summary>
public readonly partial record struct CaseReference(string Prefix, int Year, long Number)
{
    /// <summary>The zone whose calendar year a case is numbered in.</summary>
    public static TimeZoneInfo SwedishTime { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>The year of an intake received at <paramref name="receivedAt"/>, in Swedish local time.</summary>
    public static int YearOf(DateTimeOffset receivedAt) => TimeZoneInfo.ConvertTime(receivedAt, SwedishTime).Year;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-{Year:D4}-{Number:D4}");

    /// <summary>
    /// Reads a reference as written (letters of the prefix in either case); false for anything else, including a number
    /// with fewer than four digits or a leading zero beyond them, so that one case has exactly one written reference.
    /// </summary>
    public static bool TryParse(string? text, out CaseReference reference)
    {
        reference = default;
        if (text is null || Pattern().Match(text) is not { Success: true } match)
        {
            return false;
        }

        string digits = match.Groups["number"].Value;
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number < 1
            || !string.Equals(digits, number.ToString("D4", CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            return false;
        }

        reference = new CaseReference(match.Groups["prefix"].Value.ToUpperInvariant(), int.Parse(match.Groups["year"].Value, CultureInfo.InvariantCulture), number);
        return true;
    }

    [GeneratedRegex("^(?<prefix>[A-Za-z]{2,8})-(?<year>[0-9]{4})-(?<number>[0-9]{4,12})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>A profile's prefix: two to eight capital letters A–Z.</summary>
    [GeneratedRegex("^[A-Z]{2,8}$", RegexOptions.CultureInvariant)]
    public static partial Regex PrefixPattern();
}
