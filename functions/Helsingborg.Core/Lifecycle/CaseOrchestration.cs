using System.Text.Json.Serialization;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Lifecycle;

/// <summary>The orchestration's input: the intake's facts on the first run, the carried state after ContinueAsNew.</summary>
public sealed record CaseInput(IntakeFacts? Facts, CasePolicy? Policy, CaseState? State)
{
    public static CaseInput Start(IntakeFacts facts, CasePolicy policy) => new(facts, policy, null);

    public static CaseInput Continue(CaseState state) => new(null, null, state);
}

/// <summary>
/// What arrives as the external event <see cref="CaseOrchestration.EventName"/>: a coordinator's event, or
/// the orchestration's own flush marker, which it sends itself before <c>ContinueAsNew</c> so that every
/// event queued before the marker is processed in this execution and none is lost.
/// </summary>
public sealed record CaseSignal(CaseEvent? Event, string? Flush)
{
    public static CaseSignal Of(CaseEvent e) => new(e, null);
}

/// <summary>The custom status <c>{ phase, step, lead, minor, nextDueAt }</c>: what monitors and the API may show, nothing personal.</summary>
public sealed record CaseStatus(
    [property: JsonPropertyName("phase")] Phase Phase,
    [property: JsonPropertyName("step")] ReturnStep? Step,
    [property: JsonPropertyName("lead")] Lead? Lead,
    [property: JsonPropertyName("minor")] bool Minor,
    [property: JsonPropertyName("nextDueAt")] DateTimeOffset? NextDueAt);

/// <summary>The orchestration's output when a case completes: anonymous figures only.</summary>
public sealed record CaseSummary(string CaseId, Phase Phase, CloseReason? CloseReason, EvaluationOutcome? EvaluationOutcome, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int ContactAttempts, int SupportConversations, int SupportGiven);

/// <summary>
/// One orchestration per case (instance id = case id). A thin deterministic loop around
/// <see cref="CaseDecider"/>: wait for the next <c>case-event</c> or the single timer of the earliest
/// deadline, apply, run the effects as activities, and continue as new after a bounded number of steps
/// so that a case open for years keeps a short history.
/// </summary>
public static class CaseOrchestration
{
    public const string Name = nameof(CaseOrchestration);
    public const string EventName = "case-event";


