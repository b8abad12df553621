using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Intake;

/// <summary>
/// Intake's <c>Idempotency-Key</c>: the first request with a key from an organisation reserves it by an
/// atomic insert (a 409 means someone else holds it), so simultaneous duplicates open one case.
/// Keys are stored hashed: they are the partner's text and could carry anything.
/// </summary>
public sealed class IdempotencyStore(CaseStorage storage)
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(7);

    /// <summary>
    /// A reservation older than this without completion is taken over: its owner crashed, or gave up at its deadline
    /// (<see cref="Http.ApiDispatcher.Deadline"/>) and answered 503, so a retry after Retry-After finishes the case at once.
    /// </summary>
    static readonly TimeSpan Abandoned = Http.ApiDispatcher.Deadline + TimeSpan.FromSeconds(2);

    readonly TableClient table = storage.Table(CaseStorage.IdempotencyTable);

    public sealed record Reservation(string CaseId, DateTimeOffset ReceivedAt, bool Completed, bool Replayed);

    /// <summary>
    /// Reserves the key for <paramref name="caseId"/>, or returns the earlier reservation of the same key.
    /// A reservation whose owner is still working is waited for up to <paramref name="wait"/>; one still not
    /// completed after that (or abandoned) is handed to this request to finish, never answered as done.
    /// </summary>
    public async Task<Reservation> ReserveAsync(string organisation, string key, string caseId, DateTimeOffset now, TimeSpan wait, CancellationToken cancellationToken)
    {
        string rowKey = Hash(key);
        var entity = new TableEntity(organisation, rowKey)
        {
            ["CaseId"] = caseId,
            ["ReceivedAt"] = now,
            ["Completed"] = false,
        };

        DateTimeOffset deadline = now + wait;
        while (true)
        {
            try
            {
                await table.AddEntityAsync(entity, cancellationToken);
                return new Reservation(caseId, now, Completed: false, Replayed: false);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
            {
            }

            NullableResponse<TableEntity> existing = await table.GetEntityIfExistsAsync<TableEntity>(organisation, rowKey, cancellationToken: cancellationToken);
            if (!existing.HasValue)
            {
                continue;
            }

            TableEntity row = existing.Value!;
            var reservation = new Reservation(row.GetString("CaseId"), row.GetDateTimeOffset("ReceivedAt")!.Value, row.GetBoolean("Completed") == true, Replayed: true);
            if (now - reservation.ReceivedAt > KeepFor)
            {
                // Expired: this request starts afresh, replacing the old row only if nobody else did.
                try
                {
                    await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Replace, cancellationToken);
                    return new Reservation(caseId, now, Completed: false, Replayed: false);
                }
                catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed)
                {
                    continue;
                }
            }

            if (reservation.Completed)
            {
                return reservation;
            }

            if (DateTimeOffset.UtcNow > deadline || DateTimeOffset.UtcNow - reservation.ReceivedAt > Abandoned)
            {
                // The first request died half-way, or is still not done: this one finishes the same case (every step
                // is idempotent). Answering with the reserved case id without that could acknowledge a case that
                // never comes to exist.
                return reservation with { Replayed = false };
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    public Task CompleteAsync(string organisation, string key, CancellationToken cancellationToken) =>
        table.UpdateEntityAsync(new TableEntity(organisation, Hash(key)) { ["Completed"] = true }, ETag.All, TableUpdateMode.Merge, cancellationToken);

    static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
