using System.Globalization;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Statistics;

/// <summary>
/// The <c>from</c> and <c>to</c> query dates (yyyy-MM-dd, both included, UTC days). Without them the
/// period is the current calendar year up to today.
/// </summary>
public static class Period
{
    public const int MaxYears = 10;

    public static (DateOnly From, DateOnly To, IResult? Problem) Read(IQueryCollection query, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        DateOnly today = DateOnly.FromDateTime(now.UtcDateTime);
        DateOnly from = Parse(query, "from", new DateOnly(today.Year, 1, 1), errors);
        DateOnly to = Parse(query, "to", today, errors);
        if (errors.Count == 0 && to < from)
        {
            errors["to"] = ["Must not be before from."];
        }
        else if (errors.Count == 0 && to > from.AddYears(MaxYears))
        {
            errors["to"] = [$"The period may span at most {MaxYears} years."];
        }

        return errors.Count > 0 ? (from, to, Problems.Validation(errors)) : (from, to, null);
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
