using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Timeline;
using Microsoft.AspNetCore.Http;
using Azure;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Lifecycle;

/// <summary>
/// <c>POST /api/cases/{caseId}/events</c>: validates the event, refuses it with 409 when the case as committed, with the
/// events accepted before it, does not allow it, seals its note in the vault and stores the anonymous event in the case's
/// inbox (<see cref="CaseInbox"/>) before it answers 202; then raises it to the orchestration. What fails after the
/// store (the raise, the process) costs only time: the orchestration pulls what it misses and
/// <see cref="InboxRedeliveryJob"/> raises what an idle case has not taken in. With an <c>Idempotency-Key</c> a request
/// sent again answers the first answer and stores nothing. An event for a case whose orchestration has not started,
/// or has failed or been terminated, is answered 503 and stored nowhere.
/// </summary>
public sealed partial class CaseEventsHandler(CaseReadHandler cases, CaseProjectionStore projections, CaseReferenceStore references, Persons.PersonLinkStore links, CaseInbox inbox, Access.WorkerDirectory workers, CaseVault vault, Timeline.TimelineStore timeline, AccessLog accessLog, Referrals.ReferralStore referrals, Partners.CityProfile profile, TimeProvider clock, Microsoft.Extensions.Logging.ILogger<CaseEventsHandler> logger)
{
    /// <summary>
    /// Events not yet applied beyond which an accepted event is stored but not raised: the orchestration pulls them after
    /// its step, a batch at a time, so a burst on one case does not pile into one execution's history.
    /// </summary>
    internal const int RaiseLimit = OrchestrationInbox.PullSize;

    /// <summary>How long a request waits for the case's orchestration to start before it answers 503.</summary>
    static readonly TimeSpan StartWait = TimeSpan.FromSeconds(4);

    /// <summary>What a 503 for a case whose orchestration has not started yet tells the client to wait (seconds).</summary>
    internal const string NotStartedRetryAfter = "2";

