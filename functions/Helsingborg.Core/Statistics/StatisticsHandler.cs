using System.Globalization;
using System.Text;
using Helsingborg.Access;
using Helsingborg.Http;
using Helsingborg.Outreach;
using Helsingborg.Partners;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Helsingborg.Statistics;

/// <summary>Configuration section <c>Statistics</c>.</summary>
public sealed class StatisticsOptions
{
    /// <summary>In CSV exports and for the statistics role, counts from 1 to this − 1 show as "&lt;this".</summary>
    public int SuppressBelow { get; set; } = 5;
}

/// <summary>
/// <c>GET /api/statistics</c>: the IOP figures per month, quarter, partner or municipality, as JSON or as
/// a CSV that Excel with Swedish settings opens as it is (UTF-8 with BOM, semicolons, CRLF). Read from the
/// anonymous aggregates of <see cref="StatisticsStore"/> and the outreach sessions, never from personal data.
/// Small numbers are suppressed in CSV and for callers with the statistics role only (not coordinators).
/// </summary>
public sealed class StatisticsHandler(StatisticsStore store, OutreachSessionStore sessions, IOptionsMonitor<StatisticsOptions> options, CityProfile profile, TimeProvider clock)
{
    public async Task<IResult> GetAsync(ApiCall call)
    {
        IQueryCollection query = call.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        (DateOnly from, DateOnly to) = Period.Read(query, clock.GetUtcNow(), errors);
        string groupText = query["groupBy"].FirstOrDefault() ?? "month";
        if (!Enum.TryParse(groupText, ignoreCase: true, out GroupBy groupBy) || !Enum.IsDefined(groupBy) || groupText.Any(char.IsDigit))
        {
            errors["groupBy"] = ["Must be one of: month, quarter, partner, municipality."];
        }

        string format = query["format"].FirstOrDefault() ?? "json";
        if (format is not ("json" or "csv"))
        {
            errors["format"] = ["Must be json or csv."];
        }

        string lang = query["lang"].FirstOrDefault() ?? "sv";
        if (lang is not ("sv" or "en"))
        {
            errors["lang"] = ["Must be sv or en."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        IReadOnlyList<StatisticsGroup> groups = await ComputeAsync(from, to, groupBy, call.Aborted);
        StatisticsGroup total = StatisticsReport.Total(groups);
        int below = options.CurrentValue.SuppressBelow;
        if (format == "csv")
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"statistik-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}-{groupBy.ToString().ToLowerInvariant()}.csv");
            call.Request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
            byte[] csv = StatisticsCsv.Write(groups, total, groupBy, below, lang == "en", profile);
            return Results.Bytes(csv, "text/csv; charset=utf-8");
        }

        bool suppress = !call.Authenticated.Roles.Contains(Role.Coordinator);
        int shown = suppress ? below : 0;
        return Results.Json(
            new
            {
                from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                to = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                groupBy = groupBy.ToString().ToLowerInvariant(),
                suppressedBelow = suppress ? below : (int?)null,
                items = groups.Select(g => Json(g, groupBy, shown)),
                total = Json(total, groupBy, shown),
            },
            ApiJson.Options);
    }

    /// <summary>The groups of a period: whole months from their month aggregates, partial edge months from their day aggregates.</summary>
    public async Task<IReadOnlyList<StatisticsGroup>> ComputeAsync(DateOnly from, DateOnly to, GroupBy groupBy, CancellationToken cancellationToken)
    {
        (IReadOnlyList<string> whole, var partial) = StatisticsReport.Months(from, to);
        Task<IReadOnlyList<FigureRow>> aggregates = whole.Count == 0
            ? Task.FromResult<IReadOnlyList<FigureRow>>([])
            : store.AggregatesAsync(whole[0], whole[^1], cancellationToken);
        var edges = partial.Select(p => store.DaysAsync(p.Month, p.FromDay, p.ToDay, cancellationToken)).ToList();
        Task<IReadOnlyList<OutreachSession>> held = sessions.ListAsync(from, to, cancellationToken);
        var rows = new List<FigureRow>(await aggregates);
        foreach (Task<IReadOnlyList<FigureRow>> edge in edges)
        {
            rows.AddRange(await edge);
        }

        return StatisticsReport.Build(from, to, groupBy, rows, await held);
    }

    Dictionary<string, object?> Json(StatisticsGroup g, GroupBy groupBy, int below)
    {
        object Show(long v) => StatisticsReport.Show(v, below);
        return new Dictionary<string, object?>
        {
            ["group"] = g.Group,
            ["label"] = Labels.Group(g.Group, groupBy, english: false, profile),
            ["incidentsReported"] = Show(g[CaseFigures.Incidents]),
            ["personsDocumented"] = Show(g[CaseFigures.Persons]),
            ["supportConversations"] = Show(g[CaseFigures.Conversations]),
            ["supportGiven"] = Show(CaseFigures.Kinds.Sum(k => g[CaseFigures.Given(k)])),
            ["supportGivenByKind"] = CaseFigures.Kinds.ToDictionary(KebabCase.Name, k => Show(g[CaseFigures.Given(k)])),
            ["outreachSessions"] = Show(g[StatisticsReport.Sessions]),
            ["adsReviewed"] = Show(g[StatisticsReport.Ads]),
            ["contactsAttempted"] = Show(g[StatisticsReport.Contacts]),
            ["responses"] = Show(g[StatisticsReport.Responses]),
            ["supportAccepted"] = Show(g[StatisticsReport.Accepted]),
            ["outreachIntakes"] = Show(g[CaseFigures.OutreachIntakes]),
            ["casesClosedByReason"] = CaseFigures.Reasons.ToDictionary(KebabCase.Name, r => Show(g[CaseFigures.Closed(r)])),
            ["returns"] = Show(g[CaseFigures.Returns]),
        };
    }
}

/// <summary>Display names for groups and columns, in Swedish (default) and English.</summary>
public static class Labels
{
    static readonly string[] SwedishMonths = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

    /// <summary>
    /// A group's label. Months read "2026-03 (mars)" rather than "2026-03", so that Excel keeps them as text
    /// instead of turning them into dates.
    /// </summary>
    public static string Group(string group, GroupBy groupBy, bool english, CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(profile);
        switch (groupBy)
        {
            case GroupBy.Month when DateOnly.TryParseExact(group, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly m):
                string name = english ? CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(m.Month) : SwedishMonths[m.Month - 1];
                return $"{group} ({name})";
            case GroupBy.Partner:
                return profile.Organisation(group)?.Name(english) ?? group;
            case GroupBy.Municipality:
                return profile.MunicipalityName(group) ?? profile.Organisation(group)?.Name(english) ?? group;
            default:
                return group == "total" ? (english ? "Total" : "Totalt") : group;
        }
    }
}
