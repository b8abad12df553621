using System.Globalization;
using System.Net;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Statistics;
using Helsingborg.Storage;

namespace Helsingborg.Exports;

/// <summary>
/// The facts of the national export (table <see cref="CaseStorage.ExportFactsTable"/>), partitioned by the month
/// (UTC) a case was registered. The facts themselves live in <b>pools</b>: rows <c>p|{nn}</c> that count how many
/// cases have each <see cref="CaseFacts.Key"/>, with no case id, no time finer than the month and no order, so a
/// pool says nothing of which case holds which facts. While a case's personal data exists, its row
/// <c>c|{caseId}</c> says which key and pool it counts under, so that the projection can move it when the outcome
/// changes (the case row and its pool change in one entity-group transaction, guarded by ETags, as in
/// <see cref="StatisticsStore"/>). Erasure (consent withdrawn, retention) deletes that row and with it the only
/// link from the case to its facts; the pool keeps counting them, so the export's figures do not change. A marker
/// <c>k|{caseId}</c> (no data) remembers that the case was counted, so a repeated intake never counts it twice.
/// </summary>
public sealed class ExportFactsStore(CaseStorage storage, CityProfile profile)
{
    public const string CasePrefix = "c|";
    public const string MarkerPrefix = "k|";
    public const string PoolPrefix = "p|";

    /// <summary>Pools a month starts with, chosen at random per case, so that a busy night's intakes do not all contend for one row.</summary>
    public const int Shards = 16;

    /// <summary>
    /// Cases one pool takes: each case adds at most one line (about 220 characters at most), and a pool's lines must
    /// fit its <see cref="MaxChunks"/> properties of <see cref="ChunkLength"/> characters. A full pool sends new cases
    /// to the next one; a month has at most <see cref="MaxPools"/>.
    /// </summary>
    public const int MaxCasesPerPool = 1500;

    const int MaxPools = 100;
    const int ChunkLength = 30_000;
    const int MaxChunks = 14;
    const int MaxAttempts = 30;
    const string CasesColumn = "Cases";
    const string KeyColumn = "Key";
    const string PoolColumn = "Pool";

    readonly TableClient table = storage.Table(CaseStorage.ExportFactsTable);

    public static string CaseRowKey(string caseId) => CasePrefix + caseId;

    public static string MarkerRowKey(string caseId) => MarkerPrefix + caseId;

    public static string PoolRowKey(int pool) => string.Create(CultureInfo.InvariantCulture, $"{PoolPrefix}{pool:D2}");

