using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Timeline;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Lifecycle;

/// <summary>
/// <c>POST /api/cases/{caseId}/events</c>: validates the event, refuses it with 409 when the case's phase as the
/// orchestration committed it does not allow it, seals its note in the vault and hands the orchestration only the
/// anonymous event. An event refused against the committed phase while earlier accepted events are still on their
/// way is checked again once they are applied (for a short while; after that the orchestration decides, and
/// records a late refusal in the timeline), so events sent back to back are not refused for a phase already left.
/// An event for a case whose orchestration has not started yet is answered 503 with Retry-After and raised nowhere.
/// </summary>
public sealed class CaseEventsHandler(CaseReadHandler cases, CaseProjectionStore projections, CaseVault vault, AccessLog accessLog, Referrals.ReferralStore referrals, Partners.CityProfile profile, TimeProvider clock)
{
    /// <summary>
    /// How long a request waits for earlier events to be applied before it leaves the check to the orchestration:
    /// well inside the request's deadline (<see cref="ApiDispatcher.Deadline"/>), so that a slow engine still gets the
    /// event accepted rather than a 503, with time left for the note, the count and the event itself.
    /// </summary>
    internal static readonly TimeSpan PendingWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Accepted events on their way to one case's orchestration beyond which a request waits its turn. Without it,
    /// EventOrderTests' storm (16 senders, 500 events) put 253–273 events into one execution's history; with it, 51.
    /// </summary>
    internal const int MaxPendingEvents = 16;

    /// <summary>What a 503 for a case whose orchestration has not started yet tells the client to wait (seconds).</summary>
    internal const string NotStartedRetryAfter = "2";

    public async Task<IResult> PostAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await cases.FindAsync(call);
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
            string eventId = "e_" + Guid.NewGuid().ToString("N");
            ParseResult parsed = CaseEventParser.Parse(document.RootElement, eventId, call.Authenticated.Organisation, now, profile);
            if (parsed.Event is not { } caseEvent)
            {
                return Problems.Validation(parsed.Errors);
            }

            if (row.State is not { } projected)
            {
                return Problems.Conflict("The case is still being opened; try again in a moment.");
            }

            if (projected.Erased && parsed.Note is { Length: > 0 })
            {
                return ErasedNote();
            }

