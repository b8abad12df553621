using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.PersonHints;

/// <summary>
/// The person hints (table <c>PersonHints</c>): for each case, the keyed hashes of its person's alias and contact, never
/// the values. A hint row (partition <c>alias|{hash}</c> or <c>contact|{hash}</c>, row the case id) finds the other cases
/// of a hash in one partition; the case's own rows (partition <c>case|{caseId}</c>, row the hint) find its hints, to
/// match and to erase. Writes are upserts, so a repeated intake writes the same rows.
/// </summary>
public sealed class PersonHintStore(CaseStorage storage, PersonHintKey key)
{
    readonly TableClient hints = storage.Table(CaseStorage.PersonHintsTable);

    /// <summary>
    /// Makes the case's hints those of <paramref name="alias"/> and <paramref name="contact"/> (either may be null): the
    /// case's own rows first, so an erasure that runs meanwhile finds every hint row; hints the case no longer has go.
    /// </summary>
    public async Task RecordAsync(string caseId, DateTimeOffset openedAt, string? alias, string? contact, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PersonHint> now = PersonHintHash.Of(await key.GetAsync(cancellationToken), alias, contact);
        IReadOnlyList<PersonHint> before = await HintsOfAsync(caseId, cancellationToken);
        foreach (PersonHint hint in now)
        {
            await hints.UpsertEntityAsync(new TableEntity(CasePartition(caseId), hint.Key) { ["Field"] = KebabCase.Name(hint.Field) }, TableUpdateMode.Replace, cancellationToken);
            await hints.UpsertEntityAsync(new TableEntity(hint.Key, caseId) { ["Field"] = KebabCase.Name(hint.Field), ["OpenedAt"] = openedAt }, TableUpdateMode.Replace, cancellationToken);
        }

        foreach (PersonHint gone in before.Except(now))
        {
            await DeleteAsync(hints, gone.Key, caseId, cancellationToken);
            await DeleteAsync(hints, CasePartition(caseId), gone.Key, cancellationToken);
        }
    }

    /// <summary>The case's hints.</summary>
    public async Task<IReadOnlyList<PersonHint>> HintsOfAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var found = new List<PersonHint>();
        string partition = CasePartition(caseId);
        await foreach (TableEntity row in hints.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            if (PersonHint.FromKey(row.RowKey) is { } hint)
            {
                found.Add(hint);
            }
        }

        return found;
    }

    /// <summary>The other cases that share a hint with the case, each with the fields it shares, the newest opened first.</summary>
    public async Task<IReadOnlyList<PersonHintMatch>> MatchesAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var matches = new Dictionary<string, (DateTimeOffset? OpenedAt, SortedSet<PersonHintField> Fields)>(StringComparer.Ordinal);
        foreach (PersonHint hint in await HintsOfAsync(caseId, cancellationToken))
        {
            string partition = hint.Key;
            await foreach (TableEntity row in hints.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["RowKey", "OpenedAt"], cancellationToken: cancellationToken))
            {
                if (row.RowKey != caseId)
                {
                    if (!matches.TryGetValue(row.RowKey, out var match))
                    {
                        matches[row.RowKey] = match = (row.GetDateTimeOffset("OpenedAt"), []);
                    }

                    match.Fields.Add(hint.Field);
                }
            }
        }

        return [.. matches
            .Select(m => new PersonHintMatch(m.Key, m.Value.OpenedAt, [.. m.Value.Fields]))
            .OrderByDescending(m => m.OpenedAt)
            .ThenBy(m => m.CaseId, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Deletes every hint of the case (erasure, <see cref="DataProtection.CaseVault.EraseAsync"/>): its hint rows, then its
    /// own rows. Needs no key, so it works whatever became of the master key. Idempotent.
    /// </summary>
    public static async Task EraseAsync(CaseStorage storage, string caseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        TableClient table = storage.Table(CaseStorage.PersonHintsTable);
        string partition = CasePartition(caseId);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await DeleteAsync(table, row.RowKey, caseId, cancellationToken);
            await DeleteAsync(table, row.PartitionKey, row.RowKey, cancellationToken);
        }
    }

    static string CasePartition(string caseId) => "case|" + caseId;

    static async Task DeleteAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(partitionKey, rowKey, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }
}
