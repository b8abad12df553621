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
public sealed class StatisticsHandler(StatisticsStore store, Persons.PersonLinkStore links, OutreachSessionStore sessions, ReferralStore referrals, IOptionsMonitor<StatisticsOptions> options, CityProfile profile, TimeProvider clock)
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
                new ReferralStatistics(
                    from, to, view, suppress ? below : null,
                    [.. table.Items.Select(f => Json(f, shown, english))], [.. table.Organisations.Select(f => Json(f, shown, english))], Json(table.Total, shown, english)),
                ApiJson.Options);
        }

        IReadOnlyList<StatisticsGroup> groups = await ComputeAsync(from, to, groupBy, call.Aborted);
        StatisticsGroup total = StatisticsReport.Total(groups);
        if (format == "csv")
        {
            return Csv(call, string.Create(CultureInfo.InvariantCulture, $"statistik-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}-{groupBy.ToString().ToLowerInvariant()}.csv"), StatisticsCsv.Write(groups, total, groupBy, below, english, profile));
        }

        return Results.Json(
            new FigureStatistics(
                from, to, view, groupBy.ToString().ToLowerInvariant(), suppress ? below : null,
                [.. groups.Select(g => Json(g, groupBy, shown, english))], Json(total, groupBy, shown, english)),
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

    /// <summary>
    /// The groups of a period: whole months from their month aggregates, partial edge months from their day aggregates, and
    /// the persons counter corrected so that reports linked as one person count once (<see cref="Persons.PersonGroups.Corrections"/>).
    /// </summary>
    public async Task<IReadOnlyList<StatisticsGroup>> ComputeAsync(DateOnly from, DateOnly to, GroupBy groupBy, CancellationToken cancellationToken)
    {
        (IReadOnlyList<string> whole, var partial) = StatisticsReport.Months(from, to);
        Task<IReadOnlyList<FigureRow>> aggregates = whole.Count == 0
            ? Task.FromResult<IReadOnlyList<FigureRow>>([])
            : store.AggregatesAsync(whole[0], whole[^1], cancellationToken);
        var edges = partial.Select(p => store.DaysAsync(p.Month, p.FromDay, p.ToDay, cancellationToken)).ToList();
        Task<IReadOnlyList<OutreachSession>> held = sessions.ListAsync(from, to, cancellationToken);
        Task<IReadOnlyList<Persons.PersonLink>> linked = links.AllAsync(cancellationToken);
        var rows = new List<FigureRow>(await aggregates);
        foreach (Task<IReadOnlyList<FigureRow>> edge in edges)
        {
            rows.AddRange(await edge);
        }

        // Reports linked as one person count as one person (read once per report: the links are few beside the cases).
        rows.AddRange(Persons.PersonGroups.Corrections(Persons.PersonGroups.Of(await linked), from, to));

        return StatisticsReport.Build(from, to, groupBy, rows, await held);
    }

    ReferralFiguresRow Json(ReferralFigures f, int below, bool english)
    {
        ShownCount Show(long v) => new(v, below);
        return new ReferralFiguresRow(
            f.Organisation, Labels.Organisation(f.Organisation, english, profile), f.Kind, Labels.Kind(f.Kind, english),
            Show(f.Sent), Show(f.Accepted), Show(f.Declined), Show(f.Completed), Show(f.Expired), Show(f.Cancelled), Show(f.AwaitingAnswer),
            ReferralReport.ShowMedianHours(f, below),
            ReferralReport.ShowShare(f.DeclinedShare, f.Declined, f.Sent, below),
            ReferralReport.ShowShare(f.ExpiredShare, f.Expired, f.Sent, below));
    }

    StatisticsRow Json(StatisticsGroup g, GroupBy groupBy, int below, bool english)
    {
        ShownCount Show(long v) => new(v, below);
        return new StatisticsRow(
            g.Group, Labels.Group(g.Group, groupBy, english, profile),
            Show(g[CaseFigures.Incidents]), Show(g[CaseFigures.Persons]), Show(g[CaseFigures.Conversations]),
            Show(CaseFigures.Kinds.Sum(k => g[CaseFigures.Given(k)])),
            CaseFigures.Kinds.ToDictionary(KebabCase.Name, k => Show(g[CaseFigures.Given(k)])),
            Show(g[StatisticsReport.Sessions]), Show(g[StatisticsReport.Ads]), Show(g[StatisticsReport.Contacts]), Show(g[StatisticsReport.Responses]),
            Show(g[StatisticsReport.Accepted]), Show(g[CaseFigures.OutreachIntakes]),
            CaseFigures.Reasons.ToDictionary(KebabCase.Name, r => Show(g[CaseFigures.Closed(r)])),
            Show(g[CaseFigures.Returns]),
            CaseFigures.Clocks.ToDictionary(KebabCase.Name, k => new ClockFigures(Show(g[CaseFigures.Met(k)]), Show(g[CaseFigures.Missed(k)]))),
            Show(g[CaseFigures.MovedAway]));
    }
}

