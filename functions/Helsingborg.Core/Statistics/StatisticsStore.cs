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
/// anonymous row per case (<c>c|{caseId}</c>: its current contribution), aggregate rows per partner and
/// municipality (<c>a|{partner}|{municipality}|{shard}</c>: the sum of their cases) and per day, partner and
/// municipality (<c>d|{dd}|{partner}|{municipality}|{shard}</c>, for periods that start or end inside a
/// month). A change of a case writes its row and both aggregates' delta in one entity-group transaction,
/// guarded by ETags, so the aggregates are exact, a repeated write adds nothing, and a year of figures is
/// read from aggregate rows only. A cell's aggregate is split over <see cref="Shards"/> rows, chosen by the
/// case id, because every intake of a busy night (one partner, one municipality, one day) would otherwise
/// contend for the same two rows; readers sum the rows of a cell.
/// </summary>
public sealed class StatisticsStore(CaseStorage storage)
{
    public const string CasePrefix = "c|";
    public const string AggregatePrefix = "a|";
    public const string DayPrefix = "d|";
    const int MaxAttempts = 30;
    readonly TableClient table = storage.Table(CaseStorage.StatisticsTable);

    public static string MonthOf(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static string CaseRowKey(string caseId) => CasePrefix + caseId;

    public const int Shards = 8;

    /// <summary>The aggregate shard a case counts in: stable, from the last character of its (random) id.</summary>
    public static int ShardOf(string caseId) => string.IsNullOrEmpty(caseId) ? 0 : caseId[^1] % Shards;

    public static string AggregateRowKey(string partner, string municipality, int shard) =>
        string.Create(CultureInfo.InvariantCulture, $"{AggregatePrefix}{partner}|{municipality}|{shard}");

    public static string DayRowKey(int day, string partner, string municipality, int shard) =>
        string.Create(CultureInfo.InvariantCulture, $"{DayPrefix}{day:D2}|{partner}|{municipality}|{shard}");

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
            // The case's row and both aggregates are read side by side; the transaction's ETags keep it exact.
            int shard = ShardOf(caseId);
            string[] aggregateKeys = [AggregateRowKey(partner, municipality, shard), DayRowKey(receivedAt.UtcDateTime.Day, partner, municipality, shard)];
            Task<NullableResponse<TableEntity>> readCase = table.GetEntityIfExistsAsync<TableEntity>(month, CaseRowKey(caseId), cancellationToken: cancellationToken);
            Task<NullableResponse<TableEntity>>[] readAggregates = [.. aggregateKeys.Select(k => table.GetEntityIfExistsAsync<TableEntity>(month, k, cancellationToken: cancellationToken))];
            await Task.WhenAll([readCase, .. readAggregates]);
            NullableResponse<TableEntity> existing = await readCase;
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

            var batch = new List<TableTransactionAction>(3)
            {
                caseRow is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, nextCase)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, nextCase, caseRow.ETag),
            };
            for (int i = 0; i < aggregateKeys.Length; i++)
            {
                NullableResponse<TableEntity> aggregate = await readAggregates[i];
                var next = new TableEntity(month, aggregateKeys[i]) { ["Partner"] = partner, ["Municipality"] = municipality };
                foreach (string name in CaseFigures.All)
                {
                    long sum = aggregate.HasValue ? Read(aggregate.Value!, name) : 0;
                    next[name] = sum + (delta.TryGetValue(name, out long d) ? d : 0);
                }

                batch.Add(aggregate.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, aggregate.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, next));
            }

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

    /// <summary>The aggregate rows of the consecutive whole months from <paramref name="first"/> to <paramref name="last"/>, in one query.</summary>
    public Task<IReadOnlyList<FigureRow>> AggregatesAsync(string first, string last, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey le {last} and RowKey ge {AggregatePrefix} and RowKey lt {"a}"}"), cancellationToken);

    /// <summary>The day aggregates of one month from day <paramref name="fromDay"/> to <paramref name="toDay"/>, both included.</summary>
    public Task<IReadOnlyList<FigureRow>> DaysAsync(string month, int fromDay, int toDay, CancellationToken cancellationToken = default) =>
        QueryAsync(TableClient.CreateQueryFilter(
            $"PartitionKey eq {month} and RowKey ge {string.Create(CultureInfo.InvariantCulture, $"{DayPrefix}{fromDay:D2}|")} and RowKey lt {string.Create(CultureInfo.InvariantCulture, $"{DayPrefix}{toDay + 1:D2}|")}"), cancellationToken);

    async Task<IReadOnlyList<FigureRow>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        string[] select = ["PartitionKey", "Partner", "Municipality", .. CaseFigures.All];
        var rows = new List<FigureRow>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: select, cancellationToken: cancellationToken))
        {
            rows.Add(ToRow(e));
        }

        return rows;
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
