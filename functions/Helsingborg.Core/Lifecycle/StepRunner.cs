using System.Text.Json;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;

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
/// Tells an activity's answer from a completion meant for another call. DurableTask matches a completion to a task by
/// its number in the execution only. When a host dies after a turn's activity messages were sent but before its history
/// was saved, the turn runs again and may number another call the same (the events that arrived differ), while the lost
/// turn's activity still runs and answers: that answer reaches the new call. Each call therefore carries a token from
/// <see cref="TaskOrchestrationContext.NewGuid"/> (different in every run of a turn), which the activity echoes; an
/// answer that does not echo it is not this call's.
/// </summary>
public static class CallAnswer
{
    /// <summary>True when <paramref name="answer"/> echoes <paramref name="token"/> (or no token was sent).</summary>
    public static bool Echoes(JsonElement answer, string? token) =>
        token is null || (answer.TryGetProperty("token", out JsonElement echoed) && echoed.ValueKind == JsonValueKind.String && echoed.GetString() == token);

    /// <summary>The answer read as <typeparamref name="T"/>, or null when it is not one.</summary>
    public static T? Read<T>(JsonElement answer) where T : class
    {
        try
        {
            return answer.Deserialize<T>(DurableJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>
/// Carries out the case's steps through its activities, counts them towards continuing as new, and shows the case in its
/// custom status. An activity that fails is tried again after a durable timer, doubling up to a minute, for as long as it
/// fails; after <see cref="StepStall.StalledAfter"/> failures the case shows as stalled with the exception's type. Each
/// failed attempt counts as a step, so a long outage still continues as new (the step is then carried, not lost). An
/// answer that is not the call's (<see cref="CallAnswer"/>) is set aside and the call made again, also as a step.
/// </summary>
public sealed partial class StepRunner(TaskOrchestrationContext context, OrchestrationInbox inbox, CasePolicy policy, StepStall? stall, int rules = CaseRules.Current)
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
        var step = new CaseStep(opened.State, Erase: false, [intakeEntry], opened.Reminders, Project: false);
        // What a stalled opening shows (so the stalled list finds it), before anything was shown.
        shown = opened.State;
        (bool ok, _) = await CallAsync(nameof(ApplyCaseStep), token => step with { Token = token }, StepDone.Of);
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

        (bool ok, StepDone? done) = await CallAsync(nameof(ApplyCaseStep), token => effects with { Token = token }, StepDone.Of);
        if (ok)
        {
            inbox.SawHead(done!.Head);
            return after;
        }

        inbox.Return(wake.Events);
        return state;
    }

    /// <summary>
    /// Calls an activity until it answers, or until this execution has taken its steps (not <c>Ok</c>: the caller continues
    /// as new and the next execution tries again). <paramref name="input"/> makes the call's input with its token;
    /// <paramref name="answer"/> reads the answer, null when it is not this call's.
    /// </summary>
    public async Task<(bool Ok, T? Result)> CallAsync<T>(string activity, Func<string?, object> input, Func<JsonElement, string?, T?> answer)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(answer);
        do
        {
            string? token = CaseRules.ChecksAnswers(rules) ? context.NewGuid().ToString("N") : null;
            try
            {
                // Nullable: a completion without a result (a timer's, meant for another task) reads as null, not as a crash.
                JsonElement? raw = await context.CallActivityAsync<JsonElement?>(activity, input(token));
                if (raw is not { } answered || answer(answered, token) is not { } result)
                {
                    // A completion meant for another call (a turn cut off by a crash): set aside, and the call made again.
                    LogForeignAnswer(context.CreateReplaySafeLogger(nameof(StepRunner)), activity, context.InstanceId);
                    Count++;
                    continue;
                }

                if (Stall is not null)
                {
                    Stall = null;
                    if (shown is not null)
                    {
                        Show(shown);
                    }
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
                await WaitAsync(Stall.NextRetry());
            }
        }
        while (!Done);

        return (false, default);
    }

    /// <summary>
    /// The wait before the next attempt. A failure meant for another task (an activity of a turn cut off by a crash or an
    /// outage, numbered like this timer) ends the wait early instead of failing the case: the attempt is simply made now.
    /// Before any rules had a failure reach a timer, the case failed; so catching it changes no history that replays.
    /// </summary>
    async Task WaitAsync(TimeSpan wait)
    {
        try
        {
            await context.CreateTimer(wait, CancellationToken.None);
        }
        catch (Exception e) when (IsTaskFailure(e))
        {
            LogForeignFailure(context.CreateReplaySafeLogger(nameof(StepRunner)), context.InstanceId);
        }
    }

    /// <summary>An activity's failure as the SDK raises it, or as the engine does on a timer (the SDK translates only an activity's).</summary>
    static bool IsTaskFailure(Exception e) => e is TaskFailedException or global::DurableTask.Core.Exceptions.TaskFailedException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Activity} answered another call of case {CaseId}; called again")]
    static partial void LogForeignAnswer(ILogger logger, string activity, string caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A failure meant for another task ended a retry's wait of case {CaseId}; the step is tried now")]
    static partial void LogForeignFailure(ILogger logger, string caseId);
}
