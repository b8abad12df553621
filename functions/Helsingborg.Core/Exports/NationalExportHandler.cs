using System.Globalization;
using System.Text;
using Helsingborg.Http;
using Helsingborg.Statistics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helsingborg.Exports;

/// <summary>Configuration section <c>Exports</c>.</summary>
public sealed class ExportOptions
{
    public const string SectionName = "Exports";

    /// <summary>
    /// k: every combination of quasi-identifiers in the national export is shared by at least this many records;
    /// smaller groups are generalised or suppressed (<see cref="SmallGroups"/>). At least <see cref="SmallGroups.MinimumGroupSize"/>.
    /// </summary>
    public int MinGroupSize { get; set; } = 5;
}

/// <summary>
/// <c>GET /api/exports/cases</c>: the anonymised export for the national follow-up, one record per case registered in
/// the period, coded to HTCDS (docs/national-export.md), with small groups generalised or suppressed. JSON, or a CSV
/// that Excel with Swedish settings opens as it is (the conventions of <see cref="StatisticsCsv"/>), whose counts come
/// as response headers. The period is given as for the statistics, in whole months, since the facts keep nothing finer.
/// Read from the export facts' pools and the statistics aggregates only, never from a case.
/// </summary>
public sealed partial class NationalExportHandler(
    ExportFactsStore facts,
    StatisticsStore statistics,
    Persons.PersonLinkStore links,
    PersonHints.PersonHintKey hintKey,
    IOptionsMonitor<ExportOptions> options,
    TimeProvider clock,
    ILogger<NationalExportHandler> logger)
{
    public async Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        IQueryCollection query = call.Request.Query;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        (DateOnly from, DateOnly to) = Period.Read(query, clock.GetUtcNow(), errors);
        if (string.IsNullOrEmpty(query["to"].FirstOrDefault()))
        {
            // Without a "to", the period runs to the end of the current month rather than to today.
            to = LastDay(to);
        }

        if (!errors.ContainsKey("from") && from.Day != 1)
        {
            errors["from"] = ["Must be the first day of a month: the export is by whole months."];
        }

        if (!errors.ContainsKey("to") && to != LastDay(to))
        {
            errors["to"] = ["Must be the last day of a month: the export is by whole months."];
        }

        string format = query["format"].FirstOrDefault() ?? "json";
        if (format is not ("json" or "csv"))
        {
            errors["format"] = ["Must be json or csv."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        string first = Month(from);
        string last = Month(to);
        Task<IReadOnlyList<ExportCase>> read = facts.ReadAsync(first, last, call.Aborted);
        Task<IReadOnlyList<FigureRow>> registered = statistics.AggregatesAsync(first, last, call.Aborted);
        IReadOnlyList<ExportCase> cases = await WithPersonGroupsAsync(await read, from, to, call.Aborted);
        ProtectedExport export = SmallGroups.Protect(cases, options.CurrentValue.MinGroupSize);
        long incidents = (await registered).Sum(r => r.Counters.GetValueOrDefault(CaseFigures.Incidents));
        long withoutFacts = Math.Max(0, incidents - export.Cases);
        LogExported(logger, first, last, export.Cases, export.Exported, export.Generalised, export.Suppressed);

        if (format == "csv")
        {
            IHeaderDictionary headers = call.Request.HttpContext.Response.Headers;
            headers.ContentDisposition = string.Create(CultureInfo.InvariantCulture, $"attachment; filename=\"national-export-{from:yyyy-MM-dd}-{to:yyyy-MM-dd}.csv\"");
            headers["Export-Cases"] = Text(export.Cases);
            headers["Export-Exported"] = Text(export.Exported);
            headers["Export-Generalised"] = Text(export.Generalised);
            headers["Export-Suppressed"] = Text(export.Suppressed);
            headers["Export-Min-Group-Size"] = Text(export.MinGroupSize);
            headers["Export-Cases-Without-Facts"] = Text(withoutFacts);
            return Results.Bytes(Csv(export), "text/csv; charset=utf-8");
        }

        return Results.Json(
            new NationalExport(from, to, Htcds.Standard, export.MinGroupSize, ExportRecord.QuasiIdentifierColumns, export.Cases, export.Exported, export.Generalised, export.Suppressed, withoutFacts, export.Records),
            ApiJson.Options);
    }

    /// <summary>
    /// The period's cases with the pseudonym of the person group each linked report belongs to. The pools keep no case id,
    /// so a linked report's facts are read from its own row (kept until erasure) and the pseudonym is put on one pooled case
    /// of the same month and facts: those are alike in everything the export shows. The pseudonyms are keyed with a key
    /// derived from the person hints' key (<see cref="PersonHints.PersonHintKey.DeriveAsync"/>); when it does not open (a
    /// master key version no longer configured), the export goes out without them and the error is logged.
    /// </summary>
    async Task<IReadOnlyList<ExportCase>> WithPersonGroupsAsync(IReadOnlyList<ExportCase> cases, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        byte[] key;
        try
        {
            key = await hintKey.DeriveAsync(PersonGroupPurpose, cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            LogNoPersonGroups(logger, e);
            return cases;
        }

        var members = new List<(int Year, int Month, CaseFacts Facts, string Group)>();
        foreach (Persons.PersonGroup group in Persons.PersonGroups.Of(await links.AllAsync(cancellationToken)))
        {
            string pseudonym = Persons.PersonGroups.Pseudonym(group.Id, key);
            foreach (Persons.GroupMember member in group.Members)
            {
                DateOnly day = DateOnly.FromDateTime(member.OpenedAt.UtcDateTime);
                if (day >= from && day <= to && await facts.FactsOfAsync(member.CaseId, member.OpenedAt, cancellationToken) is { } stored)
                {
                    members.Add((day.Year, day.Month, stored, pseudonym));
                }
            }
        }

        return PersonGroupAssignment.Assign(cases, members);
    }

    /// <summary>The records as CSV: a header row of <see cref="ExportRecord.Columns"/>, one row per record.</summary>
    public static byte[] Csv(ProtectedExport export)
    {
        ArgumentNullException.ThrowIfNull(export);
        var text = new StringBuilder();
        StatisticsCsv.Line(text, ExportRecord.Columns);
        foreach (ExportRecord record in export.Records)
        {
            StatisticsCsv.Line(text, record.Cells());
        }

        return StatisticsCsv.Encode(text);
    }

    static DateOnly LastDay(DateOnly day) => new(day.Year, day.Month, DateTime.DaysInMonth(day.Year, day.Month));

    static string Month(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The purpose the person groups' key is derived for.</summary>
    const string PersonGroupPurpose = "national-export-person-group";

    [LoggerMessage(Level = LogLevel.Error, Message = "The person hints' key did not open: the national export goes out without person groups.")]
    static partial void LogNoPersonGroups(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "National export of {First} to {Last}: {Cases} cases, {Exported} exported, {Generalised} generalised, {Suppressed} suppressed")]
    static partial void LogExported(ILogger logger, string first, string last, int cases, int exported, int generalised, int suppressed);
}

/// <summary><c>GET /api/exports/cases</c> as JSON: the period, the protection applied and its counts, and the records.</summary>
public sealed record NationalExport(
    DateOnly From, DateOnly To, string Standard, int MinGroupSize, IReadOnlyList<string> QuasiIdentifiers, int Cases, int Exported, int Generalised, int Suppressed,
    long CasesWithoutFacts, IReadOnlyList<ExportRecord> Records);
