using System.Globalization;
using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Cases;

/// <summary>
/// Hands out case references. One partition per prefix and year holds the year's counter, and for every number the
/// case it went to and back: a number is taken in one transaction that moves the counter (optimistic concurrency on
/// its ETag) and records the case, so simultaneous intakes get distinct consecutive numbers, a crash leaves no
/// number half taken, and asking again for the same case (a retried intake) finds the number it already has.
/// </summary>
public sealed class CaseReferenceStore(CaseStorage storage)
{
    const string CounterRow = "counter";
    readonly TableClient table = storage.Table(CaseStorage.ReferencesTable);

    static string Partition(string prefix, int year) => string.Create(CultureInfo.InvariantCulture, $"{prefix}-{year:D4}");

    static string CaseRow(string caseId) => "case-" + caseId;

    static string NumberRow(long number) => string.Create(CultureInfo.InvariantCulture, $"number-{number:D12}");

    /// <summary>The case's reference in that prefix and year, taking the next number if it has none yet.</summary>
    public async Task<CaseReference> AssignAsync(string prefix, int year, string caseId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentException.ThrowIfNullOrEmpty(caseId);
        string partition = Partition(prefix, year);
        if (await FindAsync(prefix, year, caseId, cancellationToken) is { } existing)
        {
            return existing;
        }

        for (int attempt = 0; ; attempt++)
        {
            NullableResponse<TableEntity> counter = await table.GetEntityIfExistsAsync<TableEntity>(partition, CounterRow, cancellationToken: cancellationToken);
            long number = (counter.HasValue ? counter.Value!.GetInt64("Last") ?? 0 : 0) + 1;
            var next = new TableEntity(partition, CounterRow) { ["Last"] = number };
            TableTransactionAction[] actions =
            [
                counter.HasValue
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, counter.Value!.ETag)
                    : new TableTransactionAction(TableTransactionActionType.Add, next),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, CaseRow(caseId)) { ["Number"] = number }),
                new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, NumberRow(number)) { ["CaseId"] = caseId }),
            ];
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
                return new CaseReference(prefix, year, number);
            }
            catch (TableTransactionFailedException e) when (e.Status is (int)HttpStatusCode.Conflict or (int)HttpStatusCode.PreconditionFailed)
            {
                // Another intake took the number first (or this case got one meanwhile): read again.
                if (await FindAsync(prefix, year, caseId, cancellationToken) is { } taken)
                {
                    return taken;
                }

                // Spread the contenders out a little, so a burst of intakes does not retry in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 + (Math.Min(attempt, 20) * 5))), cancellationToken);
            }
        }
    }

    /// <summary>The reference the case got in that prefix and year, or null.</summary>
    public async Task<CaseReference?> FindAsync(string prefix, int year, string caseId, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(prefix, year), CaseRow(caseId), cancellationToken: cancellationToken);
        return row.HasValue && row.Value!.GetInt64("Number") is { } number ? new CaseReference(prefix, year, number) : null;
    }

    /// <summary>The id of the case the reference was given to, or null.</summary>
    public async Task<string?> CaseIdOfAsync(CaseReference reference, CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(reference.Prefix, reference.Year), NumberRow(reference.Number), cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("CaseId") : null;
    }
}
