using System.Globalization;
using Helsingborg.Outreach;

namespace Helsingborg.Statistics;

/// <summary>How rows are grouped.</summary>
public enum GroupBy
{
    Month,
    Quarter,
    Partner,
    Municipality,
}

/// <summary>One group's figures: the case counters of <see cref="CaseFigures"/> plus the outreach figures.</summary>
public sealed record StatisticsGroup(string Group, IReadOnlyDictionary<string, long> Figures)
{
    public long this[string name] => Figures.TryGetValue(name, out long v) ? v : 0;
}

/// <summary>
/// The pure part of the statistics: which months a period reads whole, and how aggregate rows, case rows of
/// partial months and outreach sessions add up by group. Every figure of a case counts in the period in which
/// the case was received (a cohort view), so a period's figures grow while its cases go on; outreach sessions
/// count on the day they were held. Outreach is an activity the organisations run together, not a partner: its
/// sessions belong to no municipality and no single partner, so grouped by partner or municipality they form the group
/// <c>outreach</c>, while a report made during a session counts in its reporting partner's group (<c>outreachIntakes</c>).
/// </summary>
public static class StatisticsReport
{
    public const string Sessions = "Sessions";
    public const string Ads = "AdsReviewed";
    public const string Contacts = "ContactsAttempted";
    public const string Responses = "Responses";
    public const string Accepted = "SupportAccepted";
    public const string OutreachGroup = "outreach";

    /// <summary>The months of the period: those wholly inside, read from month aggregates, and at most two partial ones at the edges, read from day aggregates.</summary>
    public static (IReadOnlyList<string> Whole, IReadOnlyList<(string Month, int FromDay, int ToDay)> Partial) Months(DateOnly from, DateOnly to)
    {
        var whole = new List<string>();
        var partial = new List<(string, int, int)>();
        for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
        {
            DateOnly first = month;
            DateOnly last = month.AddMonths(1).AddDays(-1);
            string key = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            if (from <= first && last <= to)
            {
                whole.Add(key);
            }
            else
            {
                partial.Add((key, (from > first ? from : first).Day, (to < last ? to : last).Day));
            }
        }

        return (whole, partial);
    }

    public static IReadOnlyList<StatisticsGroup> Build(DateOnly from, DateOnly to, GroupBy groupBy, IEnumerable<FigureRow> rows, IEnumerable<OutreachSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(sessions);
        var groups = new SortedDictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        if (groupBy is GroupBy.Month or GroupBy.Quarter)
        {
            // Every period of the range gets a row, zeros included, so that charts show the gaps.
            for (var month = new DateOnly(from.Year, from.Month, 1); month <= to; month = month.AddMonths(1))
            {
                Group(groups, PeriodKey(month, groupBy));
            }
        }

        foreach (FigureRow row in rows)
        {
            DateOnly month = DateOnly.ParseExact(row.Month, "yyyy-MM", CultureInfo.InvariantCulture);
            string key = groupBy switch
            {
                GroupBy.Partner => row.Partner,
                GroupBy.Municipality => row.Municipality,
                _ => PeriodKey(month, groupBy),
            };
            Dictionary<string, long> figures = Group(groups, key);
            foreach ((string name, long value) in row.Counters)
            {
                figures[name] = figures.GetValueOrDefault(name) + value;
            }
        }

        foreach (OutreachSession s in sessions)
        {
            string key = groupBy is GroupBy.Partner or GroupBy.Municipality ? OutreachGroup : PeriodKey(s.HeldOn, groupBy);
            Dictionary<string, long> figures = Group(groups, key);
            figures[Sessions] = figures.GetValueOrDefault(Sessions) + 1;
            figures[Ads] = figures.GetValueOrDefault(Ads) + s.AdsReviewed;
            figures[Contacts] = figures.GetValueOrDefault(Contacts) + s.ContactsAttempted;
            figures[Responses] = figures.GetValueOrDefault(Responses) + s.Responses;
            figures[Accepted] = figures.GetValueOrDefault(Accepted) + s.SupportAccepted;
        }

        return [.. groups.Select(g => new StatisticsGroup(g.Key, g.Value))];
    }

    public static StatisticsGroup Total(IEnumerable<StatisticsGroup> groups)
    {
        var sum = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (StatisticsGroup g in groups)
        {
            foreach ((string name, long value) in g.Figures)
            {
                sum[name] = sum.GetValueOrDefault(name) + value;
            }
        }

        return new StatisticsGroup("total", sum);
    }

    /// <summary>A count as it may be shown: counts from 1 to <paramref name="below"/> − 1 become "&lt;below" when suppressing.</summary>
    public static object Show(long value, int below) =>
        below > 1 && value > 0 && value < below ? "<" + below.ToString(CultureInfo.InvariantCulture) : value;

    static Dictionary<string, long> Group(SortedDictionary<string, Dictionary<string, long>> groups, string key)
    {
        if (!groups.TryGetValue(key, out Dictionary<string, long>? figures))
        {
            figures = new Dictionary<string, long>(StringComparer.Ordinal);
            groups[key] = figures;
        }

        return figures;
    }

    static string PeriodKey(DateOnly day, GroupBy groupBy) => groupBy == GroupBy.Quarter
        ? string.Create(CultureInfo.InvariantCulture, $"{day.Year}-Q{((day.Month - 1) / 3) + 1}")
        : day.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
