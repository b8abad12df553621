using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Timeline;

/// <summary>
/// One entry of a case's timeline: anonymous facts only; a note, when given, is in the vault. <paramref name="Outcome"/>
/// marks a <c>consent-withdrawn</c> that kept the record (<see cref="RecordKept"/>), names the organisation a
/// <c>transfer-requested</c> asked and the reason of a <c>transfer-declined</c>; one that erased it is known by the
/// case being erased (<see cref="Erased"/>), so an erasing step's entry is written as it always was.
/// </summary>
public sealed record TimelineEntry(string CaseId, string EntryId, DateTimeOffset At, string Type, string By, bool Refused, bool HasNote, string? RefusalReason = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Outcome = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Worker = null)
{
    /// <summary>The person's data was erased (consent withdrawn on a case led on consent).</summary>
    public const string Erased = "erased";

    /// <summary>The record is kept until its culling date (consent withdrawn on a case led as a public task).</summary>
    public const string RecordKept = "record-kept";

    /// <summary>The vault field of this entry's note.</summary>
    public static string NoteField(string entryId) => "note:" + entryId;
}

/// <summary>
/// The timeline table: a case's entries in time order (row key = time, then entry id). Appending is
/// idempotent: an entry that exists (409) is already done, so a retried activity writes nothing twice.
/// </summary>
public sealed class TimelineStore(CaseStorage storage)
{
    readonly TableClient table = storage.Table(CaseStorage.TimelineTable);

    public async Task AppendAsync(TimelineEntry entry, CancellationToken cancellationToken = default)
    {
        var row = new TableEntity(entry.CaseId, $"{entry.At.UtcTicks:D19}_{entry.EntryId}")
        {
            ["EntryId"] = entry.EntryId,
            ["At"] = entry.At,
            ["Type"] = entry.Type,
            ["By"] = entry.By,
            ["Refused"] = entry.Refused,
            ["HasNote"] = entry.HasNote,
            ["RefusalReason"] = entry.RefusalReason,
            ["Outcome"] = entry.Outcome,
            ["Worker"] = entry.Worker,
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            if (entry.EntryId != "intake")
            {
                // Counted once: a retried activity finds the entry (409) and counts nothing.
                Telemetry.AppTelemetry.EventRecorded(entry.Type, entry.Refused);
            }
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
        }
    }

    /// <summary>
    /// True when the case's orchestration has carried out its opening step (it writes the intake's entry; the intake
    /// itself does not): proof that the orchestration runs, whatever its instance row says. One point read.
    /// </summary>
    public async Task<bool> OpenedAsync(string caseId, DateTimeOffset openedAt, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(caseId, $"{openedAt.UtcTicks:D19}_intake", ["PartitionKey"], cancellationToken);
        return row.HasValue;
    }

    public async Task<IReadOnlyList<TimelineEntry>> ListAsync(string caseId, CancellationToken cancellationToken = default)
    {
        var entries = new List<TimelineEntry>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == caseId, cancellationToken: cancellationToken))
        {
            entries.Add(new TimelineEntry(
                caseId,
                row.GetString("EntryId"),
                row.GetDateTimeOffset("At")!.Value,
                row.GetString("Type"),
                row.GetString("By"),
                row.GetBoolean("Refused") == true,
                row.GetBoolean("HasNote") == true,
                row.GetString("RefusalReason"),
                row.GetString("Outcome"),
                row.GetString("Worker")));
        }

        return entries;
    }

    public async Task DeleteAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == caseId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
        }
    }
}
