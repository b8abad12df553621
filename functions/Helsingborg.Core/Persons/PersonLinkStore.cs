using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;

namespace Helsingborg.Persons;

/// <summary>
/// One direct link between two reports of one person, as its row in the table holds it: the case of the row
/// (<see cref="CaseId"/>) with its anonymous facts, and the case it is linked to. Every link has a row each way.
/// </summary>
public sealed record PersonLink(string CaseId, string Other, DateTimeOffset OpenedAt, string ReportedBy, string Municipality, bool PersonDocumented);

/// <summary>
/// The links between reports of one person (same-person-as), kept outside the orchestration state: one row per direct link
/// and direction (partition = a case id, row = the other's), with the anonymous facts of the partition's case the
/// statistics count it by. Written by the step that applies the event (<see cref="ApplyCaseStep"/>), idempotently: an
/// upsert of the same row, a delete that finds nothing. Case ids and anonymous facts only, never who the person is.
/// </summary>
public sealed class PersonLinkStore(CaseStorage storage)
{
    /// <summary>Cases a group may hold as read for a case page: a person reported more often than this is shown in part.</summary>
    public const int MaxGroup = 50;

    readonly TableClient table = storage.Table(CaseStorage.PersonLinksTable);
    readonly TableClient cases = storage.Table(CaseStorage.CasesTable);

    /// <summary>Carries out a step's link changes in order: a link writes both rows, an unlink deletes both.</summary>
    public async Task ApplyAsync(CaseState state, IReadOnlyList<PersonLinkChange> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(changes);
        foreach (PersonLinkChange change in changes)
        {
            if (change.Linked)
            {
                Task<TableEntity?> readSelf = CaseRowAsync(state.CaseId, cancellationToken);
                Task<TableEntity?> readOther = CaseRowAsync(change.Other, cancellationToken);
                TableEntity? self = await readSelf;
                TableEntity? other = await readOther;
                await Task.WhenAll(
                    table.UpsertEntityAsync(Row(state.CaseId, change.Other, state.OpenedAt, state.ReportedBy, state.Municipality, self?.GetBoolean("PersonDocumented") == true), TableUpdateMode.Replace, cancellationToken),
                    table.UpsertEntityAsync(Row(change.Other, state.CaseId, other?.GetDateTimeOffset("OpenedAt") ?? other?.GetDateTimeOffset("ReceivedAt") ?? state.OpenedAt, other?.GetString("ReportedBy") ?? "unknown", other?.GetString("Municipality") ?? "unknown", other?.GetBoolean("PersonDocumented") == true), TableUpdateMode.Replace, cancellationToken));
            }
            else
            {
                await Task.WhenAll(DeleteAsync(state.CaseId, change.Other, cancellationToken), DeleteAsync(change.Other, state.CaseId, cancellationToken));
            }
        }
    }

    /// <summary>Whether the two cases are linked directly.</summary>
    public async Task<bool> IsLinkedAsync(string caseId, string other, CancellationToken cancellationToken = default) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(caseId, other, select: ["PartitionKey"], cancellationToken: cancellationToken)).HasValue;

    /// <summary>The cases linked directly to one.</summary>
    public async Task<IReadOnlyList<string>> LinkedToAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var others = new List<string>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == caseId, select: ["RowKey"], cancellationToken: cancellationToken))
        {
            others.Add(row.RowKey);
        }

        return others;
    }

    /// <summary>
    /// The case's group: the cases connected to it by links, itself included, in id order (at most <see cref="MaxGroup"/>).
    /// A case without links is a group of one.
    /// </summary>
    public async Task<IReadOnlyList<string>> GroupOfAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var seen = new SortedSet<string>(StringComparer.Ordinal) { caseId };
        var next = new Queue<string>([caseId]);
        while (next.Count > 0 && seen.Count < MaxGroup)
        {
            foreach (string other in await LinkedToAsync(next.Dequeue(), cancellationToken))
            {
                if (seen.Count < MaxGroup && seen.Add(other))
                {
                    next.Enqueue(other);
                }
            }
        }

        return [.. seen];
    }

    /// <summary>Every link row, read at once (one query: the table holds links only, which are few beside the cases).</summary>
    public async Task<IReadOnlyList<PersonLink>> AllAsync(CancellationToken cancellationToken = default)
    {
        var links = new List<PersonLink>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(maxPerPage: 1000, cancellationToken: cancellationToken))
        {
            links.Add(new PersonLink(
                row.PartitionKey,
                row.RowKey,
                row.GetDateTimeOffset("OpenedAt") ?? DateTimeOffset.MinValue,
                row.GetString("ReportedBy") ?? "unknown",
                row.GetString("Municipality") ?? "unknown",
                row.GetBoolean("PersonDocumented") == true));
        }

        return links;
    }

    static TableEntity Row(string caseId, string other, DateTimeOffset openedAt, string reportedBy, string municipality, bool personDocumented) => new(caseId, other)
    {
        ["OpenedAt"] = openedAt,
        ["ReportedBy"] = reportedBy,
        ["Municipality"] = municipality,
        ["PersonDocumented"] = personDocumented,
    };

    async Task<TableEntity?> CaseRowAsync(string caseId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await cases.GetEntityIfExistsAsync<TableEntity>(caseId, Cases.CaseProjectionStore.RowKey(caseId), select: ["OpenedAt", "ReceivedAt", "ReportedBy", "Municipality", "PersonDocumented"], cancellationToken: cancellationToken);
        return row.HasValue ? row.Value : null;
    }

    async Task DeleteAsync(string caseId, string other, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(caseId, other, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }
}