    /// <summary>Counts a new case: its intake's facts, with the referral source of the reporting organisation and the opened state's outcome.</summary>
    public Task OpenAsync(CaseState opened, IntakeSubmission intake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opened);
        ArgumentNullException.ThrowIfNull(intake);
        string referral = profile.Organisation(opened.ReportedBy)?.ReferralSource ?? "other";
        return AddAsync(opened.CaseId, opened.OpenedAt, CaseFacts.FromIntake(intake, referral).WithOutcome(opened), cancellationToken);
    }

    /// <summary>Counts a case's facts in the month of <paramref name="registeredAt"/>, once: a repeated call changes nothing.</summary>
    public async Task AddAsync(string caseId, DateTimeOffset registeredAt, CaseFacts facts, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        ArgumentNullException.ThrowIfNull(facts);
        string month = StatisticsStore.MonthOf(registeredAt);
        int pool = Random.Shared.Next(Shards);
        for (int attempt = 1; ; attempt++)
        {
            Pool counts = await ReadPoolAsync(month, pool, cancellationToken);
            if (counts.Cases >= MaxCasesPerPool)
            {
                pool = NextPool(pool);
                continue;
            }

            counts.Add(facts.Key, 1);
            TableTransactionAction[] batch =
            [
                new(TableTransactionActionType.Add, new TableEntity(month, MarkerRowKey(caseId))),
                new(TableTransactionActionType.Add, new TableEntity(month, CaseRowKey(caseId)) { [KeyColumn] = facts.Key, [PoolColumn] = pool }),
                counts.Write(month, pool),
            ];
            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Counted already (a repeated intake), or another case changed the pool first: read again.
                NullableResponse<TableEntity> marker = await table.GetEntityIfExistsAsync<TableEntity>(month, MarkerRowKey(caseId), select: ["PartitionKey"], cancellationToken: cancellationToken);
                if (marker.HasValue)
                {
                    return;
                }

                if (attempt >= MaxAttempts)
                {
                    throw;
                }

                await Backoff(attempt, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Brings a case's facts to the outcome of <paramref name="state"/> (status, close reason, return, support given);
    /// when the state is erased, it then deletes the case's row, so the facts stay counted but no longer lead back to
    /// the case. Idempotent; a case without a row (erased before, or opened before the export existed) is left alone.
    /// </summary>
    public async Task ProjectAsync(CaseState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        string month = StatisticsStore.MonthOf(state.OpenedAt);
        for (int attempt = 1; ; attempt++)
        {
            NullableResponse<TableEntity> found = await table.GetEntityIfExistsAsync<TableEntity>(month, CaseRowKey(state.CaseId), cancellationToken: cancellationToken);
            if (!found.HasValue)
            {
                return;
            }

            TableEntity row = found.Value!;
            string before = row.GetString(KeyColumn) ?? throw new InvalidDataException("A case row of the export facts has no key.");
            int pool = row.GetInt32(PoolColumn) ?? 0;
            string after = CaseFacts.Parse(before).WithOutcome(state).Key;
            if (!state.Erased && after == before)
            {
                return;
            }

            var batch = new List<TableTransactionAction>(2)
            {
                state.Erased
                    ? new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, new TableEntity(month, row.RowKey) { [KeyColumn] = after, [PoolColumn] = pool }, row.ETag),
            };
            if (after != before)
            {
                Pool counts = await ReadPoolAsync(month, pool, cancellationToken);
                counts.Add(before, -1);
                counts.Add(after, 1);
                batch.Add(counts.Write(month, pool));
            }

            try
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                return;
            }
            catch (TableTransactionFailedException e) when (attempt < MaxAttempts && e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
            {
                await Backoff(attempt, cancellationToken);
            }
        }
    }

    /// <summary>Deletes a case's row (retention): its facts stay counted, no longer linked to it. Idempotent.</summary>
    public async Task UnlinkAsync(string caseId, DateTimeOffset registeredAt, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.DeleteEntityAsync(StatisticsStore.MonthOf(registeredAt), CaseRowKey(caseId), ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Whether the case still has its row (tests and operators; the export never reads case rows).</summary>
    public async Task<bool> IsLinkedAsync(string caseId, DateTimeOffset registeredAt, CancellationToken cancellationToken = default) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(StatisticsStore.MonthOf(registeredAt), CaseRowKey(caseId), select: ["PartitionKey"], cancellationToken: cancellationToken)).HasValue;

    /// <summary>The facts a case counts under while it has its row (not after erasure), or null.</summary>
    public async Task<CaseFacts?> FactsOfAsync(string caseId, DateTimeOffset registeredAt, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(StatisticsStore.MonthOf(registeredAt), CaseRowKey(caseId), select: [KeyColumn], cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetString(KeyColumn) is { } key ? CaseFacts.Parse(key) : null;
    }

    /// <summary>The counted facts of the months <paramref name="first"/> to <paramref name="last"/> ("yyyy-MM"), one entry per case, from the pools only.</summary>
    public async Task<IReadOnlyList<ExportCase>> ReadAsync(string first, string last, CancellationToken cancellationToken = default)
    {
        var cases = new List<ExportCase>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey le {last} and RowKey ge {PoolPrefix} and RowKey lt {"p}"}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            DateOnly month = DateOnly.ParseExact(row.PartitionKey, "yyyy-MM", CultureInfo.InvariantCulture);
            foreach ((string key, long count) in Pool.From(row).Counts)
            {
                CaseFacts facts = CaseFacts.Parse(key);
                for (long i = 0; i < count; i++)
                {
                    cases.Add(new ExportCase(month.Year, month.Month, facts));
                }
            }
        }

        return cases;
    }

    async Task<Pool> ReadPoolAsync(string month, int pool, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(month, PoolRowKey(pool), cancellationToken: cancellationToken);
        return row.HasValue ? Pool.From(row.Value!) : new Pool(null);
    }

    static int NextPool(int pool) => pool + 1 < MaxPools ? pool + 1 : throw new InvalidOperationException("Every export facts pool of the month is full.");

    static Task Backoff(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(Random.Shared.Next(5, 20 * Math.Min(attempt, 10)), cancellationToken);

    /// <summary>
    /// One pool row: lines <c>key TAB count</c>, sorted by key (so the text says nothing of the order cases came in),
    /// split over properties <c>R0</c>, <c>R1</c>, … of at most <see cref="ChunkLength"/> characters.
    /// </summary>
    sealed class Pool(TableEntity? row)
    {
        public SortedDictionary<string, long> Counts { get; } = Read(row);

        public long Cases => Counts.Values.Sum();

        public static Pool From(TableEntity row) => new(row);

        public void Add(string key, long delta)
        {
            long count = Counts.GetValueOrDefault(key) + delta;
            if (count < 0)
            {
                throw new InvalidDataException("An export facts pool does not hold the facts a case row names.");
            }

            if (count == 0)
            {
                Counts.Remove(key);
            }
            else
            {
                Counts[key] = count;
            }
        }

        /// <summary>The pool's new row, added or replaced under the ETag it was read with.</summary>
        public TableTransactionAction Write(string month, int pool)
        {
            var entity = new TableEntity(month, PoolRowKey(pool)) { [CasesColumn] = Cases };
            var chunk = new StringBuilder();
            int chunks = 0;
            foreach ((string key, long count) in Counts)
            {
                string line = string.Create(CultureInfo.InvariantCulture, $"{key}\t{count}\n");
                if (chunk.Length + line.Length > ChunkLength)
                {
                    entity["R" + chunks.ToString(CultureInfo.InvariantCulture)] = chunk.ToString();
                    chunks++;
                    chunk.Clear();
                }

                chunk.Append(line);
            }

            if (chunk.Length > 0)
            {
                entity["R" + chunks.ToString(CultureInfo.InvariantCulture)] = chunk.ToString();
                chunks++;
            }

            if (chunks > MaxChunks)
            {
                throw new InvalidOperationException("An export facts pool outgrew its row.");
            }

            return row is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag);
        }

        static SortedDictionary<string, long> Read(TableEntity? row)
        {
            var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
            for (int i = 0; row is not null && row.GetString("R" + i.ToString(CultureInfo.InvariantCulture)) is { } text; i++)
            {
                foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    int tab = line.LastIndexOf('\t');
                    if (tab <= 0 || !long.TryParse(line.AsSpan(tab + 1), NumberStyles.None, CultureInfo.InvariantCulture, out long count))
                    {
                        throw new InvalidDataException("An export facts pool has a line that is not a count.");
                    }

                    counts[line[..tab]] = counts.GetValueOrDefault(line[..tab]) + count;
                }
            }

            return counts;
        }
    }
}
