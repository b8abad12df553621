using Helsingborg.Lifecycle;
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
    readonly List<CaseStep> steps = [];
    readonly Queue<Task<CaseEvent>> events = new();
    readonly Queue<Task> timers = new();
    readonly List<(DateTime FireAt, CancellationToken Token)> created = [];
    int listeners;

    public CaseOrchestrationTests()
    {
        context.SetupGet(c => c.InstanceId).Returns("c_test");
        context.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        context.Protected().SetupGet<ILoggerFactory>("LoggerFactory").Returns(NullLoggerFactory.Instance);
        context.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions>()))
            .Callback<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                Assert.Equal(nameof(ApplyCaseStep), name.Name);
                steps.Add((CaseStep)input!);
            })
            .Returns(Task.CompletedTask);
        context.Setup(c => c.WaitForExternalEvent<CaseEvent>(CaseOrchestration.EventName, It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                listeners++;
                return events.Count > 0 ? events.Dequeue() : new TaskCompletionSource<CaseEvent>().Task;
            });
        context.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>((fireAt, token) =>
            {
                created.Add((fireAt, token));
                return timers.Count > 0 ? timers.Dequeue() : Task.Delay(Timeout.Infinite, token);
            });
    }

    static CaseState ShortTermSupport() =>
        CaseScenario.Open().Then(CaseEventType.ContactMade, CaseScenario.T0.AddMinutes(5));

    static CaseEvent Event(CaseEventType type) => CaseScenario.Valid(type, CaseScenario.T0.AddMinutes(50));

    CaseState LastProjected => steps.Last(s => s.Project).State;

    [Fact]
    public void An_event_that_wins_the_race_is_applied_in_one_step_and_a_timer_for_an_unchanged_deadline_is_kept()
    {
        events.Enqueue(Task.FromResult(Event(CaseEventType.LeadChanged)));

        _ = new CaseOrchestration().RunAsync(context.Object, CaseInput.Continue(ShortTermSupport()));

        CaseStep step = Assert.Single(steps);
        Assert.Equal("lead-changed", Assert.Single(step.Entries).Type);
        Assert.True(step.Project);
        Assert.Equal((1, "salvation-army"), (step.State.EventsReceived, step.State.Lead));
        Assert.Empty(step.Reminders);

        // The lead changed but no deadline did: the monitor sees the new lead and the same deadline, and the case
        // waits for that deadline, on the timer of the first round.
        DateTimeOffset deadline = CaseDecider.NextDeadline(ShortTermSupport())!.Value;
        Assert.Equal(deadline, CaseDecider.NextDeadline(step.State));
        context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is CaseStatus && ((CaseStatus)s).Lead == "salvation-army" && ((CaseStatus)s).NextDueAt == deadline)), Times.Once);
        Assert.Equal([deadline.UtcDateTime], LiveTimers);
    }

    /// <summary>When the timers still armed fire: the deadlines the orchestration waits for.</summary>
    IEnumerable<DateTime> LiveTimers => created.Where(t => !t.Token.IsCancellationRequested).Select(t => t.FireAt);

    [Fact]
    public void An_event_that_moves_the_deadline_cancels_the_timer_and_arms_one_for_the_new_deadline()
    {
        CaseState state = ShortTermSupport();
        DateTimeOffset before = CaseDecider.NextDeadline(state)!.Value;
        events.Enqueue(Task.FromResult(Event(CaseEventType.SupportConversation)));

        _ = new CaseOrchestration().RunAsync(context.Object, CaseInput.Continue(state));

        CaseState after = LastProjected;
        Assert.Equal(1, after.SupportConversations);
        DateTimeOffset moved = CaseDecider.NextDeadline(after)!.Value;
        Assert.True(moved > before, "the support conversation moves the follow-up");
        context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is CaseStatus && ((CaseStatus)s).NextDueAt == moved)), Times.Once);

        // The case no longer waits for the old deadline, only for the new one.
        Assert.Contains(created, t => t.FireAt == before.UtcDateTime && t.Token.IsCancellationRequested);
        Assert.Equal([moved.UtcDateTime], LiveTimers);
    }

    [Fact]
    public void A_timer_that_wins_the_race_keeps_the_event_listener_for_the_next_round()
    {
        var pending = new TaskCompletionSource<CaseEvent>();
        events.Enqueue(pending.Task);
        timers.Enqueue(Task.CompletedTask);
        CaseState state = CaseScenario.Open(policeNotified: true);

        _ = new CaseOrchestration().RunAsync(context.Object, CaseInput.Continue(state));

        Assert.Contains(steps, s => s.Reminders.Any(r => r.Kind == ReminderKind.FirstContact));
        Assert.Equal(1, listeners);

        // An event that arrives now reaches the listener created before the timer fired: nothing is lost.
        pending.SetResult(Event(CaseEventType.ContactMade));
        Assert.Equal(2, listeners); // a new listener only once the first one has delivered
        Assert.Equal(Phase.ShortTermSupport, LastProjected.Phase);
    }

    [Fact]
    public void A_deadline_far_away_is_one_timer_for_the_deadline_itself()
    {
        CaseState state = CaseScenario.Open().Then(CaseEventType.ContactMade, CaseScenario.T0.AddMinutes(5));

        _ = new CaseOrchestration().RunAsync(context.Object, CaseInput.Continue(state));

        // Nothing is due yet: no step, no reminder, and the case waits for its next deadline (the follow-up), as its status says.
        DateTimeOffset deadline = CaseDecider.NextDeadline(state)!.Value;
        Assert.Empty(steps);
        Assert.Equal(DeadlineKind.FollowUp, CaseDecider.PendingDeadlines(state).MinBy(d => d.DueAt)!.Kind);
        context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is CaseStatus && ((CaseStatus)s).NextDueAt == deadline && ((CaseStatus)s).Phase == Phase.ShortTermSupport)), Times.Once);
        Assert.Equal([deadline.UtcDateTime], LiveTimers);
    }

    [Fact]
    public async Task After_the_step_limit_it_continues_as_new_with_its_state_and_cancels_its_timer()
    {
        int limit = new CasePolicy().StepsPerExecution;
        for (int i = 0; i < limit; i++)
        {
            events.Enqueue(Task.FromResult(Event(CaseEventType.SupportConversation)));
        }

        Task<CaseSummary?> run = new CaseOrchestration().RunAsync(context.Object, CaseInput.Continue(ShortTermSupport()));

        Assert.True(run.IsCompletedSuccessfully);
        Assert.Null(await run);
        context.Verify(c => c.ContinueAsNew(
            It.Is<object?>(o => o is CaseInput && ((CaseInput)o).State!.SupportConversations == limit && ((CaseInput)o).State!.EventsReceived == limit && ((CaseInput)o).Facts == null),
            true), Times.Once);

        // No timer of this execution is left pending (it would hold the execution open).
        Assert.All(created, t => Assert.True(t.Token.IsCancellationRequested));
    }

    [Fact]
    public async Task A_completed_case_returns_a_summary_without_personal_data()
    {
        CaseState closed = ShortTermSupport().Then(CaseEventType.CaseClosed, CaseScenario.T0.AddMinutes(40));
        CaseEvent evaluation = Event(CaseEventType.EvaluationRecorded);
        Decision direct = CaseDecider.Apply(closed, evaluation, Now);
        Assert.True(direct.Refused is null, direct.Refused?.Reason);
        events.Enqueue(Task.FromResult(evaluation));

        Task<CaseSummary?> run = new CaseOrchestration().RunAsync(context.Object, CaseInput.Continue(closed));

        Assert.True(run.IsCompleted);
        CaseSummary summary = (await run)!;
        Assert.Equal(Phase.Completed, summary.Phase);
        Assert.Equal(EvaluationOutcome.Helped, summary.EvaluationOutcome);
        context.Verify(c => c.SetCustomStatus(It.Is<object?>(s => s is CaseStatus && ((CaseStatus)s).Phase == Phase.Completed)), Times.Once);
        Assert.All(created, t => Assert.True(t.Token.IsCancellationRequested));
    }
}
