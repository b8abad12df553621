using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The inbox of accepted events: every event a coordinator or a receiving organisation sends is stored here, with its
/// place in the case's order (its sequence number), before it is answered 202. The orchestration applies events in
/// that order and ignores one it already applied, so what is stored reaches the case exactly once whatever fails after
/// the answer. One partition per case: a head row with the last sequence number, one row per event and one per
/// idempotency key, written in one entity-group transaction, so a number, its event and its key exist together or not
/// at all. Events are anonymous (a note is sealed in the vault), like the orchestration's history.
/// </summary>
public sealed class CaseInbox(CaseStorage storage)
{
    /// <summary>How long an <c>Idempotency-Key</c> answers with the original acceptance.</summary>
    public static readonly TimeSpan KeepKeysFor = TimeSpan.FromDays(7);

    /// <summary>The partition that lists cases whose events may still be on their way, for <see cref="InboxRedeliveryJob"/>.</summary>
    internal const string OutstandingPartition = "~outstanding";

    const string HeadRow = "h";
    readonly TableClient table = storage.Table(CaseStorage.InboxTable);

    static string EventRow(long seq) => "e" + seq.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);

    static string KeyRow(string organisation, string key) =>
        "k" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(organisation + "\n" + key)));

    /// <summary>The event id an idempotent request gets: the same for every retry, so a note sealed twice lands in one field.</summary>
    public static string EventIdFor(string organisation, string caseId, string key) =>
        "e_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(caseId + "\n" + organisation + "\n" + key)))[..32].ToLowerInvariant();

    /// <summary>A fingerprint of what a request asks for, compared when its key comes again.</summary>
    public static string Fingerprint(string request) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(request)));

    /// <summary>What the inbox holds of a case beyond the applied events: the last number given and the events not yet applied.</summary>
    public sealed record Pending(string CaseId, long Head, IReadOnlyList<CaseEvent> Events, ETag HeadTag);

    /// <summary>An earlier acceptance of the same key: the event it stored and when.</summary>
    public sealed record Accepted(long Seq, CaseEventType Type, DateTimeOffset AcceptedAt, string Fingerprint);

    /// <summary>The events after <paramref name="applied"/> and the head, in one partition query.</summary>
    public async Task<Pending> PendingAsync(string caseId, long applied, CancellationToken cancellationToken = default)
    {
        var events = new List<CaseEvent>();
        long head = 0;
        ETag tag = default;
        string from = EventRow(applied);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == caseId && e.RowKey.CompareTo(from) > 0 && e.RowKey.CompareTo(HeadRow) <= 0, cancellationToken: cancellationToken))
        {
            if (row.RowKey == HeadRow)
            {
                head = row.GetInt64("Seq") ?? 0;
                tag = row.ETag;
            }
            else
            {
                events.Add(Read(row));
            }
        }

        return new Pending(caseId, head, events, tag);
    }

    /// <summary>Up to <paramref name="max"/> events after <paramref name="applied"/>, in order: what the orchestration pulls.</summary>
    public async Task<IReadOnlyList<CaseEvent>> ReadAsync(string caseId, long applied, int max, CancellationToken cancellationToken = default)
    {
        var events = new List<CaseEvent>();
        string from = EventRow(applied);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(
            e => e.PartitionKey == caseId && e.RowKey.CompareTo(from) > 0 && e.RowKey.CompareTo(HeadRow) < 0, maxPerPage: max, cancellationToken: cancellationToken))
        {
            events.Add(Read(row));
            if (events.Count == max)
            {
                break;
            }
        }

        return events;
    }

    /// <summary>The last sequence number given in the case, 0 when none.</summary>
    public async Task<long> HeadAsync(string caseId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> head = await table.GetEntityIfExistsAsync<TableEntity>(caseId, HeadRow, ["Seq"], cancellationToken);
        return head.HasValue ? head.Value!.GetInt64("Seq") ?? 0 : 0;
    }

    /// <summary>The earlier acceptance of a key from an organisation within <see cref="KeepKeysFor"/>, if any.</summary>
    public async Task<(Accepted? Accepted, ETag? Expired)> FindKeyAsync(string caseId, string organisation, string key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(caseId, KeyRow(organisation, key), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return (null, null);
        }

        TableEntity entity = row.Value!;
        DateTimeOffset acceptedAt = entity.GetDateTimeOffset("AcceptedAt")!.Value;
        if (now - acceptedAt > KeepKeysFor)
        {
            return (null, entity.ETag);
        }

        KebabCase.TryParse(entity.GetString("Type"), out CaseEventType type);
        return (new Accepted(entity.GetInt64("Seq") ?? 0, type, acceptedAt, entity.GetString("Fingerprint")), null);
    }

    /// <summary>
    /// Stores the event as number head + 1, with its key if it has one, in one transaction. False when another request
    /// got there first (the head moved, or the key was taken): the caller reads again and decides again.
    /// </summary>
    public async Task<bool> AppendAsync(Pending pending, CaseEvent e, (string Organisation, string Key, string Fingerprint, ETag? Expired)? key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(e);
        string caseId = pending.CaseId;
        long seq = pending.Head + 1;
        var head = new TableEntity(caseId, HeadRow) { ["Seq"] = seq };
        var actions = new List<TableTransactionAction>
        {
            pending.Head == 0 && pending.HeadTag == default
                ? new TableTransactionAction(TableTransactionActionType.Add, head)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, head, pending.HeadTag),
            new(TableTransactionActionType.Add, new TableEntity(caseId, EventRow(seq))
            {
                ["Event"] = JsonSerializer.Serialize(e with { Seq = seq }, DurableJson.Options),
                ["AcceptedAt"] = now,
            }),
        };
        if (key is { } k)
        {
            var keyRow = new TableEntity(caseId, KeyRow(k.Organisation, k.Key))
            {
                ["Seq"] = seq,
                ["Type"] = KebabCase.Name(e.Type),
                ["AcceptedAt"] = now,
                ["Fingerprint"] = k.Fingerprint,
            };
            actions.Add(k.Expired is { } tag
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, keyRow, tag)
                : new TableTransactionAction(TableTransactionActionType.Add, keyRow));
        }

        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException t) when (t.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }
    }

    /// <summary>
    /// Lists the case as possibly having events on their way; called before an event is stored, so a stored event is
    /// always listed (<see cref="InboxRedeliveryJob"/> removes the entry only once nothing is left and nobody touched it since).
    /// </summary>
    public Task ListAsync(string caseId, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(new TableEntity(OutstandingPartition, caseId), TableUpdateMode.Replace, cancellationToken);

    /// <summary>The event stored as number <paramref name="seq"/>.</summary>
    public async Task<CaseEvent?> GetAsync(string caseId, long seq, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(caseId, EventRow(seq), cancellationToken: cancellationToken);
        return row.HasValue ? Read(row.Value!) : null;
    }

    /// <summary>The cases listed as possibly having events on their way, with when each was last touched.</summary>
    public async IAsyncEnumerable<(string CaseId, DateTimeOffset TouchedAt, ETag Tag)> OutstandingAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == OutstandingPartition, select: ["RowKey", "Timestamp"], cancellationToken: cancellationToken))
        {
            yield return (row.RowKey, row.Timestamp ?? DateTimeOffset.MinValue, row.ETag);
        }
    }

    /// <summary>Takes a case off the outstanding list unless a request touched it since it was read.</summary>
    public async Task SettleAsync(string caseId, ETag tag, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.DeleteEntityAsync(OutstandingPartition, caseId, tag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.PreconditionFailed)
        {
        }
    }

    /// <summary>Deletes a case's inbox (retention: the case's record is purged).</summary>
    public async Task DeleteAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var batch = new List<TableTransactionAction>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == caseId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, ETag.All));
            if (batch.Count == 100)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }

        await SettleAsync(caseId, ETag.All, cancellationToken);
    }

    static CaseEvent Read(TableEntity row) =>
        JsonSerializer.Deserialize<CaseEvent>(row.GetString("Event"), DurableJson.Options) ?? throw new JsonException($"Inbox row {row.RowKey} holds no event.");
}