    public async Task<IResult> PostAsync(ApiCall call)
    {
        if (Intake.IntakeHandler.IdempotencyKeyProblem(call.Request) is { } keyProblem)
        {
            return keyProblem;
        }

        (CaseRow? row, Access.CaseAccess access, IResult? notFound) = await cases.FindWithAccessAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        (JsonDocument? document, IResult? problem) = await RequestBody.ReadJsonAsync(call.Request, call.Aborted);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            DateTimeOffset now = clock.GetUtcNow();
            string? key = Key(call);
            string eventId = key is null ? "e_" + Guid.NewGuid().ToString("N") : CaseInbox.EventIdFor(call.Authenticated.Organisation, row.CaseId, key);
            ParseResult parsed = CaseEventParser.Parse(document.RootElement, eventId, call.Authenticated.Organisation, now, profile);
            if (parsed.Event is not { } caseEvent)
            {
                return Problems.Validation(parsed.Errors);
            }

            if (!access.MayRecord(caseEvent.Type))
            {
                return CaseReadHandler.ReadOnly();
            }

            if (caseEvent is TransferRequested { ToOrganisation: null } requested)
            {
                // Without an organisation the case goes to the receiver of the municipality named (or of the intake's).
                caseEvent = requested with { ToOrganisation = profile.ReceiverOf(requested.Municipality ?? row.State?.MunicipalityNow ?? row.Municipality) };
            }

            if (caseEvent is WorkerAssigned assigned)
            {
                if (await WorkerOfAsync(call, assigned.Worker) is not { } worker)
                {
                    return Problems.Validation(new Dictionary<string, string[]>
                    {
                        ["worker"] = ["Must be the id of a coordinator of your own organisation (GET /api/workers)."],
                    });
                }

                caseEvent = assigned with { Worker = worker };
            }

            if (caseEvent is OtherCaseEvent named)
            {
                (string? other, IResult? refused) = await OtherCaseAsync(call, row, named);
                if (other is null)
                {
                    return refused!;
                }

                caseEvent = named with { OtherCaseId = other };
            }

            if (row.State is not { } projected)
            {
                return Problems.Conflict("The case is still being opened; try again in a moment.");
            }

            if (projected.Erased && parsed.Note is { Length: > 0 })
            {
                return ErasedNote();
            }

            return await SubmitAsync(call, row, projected, caseEvent, parsed.Note, "events\n" + JsonSerializer.Serialize(document.RootElement));
        }
    }

    /// <summary>
    /// The id of the worker a worker-assigned names: the caller when it names no one, else a coordinator of the caller's own
    /// organisation; null for anyone else. Only the id goes on: the name stays in the directory.
    /// </summary>
    async Task<string?> WorkerOfAsync(ApiCall call, string? named)
    {
        Access.Caller caller = call.Authenticated;
        if (named is null || named == caller.Id)
        {
            return caller.Id;
        }

        return await workers.FindAsync(named, call.Aborted) is { } colleague && colleague.Organisation == caller.Organisation ? colleague.Id : null;
    }

    /// <summary>
    /// The other case an event of one person's reports names, by reference or case id: only a case the caller may see,
    /// else the same 422 whether it exists or not. Unlinking needs a direct link, merging a case of the same group that is
    /// still open (409 otherwise, since the caller sees both cases).
    /// </summary>
    async Task<(string? Other, IResult? Refused)> OtherCaseAsync(ApiCall call, CaseRow row, OtherCaseEvent named)
    {
        string text = named.Reference.Trim();
        string? id = CaseReference.TryParse(text, out CaseReference reference) ? await references.CaseIdOfAsync(reference, call.Aborted)
            : CaseIds.IsWellFormed(text) ? text : null;
        CaseRow? other = id is null ? null : await projections.GetAsync(id, call.Aborted);
        // Linking or merging changes the other case too: only one the caller may record on, as on this one.
        if (other is null || other.AccessOf(profile, call.Authenticated).Level != Access.CaseAccessLevel.Full)
        {
            return (null, UnknownReference("Must be the reference or id of a case you may see and record on."));
        }

        if (other.CaseId == row.CaseId)
        {
            return (null, UnknownReference("Must be another case than this one."));
        }

        // A request sent again with its key answers as the first did, though the link it made or removed now exists or not.
        if (Key(call) is { } key && (await inbox.FindKeyAsync(row.CaseId, call.Authenticated.Organisation, key, clock.GetUtcNow(), call.Aborted)).Accepted is not null)
        {
            return (other.CaseId, null);
        }

        string? conflict = named switch
        {
            SamePersonAs when await links.IsLinkedAsync(row.CaseId, other.CaseId, call.Aborted) => "The two cases are already linked as one person.",
            SamePersonUnlinked when !await links.IsLinkedAsync(row.CaseId, other.CaseId, call.Aborted) => "The two cases are not linked directly: only a direct link can be removed.",
            MergedInto when !(await links.GroupOfAsync(row.CaseId, call.Aborted)).Contains(other.CaseId) => "Link the two cases as one person before merging them.",
            MergedInto when other.State is not { Phase: not (Phase.Closed or Phase.Completed) } => "The case to merge into is not open.",
            _ => null,
        };
        return conflict is null ? (other.CaseId, null) : (null, Problems.Conflict(conflict));
    }

    /// <summary>422 with the error on <c>reference</c>: the same for a case that does not exist and one the caller may not see.</summary>
    static IResult UnknownReference(string error) => Problems.Create(
        StatusCodes.Status422UnprocessableEntity,
        "The request is not valid.",
        "See errors for the fields to correct.",
        new Dictionary<string, object?>(StringComparer.Ordinal) { ["errors"] = new Dictionary<string, string[]> { ["reference"] = [error] } });

    /// <summary>The request's <c>Idempotency-Key</c> (checked by <see cref="Intake.IntakeHandler.IdempotencyKeyProblem"/>), if any.</summary>
    internal static string? Key(ApiCall call) =>
        call.Request.Headers.TryGetValue(Intake.IntakeHandler.IdempotencyHeader, out Microsoft.Extensions.Primitives.StringValues key) ? key[0] : null;

    /// <summary>
    /// Checks an event against the committed state and the events accepted before it, seals what it carries that is
    /// personal (a note; what a referral shares), stores it in the inbox, carries out what must happen at once (a withdrawn
    /// sharing consent closes the organisation's inbox) and raises it. Used by this endpoint and by the receiving
    /// organisations' answers; <paramref name="request"/> is what the request asked for, compared when its key comes again.
    /// </summary>
    internal async Task<IResult> SubmitAsync(ApiCall call, CaseRow row, CaseState projected, CaseEvent caseEvent, string? note, string request)
    {
        DateTimeOffset now = clock.GetUtcNow();
        if (await StoppedAsync(call, row.CaseId, projected.OpenedAt) is { } stopped)
        {
            return stopped;
        }

        string? key = Key(call);
        string organisation = call.Authenticated.Organisation;
        string fingerprint = CaseInbox.Fingerprint(request);
        bool sealedNote = false;
        await inbox.ListAsync(row.CaseId, call.Aborted);
        for (int attempt = 0; ; attempt++)
        {
            if (attempt > 0)
            {
                // Another request took the number: wait a moment, spread so that concurrent senders do not collide again.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + Math.Min(attempt, 10) * 10)), clock, call.Aborted);
            }

            ETag? expired = null;
            if (key is not null)
            {
                (CaseInbox.Accepted? earlier, expired) = await inbox.FindKeyAsync(row.CaseId, organisation, key, now, call.Aborted);
                if (earlier is not null)
                {
                    return await ReplayAsync(call, row, projected, earlier, fingerprint);
                }
            }

            CaseInbox.Pending pending = await inbox.PendingAsync(row.CaseId, projected.Applied, call.Aborted);
            CaseState committed = Predict(projected, pending.Events, now);
            if (CaseDecider.Check(committed, caseEvent) is { } refusal)
            {
                // The same key may have been stored a moment ago by a concurrent request, whose event this one now sees.
                if (key is not null && (await inbox.FindKeyAsync(row.CaseId, organisation, key, now, call.Aborted)).Accepted is { } concurrent)
                {
                    return await ReplayAsync(call, row, projected, concurrent, fingerprint);
                }

                Telemetry.AppTelemetry.EventRefusedByApi(KebabCase.Name(caseEvent.Type));
                return Problems.Conflict(refusal.Reason, new Dictionary<string, object?>
                {
                    ["phase"] = refusal.Phase,
                    ["step"] = committed.Step,
                    ["allowed"] = refusal.Allowed,
                });
            }

            if (!sealedNote)
            {
                try
                {
                    if (note is { Length: > 0 })
                    {
                        await vault.PutAsync(row.CaseId, TimelineEntry.NoteField(caseEvent.EventId), note, call.Aborted);
                        caseEvent = caseEvent with { HasNote = true };
                    }

                    if (caseEvent is ReferralSent sent)
                    {
                        await ShareAsync(call, row.CaseId, committed.ConsentFor(sent.Organisation)!, sent.EventId, note);
                    }
                }
                catch (CaseErasedException)
                {
                    return ErasedNote();
                }

                sealedNote = true;
            }

            if (await inbox.AppendAsync(pending, caseEvent, key is null ? null : (organisation, key, fingerprint, expired), now, call.Aborted))
            {
                caseEvent = caseEvent with { Seq = pending.Head + 1 };
                if (pending.Events.Count < RaiseLimit)
                {
                    await RaiseAsync(call, row.CaseId, caseEvent);
                }

                break;
            }
        }

        if (caseEvent is SharingConsentWithdrawn or ConsentWithdrawn)
        {
            await referrals.RevokeAsync(row.CaseId, (caseEvent as SharingConsentWithdrawn)?.Organisation, now, call.Aborted);
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "write-event", call.Aborted);
        return Results.Json(new EventAccepted(row.CaseId, caseEvent.Type, now), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// The first answer to a key sent again, and nothing stored twice; raised again while it is not applied, in case the
    /// first raise was lost. The same key for another request is refused.
    /// </summary>
    async Task<IResult> ReplayAsync(ApiCall call, CaseRow row, CaseState projected, CaseInbox.Accepted earlier, string fingerprint)
    {
        if (!string.Equals(earlier.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return Problems.Create(
                StatusCodes.Status422UnprocessableEntity,
                "The Idempotency-Key was already used for another request.",
                "A key names one request: send a new Idempotency-Key for a new event or answer.");
        }

        if (earlier.Seq > projected.Applied && await inbox.GetAsync(row.CaseId, earlier.Seq, call.Aborted) is { } stored)
        {
            await RaiseAsync(call, row.CaseId, stored);
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "write-event", call.Aborted);
        call.Request.HttpContext.Response.Headers[Intake.IntakeHandler.ReplayedHeader] = "true";
        return Results.Json(new EventAccepted(row.CaseId, earlier.Type, earlier.AcceptedAt), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The event is stored: a failed raise is logged and left to the orchestration's pull and the redelivery job.</summary>
    async Task RaiseAsync(ApiCall call, string caseId, CaseEvent stored)
    {
        try
        {
            await call.Durable.RaiseEventAsync(caseId, CaseOrchestration.EventName, CaseOrchestration.EventPayload(stored), call.Aborted);
        }
        catch (Exception e) when (e is not OperationCanceledException || !call.Aborted.IsCancellationRequested)
        {
            LogRaiseFailed(logger, e.GetType().Name);
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Case {CaseId}'s instance row says pending, but its orchestration opened the case: the event is raised")]
    static partial void LogPendingButOpened(Microsoft.Extensions.Logging.ILogger logger, string caseId);

    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "An accepted event is stored but its raise failed ({Error}); the orchestration will pull it")]
    static partial void LogRaiseFailed(Microsoft.Extensions.Logging.ILogger logger, string error);

    /// <summary>The committed state with the events accepted before this one applied: what the orchestration will decide on.</summary>
    static CaseState Predict(CaseState committed, IReadOnlyList<CaseEvent> accepted, DateTimeOffset now)
    {
        foreach (CaseEvent e in accepted)
        {
            committed = CaseDecider.Apply(committed, e, now).State;
        }

        return committed;
    }

    /// <summary>
    /// 503 when nothing stored now would be applied soon: the orchestration has not started (the Azure Storage provider
    /// discards an event that reaches an instance before its ExecutionStarted), or it failed or was terminated (an
    /// administrator resumes it: GET /api/admin/cases/stalled). An instance row that says pending after the orchestration
    /// carried out its opening step is not believed: a storage outage can cut off the status write of the first turn
    /// after its history was saved, and the provider writes the status again only when the execution ends or continues
    /// as new; refused here, the case would take no event until then.
    /// </summary>
    async Task<IResult?> StoppedAsync(ApiCall call, string caseId, DateTimeOffset openedAt)
    {
        OrchestrationMetadata? instance = await call.Durable.GetInstanceAsync(caseId, getInputsAndOutputs: false, call.Aborted);
        if (instance?.RuntimeStatus == OrchestrationRuntimeStatus.Pending && await timeline.OpenedAsync(caseId, openedAt, call.Aborted))
        {
            LogPendingButOpened(logger, caseId);
            return null;
        }

        if (instance is null || instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            // Right after intake the start is usually a poll away: wait a little for it rather than send the client back.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted);
            wait.CancelAfter(StartWait);
            try
            {
                instance = await call.Durable.WaitForInstanceStartAsync(caseId, getInputsAndOutputs: false, wait.Token);
            }
            catch (OperationCanceledException) when (!call.Aborted.IsCancellationRequested)
            {
            }
        }

        if (instance is null || instance.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
        {
            call.Request.HttpContext.Response.Headers.RetryAfter = NotStartedRetryAfter;
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The case's workflow has not started yet.", "Nothing was recorded. Send the event again after Retry-After seconds.");
        }

        if (instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
        {
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The case's workflow has stopped.", "Nothing was recorded. An administrator resumes the case (POST /api/admin/cases/{caseId}/resume); then send the event again.");
        }

        return null;
    }

    /// <summary>
    /// Seals, for the receiving organisation, only what the consent covers: from the intake's description of the person
    /// and the referral's note (the need). Nothing is shared that the person did not agree to.
    /// </summary>
    async Task ShareAsync(ApiCall call, string caseId, SharingConsent consent, string referralId, string? need)
    {
        string? sealedIntake = await vault.GetAsync(caseId, Intake.IntakePersonalData.VaultField, call.Aborted);
        Intake.PersonDetails? person = sealedIntake is null ? null : JsonSerializer.Deserialize<Intake.IntakePersonalData>(sealedIntake, ApiJson.Options)?.Person;
        var shared = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (SharedField field in consent.Fields)
        {
            shared[KebabCase.Name(field)] = field switch
            {
                SharedField.Alias => person?.Alias,
                SharedField.Languages => person?.Languages,
                SharedField.Age => person?.EstimatedAge,
                SharedField.Gender => person?.Gender,
                SharedField.Citizenship => person?.Citizenship,
                SharedField.Contact => person?.Contact,
                SharedField.Need => need,
                _ => null,
            };
        }

        await vault.PutAsync(caseId, Referral.VaultField(referralId), JsonSerializer.Serialize(shared, ApiJson.Options), call.Aborted);
    }

    /// <summary>
    /// A note is personal data, and an erased case takes none (its key is destroyed and only intake creates one):
    /// the request is refused as a whole, and the same event without a note is accepted when the phase allows it.
    /// </summary>
    static IResult ErasedNote() => Problems.Validation(new Dictionary<string, string[]>
    {
        ["note"] = ["The case's personal data has been erased, so a note cannot be stored. Send the event without a note."],
    });
}

/// <summary>The 202 of <c>POST /api/cases/{caseId}/events</c> and of a referral's answer: the event is on its way to the case.</summary>
public sealed record EventAccepted(string CaseId, CaseEventType Type, DateTimeOffset AcceptedAt);
