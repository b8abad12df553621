using Azure.Data.Tables;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helsingborg.Retention;

/// <summary>Configuration section <c>Retention</c>.</summary>
public sealed class RetentionOptions
{
    /// <summary>How long a completed case led on consent keeps its personal data and orchestration history.</summary>
    public TimeSpan KeepCompletedFor { get; set; } = TimeSpan.FromDays(730);

    /// <summary>
    /// After how many years from its last entry a public task's record is culled: five, as socialtjänstlagen
    /// (2001:453) 12 kap. 2 § culls a personal record five years after its last entry.
    /// </summary>
    public int CullPublicTaskAfterYears { get; set; } = 5;
}

/// <summary>
/// When a case's personal data goes, by the legal basis of its lead (data-protection.md, rule 3). One place, so the
/// sweep and the case's <c>cullAfter</c> agree.
/// </summary>
public static class RetentionRule
{
    /// <summary>The culling date of a public task's record: the configured years after its last entry.</summary>
    public static DateTimeOffset CullAfter(CaseState state, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        return state.LastEntry.AddYears(Math.Max(1, options.CullPublicTaskAfterYears));
    }

    /// <summary>
    /// From when the sweep erases and purges the case, or null while it is not completed: a public task's record at its
    /// culling date, a consent case <see cref="RetentionOptions.KeepCompletedFor"/> after completion.
    /// </summary>
    public static DateTimeOffset? DueAt(CaseState state, RetentionOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        if (state.Phase != Phase.Completed)
        {
            return null;
        }

        return state.Basis == LegalBasis.PublicTask
            ? CullAfter(state, options)
            : (state.CompletedAt ?? state.LastEntry) + options.KeepCompletedFor;
    }
}

/// <summary>What one sweep did, and the answer of <c>POST /api/admin/retention/run</c>: cases purged, and cases due but skipped.</summary>
public sealed record RetentionResult(int Purged, int Skipped);

/// <summary>
/// The retention sweep (api.md, scheduled functions; data-protection.md rule 3): completed cases that are due by
/// <see cref="RetentionRule"/> (a consent case <see cref="RetentionOptions.KeepCompletedFor"/> after completion, a public
/// task's record five years after its last entry) lose their personal data and documents (the case key is
/// destroyed) and their orchestration history; the Cases row keeps its anonymous state, marked erased and
/// purged, the statistics rows are untouched, and the case's link to its export facts is cut (the facts stay
/// counted, <see cref="Exports.ExportFactsStore"/>). Cases that are not completed, or whose orchestration still
/// runs, are never touched. Idempotent: a purged case is skipped, and a sweep that stopped half way is
/// finished by the next, because each step may be repeated.
/// </summary>
public sealed partial class RetentionSweep(CaseStorage storage, CaseVault vault, Exports.ExportFactsStore exportFacts, Lifecycle.CaseInbox inbox, IOptionsMonitor<RetentionOptions> options, ILogger<RetentionSweep> logger)
{
    public const string Name = "RetentionSweep";
    public const string Schedule = "0 30 2 * * *";
    readonly TableClient cases = storage.Table(CaseStorage.CasesTable);

    public async Task<RetentionResult> RunAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(durable);
        RetentionOptions rules = options.CurrentValue;

        // Completed cases only (the table service filters); whether one is due depends on its lead's legal basis and
        // its last entry, which its anonymous state holds.
        string filter = TableClient.CreateQueryFilter($"Phase eq {"completed"}");
        var candidates = new List<(string CaseId, DateTimeOffset? OpenedAt)>();
        await foreach (TableEntity row in cases.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "Purged", "OpenedAt", "State"], cancellationToken: cancellationToken))
        {
            if (row.GetBoolean("Purged") != true && row.GetString("State") is { } json && RetentionRule.DueAt(CaseState.FromJson(json), rules) <= now)
            {
                candidates.Add((row.PartitionKey, row.GetDateTimeOffset("OpenedAt")));
            }
        }

        int purged = 0, skipped = 0;
        foreach ((string caseId, DateTimeOffset? openedAt) in candidates)
        {
            OrchestrationMetadata? instance = await durable.GetInstanceAsync(caseId, getInputsAndOutputs: false, cancellationToken);
            if (instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Suspended })
            {
                skipped++;
                LogSkipped(logger, caseId);
                continue;
            }

            await vault.EraseAsync(caseId, cancellationToken);
            if (openedAt is { } registered)
            {
                await exportFacts.UnlinkAsync(caseId, registered, cancellationToken);
            }

            if (instance is not null)
            {
                await durable.PurgeInstanceAsync(caseId, cancellation: cancellationToken);
            }

            await inbox.DeleteAsync(caseId, cancellationToken);

            await MarkAsync(caseId, now, cancellationToken);
            purged++;
            LogPurged(logger, caseId);
        }

        return new RetentionResult(purged, skipped);
    }

    async Task MarkAsync(string caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = new TableEntity(caseId, Cases.CaseProjectionStore.RowKey(caseId)) { ["Erased"] = true, ["Purged"] = true, ["PurgedAt"] = now };
        var existing = await cases.GetEntityIfExistsAsync<TableEntity>(caseId, Cases.CaseProjectionStore.RowKey(caseId), select: ["State"], cancellationToken: cancellationToken);
        if (existing.HasValue && existing.Value!.GetString("State") is { } json)
        {
            row["State"] = (CaseState.FromJson(json) with { Erased = true }).ToJson();
        }

        await cases.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId} erased and purged by retention")]
    static partial void LogPurged(ILogger logger, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId} is completed in the read model but its orchestration still runs; retention skipped it")]
    static partial void LogSkipped(ILogger logger, string caseId);
}

/// <summary><c>POST /api/admin/retention/run</c>: runs the sweep now and answers 202 with what it did.</summary>
/// <summary>
/// <c>POST /api/admin/retention/run</c>: runs the sweep now, synchronously, and answers 200 with what it did. The
/// request's deadline bounds it (503 with Retry-After when storage is slow); the sweep is idempotent and every purge
/// is kept as it happens, so calling again continues where the last run stopped.
/// </summary>
public sealed class RetentionHandler(RetentionSweep sweep, TimeProvider clock)
{
    public async Task<IResult> RunAsync(ApiCall call)
    {
        RetentionResult result = await sweep.RunAsync(call.Durable, clock.GetUtcNow(), call.Aborted);
        return Results.Json(result, ApiJson.Options);
    }
}
