using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Statistics;

/// <summary>
/// The <c>from</c> and <c>to</c> query dates (yyyy-MM-dd, both included, UTC days). Without them the
/// period is the current calendar year up to today.
/// </summary>
public static class Period
{
    public const int MaxYears = 10;

    /// <summary>Reads the period; problems are added to <paramref name="errors"/> by field.</summary>
    public static (DateOnly From, DateOnly To) Read(IQueryCollection query, DateTimeOffset now, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        DateOnly today = DateOnly.FromDateTime(now.UtcDateTime);
        DateOnly from = Parse(query, "from", new DateOnly(today.Year, 1, 1), errors);
        DateOnly to = Parse(query, "to", today, errors);
        if (errors.Count == before && to < from)
        {
            errors["to"] = ["Must not be before from."];
        }
        else if (errors.Count == before && to > from.AddYears(MaxYears))
        {
            errors["to"] = [$"The period may span at most {MaxYears} years."];
        }

        return (from, to);
    }

    static DateOnly Parse(IQueryCollection query, string name, DateOnly fallback, Dictionary<string, string[]> errors)
    {
        string? text = query[name].FirstOrDefault();
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day) && day.Year is >= 2000 and <= 2200)
        {
            return day;
        }

        errors[name] = ["Must be a date (yyyy-MM-dd)."];
        return fallback;
    }
}
