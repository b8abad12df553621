using System.Globalization;
using Azure.Data.Tables;
using Helsingborg.Access;
using Helsingborg.Storage;

namespace Helsingborg.DataProtection;

/// <summary>One access-log entry (data-protection.md rule 6).</summary>
public sealed record AccessLogEntry(DateTimeOffset At, string Who, string Organisation, string CaseId, string Action);

/// <summary>
/// Who read or wrote which case's personal data, and when. Append-only: the app only ever inserts,
/// and no code path updates or deletes an entry. Rows sort newest first.
/// </summary>
public sealed class AccessLog(CaseStorage storage, TimeProvider clock)
{
    readonly TableClient table = storage.Table(CaseStorage.AccessLogTable);

    public Task AppendAsync(Caller caller, string caseId, string action, CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = clock.GetUtcNow();
        var row = new TableEntity(Partition(now), $"{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}_{Guid.NewGuid():N}")
        {
            ["At"] = now,
            ["Who"] = caller.Id,
            ["Organisation"] = caller.Organisation,
            ["CaseId"] = caseId,
            ["Action"] = action,
        };
        return table.AddEntityAsync(row, cancellationToken);
    }

    /// <summary>Entries newest first, optionally for one case and a time window; paged by a continuation token.</summary>
    public async Task<(IReadOnlyList<AccessLogEntry> Items, string? Next)> QueryAsync(string? caseId, DateTimeOffset? from, DateTimeOffset? to, int limit, string? cursor, CancellationToken cancellationToken = default)
    {
        var filters = new List<string>();
        if (caseId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"CaseId eq {caseId}"));
        }

        if (from is { } f)
        {
            filters.Add(TableClient.CreateQueryFilter($"At ge {f}"));
        }

        if (to is { } t)
        {
            filters.Add(TableClient.CreateQueryFilter($"At lt {t}"));
        }

        var items = new List<AccessLogEntry>();
        string? next = null;
        await foreach (var page in table.QueryAsync<TableEntity>(filters.Count == 0 ? null : string.Join(" and ", filters), maxPerPage: limit, cancellationToken: cancellationToken).AsPages(cursor, limit))
        {
            items.AddRange(page.Values.Select(r => new AccessLogEntry(r.GetDateTimeOffset("At")!.Value, r.GetString("Who"), r.GetString("Organisation"), r.GetString("CaseId"), r.GetString("Action"))));
            next = page.ContinuationToken;
            break;
        }

        return (items, next);
    }

    /// <summary>Months counted down, so the table's own order (partition, then row) is newest first.</summary>
    static string Partition(DateTimeOffset at) =>
        string.Create(CultureInfo.InvariantCulture, $"{9999 - at.UtcDateTime.Year:D4}{12 - at.UtcDateTime.Month:D2}");
}
