using Helsingborg.Lifecycle;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Moq.Protected;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>The orchestrator's loop with a mocked context: the race between timer and event, and ContinueAsNew.</summary>
public sealed class CaseOrchestrationTests
{
    static readonly DateTime Now = CaseScenario.T0.UtcDateTime.AddHours(1);

    readonly Mock<TaskOrchestrationContext> context = new() { CallBase = true };
    readonly List<(string Name, object? Input)> activities = [];
    readonly Queue<Task<CaseSignal>> signals = new();
    readonly Queue<Task> timers = new();
    readonly List<CancellationToken> timerTokens = [];
    int listeners;

    public CaseOrchestrationTests()
    {
        context.SetupGet(c => c.InstanceId).Returns("c_test");
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        context.Setup(c => c.CallActivityAsync<object>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => activities.Add((name.Name, input)))
            .ReturnsAsync((object)null!);
        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) => activities.Add((name.Name, input)))
            .Returns(Task.CompletedTask);
        context.Setup(c => c.WaitForExternalEvent<CaseSignal>(CaseOrchestration.EventName, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                listeners++;
                return signals.Count > 0 ? signals.Dequeue() : new TaskCompletionSource<CaseSignal>().Task;
            });
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>((_, token) =>
            {
                timerTokens.Add(token);
                return timers.Count > 0 ? timers.Dequeue() : new TaskCompletionSource().Task;
            });
    }

    /// <summary>Timers unsliced, so each test sees the deadline's own timer.</summary>
    static readonly CasePolicy Unsliced = new() { TimerSlice = TimeSpan.FromDays(1000) };

    static CaseState ShortTermSupport() =>
        CaseScenario.Open(policy: Unsliced).Then(CaseEventType.ContactMade, CaseScenario.T0.AddMinutes(5));

    static CaseSignal Event(CaseEventType type) => CaseSignal.Of(CaseScenario.Valid(type, CaseScenario.T0.AddMinutes(50)));

    [Fact]
    public void An_event_that_wins_the_race_is_applied_and_a_timer_that_still_fits_is_kept()
    {
        signals.Enqueue(Task.FromResult(Event(CaseEventType.SupportConversation)));

        _ = CaseOrchestration.RunAsync(context.Object, CaseInput.Continue(ShortTermSupport()));

        Assert.Contains(activities, a => a.Name == nameof(CaseActivities.AppendTimeline) && ((TimelineEntry)a.Input!).Type == "support-conversation");
        CaseState projected = (CaseState)activities.Last(a => a.Name == nameof(CaseActivities.ProjectCase)).Input!;
        Assert.Equal(1, projected.SupportConversations);

        // The follow-up moved later; the pending timer fires before it and is kept, not abandoned.
        Assert.Single(timerTokens);
        Assert.False(timerTokens[0].IsCancellationRequested);
    }

    [Fact]
    public void An_event_that_brings_a_deadline_forward_replaces_the_timer()
    {
        CaseSignal permit = CaseSignal.Of(CaseScenario.Valid(CaseEventType.ResidencePermitGranted, CaseScenario.T0.AddMinutes(50)) with
        {
            Until = CaseScenario.T0.AddDays(15),
        });
        signals.Enqueue(Task.FromResult(permit));

        _ = CaseOrchestration.RunAsync(context.Object, CaseInput.Continue(ShortTermSupport()));

        Assert.Equal(2, timerTokens.Count);

        context.Verify(c => c.CreateTimer(CaseScenario.T0.AddDays(1).UtcDateTime, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public void A_timer_that_wins_the_race_keeps_the_event_listener_for_the_next_round()
    {
        var pending = new TaskCompletionSource<CaseSignal>();
        signals.Enqueue(pending.Task);
        timers.Enqueue(Task.CompletedTask);
        CaseState state = CaseScenario.Open(policeNotified: true, policy: Unsliced);

        _ = CaseOrchestration.RunAsync(context.Object, CaseInput.Continue(state));

        Assert.Contains(activities, a => a.Name == nameof(CaseActivities.CreateReminders)
            && ((ReminderBatch)a.Input!).Reminders.Any(r => r.Kind == ReminderKind.FirstContact));
        Assert.Equal(1, listeners);

        // An event that arrives now reaches the listener created before the timer fired: nothing is lost.
        pending.SetResult(Event(CaseEventType.ContactMade));
        Assert.Equal(2, listeners); // a new listener only once the first one has delivered
        Assert.Contains(activities, a => a.Name == nameof(CaseActivities.ProjectCase) && ((CaseState)a.Input!).Phase == Phase.ShortTermSupport);
    }

    [Fact]
    public void A_deadline_far_away_is_waited_for_in_slices()
    {
        CaseState state = CaseScenario.Open().Then(CaseEventType.ContactMade, CaseScenario.T0.AddMinutes(5));

        _ = CaseOrchestration.RunAsync(context.Object, CaseInput.Continue(state));

        context.Verify(c => c.CreateTimer(Now + state.Policy.TimerSlice, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task After_the_step_limit_it_continues_as_new_once_its_timer_has_fired_and_queued_events_are_flushed()
    {
        var timer = new TaskCompletionSource();
        timers.Enqueue(timer.Task);
        for (int i = 0; i < Unsliced.StepsPerExecution; i++)
        {
            signals.Enqueue(Task.FromResult(Event(CaseEventType.SupportConversation)));
        }

        var outstanding = new TaskCompletionSource<CaseSignal>();
        signals.Enqueue(outstanding.Task);
        Task<CaseSummary?> run = CaseOrchestration.RunAsync(context.Object, CaseInput.Continue(ShortTermSupport()));

        // Past the limit, but a timer is in flight: a new execution would receive it, so it waits.
        context.Verify(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()), Times.Never);
        context.Verify(c => c.SendEvent(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>()), Times.Never);

        timer.SetResult();
        context.Verify(c => c.SendEvent("c_test", CaseOrchestration.EventName, It.Is<object>(o => o is CaseSignal && ((CaseSignal)o).Event == null)), Times.Once);
        Assert.False(run.IsCompleted);

        // An event queued before the marker is processed in this execution; then the marker ends it.
        signals.Enqueue(Task.FromResult(new CaseSignal(null, "c_test")));
        outstanding.SetResult(Event(CaseEventType.SupportConversation));

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Null(await run);
        context.Verify(c => c.ContinueAsNew(
            It.Is<object?>(o => o is CaseInput && ((CaseInput)o).State!.SupportConversations == Unsliced.StepsPerExecution + 1 && ((CaseInput)o).Facts == null),
            true), Times.Once);
        Assert.Single(timerTokens);
    }

    [Fact]
    public async Task A_completed_case_returns_a_summary_without_personal_data()
    {
        CaseState closed = ShortTermSupport().Then(CaseEventType.CaseClosed, CaseScenario.T0.AddMinutes(40));
        CaseSignal evaluation = Event(CaseEventType.EvaluationRecorded);
        Decision direct = CaseDecider.Apply(closed, evaluation.Event!, Now);
        Assert.True(direct.Refused is null, direct.Refused?.Reason);
        signals.Enqueue(Task.FromResult(evaluation));

        Task<CaseSummary?> run = CaseOrchestration.RunAsync(context.Object, CaseInput.Continue(closed));

        Assert.True(run.IsCompleted);
        CaseSummary summary = (await run)!;
        Assert.Equal(Phase.Completed, summary.Phase);
        Assert.Equal(EvaluationOutcome.Helped, summary.EvaluationOutcome);
        context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is CaseStatus && ((CaseStatus)s).Phase == Phase.Completed)), Times.Once);
    }
}
