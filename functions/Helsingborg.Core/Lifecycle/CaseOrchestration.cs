using System.Text.Json.Serialization;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The orchestration's input: the intake's facts on the first run; after ContinueAsNew (or a resume) the carried state,
/// the events that had reached the orchestration but were not yet applied (anonymous, like every event), a step still
/// failing, the rules the execution runs under (<see cref="CaseRules"/>) and the inbox's head as last seen (events up to
/// it exist, raised or not, and are pulled).
/// </summary>
public sealed record CaseInput(IntakeFacts? Facts, CasePolicy? Policy, CaseState? State, IReadOnlyList<CaseEvent>? Pending = null, int Rules = CaseRules.First, StepStall? Stall = null, long Head = 0)
{
    public static CaseInput Start(IntakeFacts facts, CasePolicy policy) => new(facts, policy, null, Rules: CaseRules.Current);

    public static CaseInput Continue(CaseState state, IReadOnlyList<CaseEvent>? pending = null, StepStall? stall = null, long head = 0) =>
        new(null, null, state, pending is { Count: > 0 } ? pending : null, CaseRules.Current, stall, head);
}

/// <summary>
/// The custom status <c>{ phase, step, lead, nextDueAt, applied, stalledSince, stalledReason }</c>: what a monitor needs,
/// nothing about the person (so not <c>minor</c>; coordinators see it on the case). <c>applied</c> is the inbox number of the
/// last event taken in; <c>stalledSince</c> and <c>stalledReason</c> (an exception's type) say that a step keeps failing.
/// </summary>
public sealed record CaseStatus(
    [property: JsonPropertyName("phase")] Phase Phase,
    [property: JsonPropertyName("step")] ReturnStep? Step,
    [property: JsonPropertyName("lead")] string? Lead,
    [property: JsonPropertyName("nextDueAt")] DateTimeOffset? NextDueAt,
    [property: JsonPropertyName("applied")] long Applied,
    [property: JsonPropertyName("stalledSince"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? StalledSince = null,
    [property: JsonPropertyName("stalledReason"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? StalledReason = null)
{
    public static CaseStatus Of(CaseState state, StepStall? stall = null) =>
        new(state.Phase, state.Step, state.Lead, CaseDecider.NextDeadline(state), state.Applied,
            stall is { IsStalled: true } ? stall.Since : null, stall is { IsStalled: true } ? stall.Reason : null);
}

/// <summary>The orchestration's output when a case completes: anonymous figures only.</summary>
public sealed record CaseSummary(string CaseId, Phase Phase, CloseReason? CloseReason, EvaluationOutcome? EvaluationOutcome, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt, int ContactAttempts, int SupportConversations, int SupportGiven);

/// <summary>
/// One orchestration per case (instance id = case id). A thin deterministic loop around <see cref="CaseDecider"/>: take the
/// next events in inbox order or the deadline, apply them, carry out the step's effects in one activity, and continue as
/// new after <see cref="CasePolicy.StepsPerExecution"/> steps so that a case open for years keeps a short history.
/// A class, so that the Durable analyzers check it; both hosts run this same class.
/// </summary>
public sealed class CaseOrchestration : TaskOrchestrator<CaseInput, CaseSummary?>
{
    public const string Name = nameof(CaseOrchestration);
    public const string EventName = "case-event";

    /// <summary>An event as it is raised: written as a <see cref="CaseEvent"/>, so that it names its type.</summary>
    public static System.Text.Json.JsonElement EventPayload(CaseEvent e) => System.Text.Json.JsonSerializer.SerializeToElement(e, DurableJson.Options);

    public override async Task<CaseSummary?> RunAsync(TaskOrchestrationContext context, CaseInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        ILogger log = context.CreateReplaySafeLogger(nameof(CaseOrchestration));
        var inbox = new OrchestrationInbox(context, input.Pending, input.Head);
        var steps = new StepRunner(context, inbox, input.State?.Policy ?? input.Policy ?? new CasePolicy(), input.Stall, input.Rules);
        CaseState? opened = input.State is { } carried ? CaseState.Upgrade(carried) : await steps.OpenAsync(input);
        if (opened is not { } state)
        {
            context.ContinueAsNew(input with { Stall = steps.Stall }, preserveUnprocessedEvents: true);
            return null;
        }

        using var timer = new DeadlineTimer(context, CaseRules.CapsTimers(input.Rules) ? state.Policy.MaxTimerWait : null, CaseRules.ChecksAnswers(input.Rules));
        while (true)
        {
            steps.Show(state);
            if (state.Phase == Phase.Completed || steps.Done)
            {
                // A pending timer would keep the orchestration from completing, or leak into the next execution.
                timer.Cancel();
                if (state.Phase == Phase.Completed)
                {
                    log.LogInformation("Case {CaseId} completed", state.CaseId);
                    return Summarise(state);
                }

                await inbox.TakeArrivedAsync();
                context.ContinueAsNew(CaseInput.Continue(state, inbox.Carry(state.Applied), steps.Stall, inbox.Head), preserveUnprocessedEvents: true);
                return null;
            }

            Wake wake = await inbox.NextAsync(state, timer, steps);
            if (wake.Events.Count == 0 && !wake.Deadline)
            {
                steps.Count++;
                continue;
            }

            Phase before = state.Phase;
            state = await steps.ApplyAsync(state, wake);
            if (before != state.Phase)
            {
                log.LogInformation("Case {CaseId} moved to {Phase}", state.CaseId, state.Phase);
            }
        }
    }

    static CaseSummary Summarise(CaseState state) =>
        new(state.CaseId, state.Phase, state.CloseReason, state.EvaluationOutcome, state.OpenedAt, state.ClosedAt,
            state.ContactAttempts, state.SupportConversations, state.SupportGiven.Values.Sum());
}

/// <summary>
/// What woke the orchestration: events to apply, in inbox order; the deadline (<paramref name="Deadline"/>, fired for
/// <paramref name="At"/>); or neither, a capped timer's wake-up on the way to a far deadline.
/// </summary>
public sealed record Wake(IReadOnlyList<CaseEvent> Events, bool Deadline, DateTimeOffset At)
{
    public static Wake Of(IReadOnlyList<CaseEvent> events) => new(events, false, default);
}

/// <summary>
/// The rules an execution runs under. A change to the orchestrator that alters the actions an open case's history holds
/// ships as a new rules number: an execution replays under the rules it started with (its input's), and moves to
/// <see cref="Current"/> at its next continue-as-new, where no history is replayed.
/// </summary>
public static class CaseRules
{
    /// <summary>The rules of executions started before the number existed: a timer waits for the deadline itself.</summary>
    public const int First = 1;

    /// <summary>A timer waits at most <see cref="CasePolicy.MaxTimerWait"/>, each wake-up a step, so an idle case's history stays short.</summary>
    public const int CappedTimers = 2;

    /// <summary>
    /// A call carries a token its activity echoes, and a timer that fires well before its time is armed again: a
    /// completion meant for another task (a turn a crash cut off) is set aside instead of failing the case or taking the
    /// place of a step (<see cref="CallAnswer"/>).
    /// </summary>
    public const int CheckedAnswers = 3;

    public const int Current = CheckedAnswers;

    public static bool CapsTimers(int rules) => rules >= CappedTimers;

    public static bool ChecksAnswers(int rules) => rules >= CheckedAnswers;
}
