using Helsingborg.Timeline;
using Microsoft.DurableTask;

namespace Helsingborg.Lifecycle;

/// <summary>
/// A step that keeps failing: since when, how many attempts in a row, and the last exception's type (nothing personal).
/// Carried across continue-as-new, so the back-off and the stalled mark go on where they were.
/// </summary>
public sealed record StepStall(DateTimeOffset Since, int Failures, string Reason)
{
    /// <summary>Failed attempts in a row after which the case shows as stalled (a blip of storage does not).</summary>
    public const int StalledAfter = 3;

    static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(1);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsStalled => Failures >= StalledAfter;

    /// <summary>The wait before the next attempt: doubling from 2 s, at most a minute, for as long as it fails.</summary>
    public TimeSpan NextRetry() => TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, FirstRetry.Ticks << Math.Min(Failures - 1, 20)));
}

/// <summary>
/// Carries out the case's steps through its activities, counts them towards continuing as new, and shows the case in its
/// custom status. An activity that fails is tried again after a durable timer, doubling up to a minute, for as long as it
/// fails; after <see cref="StepStall.StalledAfter"/> failures the case shows as stalled with the exception's type. Each
/// failed attempt counts as a step, so a long outage still continues as new (the step is then carried, not lost).
/// </summary>
public sealed class StepRunner(TaskOrchestrationContext context, OrchestrationInbox inbox, CasePolicy policy, StepStall? stall)
{
    readonly int limit = Math.Max(1, policy.StepsPerExecution);
    CaseState? shown;

    /// <summary>Steps taken in this execution: events applied, deadlines, wake-ups and failed attempts.</summary>
    public int Count { get; set; }

    /// <summary>This execution has taken its steps: it continues as new.</summary>
    public bool Done => Count >= limit;

    public StepStall? Stall { get; private set; } = stall;

    /// <summary>Opens the case from the intake's facts: the opening step records the timeline and the reminders. Null when it could not be carried out in this execution.</summary>
    public async Task<CaseState?> OpenAsync(CaseInput input)
    {
        IntakeFacts facts = input.Facts ?? throw new ArgumentException("A new case needs the intake's facts.", nameof(input));
        Decision opened = CaseDecider.Open(facts, input.Policy ?? new CasePolicy());
        var intakeEntry = new TimelineEntry(facts.CaseId, "intake", facts.ReceivedAt, "intake", facts.ReportedBy, Refused: false, HasNote: false);

        // Intake projected this very state before it started the orchestration, so the opening step does not project again.
        (bool ok, _) = await CallAsync<long>(nameof(ApplyCaseStep), new CaseStep(opened.State, Erase: false, [intakeEntry], opened.Reminders, Project: false));
        return ok ? opened.State : null;
    }

    public void Show(CaseState state)
    {
        shown = state;
        context.SetCustomStatus(CaseStatus.Of(state, Stall));
    }

    /// <summary>Applies the wake's events or deadline and carries out the step. Returns the state after it, or, when the step could not be carried out within this execution, the state before it with its events put back.</summary>
    public async Task<CaseState> ApplyAsync(CaseState state, Wake wake)
    {
        var step = new StepBuilder(state);
        DateTimeOffset now = context.CurrentUtcDateTime;
        if (wake.Deadline)
        {
            step.Deadline(wake.At, CaseDecider.NextDeadline(state));
            Count++;
        }
        else
        {
            if (CaseDecider.NextDeadline(state) is { } passed && passed <= now)
            {
                // The deadline passed too (the events were waiting in the queue): it comes first.
                step.Deadline(now, passed);
            }

            foreach (CaseEvent e in wake.Events)
            {
                step.Event(e, now);
            }

            Count += wake.Events.Count;
        }

        CaseState after = step.State;
        CaseStep effects = step.Build(project: state.ToJson() != after.ToJson());
        if (effects.IsEmpty)
        {
            return after;
        }

        (bool ok, long head) = await CallAsync<long>(nameof(ApplyCaseStep), effects);
        if (ok)
        {
            inbox.SawHead(head);
            return after;
        }

        inbox.Return(wake.Events);
        return state;
    }

    /// <summary>
    /// Calls an activity until it succeeds, or until this execution has taken its steps (not <c>Ok</c>: the caller continues
    /// as new and the next execution tries again).
    /// </summary>
    public async Task<(bool Ok, T? Result)> CallAsync<T>(string activity, object input)
    {
        do
        {
            try
            {
                T result = await context.CallActivityAsync<T>(activity, input);
                if (Stall is not null)
                {
                    Stall = null;
                    Show(shown!);
                }

                return (true, result);
            }
            catch (TaskFailedException failed)
            {
                Stall = Stall is { } s
                    ? s with { Failures = s.Failures + 1, Reason = failed.FailureDetails.ErrorType }
                    : new StepStall(context.CurrentUtcDateTime, 1, failed.FailureDetails.ErrorType);
                if (shown is not null)
                {
                    Show(shown);
                }

                Count++;
                await context.CreateTimer(Stall.NextRetry(), CancellationToken.None);
            }
        }
        while (!Done);

        return (false, default);
    }
}
