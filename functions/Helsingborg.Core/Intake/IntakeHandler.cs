using System.Text.Json;
using Helsingborg.Access;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helsingborg.Intake;

/// <summary>
/// <c>POST /api/intake</c>: validates a partner's report, seals its personal part in the case vault,
/// records the anonymous facts and starts the case's orchestration (instance id = case id).
/// The reporting organisation is the caller's, never a body field.
/// </summary>
public sealed partial class IntakeHandler(
    CaseVault vault,
    CaseProjectionStore projections,
    IdempotencyStore idempotency,
    CaseReferenceStore references,
    Outreach.OutreachSessionStore outreachSessions,
    PersonHints.PersonHintStore personHints,
    AccessLog accessLog,
    IOptionsMonitor<CasePolicy> policy,
    Partners.CityProfile profile,
    TimeProvider clock,
    ILogger<IntakeHandler> logger)
{
    public const string IdempotencyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxIdempotencyKey = 100;

    /// <summary>The answer to an intake: the case's opaque id, its <see cref="Reference"/> people can say, and when it was received.</summary>
    public sealed record IntakeReceipt(string CaseId, string? Reference, DateTimeOffset ReceivedAt);

    public async Task<IResult> SubmitAsync(ApiCall call)
    {
        (IntakeReceipt? receipt, IResult? problem) = await AcceptAsync(call);
        return receipt is null ? problem! : Results.Json(receipt, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Everything an intake goes through, for the API and the partner form alike: the idempotency key,
    /// the body, the case. Returns the receipt (a replay sets <see cref="ReplayedHeader"/>) or the problem.
    /// </summary>
    public async Task<(IntakeReceipt? Receipt, IResult? Problem)> AcceptAsync(ApiCall call)
    {
        if (IdempotencyKeyProblem(call.Request) is { } keyProblem)
        {
            return (null, keyProblem);
        }

        (IntakeSubmission? submission, IResult? problem) = await ReadAsync(call.Request, call.Aborted);
        if (submission is null)
        {
            return (null, problem!);
        }

        (IntakeReceipt receipt, bool replayed) = await OpenCaseAsync(call, submission);
        if (replayed)
        {
            call.Request.HttpContext.Response.Headers[ReplayedHeader] = "true";
        }

        return (receipt, null);
    }

    /// <summary>One <c>Idempotency-Key</c> of 1–100 printable characters without commas, or none.</summary>
    internal static IResult? IdempotencyKeyProblem(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(IdempotencyHeader, out Microsoft.Extensions.Primitives.StringValues values))
        {
            return null;
        }

        // Two keys may arrive folded into one header line ("a, b"), so a comma means more than one.
        string? message = values.Count != 1 || values[0]!.Contains(',', StringComparison.Ordinal) ? "Send one key, without commas."
            : string.IsNullOrWhiteSpace(values[0]) ? "Must not be empty."
            : values[0]!.Length > MaxIdempotencyKey ? $"Must be at most {MaxIdempotencyKey} characters."
            : values[0]!.Any(char.IsControl) ? "Must not contain control characters."
            : null;
        return message is null ? null : Problems.Validation(new Dictionary<string, string[]> { [IdempotencyHeader] = [message] });
    }

    /// <summary>Reads and validates the body (JSON or an HTML form), or returns the problem that answers it.</summary>
    public async Task<(IntakeSubmission? Submission, IResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        bool form = RequestBody.IsForm(request);
        if (!form && !RequestBody.IsJson(request))
        {
            return (null, Problems.UnsupportedMediaType("application/json or application/x-www-form-urlencoded"));
        }

        byte[]? bytes = await RequestBody.ReadAsync(request, RequestBody.JsonLimit, cancellationToken);
        if (bytes is null)
        {
            return (null, Problems.PayloadTooLarge(RequestBody.JsonLimit));
        }

        using JsonDocument? document = form ? IntakeForm.ToJson(bytes) : RequestBody.ParseJson(bytes);
        if (document is null)
        {
            return (null, Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["The body must be well-formed JSON (UTF-8) or form data."] }));
        }

        (IntakeSubmission? submission, Dictionary<string, string[]> errors) = IntakeValidator.Validate(document.RootElement, clock.GetUtcNow(), profile);
        if (submission?.OutreachSessionId is { } sessionId && !await outreachSessions.ExistsAsync(sessionId, cancellationToken))
        {
            // An intake from the outreach team names the session it came from; it must be a recorded one.
            return (null, Problems.Validation(new Dictionary<string, string[]> { ["outreachSessionId"] = ["Must name a recorded outreach session."] }));
        }

        return submission is null ? (null, Problems.Validation(errors)) : (submission, null);
    }

    /// <summary>Opens the case, or finds the one an earlier request with the same idempotency key opened.</summary>
    public async Task<(IntakeReceipt Receipt, bool Replayed)> OpenCaseAsync(ApiCall call, IntakeSubmission submission)
    {
        Caller caller = call.Authenticated;
        // Whole milliseconds, so a replay (read back from the table) answers the very same body.
        DateTimeOffset now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        string caseId = CaseIds.New();
        string? key = call.Request.Headers[IdempotencyHeader];
        if (!string.IsNullOrEmpty(key))
        {
            // A first request with the same key still at work is waited for half the deadline at most; then this one
            // finishes the case itself (every step is idempotent) rather than answer 503 in its turn.
            IdempotencyStore.Reservation reservation = await idempotency.ReserveAsync(caller.Organisation, key, caseId, now, ApiDispatcher.Deadline / 2, call.Aborted);
            if (reservation.Replayed)
            {
                CaseReference? given = await references.FindAsync(profile.CaseReferencePrefix, CaseReference.YearOf(reservation.ReceivedAt), reservation.CaseId, call.Aborted);
                return (new IntakeReceipt(reservation.CaseId, given?.ToString(), reservation.ReceivedAt), true);
            }

            caseId = reservation.CaseId;
            now = reservation.ReceivedAt;
        }

        // Bound to the case id, so a retry that finishes the same case (same key, same id and time) gets the same number.
        string reference = (await references.AssignAsync(profile.CaseReferencePrefix, CaseReference.YearOf(now), caseId, call.Aborted)).ToString();
        var facts = new IntakeFacts(caseId, submission.Municipality, caller.Organisation, now, submission.PoliceNotified, submission.Minor,
            DeclinesAuthorities: submission.WantsAuthorityContact == Lifecycle.YesNoUnknown.No, Reference: reference);
        CasePolicy snapshot = profile.CaseRules(policy.CurrentValue);
        // The sealed personal part, the anonymous rows and the access-log entry are independent writes: done
        // side by side, and all before the orchestration starts, so the case reads complete from the first moment
        // (and the orchestration's opening turn need not project the opened state again).
        string personal = JsonSerializer.Serialize(submission.PersonalData(), ApiJson.Options);
        await Task.WhenAll(
            SealAsync(caseId, personal, call.Aborted),
            HintAsync(caseId, now, submission.Person, call.Aborted),
            projections.OpenAsync(CaseDecider.Open(facts, snapshot).State, submission, call.Aborted),
            accessLog.AppendAsync(caller, caseId, "write-intake", call.Aborted));
        await StartOrchestrationAsync(call.Durable, CaseInput.Start(facts, snapshot), caseId, call.Aborted);
        if (!string.IsNullOrEmpty(key))
        {
            await idempotency.CompleteAsync(caller.Organisation, key, call.Aborted);
        }

        LogOpened(logger, caseId, caller.Organisation);
        Telemetry.AppTelemetry.CaseOpened(caseId, caller.Organisation, submission.Municipality);
        return (new IntakeReceipt(caseId, reference, now), false);
    }

    async Task SealAsync(string caseId, string personal, CancellationToken cancellationToken)
    {
        byte[] key = await vault.EnsureKeyAsync(caseId, cancellationToken);
        await vault.PutAsync(caseId, key, IntakePersonalData.VaultField, personal, cancellationToken);
    }

    /// <summary>
    /// Records the keyed hashes of the person's alias and contact (<see cref="PersonHints.PersonHintStore"/>). A hint key
    /// that does not open (wrapped by a master key version no longer configured) must not lose a report: the case opens
    /// without hints, and the error is logged.
    /// </summary>
    async Task HintAsync(string caseId, DateTimeOffset openedAt, PersonDetails? person, CancellationToken cancellationToken)
    {
        if (person is not ({ Alias: not null } or { Contact: not null }))
        {
            return;
        }

        try
        {
            await personHints.RecordAsync(caseId, openedAt, person.Alias, person.Contact, cancellationToken);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            LogHintsNotRecorded(logger, caseId, e.GetType().Name);
        }
    }

    static async Task StartOrchestrationAsync(DurableTaskClient durable, CaseInput input, string caseId, CancellationToken cancellationToken)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, input, new StartOrchestrationOptions(caseId), cancellationToken);
        }
#pragma warning disable CA1031 // Decided by the instance's existence, whatever the transport's exception type.
        catch (Exception)
#pragma warning restore CA1031
        {
            // A retried intake of the same key finds the case's orchestration already running.
            if (await durable.GetInstanceAsync(caseId, cancellationToken) is null)
            {
                throw;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Case {CaseId} opened without person hints: the person hint key did not open ({Error})")]
    static partial void LogHintsNotRecorded(ILogger logger, string caseId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId} opened by intake from {Organisation}")]
    static partial void LogOpened(ILogger logger, string caseId, string organisation);
}
