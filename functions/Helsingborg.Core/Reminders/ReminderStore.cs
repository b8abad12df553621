using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;

namespace Helsingborg.Reminders;

/// <summary>
/// A reminder as the API shows it. <see cref="Organisation"/> null means all coordinators. An urgent one carries its
/// push: <see cref="Push"/> (null for a reminder that is not pushed), the organisations it reached and when it last did.
/// </summary>
public sealed record Reminder(string ReminderId, string? CaseId, ReminderKind Kind, DateTimeOffset DueAt, string? Organisation, bool Escalated, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy,
    PushStatus? Push = null, DateTimeOffset? NotifiedAt = null, IReadOnlyList<string>? Notified = null, string? Reference = null)
{
    public bool IsOverdue(DateTimeOffset now) => AcknowledgedAt is null && DueAt < now;
}

/// <summary>
/// The reminders table. A reminder's identity is its case, kind and due time, so creating it twice
/// (a retried activity, a replay) finds the first one: at most one per case, kind and due time.
/// </summary>
public sealed class ReminderStore(CaseStorage storage)
{
    public const string OutreachPartition = "outreach";
    readonly TableClient table = storage.Table(CaseStorage.RemindersTable);

    public static string IdOf(string partition, ReminderKind kind, DateTimeOffset dueAt, string? subject = null) =>
        $"{partition}.{RowKey(kind, dueAt, subject)}";

    /// <summary>Kind and due time, and the referral a referral reminder is about (two referrals may fall due at once).</summary>
    static string RowKey(ReminderKind kind, DateTimeOffset dueAt, string? subject) =>
        subject is null ? $"{KebabCase.Name(kind)}.{dueAt.UtcTicks}" : $"{KebabCase.Name(kind)}.{dueAt.UtcTicks}.{subject}";

    /// <summary>
    /// Creates the reminder unless it exists; true when this call created it, or escalated it: an escalated reminder whose
    /// kind and due time exist unescalated (a statutory clock's reminder, made when the clock started, passing its due time
    /// unmet) escalates that one in place and opens it again, for the clock is still not met. A reminder to
    /// <paramref name="push"/> is created, or escalated, with its push pending (<see cref="UrgentPushOutbox"/> holds the work):
    /// an escalation is pushed again, to everyone. A case's reminder carries the case's <paramref name="reference"/>, so
    /// that lists, the digest and pushes name the case as people do.
    /// </summary>
    public async Task<bool> CreateAsync(string? caseId, ReminderKind kind, DateTimeOffset dueAt, string? organisation, bool escalated, CancellationToken cancellationToken = default, string? subject = null, bool push = false, string? reference = null)
    {
        string partition = caseId ?? OutreachPartition;
        var row = new TableEntity(partition, RowKey(kind, dueAt, subject))
        {
            ["CaseId"] = caseId,
            ["Reference"] = reference,
            ["Kind"] = KebabCase.Name(kind),
            ["DueAt"] = dueAt,
            ["Organisation"] = organisation,
            ["Escalated"] = escalated,
            ["Acknowledged"] = false,
        };
        if (push)
        {
            row["Push"] = KebabCase.Name(PushStatus.Pending);
        }

        try
        {
            await table.AddEntityAsync(row, cancellationToken);
            Telemetry.AppTelemetry.ReminderCreated(KebabCase.Name(kind), escalated);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return escalated && await EscalateAsync(partition, row.RowKey, push, cancellationToken);
        }
    }

    async Task<bool> EscalateAsync(string partition, string rowKey, bool push, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value!.GetBoolean("Escalated") == true)
        {
            return false;
        }

        TableEntity row = existing.Value;
        row["Escalated"] = true;
        row["Acknowledged"] = false;
        row["AcknowledgedAt"] = null;
        row["AcknowledgedBy"] = null;
        if (push)
        {
            row["Push"] = KebabCase.Name(PushStatus.Pending);
            row["Notified"] = string.Empty;
            row["NotifiedAt"] = null;
        }

        try
        {
            await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return false;
        }