/// <summary><c>GET /api/statistics</c> (view=figures): the IOP figures per group and in total.</summary>
public sealed record FigureStatistics(DateOnly From, DateOnly To, string View, string GroupBy, int? SuppressedBelow, IReadOnlyList<StatisticsRow> Items, StatisticsRow Total);

/// <summary>
/// One group's figures; counts may be suppressed (<see cref="ShownCount"/>). <see cref="MovedToAnotherMunicipality"/>: the
/// group's cases that an accepted transfer moved to another municipality than the intake's (the municipality now).
/// </summary>
public sealed record StatisticsRow(
    string Group, string Label, ShownCount IncidentsReported, ShownCount PersonsDocumented, ShownCount SupportConversations, ShownCount SupportGiven,
    IReadOnlyDictionary<string, ShownCount> SupportGivenByKind, ShownCount OutreachSessions, ShownCount AdsReviewed, ShownCount ContactsAttempted,
    ShownCount Responses, ShownCount SupportAccepted, ShownCount OutreachIntakes, IReadOnlyDictionary<string, ShownCount> CasesClosedByReason, ShownCount Returns,
    IReadOnlyDictionary<string, ClockFigures> StatutoryClocks, ShownCount MovedToAnotherMunicipality);

/// <summary>
/// A minor's statutory clock of one kind (protection-assessment, initial-assessment, investigation) over the group's cases:
/// how many were met on time, and how many missed (decided late, or past due without a decision).
/// </summary>
public sealed record ClockFigures(ShownCount MetOnTime, ShownCount Missed);

/// <summary><c>GET /api/statistics?view=referrals</c>: the referrals sent in the period per organisation and kind, per organisation, in total.</summary>
public sealed record ReferralStatistics(DateOnly From, DateOnly To, string View, int? SuppressedBelow, IReadOnlyList<ReferralFiguresRow> Items, IReadOnlyList<ReferralFiguresRow> Organisations, ReferralFiguresRow Total);

/// <summary>One organisation's (and kind's, or all kinds' when <paramref name="Kind"/> is null) referral figures.</summary>
public sealed record ReferralFiguresRow(
    string Organisation, string Label, SupportKind? Kind, string KindLabel, ShownCount Sent, ShownCount Accepted, ShownCount Declined, ShownCount Completed,
    ShownCount Expired, ShownCount Cancelled, ShownCount AwaitingAnswer, double? MedianAnswerHours, double? DeclinedShare, double? ExpiredShare);

/// <summary>A count as shown (<see cref="StatisticsReport.Show"/>): the number, or "&lt;5" where small numbers are suppressed.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(ShownCountConverter))]
public readonly record struct ShownCount(long Value, int Below) : IJsonSchemaDeclared
{
    public static System.Text.Json.Nodes.JsonObject JsonSchema => new()
    {
        ["oneOf"] = new System.Text.Json.Nodes.JsonArray(
            new System.Text.Json.Nodes.JsonObject { ["type"] = "integer", ["minimum"] = 0 },
            new System.Text.Json.Nodes.JsonObject { ["type"] = "string", ["pattern"] = "^<[0-9]+$" }),
    };
}

sealed class ShownCountConverter : System.Text.Json.Serialization.JsonConverter<ShownCount>
{
    public override ShownCount Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        throw new NotSupportedException("Shown counts are written, never read.");

    public override void Write(System.Text.Json.Utf8JsonWriter writer, ShownCount value, System.Text.Json.JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (StatisticsReport.Show(value.Value, value.Below) is string suppressed)
        {
            writer.WriteStringValue(suppressed);
        }
        else
        {
            writer.WriteNumberValue(value.Value);
        }
    }
}

/// <summary>Display names for groups and columns, in Swedish (default) and English.</summary>
public static class Labels
{
    static readonly string[] SwedishMonths = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"];

    /// <summary>A support kind's word from the glossary; null (every kind of a row) reads "Alla insatser" / "All kinds".</summary>
    public static string Kind(SupportKind? kind, bool english) => kind is { } k ? Language.Glossary.Word(k, english) : Language.Glossary.Term("allKinds", english);

    /// <summary>A receiving organisation's name from the city profile (its id when the profile no longer names it); "total" reads "Totalt" / "Total".</summary>
    public static string Organisation(string organisation, bool english, CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return organisation == ReferralReport.Total ? (english ? "Total" : "Totalt") : profile.Organisation(organisation)?.Name(english) ?? organisation;
    }

    /// <summary>The outreach sessions' group is an activity the organisations run together, not a partner.</summary>
    static string Activity(string group, bool english) => group == StatisticsReport.OutreachGroup
        ? (english ? "Internet outreach (activity)" : "Internetuppsök (aktivitet)")
        : group;

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
                return profile.Organisation(group)?.Name(english) ?? Activity(group, english);
            case GroupBy.Municipality:
                return profile.MunicipalityName(group) ?? profile.Organisation(group)?.Name(english) ?? Activity(group, english);
            default:
                return group == "total" ? (english ? "Total" : "Totalt") : group;
        }
    }
}
