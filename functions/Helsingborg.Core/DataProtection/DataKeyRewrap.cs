using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Helsingborg.DataProtection;

/// <summary>
/// Where a re-wrap stands after one run. <see cref="Done"/> of <see cref="Total"/> data keys are wrapped with the
/// current master key version <see cref="CurrentKeyId"/>; <see cref="Rewrapped"/> of them moved in this run;
/// <see cref="Failed"/> did not open in this run (their case ids are in the log) and are among <see cref="Remaining"/>.
/// </summary>
public sealed record DataKeyRewrapProgress(string CurrentKeyId, int Total, int Done, int Rewrapped, int Remaining, int Failed, bool Complete);

/// <summary>
/// Moves every case's data key to the current master key version after a rotation: each is unwrapped with the
/// version that wrapped it and wrapped again with the current one; the cases' ciphertexts are not touched, and the
/// old version keeps opening what it still wraps. One run works for at most <see cref="Budget"/> (the request that
/// starts it has to answer) or <c>limit</c> keys, then answers where it stands; runs are repeated until
/// <see cref="DataKeyRewrapProgress.Complete"/>. Each run starts over from the table, so one that stopped half
/// way loses nothing. An erased case's key is never written back (<see cref="CaseVault.RewrapAsync"/>). The person hints'
/// key (<see cref="PersonHints.PersonHintKey"/>) is wrapped by the master key too and is moved first; until it is, the
/// run is not complete (a failure counts among <see cref="DataKeyRewrapProgress.Failed"/>).
/// </summary>
public sealed partial class DataKeyRewrap(CaseVault vault, DataKeyWrapping wrapping, PersonHints.PersonHintKey hintKey, ILogger<DataKeyRewrap> logger)
{
    /// <summary>How long one run re-wraps before it answers: half the request's deadline, the rest for reading the table.</summary>
    public static readonly TimeSpan Budget = ApiDispatcher.Deadline / 2;

    /// <summary>Keys re-wrapped side by side: Key Vault answers each wrap in milliseconds but one at a time is slow.</summary>
    const int Parallelism = 8;

    public async Task<DataKeyRewrapProgress> RunAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        string currentKeyId = await wrapping.CurrentKeyIdAsync(cancellationToken);
        var failures = new ConcurrentQueue<(string CaseId, string Error)>();
        bool hintKeyCurrent = false;
        try
        {
            hintKeyCurrent = await hintKey.RewrapAsync(currentKeyId, cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            failures.Enqueue(("person-hint-key", e.GetType().Name));
        }

        var stale = new List<string>();
        int total = 0;
        await foreach ((string caseId, string? keyId) in vault.DataKeysAsync(cancellationToken))
        {
            total++;
            if (keyId != currentKeyId)
            {
                stale.Add(caseId);
            }
        }

        int rewrapped = 0, current = 0, gone = 0, taken = 0;
        await Parallel.ForEachAsync(stale, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (caseId, ct) =>
        {
            if (clock.Elapsed > Budget || Interlocked.Increment(ref taken) > (limit ?? int.MaxValue))
            {
                return;
            }

            try
            {
                switch (await vault.RewrapAsync(caseId, currentKeyId, ct))
                {
                    case RewrapOutcome.Rewrapped:
                        Interlocked.Increment(ref rewrapped);
                        break;
                    case RewrapOutcome.AlreadyCurrent:
                        Interlocked.Increment(ref current);
                        break;
                    case RewrapOutcome.Gone:
                        Interlocked.Increment(ref gone);
                        break;
                    case RewrapOutcome.Changed:
                        break;
                }
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
            {
                // A key that does not open (tampered, or wrapped by a version no longer configured) stays as it is and is reported.
                failures.Enqueue((caseId, e.GetType().Name));
            }
        });

        total -= gone;
        int remaining = stale.Count - gone - rewrapped - current;
        var progress = new DataKeyRewrapProgress(currentKeyId, total, total - remaining, rewrapped, remaining, failures.Count, remaining == 0 && hintKeyCurrent);
        if (failures.TryPeek(out (string CaseId, string Error) first))
        {
            LogFailures(logger, failures.Count, first.CaseId, first.Error);
        }

        LogProgress(logger, progress.Done, progress.Total, progress.Rewrapped, progress.Remaining);
        return progress;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Data-key re-wrap: {Failed} data keys did not open and were left as they are; the first was case {CaseId} ({Error})")]
    static partial void LogFailures(ILogger logger, int failed, string caseId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data-key re-wrap: {Done} of {Total} data keys on the current master key version; {Rewrapped} re-wrapped in this run, {Remaining} remaining")]
    static partial void LogProgress(ILogger logger, int done, int total, int rewrapped, int remaining);
}

/// <summary>
/// <c>POST /api/admin/data-keys/rewrap[?limit=n]</c>: one run of <see cref="DataKeyRewrap"/>; answers 200 with its
/// progress. Operators call it until <c>complete</c> is true after rotating the master key.
/// </summary>
public sealed class DataKeyRewrapHandler(DataKeyRewrap job)
{
    public const int MaxLimit = 100_000;

    public async Task<IResult> RunAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        int? limit = null;
        if (call.Request.Query.TryGetValue("limit", out var values))
        {
            if (!int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || parsed is < 1 or > MaxLimit)
            {
                return Problems.Validation(new Dictionary<string, string[]> { ["limit"] = [$"A whole number from 1 to {MaxLimit}."] });
            }

            limit = parsed;
        }

        DataKeyRewrapProgress progress = await job.RunAsync(limit, call.Aborted);
        return Results.Json(progress, ApiJson.Options, statusCode: StatusCodes.Status200OK);
    }
}
