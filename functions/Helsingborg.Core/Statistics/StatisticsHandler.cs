using System.Globalization;
using System.Text;
using Helsingborg.Access;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Helsingborg.Outreach;
using Helsingborg.Partners;
using Helsingborg.Referrals;
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
/// <c>GET /api/statistics</c>: the IOP figures per month, quarter, partner or municipality (<c>view=figures</c>, the
/// default), or the referral figures per receiving organisation and support kind (<c>view=referrals</c>), as JSON or as
/// a CSV that Excel with Swedish settings opens as it is (UTF-8 with BOM, semicolons, CRLF). Read from the
/// anonymous aggregates of <see cref="StatisticsStore"/>, the outreach sessions and the anonymous rows of
/// <see cref="ReferralStore"/>, never from personal data. Small numbers are suppressed in CSV and for callers with the
/// statistics role only (not coordinators).
/// </summary>
public sealed class StatisticsHandler(StatisticsStore store, OutreachSessionStore sessions, ReferralStore referrals, IOptionsMonitor<StatisticsOptions> options, CityProfile profile, TimeProvider clock)
{
    public const string FiguresView = "figures";
    public const string ReferralsView = "referrals";

    public async Task<IResult> GetAsync(ApiCall call)
    {
        IQueryCollection query = call.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        (DateOnly from, DateOnly to) = Period.Read(query, clock.GetUtcNow(), errors);
        string view = query["view"].FirstOrDefault() ?? FiguresView;
        if (view is not (FiguresView or ReferralsView))
        {
            errors["view"] = ["Must be figures or referrals."];
        }

        string? groupText = query["groupBy"].FirstOrDefault();
        GroupBy groupBy = GroupBy.Month;
        if (view == ReferralsView && groupText is not null)
        {
            errors["groupBy"] = ["Referral figures are always by organisation and kind: leave groupBy out with view=referrals."];
        }
        else if (groupText is not null && (!Enum.TryParse(groupText, ignoreCase: true, out groupBy) || !Enum.IsDefined(groupBy) || groupText.Any(char.IsDigit)))
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

        bool english = lang == "en";
        int below = options.CurrentValue.SuppressBelow;
        bool suppress = !call.Authenticated.Roles.Contains(Role.Coordinator);
        int shown = suppress ? below : 0;
        if (view == ReferralsView)
        {
            ReferralTable table = await ReferralsAsync(from, to, call.Aborted);
            if (format == "csv")
            {
                return Csv(call, string.Create(CultureInfo.InvariantCulture, $"statistik-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}-referrals.csv"), StatisticsCsv.WriteReferrals(table, below, english, profile));
            }

            return Results.Json(
                new
                {
                    from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    to = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    view,
                    suppressedBelow = suppress ? below : (int?)null,
                    items = table.Items.Select(f => Json(f, shown, english)),
                    organisations = table.Organisations.Select(f => Json(f, shown, english)),
                    total = Json(table.Total, shown, english),
                },
                ApiJson.Options);
        }

        IReadOnlyList<StatisticsGroup> groups = await ComputeAsync(from, to, groupBy, call.Aborted);
        StatisticsGroup total = StatisticsReport.Total(groups);
        if (format == "csv")
        {
            return Csv(call, string.Create(CultureInfo.InvariantCulture, $"statistik-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}-{groupBy.ToString().ToLowerInvariant()}.csv"), StatisticsCsv.Write(groups, total, groupBy, below, english, profile));
        }

        return Results.Json(
            new
            {
                from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                to = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                view,
                groupBy = groupBy.ToString().ToLowerInvariant(),
                suppressedBelow = suppress ? below : (int?)null,
                items = groups.Select(g => Json(g, groupBy, shown, english)),
                total = Json(total, groupBy, shown, english),
            },
            ApiJson.Options);
    }

    /// <summary>The referral figures of the referrals sent from the first day to the end of the last (UTC).</summary>
    public async Task<ReferralTable> ReferralsAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return ReferralReport.Build(await referrals.SentBetweenAsync(start, end, cancellationToken), profile);
    }

    static IResult Csv(ApiCall call, string fileName, byte[] csv)
    {
        call.Request.HttpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        return Results.Bytes(csv, "text/csv; charset=utf-8");
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

    Dictionary<string, object?> Json(ReferralFigures f, int below, bool english)
    {
        object Show(long v) => StatisticsReport.Show(v, below);
        return new Dictionary<string, object?>
        {
            ["organisation"] = f.Organisation,
            ["label"] = Labels.Organisation(f.Organisation, english, profile),
            ["kind"] = f.Kind is { } kind ? KebabCase.Name(kind) : null,
            ["kindLabel"] = Labels.Kind(f.Kind, english),
            ["sent"] = Show(f.Sent),
            ["accepted"] = Show(f.Accepted),
            ["declined"] = Show(f.Declined),
            ["completed"] = Show(f.Completed),
            ["expired"] = Show(f.Expired),
            ["cancelled"] = Show(f.Cancelled),
            ["awaitingAnswer"] = Show(f.AwaitingAnswer),
            ["medianAnswerHours"] = ReferralReport.ShowMedianHours(f, below),
            ["declinedShare"] = ReferralReport.ShowShare(f.DeclinedShare, f.Declined, f.Sent, below),
            ["expiredShare"] = ReferralReport.ShowShare(f.ExpiredShare, f.Expired, f.Sent, below),
        };
    }

    Dictionary<string, object?> Json(StatisticsGroup g, GroupBy groupBy, int below, bool english)
    {
        object Show(long v) => StatisticsReport.Show(v, below);
        return new Dictionary<string, object?>
        {
            ["group"] = g.Group,
            ["label"] = Labels.Group(g.Group, groupBy, english, profile),
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

    static readonly Dictionary<SupportKind, (string Sv, string En)> Kinds = new()
    {
        [SupportKind.Accommodation] = ("boende", "accommodation"),
        [SupportKind.Psychological] = ("psykologiskt stöd", "psychological assistance"),
        [SupportKind.Material] = ("materiellt stöd", "material assistance"),
        [SupportKind.Medical] = ("akut sjukvård", "emergency medical treatment"),
        [SupportKind.Interpretation] = ("tolk och översättning", "translation and interpretation"),
        [SupportKind.CounsellingLegal] = ("rådgivning om rättigheter", "counselling on legal rights"),
        [SupportKind.CriminalProceedings] = ("stöd i brottmål", "assistance in criminal proceedings"),
        [SupportKind.EducationChildren] = ("skolgång för barn", "education for children"),
        [SupportKind.ContactPerson] = ("kontaktperson", "contact person"),
        [SupportKind.Other] = ("annat", "other"),
    };

    /// <summary>A support kind's display name; null (every kind of a row) reads "alla insatser" / "all kinds".</summary>
    public static string Kind(SupportKind? kind, bool english) => kind is { } k
        ? (english ? Kinds[k].En : Kinds[k].Sv)
        : (english ? "all kinds" : "alla insatser");

    /// <summary>A receiving organisation's name from the city profile (its id when the profile no longer names it); "total" reads "Totalt" / "Total".</summary>
    public static string Organisation(string organisation, bool english, CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return organisation == ReferralReport.Total ? (english ? "Total" : "Totalt") : profile.Organisation(organisation)?.Name(english) ?? organisation;
    }

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