            return await SubmitAsync(call, row, projected, caseEvent, parsed.Note);
        }
    }

    /// <summary>
    /// Checks an event against the committed state, seals what it carries that is personal (a note; what a referral
    /// shares), carries out what must happen at once (a withdrawn sharing consent closes the organisation's inbox),
    /// counts it and hands it to the orchestration. Used by this endpoint and by the receiving organisations' answers.
    /// </summary>
    internal async Task<IResult> SubmitAsync(ApiCall call, CaseRow row, CaseState projected, CaseEvent caseEvent, string? note)
    {
        DateTimeOffset now = clock.GetUtcNow();
        (CaseState committed, Refusal? refusal, bool started) = await CheckAsync(call, projected, row.AcceptedEvents, caseEvent);
        if (!started)
        {
            // Nothing was sealed, counted or sent: the client sends the same event again.
            call.Request.HttpContext.Response.Headers.RetryAfter = NotStartedRetryAfter;
            return Problems.Create(StatusCodes.Status503ServiceUnavailable, "The case's workflow has not started yet.", "Nothing was recorded. Send the event again after Retry-After seconds.");
        }

        if (refusal is not null)
        {
            Telemetry.AppTelemetry.EventRefusedByApi(KebabCase.Name(caseEvent.Type));
            return Problems.Conflict(refusal.Reason, new Dictionary<string, object?>
            {
                ["phase"] = refusal.Phase,
                ["step"] = committed.Step,
                ["allowed"] = refusal.Allowed,
            });
        }

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

        if (caseEvent is SharingConsentWithdrawn or ConsentWithdrawn)
        {
            await referrals.RevokeAsync(row.CaseId, (caseEvent as SharingConsentWithdrawn)?.Organisation, now, call.Aborted);
        }

        await projections.CountAcceptedEventAsync(row, call.Aborted);
        await call.Durable.RaiseEventAsync(row.CaseId, CaseOrchestration.EventName, CaseOrchestration.EventPayload(caseEvent), call.Aborted);
        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "write-event", call.Aborted);
        return Results.Json(new EventAccepted(row.CaseId, caseEvent.Type, now), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
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

    /// <summary>
    /// Checks the event against the state the orchestration committed (its custom status; the projection written
    /// at intake before its first turn). Refused while events accepted before it are not yet taken in, it waits for
    /// them and checks again. Allowed, it still waits while <see cref="MaxPendingEvents"/> accepted events are on
    /// their way: every event delivered to an orchestration lands in its current execution's history, so a burst
    /// on one case is metered out rather than piled into one execution. When the orchestration does not catch up
    /// in <see cref="PendingWait"/>, the event goes through and the orchestration decides: nothing is refused or
    /// lost for a slow engine.
    /// An event is never sent before the orchestration has started (Started false: the caller answers 503 and
    /// sends nothing). The Azure Storage provider, in Azure as locally, processes an event that reaches an instance
    /// whose ExecutionStarted it has not yet taken in (a start message dequeued before the intake wrote the instance
    /// row is put back with a delay: "Abandoning [ExecutionStarted]") on its own, finds no such instance and deletes
    /// it ("DiscardingWorkItem"): the event would have been answered 202 and never applied.
    /// </summary>
    async Task<(CaseState Committed, Refusal? Refusal, bool Started)> CheckAsync(ApiCall call, CaseState projected, long accepted, CaseEvent caseEvent)
    {
        DateTimeOffset deadline = clock.GetUtcNow() + PendingWait;
        TimeSpan pause = TimeSpan.FromMilliseconds(50);
        for (int round = 0; ; round++)
        {
            if (round > 0)
            {
                // The consents and referrals come from the projection, which is written before the status moves on.
                projected = (await projections.GetAsync(projected.CaseId, call.Aborted))?.State ?? projected;
            }

            (CaseState committed, long taken, bool started) = await CommittedAsync(call, projected);
            Refusal? refusal = CaseDecider.Check(committed, caseEvent);
            long pending = accepted - taken;
            if (started && (refusal is null ? pending < MaxPendingEvents : pending <= 0))
            {
                return (committed, refusal, true);
            }

            if (clock.GetUtcNow() > deadline)
            {
                return (committed, null, started);
            }

            await Task.Delay(pause, clock, call.Aborted);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 500));
        }
    }

    /// <summary>
    /// The committed state, the events the orchestration has taken in, and whether it has started: its custom status
    /// is there, or its instance is past Pending (the provider writes the instance's status after the history that
    /// holds its ExecutionStarted). No instance at all (an intake whose start failed, until its retry) is not started.
    /// </summary>
    static async Task<(CaseState State, long EventsTaken, bool Started)> CommittedAsync(ApiCall call, CaseState projected)
    {
        OrchestrationMetadata? instance = await call.Durable.GetInstanceAsync(projected.CaseId, getInputsAndOutputs: true, call.Aborted);
        if (instance?.SerializedCustomStatus is not { Length: > 0 } json || JsonSerializer.Deserialize<CaseStatus>(json, DurableJson.Options) is not { } status)
        {
            return (projected, 0, instance is not null && instance.RuntimeStatus != OrchestrationRuntimeStatus.Pending);
        }

        // Whether the person is a minor is fixed at intake, so the projection's word stands.
        return (projected with { Phase = status.Phase, Step = status.Step, Lead = status.Lead }, status.Events, true);
    }
}

/// <summary>The 202 of <c>POST /api/cases/{caseId}/events</c> and of a referral's answer: the event is on its way to the case.</summary>
public sealed record EventAccepted(string CaseId, CaseEventType Type, DateTimeOffset AcceptedAt);
