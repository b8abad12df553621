using System.Text.Json.Serialization;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The orchestration's input: the intake's facts on the first run; after ContinueAsNew the carried state and the
/// events that had reached the orchestration but were not yet applied (anonymous, like every event).
/// </summary>
public sealed record CaseInput(IntakeFacts? Facts, CasePolicy? Policy, CaseState? State, IReadOnlyList<CaseEvent>? Pending = null)
{
    public static CaseInput Start(IntakeFacts facts, CasePolicy policy) => new(facts, policy, null);

    public static CaseInput Continue(CaseState state, IReadOnlyList<CaseEvent>? pending = null) =>
        new(null, null, state, pending is { Count: > 0 } ? pending : null);
}

/// <summary>
/// The custom status <c>{ phase, step, lead, nextDueAt, events }</c>: what a monitor needs, nothing about the
/// person. Task-hub monitors and Application Insights show custom status to operators, who have no need to know
/// that a case concerns a child, so <c>minor</c> is not here (coordinators see it on the case). <c>events</c>
/// counts the coordinators' events the orchestration has taken in (applied, refused or repeated), so the events
/// endpoint can tell whether events it accepted are still on their way.
/// </summary>
public sealed record CaseStatus(
    [property: JsonPropertyName("phase")] Phase Phase,
    [property: JsonPropertyName("step")] ReturnStep? Step,
    [property: JsonPropertyName("lead")] string? Lead,
    [property: JsonPropertyName("nextDueAt")] DateTimeOffset? NextDueAt,
    [property: JsonPropertyName("events")] long Events)
{
    public static CaseStatus Of(CaseState state) =>
        new(state.Phase, state.Step, state.Lead, CaseDecider.NextDeadline(state), state.EventsReceived);
}

/// <summary>The orchestration's output when a case completes: anonymous figures only.</summary>
public sealed record CaseSummary(string CaseId, Phase Phase, CloseReason? CloseReason, EvaluationOutcome? EvaluationOutcome, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int ContactAttempts, int SupportConversations, int SupportGiven);

/// <summary>
/// One orchestration per case (instance id = case id). A thin deterministic loop around
/// <see cref="CaseDecider"/>: wait for the next <c>case-event</c> or the single timer of the earliest
/// deadline, apply, carry out the step's effects in one activity, and continue as new after
/// <see cref="CasePolicy.StepsPerExecution"/> steps so that a case open for years keeps a short history.
/// A class, so that the Durable analyzers check it; both hosts run this same class.
/// </summary>
public sealed class CaseOrchestration : TaskOrchestrator<CaseInput, CaseSummary?>
{
    public const string Name = nameof(CaseOrchestration);
    public const string EventName = "case-event";

    /// <summary>
    /// An event as it is raised: written as a <see cref="CaseEvent"/>, so that it names its type (both hosts serialize a
    /// raised payload by its runtime type, which for a payload record would leave out the discriminator).
    /// </summary>
    public static System.Text.Json.JsonElement EventPayload(CaseEvent e) => System.Text.Json.JsonSerializer.SerializeToElement(e, DurableJson.Options);

