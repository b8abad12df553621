using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Statistics;

/// <summary>Counters of one (month, partner, municipality) cell, or of one case.</summary>
public sealed record FigureRow(string Month, string Partner, string Municipality, DateTimeOffset? ReceivedAt, IReadOnlyDictionary<string, long> Counters);

/// <summary>
/// The statistics read model, partitioned by the month (UTC) a case was received. Each partition holds one
/// anonymous row per case (<c>c|{caseId}</c>: its current contribution) and one aggregate row per partner
/// and municipality (<c>a|{partner}|{municipality}</c>: the sum of its cases). A change of a case writes
/// its row and the aggregate's delta in one entity-group transaction, guarded by ETags, so the aggregate
/// is exact, a repeated write adds nothing, and a year of figures is read from a few hundred rows.
/// </summary>
public sealed class StatisticsStore(CaseStorage storage)
{
    public const string CasePrefix = "c|";
    public const string AggregatePrefix = "a|";
    const int MaxAttempts = 30;
    readonly TableClient table = storage.Table(CaseStorage.StatisticsTable);

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string CaseRowKey(string caseId) => CasePrefix + caseId;

    public static string AggregateRowKey(string partner, string municipality) => $"{AggregatePrefix}{partner}|{municipality}";

    /// <summary>
    /// Sets the given counters of a case (the others keep their values) and moves the aggregate by the
    /// difference. Idempotent: setting the same values again changes nothing.
    /// </summary>
    public async Task SetAsync(string caseId, DateTimeOffset receivedAt, string partner, string municipality, IReadOnlyDictionary<string, long> counters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(counters);
        string month = MonthOf(receivedAt);
        for (int attempt = 1; ; attempt++)
        {
            NullableResponse<TableEntity> existing = await table.GetEntityIfExistsAsync<TableEntity>(month, CaseRowKey(caseId), cancellationToken: cancellationToken);
            TableEntity? caseRow = existing.HasValue ? existing.Value : null;
            var delta = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach ((string name, long value) in counters)
            {
                long before = caseRow is null ? 0 : Read(caseRow, name);
                if (before != value)
                {
                    delta[name] = value - before;
                }
            }

            if (caseRow is not null && delta.Count == 0)
            {
                return;
            }

            var nextCase = new TableEntity(month, CaseRowKey(caseId))
            {
                ["ReceivedAt"] = receivedAt,
                ["Partner"] = partner,
                ["Municipality"] = municipality,
            };
            foreach (string name in CaseFigures.All)
            {
                nextCase[name] = counters.TryGetValue(name, out long set) ? set : caseRow is null ? 0 : Read(caseRow, name);
            }

            NullableResponse<TableEntity> aggregate = await table.GetEntityIfExistsAsync<TableEntity>(month, AggregateRowKey(partner, municipality), cancellationToken: cancellationToken);
            var nextAggregate = new TableEntity(month, AggregateRowKey(partner, municipality)) { ["Partner"] = partner, ["Municipality"] = municipality };
            foreach (string name in CaseFigures.All)
            {
                long sum = aggregate.HasValue ? Read(aggregate.Value!, name) : 0;
                nextAggregate[name] = sum + (delta.TryGetValue(name, out long d) ? d : 0);
            }

            var batch = new List<TableTransactionAction>(2)
            {
                caseRow is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, nextCase)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, nextCase, caseRow.ETag),
                aggregate.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, nextAggregate, aggregate.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, nextAggregate),
            };
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (attempt < MaxAttempts && e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another case of the same cell (or a retry of this one) won the race: read again.
                await Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt, 10)), cancellationToken);
            }
        }
    }

    /// <summary>The aggregate rows of whole months.</summary>
    public Task<IReadOnlyList<FigureRow>> AggregatesAsync(IEnumerable<string> months, CancellationToken cancellationToken = default) =>
        QueryMonthsAsync(months, month => TableClient.CreateQueryFilter($"PartitionKey eq {month} and RowKey ge {AggregatePrefix} and RowKey lt {"a}"}"), cancellationToken);

    /// <summary>The case rows of one month received in [from, to) — for a period that starts or ends inside a month.</summary>
    public Task<IReadOnlyList<FigureRow>> CasesAsync(string month, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        QueryMonthsAsync([month], m => TableClient.CreateQueryFilter(
            $"PartitionKey eq {m} and RowKey ge {CasePrefix} and RowKey lt {"c}"} and ReceivedAt ge {from} and ReceivedAt lt {to}"), cancellationToken);

    async Task<IReadOnlyList<FigureRow>> QueryMonthsAsync(IEnumerable<string> months, Func<string, string> filter, CancellationToken cancellationToken)
    {
        string[] select = ["PartitionKey", "Partner", "Municipality", "ReceivedAt", .. CaseFigures.All];
        var parts = await Task.WhenAll(months.Select(async month =>
        {
            var rows = new List<FigureRow>();
            await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter(month), maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
            {
                rows.Add(ToRow(e));
            }

            return rows;
        }));
        return [.. parts.SelectMany(p => p)];
    }

    /// <summary>Turns an entity of this table into a row (also used by tools that seed the table).</summary>
    public static FigureRow ToRow(TableEntity e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string name in CaseFigures.All)
        {
            counters[name] = Read(e, name);
        }

        return new FigureRow(e.PartitionKey, e.GetString("Partner") ?? "unknown", e.GetString("Municipality") ?? "unknown", e.GetDateTimeOffset("ReceivedAt"), counters);
    }

    /// <summary>The entities of a case row and of the aggregate of many case rows (for seeding a benchmark).</summary>
    public static TableEntity CaseEntity(string caseId, DateTimeOffset receivedAt, string partner, string municipality, IReadOnlyDictionary<string, long> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        var e = new TableEntity(MonthOf(receivedAt), CaseRowKey(caseId)) { ["ReceivedAt"] = receivedAt, ["Partner"] = partner, ["Municipality"] = municipality };
        foreach (string name in CaseFigures.All)
        {
            e[name] = counters.TryGetValue(name, out long v) ? v : 0L;
        }

        return e;
    }

    static long Read(TableEntity e, string name) => e.TryGetValue(name, out object? v) ? v switch
    {
        long l => l,
        int i => i,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long p) => p,
        _ => 0,
    } : 0;
}