        Telemetry.AppTelemetry.ReminderCreated(row.GetString("Kind") ?? string.Empty, escalated: true);
        return true;
    }

    public async Task<Reminder?> GetAsync(string reminderId, CancellationToken cancellationToken = default)
    {
        if (!TrySplit(reminderId, out string partition, out string rowKey))
        {
            return null;
        }

        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        return row.HasValue ? From(row.Value!) : null;
    }

    /// <summary>Acknowledges once; acknowledging again keeps the first time and person.</summary>
    public async Task<Reminder?> AcknowledgeAsync(string reminderId, string by, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        if (!TrySplit(reminderId, out string partition, out string rowKey))
        {
            return null;
        }

        // A push recorded in between changes the row's ETag: read again and acknowledge that.
        for (int attempt = 1; ; attempt++)
        {
            NullableResponse<TableEntity> existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                return null;
            }

            TableEntity row = existing.Value!;
            if (row.GetBoolean("Acknowledged") == true)
            {
                return From(row);
            }

            row["Acknowledged"] = true;
            row["AcknowledgedAt"] = now;
            row["AcknowledgedBy"] = by;
            try
            {
                await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace, cancellationToken);
                return From(row);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed && attempt < 5)
            {
            }
        }
    }

    /// <summary>
    /// Records a push's outcome on the reminder: its status, the organisations reached so far and when it last reached
    /// one. Merged, so an acknowledgement in between is kept.
    /// </summary>
    public async Task RecordPushAsync(string reminderId, PushStatus status, IReadOnlyList<string> notified, DateTimeOffset? notifiedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notified);
        if (!TrySplit(reminderId, out string partition, out string rowKey))
        {
            throw new ArgumentException("Not a reminder id.", nameof(reminderId));
        }

        await table.UpdateEntityAsync(
            new TableEntity(partition, rowKey)
            {
                ["Push"] = KebabCase.Name(status),
                ["Notified"] = string.Join(' ', notified),
                ["NotifiedAt"] = notifiedAt,
            },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);
    }

    public async Task<IReadOnlyList<Reminder>> ListAsync(string? caseId, bool? acknowledged, CancellationToken cancellationToken = default, ReminderKind? kind = null)
    {
        var reminders = new List<Reminder>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(Filter(caseId, acknowledged, kind, null), cancellationToken: cancellationToken))
        {
            reminders.Add(From(row));
        }

        return reminders;
    }

    /// <summary>
    /// One page of at most <paramref name="limit"/> reminders in the table's own order (case, then kind and due time),
    /// which is stable between pages, and the storage continuation token of the next page (null at the end).
    /// <paramref name="dueBefore"/> keeps only reminders due before that time.
    /// </summary>
    public async Task<(IReadOnlyList<Reminder> Items, string? Next)> PageAsync(string? caseId, bool? acknowledged, ReminderKind? kind, DateTimeOffset? dueBefore, int limit, string? continuation, CancellationToken cancellationToken = default)
    {
        await foreach (Page<TableEntity> page in table.QueryAsync<TableEntity>(Filter(caseId, acknowledged, kind, dueBefore), maxPerPage: limit, cancellationToken: cancellationToken).AsPages(continuation, limit))
        {
            return ([.. page.Values.Select(From)], page.ContinuationToken);
        }

        return ([], null);
    }

    static string? Filter(string? caseId, bool? acknowledged, ReminderKind? kind, DateTimeOffset? dueBefore)
    {
        var filters = new List<string>();
        if (caseId is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"PartitionKey eq {caseId}"));
        }

        if (acknowledged is bool a)
        {
            filters.Add(TableClient.CreateQueryFilter($"Acknowledged eq {a}"));
        }

        if (kind is { } k)
        {
            filters.Add(TableClient.CreateQueryFilter($"Kind eq {KebabCase.Name(k)}"));
        }

        if (dueBefore is { } before)
        {
            filters.Add(TableClient.CreateQueryFilter($"DueAt lt {before}"));
        }

        return filters.Count == 0 ? null : string.Join(" and ", filters);
    }

    static Reminder From(TableEntity row)
    {
        KebabCase.TryParse(row.GetString("Kind"), out ReminderKind kind);
        return new Reminder(
            $"{row.PartitionKey}.{row.RowKey}",
            row.GetString("CaseId"),
            kind,
            row.GetDateTimeOffset("DueAt")!.Value,
            row.GetString("Organisation"),
            row.GetBoolean("Escalated") == true,
            row.GetDateTimeOffset("AcknowledgedAt"),
            row.GetString("AcknowledgedBy"),
            row.GetString("Push") is { } push && KebabCase.TryParse(push, out PushStatus status) ? status : null,
            row.GetDateTimeOffset("NotifiedAt"),
            row.GetString("Notified") is { Length: > 0 } notified ? notified.Split(' ') : [],
            row.GetString("Reference"));
    }

    static bool TrySplit(string reminderId, out string partition, out string rowKey)
    {
        int dot = reminderId.IndexOf('.', StringComparison.Ordinal);
        partition = dot > 0 ? reminderId[..dot] : string.Empty;
        rowKey = dot > 0 ? reminderId[(dot + 1)..] : string.Empty;
        return dot > 0 && rowKey.Length > 0 && reminderId.Length <= 200 && !reminderId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
    }
}