    public static async Task<CaseSummary?> RunAsync(TaskOrchestrationContext context, CaseInput input)
    {
        ILogger log = context.CreateReplaySafeLogger(nameof(CaseOrchestration));
        CaseState state;
        if (input.State is { } carried)
        {
            state = carried;
        }
        else
        {
            IntakeFacts facts = input.Facts ?? throw new ArgumentException("A new case needs the intake's facts.", nameof(input));
            Decision opened = CaseDecider.Open(facts, input.Policy ?? new CasePolicy());
            var intakeEntry = new TimelineEntry(facts.CaseId, "intake", facts.ReceivedAt, "intake", facts.ReportedBy, Refused: false, HasNote: false);
            // Intake projected this very state before it started the orchestration (it only starts once that
            // write succeeded), so the opening turn records the timeline and reminders but does not project again.
            await CaseActivities.RunEffectsAsync(context, opened.State, opened, intakeEntry);
            state = opened.State;
            log.LogInformation("Case {CaseId} opened in {Phase}", state.CaseId, state.Phase);
        }

        // The listener and the timer both outlive a round they lose: an abandoned listener would swallow the
        // next event, and a durable timer cannot be recalled - it fires anyway. A timer that is no longer
        // wanted is kept as an orphan until it has fired, so no execution ends with a timer in flight.
        Task<CaseSignal>? waiting = null;
        Task? timer = null;
        DateTimeOffset timerAt = default;
        var orphans = new List<Task>();
        var timerCancels = new List<CancellationTokenSource>();
        bool flushing = false;
        for (int steps = 0; ; steps++)
        {
            DateTimeOffset? due = CaseDecider.NextDeadline(state);
            context.SetCustomStatus(new CaseStatus(state.Phase, state.Step, state.Lead, state.Minor, due));
            if (state.Phase == Phase.Completed)
            {
                // Timers still pending would keep the orchestration from completing: cancel them (synchronously).
#pragma warning disable CA1849
                timerCancels.ForEach(cancel => cancel.Cancel());
#pragma warning restore CA1849
                log.LogInformation("Case {CaseId} completed", state.CaseId);
                return Summarise(state);
            }

            DateTimeOffset now = context.CurrentUtcDateTime;
            orphans.RemoveAll(abandoned => abandoned.IsCompleted);
            if (timer is { IsCompleted: true })
            {
                // It fired while an event won the round; its deadline was handled with the event, or is re-armed below.
                timer = null;
            }

            // Continue as new only with no timer in flight: a timer of an earlier execution would reach the new one.
            if (state.Policy.StepsPerExecution > 0 && steps >= state.Policy.StepsPerExecution && !flushing && timer is null && orphans.Count == 0)
            {
                if (waiting is null)
                {
                    // Nothing is listening, so events arriving from here on are carried over by the runtime.
                    log.LogInformation("Case {CaseId} continues as new after {Steps} steps", state.CaseId, steps);
                    context.ContinueAsNew(CaseInput.Continue(state), preserveUnprocessedEvents: true);
                    return null;
                }

                // A listener is outstanding: flush through it first, so no queued event is left behind.
                context.SendEvent(context.InstanceId, EventName, new CaseSignal(null, context.InstanceId));
                flushing = true;
                log.LogDebug("Case {CaseId} flushes its events before continuing as new", state.CaseId);
            }

            waiting ??= context.WaitForExternalEvent<CaseSignal>(EventName);
            if (!flushing && due is { } next && (timer is null || next < timerAt))
            {
                // A timer that would fire later than the deadline is replaced; one firing at or before it is kept.
                if (timer is not null)
                {
                    orphans.Add(timer);
                }

                TimeSpan slice = state.Policy.TimerSlice > TimeSpan.Zero ? state.Policy.TimerSlice : TimeSpan.FromHours(1);
                timerAt = next - now > slice ? now + slice : next;
                var cancel = new CancellationTokenSource();
                timerCancels.Add(cancel);
                timer = context.CreateTimer(timerAt.UtcDateTime, cancel.Token);
            }

            CaseState before = state;
            Decision decision;
            CaseEvent? received = null;
            Task winner = timer is null || flushing ? waiting : await Task.WhenAny(waiting, timer);
            if (winner == waiting)
            {
                CaseSignal signal = await waiting;
                waiting = null;
                if (signal.Event is null)
                {
                    if (flushing)
                    {
                        log.LogInformation("Case {CaseId} continues as new after {Steps} steps", state.CaseId, steps);
                        context.ContinueAsNew(CaseInput.Continue(state), preserveUnprocessedEvents: true);
                        return null;
                    }

                    continue;
                }

                received = signal.Event;
                now = context.CurrentUtcDateTime;
                if (due is { } passed && passed <= now)
                {
                    // The deadline passed too (the event was waiting in the queue): it comes first.
                    Decision overdue = CaseDecider.OnDeadline(state, now);
                    await CaseActivities.RunEffectsAsync(context, state, overdue, SystemEntry(state, overdue.State, due));
                    before = state = overdue.State;
                }

                decision = CaseDecider.Apply(state, received, now);
            }
            else
            {
                // The timer fired for `timerAt` (Azure Storage may fire it a little early). Deadlines after
                // `timerAt` are not due yet: a slice, or a kept timer, fires before a deadline further away.
                timer = null;
                now = context.CurrentUtcDateTime;
                decision = CaseDecider.OnDeadline(state, now > timerAt ? now : timerAt);
            }

            TimelineEntry? entry = received is not null
                ? new TimelineEntry(state.CaseId, received.EventId, received.At, KebabCase.Name(received.Type), received.By, decision.Refused is not null, received.HasNote, decision.Refused?.Reason)
                : SystemEntry(before, decision.State, due);
            await CaseActivities.RunEffectsAsync(context, before, decision, entry);
            state = decision.State;
            if (decision.Refused is not null)
            {
                log.LogWarning("Case {CaseId} refused {EventType} in {Phase}", state.CaseId, received?.Type, state.Phase);
            }
            else if (before.Phase != state.Phase)
            {
                log.LogInformation("Case {CaseId} moved to {Phase}", state.CaseId, state.Phase);
            }
        }
    }

    /// <summary>A phase change made by a deadline (no contact, evaluation given up) shows in the timeline as the system's.</summary>
    static TimelineEntry? SystemEntry(CaseState before, CaseState after, DateTimeOffset? due) =>
        before.Phase == after.Phase || due is null
            ? null
            : new TimelineEntry(
                after.CaseId,
                $"system-{due.Value.UtcTicks}",
                due.Value,
                after.Phase == Phase.Completed ? "evaluation-recorded" : "case-closed",
                "system",
                Refused: false,
                HasNote: false);

    static CaseSummary Summarise(CaseState state) =>
        new(state.CaseId, state.Phase, state.CloseReason, state.EvaluationOutcome, state.OpenedAt, state.ClosedAt,
            state.ContactAttempts, state.SupportConversations, state.SupportGiven.Values.Sum());
}