    public override async Task<CaseSummary?> RunAsync(TaskOrchestrationContext context, CaseInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger log = context.CreateReplaySafeLogger(nameof(CaseOrchestration));
        CaseState state;
        if (input.State is { } carried)
        {
            state = CaseState.Upgrade(carried);
        }
        else
        {
            IntakeFacts facts = input.Facts ?? throw new ArgumentException("A new case needs the intake's facts.", nameof(input));
            Decision opened = CaseDecider.Open(facts, input.Policy ?? new CasePolicy());
            var intakeEntry = new TimelineEntry(facts.CaseId, "intake", facts.ReceivedAt, "intake", facts.ReportedBy, Refused: false, HasNote: false);

            // Intake projected this very state before it started the orchestration (it starts it only once that
            // write succeeded), so the opening step records the timeline and reminders but does not project again.
            await ApplyCaseStep.CallAsync(context, new CaseStep(opened.State, Erase: false, [intakeEntry], opened.Reminders, Project: false));
            state = opened.State;
            log.LogInformation("Case {CaseId} opened in {Phase}", state.CaseId, state.Phase);
        }

        // Events the previous execution had received but not applied come first.
        List<CaseEvent>? carriedIn = input.Pending is { Count: > 0 } pending ? [.. pending] : null;

        // One listener and at most one timer at a time. A listener that loses the race to the timer is kept
        // for the next round (an abandoned one would swallow the next event: CaseOrchestrationTests.
        // A_timer_that_wins_the_race_keeps_the_event_listener_for_the_next_round); a timer whose deadline moved is
        // cancelled (its message still arrives and is ignored; after ContinueAsNew the engine drops it).
        Task<CaseEvent>? waiting = null;
        Task? timer = null;
        using var timerCancel = new TimerCancellation();
        DateTimeOffset timerAt = default;
        int limit = Math.Max(1, state.Policy.StepsPerExecution);
        for (int steps = 0; ; )
        {
            DateTimeOffset? due = CaseDecider.NextDeadline(state);
            context.SetCustomStatus(CaseStatus.Of(state));
            if (state.Phase == Phase.Completed)
            {
                // A pending timer would keep the orchestration from completing.
                timerCancel.Cancel();
                log.LogInformation("Case {CaseId} completed", state.CaseId);
                return Summarise(state);
            }

            // Continue as new after the step limit. Events the listener already received go along in the input
            // (under a steady stream of events there is never a moment without one: without this, EventOrderTests'
            // storm ran 500 events through 2 executions, one of 959 history events); events that arrive from
            // here on are carried over by the engine, and any the runtime holds for a listener not yet made are
            // forwarded to the new execution (preserveUnprocessedEvents). Timers of this execution are cancelled.
            if (steps >= limit)
            {
                List<CaseEvent> carriedOut = [];
                if (waiting is { IsCompleted: true })
                {
                    (carriedOut, waiting) = await DrainAsync(context, waiting);
                }

                timerCancel.Cancel();
                log.LogInformation("Case {CaseId} continues as new after {Steps} steps, {Carried} events carried", state.CaseId, steps, carriedOut.Count);
                context.ContinueAsNew(CaseInput.Continue(state, carriedOut), preserveUnprocessedEvents: true);
                return null;
            }

            List<CaseEvent>? received = carriedIn;
            carriedIn = null;
            if (received is null)
            {
                waiting ??= context.WaitForExternalEvent<CaseEvent>(EventName);
                if (timer is not null && (due is null || due.Value != timerAt))
                {
                    timerCancel.Cancel();
                    timer = null;
                }

                if (timer is null && due is { } next)
                {
                    timerAt = next;
                    timer = context.CreateTimer(next.UtcDateTime, timerCancel.Next());
                }

                Task winner = timer is null ? waiting : await Task.WhenAny(waiting, timer);
                if (winner == waiting)
                {
                    // Every event the runtime already holds is in this execution's history anyway: apply them all
                    // in this one step. Each counts as a step towards continuing as new, so a burst ends an execution
                    // (one event a step, EventOrderTests' storm took 3 min 41 s and an execution of 541 events).
                    (received, waiting) = await DrainAsync(context, waiting);
                }
            }

            CaseState before = state;
            var step = new StepBuilder(state);
            if (received is not null)
            {
                DateTimeOffset now = context.CurrentUtcDateTime;
                step.Take(received.Count);
                if (due is { } passed && passed <= now)
                {
                    // The deadline passed too (the events were waiting in the queue): it comes first.
                    step.Deadline(now, due);
                }

                foreach (CaseEvent e in received)
                {
                    if (step.Event(e, now) is { } refusal)
                    {
                        log.LogWarning("Case {CaseId} refused {EventType} in {Phase}: {Reason}", state.CaseId, e.Type, step.State.Phase, refusal.Reason);
                    }
                }

                steps += received.Count;
            }
            else
            {
                // The timer fired for `timerAt` (Azure Storage may fire it a little early).
                timer = null;
                DateTimeOffset now = context.CurrentUtcDateTime;
                step.Deadline(now > timerAt ? now : timerAt, due);
                steps++;
            }

            state = step.State;
            await ApplyCaseStep.CallAsync(context, step.Build(project: before.ToJson() != state.ToJson()));
            if (before.Phase != state.Phase)
            {
                log.LogInformation("Case {CaseId} moved to {Phase}", state.CaseId, state.Phase);
            }
        }
    }

    /// <summary>
    /// The received event and every event the runtime already holds (they are in this execution's history anyway),
    /// and the listener left for the next one: it must be kept, as a dropped listener would swallow an event.
    /// </summary>
    static async Task<(List<CaseEvent> Events, Task<CaseEvent> Listener)> DrainAsync(TaskOrchestrationContext context, Task<CaseEvent> received)
    {
        var events = new List<CaseEvent> { await received };
        Task<CaseEvent> next;
        while ((next = context.WaitForExternalEvent<CaseEvent>(EventName)).IsCompleted)
        {
            events.Add(await next);
        }

        return (events, next);
    }

    /// <summary>Folds a step's decisions (a deadline, events) into one <see cref="CaseStep"/>.</summary>
    sealed class StepBuilder(CaseState state)
    {
        readonly List<TimelineEntry> entries = [];
        readonly List<ReminderDue> reminders = [];
        bool erase;

        public CaseState State { get; private set; } = state;

        /// <summary>Counts events taken in, applied or not (the custom status shows the count).</summary>
        public void Take(int count) => State = State with { EventsReceived = State.EventsReceived + count };

        public void Deadline(DateTimeOffset now, DateTimeOffset? due)
        {
            Decision decision = CaseDecider.OnDeadline(State, now);
            Add(decision, SystemEntry(State, decision.State, due));
        }

        public Refusal? Event(CaseEvent e, DateTimeOffset now)
        {
            Decision decision = CaseDecider.Apply(State, e, now);
            Add(decision, new TimelineEntry(State.CaseId, e.EventId, e.At, KebabCase.Name(e.Type), e.By, decision.Refused is not null, e.HasNote, decision.Refused?.Reason));
            return decision.Refused;
        }

        public CaseStep Build(bool project) => new(State, erase, entries, reminders, project);

        void Add(Decision decision, TimelineEntry? entry)
        {
            if (entry is not null)
            {
                entries.Add(entry);
            }

            reminders.AddRange(decision.Reminders);
            erase |= decision.EraseNow;
            State = decision.State;
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

    /// <summary>The cancellation of the one pending timer; cancelling it makes way for the next.</summary>
    sealed class TimerCancellation : IDisposable
    {
        CancellationTokenSource current = new();

        public CancellationToken Next()
        {
            if (current.IsCancellationRequested)
            {
                current.Dispose();
                current = new CancellationTokenSource();
            }

            return current.Token;
        }

        // Synchronous by design: the orchestrator's timer is cancelled inside the replayed turn.
#pragma warning disable CA1849
        public void Cancel() => current.Cancel();
#pragma warning restore CA1849

        public void Dispose() => current.Dispose();
    }
}
