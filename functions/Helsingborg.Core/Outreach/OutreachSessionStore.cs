using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Outreach;

/// <summary>
/// One internet outreach session (uppsökstillfälle) and its figures. Participants are partner ids,
/// never people's names, so nothing here is personal.
/// </summary>
public sealed record OutreachSession(
    string SessionId, DateOnly HeldOn, int AdsReviewed, int ContactsAttempted, int Responses, int SupportAccepted,
    IReadOnlyList<string> Participants, DateTimeOffset RecordedAt, string RecordedBy, OutreachType Type = OutreachType.Internet);

/// <summary>
/// The outreach sessions table: one partition (a session every other week makes a few dozen rows a
/// year), row key = session id, so that an intake naming a session is checked with one point read.
/// </summary>
public sealed class OutreachSessionStore(CaseStorage storage)
{
    const string Partition = "session";
    readonly TableClient table = storage.Table(CaseStorage.OutreachTable);

    /// <summary>A new opaque session id: "o_" and 26 random base32 characters.</summary>
    public static string NewId() => Cases.OpaqueIds.New('o');

    public static bool IsWellFormed(string? id) => Cases.OpaqueIds.IsWellFormed(id, 'o');

    /// <summary>The session id of a recording retried with the same <c>Idempotency-Key</c> from the same organisation.</summary>
    public static string IdFor(string organisation, string idempotencyKey) => Cases.OpaqueIds.Derived('o', organisation + "\n" + idempotencyKey);

    /// <summary>Records the session; false when a session with its id is already recorded (a retry), which is kept.</summary>
    public async Task<bool> AddAsync(OutreachSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        try
        {
            await AddEntityAsync(session, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    Task AddEntityAsync(OutreachSession session, CancellationToken cancellationToken)
    {
        return table.AddEntityAsync(
            new TableEntity(Partition, session.SessionId)
            {
                ["HeldOn"] = Day(session.HeldOn),
                ["AdsReviewed"] = session.AdsReviewed,
                ["ContactsAttempted"] = session.ContactsAttempted,
                ["Responses"] = session.Responses,
                ["SupportAccepted"] = session.SupportAccepted,
                ["Participants"] = string.Join(',', session.Participants),
                ["RecordedAt"] = session.RecordedAt,
                ["RecordedBy"] = session.RecordedBy,
                ["Type"] = KebabCase.Name(session.Type),
            },
            cancellationToken);
    }

    public async Task<bool> ExistsAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        if (!IsWellFormed(sessionId))
        {
            return false;
        }

        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, sessionId, select: ["PartitionKey"], cancellationToken: cancellationToken);
        return row.HasValue;
    }

    /// <summary>The sessions held from <paramref name="from"/> to <paramref name="to"/>, both included, in date order.</summary>
    public async Task<IReadOnlyList<OutreachSession>> ListAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and HeldOn ge {Day(from)} and HeldOn le {Day(to)}");
        var sessions = new List<OutreachSession>();
        await foreach (TableEntity e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            sessions.Add(new OutreachSession(
                e.RowKey,
                DateOnly.ParseExact(e.GetString("HeldOn")!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                e.GetInt32("AdsReviewed") ?? 0,
                e.GetInt32("ContactsAttempted") ?? 0,
                e.GetInt32("Responses") ?? 0,
                e.GetInt32("SupportAccepted") ?? 0,
                (e.GetString("Participants") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries),
                e.GetDateTimeOffset("RecordedAt") ?? default,
                e.GetString("RecordedBy") ?? string.Empty,
                KebabCase.TryParse(e.GetString("Type") ?? string.Empty, out OutreachType type) ? type : OutreachType.Internet));
        }

        return [.. sessions.OrderBy(s => s.HeldOn).ThenBy(s => s.RecordedAt)];
    }

    static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
