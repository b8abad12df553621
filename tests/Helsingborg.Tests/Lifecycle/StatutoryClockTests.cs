using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>
/// A minor's statutory clocks (socialtjänstlagen 11 kap. 1 a and 2 §§) and the police step: which decision ends which
/// clock, which reminders an event makes and makes done, what is refused, and when a clock counts as met on time.
/// </summary>
[Trait("Category", "Unit")]
public sealed class StatutoryClockTests
{
    private static readonly CasePolicy Policy = TestProfiles.HelsingborgPolicy;

    [Fact]
    public void Investigation_opened_ends_both_assessments_and_starts_the_four_month_clock_with_its_reminder()
    {
        var state = Open(minor: true);
        var opened = Valid<InvestigationOpened>(T0.AddDays(6)) with { Date = T0.AddDays(5) };

        var decision = CaseDecider.Apply(state, opened, opened.At);

        Assert.Null(decision.Refused);
        var investigation = decision.State.ClockOf(ReminderKind.Investigation)!;
        Assert.Equal((T0.AddDays(5), T0.AddDays(5) + Policy.InvestigationDueAfter), (investigation.StartedAt, investigation.DueAt));
        Assert.Equal([new ReminderDue(ReminderKind.Investigation, investigation.DueAt, false, "social-services")], decision.Reminders);
        Assert.Equal([ReminderKind.ProtectionAssessment, ReminderKind.InitialAssessment], decision.Ended!);
        Assert.True(decision.State.ClockOf(ReminderKind.InitialAssessment)!.MetOnTime);
        Assert.True(decision.State.ClockOf(ReminderKind.ProtectionAssessment)!.Missed);
        Assert.Equal(investigation.DueAt, CaseDecider.PendingDeadlines(decision.State).Single(d => d.Kind == DeadlineKind.StatutoryClockDue).DueAt);
    }

    [Fact]
    public void Each_decision_ends_only_its_clock_and_a_clock_ended_by_its_due_time_is_met()
    {
        var state = Open(minor: true)
            .Then<ProtectionAssessed>(T0.AddHours(5), e => e with { Date = T0.AddHours(4) })
            .Then<NoInvestigation>(T0.AddDays(20), e => e with { Date = T0.AddDays(15) });

        Assert.True(state.ClockOf(ReminderKind.ProtectionAssessment)!.MetOnTime);
        Assert.True(state.ClockOf(ReminderKind.InitialAssessment)!.Missed);
        Assert.Null(state.ClockOf(ReminderKind.Investigation));
        Assert.DoesNotContain(CaseDecider.PendingDeadlines(state), d => d.Kind == DeadlineKind.StatutoryClockDue);
    }

    [Fact]
    public void An_escalated_clock_counts_as_missed_until_it_ends_and_is_not_escalated_twice()
    {
        var escalated = CaseDecider.OnDeadline(Open(minor: true), T0.AddDays(2));

        Assert.Contains(new ReminderDue(ReminderKind.ProtectionAssessment, T0.AddDays(1), true, "social-services"), escalated.Reminders);
        Assert.True(escalated.State.ClockOf(ReminderKind.ProtectionAssessment)!.Missed);
        Assert.DoesNotContain(CaseDecider.OnDeadline(escalated.State, T0.AddDays(3)).Reminders, r => r.Kind == ReminderKind.ProtectionAssessment);
    }

    [Fact]
    public void An_investigation_may_still_be_opened_after_no_investigation_and_starts_its_clock_then()
    {
        var state = Open(minor: true)
            .Then<NoInvestigation>(T0.AddDays(3), e => e with { Date = T0.AddDays(3) })
            .Then<InvestigationOpened>(T0.AddDays(30), e => e with { Date = T0.AddDays(30) });

        Assert.True(state.ClockOf(ReminderKind.InitialAssessment)!.MetOnTime);
        Assert.Equal(T0.AddDays(30) + Policy.InvestigationDueAfter, state.ClockOf(ReminderKind.Investigation)!.DueAt);
    }

    [Fact]
    public void Investigation_closed_ends_the_investigation()
    {
        var state = InState("short-term-support", minor: true)
            .Then<InvestigationOpened>(T0.AddDays(2), e => e with { Date = T0.AddDays(2) });
        var closed = Valid<InvestigationClosed>(T0.AddDays(60)) with { Date = T0.AddDays(59) };

        var decision = CaseDecider.Apply(state, closed, closed.At);

        Assert.Equal([ReminderKind.Investigation], decision.Ended!);
        Assert.True(decision.State.ClockOf(ReminderKind.Investigation)!.MetOnTime);
        Assert.Empty(decision.Reminders);
    }

    public static TheoryData<string, CaseEvent, string> Refused() => new()
    {
        { "adult", Valid<ProtectionAssessed>(T0.AddHours(2)), "Only a minor's case" },
        { "minor", Valid<NoInvestigation>(T0.AddHours(2)) with { Date = T0.AddHours(-1) }, "before the report" },
        { "minor", Valid<InvestigationClosed>(T0.AddHours(2)), "No investigation is open" },
        { "decided", Valid<NoInvestigation>(T0.AddDays(3)), "already decided" },
        { "investigating", Valid<InvestigationOpened>(T0.AddDays(3)), "already opened" },
        { "decided", Valid<ProtectionAssessed>(T0.AddDays(3)), "already recorded" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void A_decision_the_case_does_not_allow_is_refused(string caseLabel, CaseEvent e, string reason)
    {
        var state = caseLabel switch
        {
            "adult" => Open(),
            "minor" => Open(minor: true),
            "investigating" => Open(minor: true).Then<InvestigationOpened>(T0.AddDays(1), d => d with { Date = T0.AddDays(1) }),
            _ => Open(minor: true).Then<NoInvestigation>(T0.AddDays(1), d => d with { Date = T0.AddDays(1) }),
        };

        var decision = CaseDecider.Apply(state, e, e.At);

        Assert.Contains(reason, decision.Refused!.Reason, StringComparison.Ordinal);
        Assert.Same(state, decision.State);
    }

    [Fact]
    public void A_decision_dated_after_it_is_recorded_is_a_validation_error()
    {
        var problems = CaseEventParser.Problems(Valid<ProtectionAssessed>(T0) with { Date = T0.AddHours(1) });

        Assert.Equal(["date"], problems.Keys);
    }

    [Fact]
    public void Police_informed_ends_the_call_police_reminder_in_any_phase_until_completed()
    {
        var state = Open(policeNotified: false);
        var informed = Valid<PoliceInformed>(T0.AddHours(3));

        var decision = CaseDecider.Apply(state, informed, informed.At);

        Assert.Null(decision.Refused);
        Assert.True(decision.State.PoliceNotified);
        Assert.Equal([ReminderKind.CallPolice], decision.Ended!);
        Assert.NotNull(CaseDecider.Apply(InState("completed"), informed, informed.At).Refused);
    }

    [Fact]
    public void An_adults_case_has_no_clocks_and_writes_none()
    {
        var state = Open();

        Assert.Null(state.Clocks);
        Assert.DoesNotContain("clocks", state.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_durable_json_leaves_the_clock_settings_out_while_they_have_their_defaults()
    {
        string standard = System.Text.Json.JsonSerializer.Serialize(new CasePolicy(), DurableJson.Options);
        string shrunk = System.Text.Json.JsonSerializer.Serialize(new CasePolicy { ProtectionAssessmentDueAfter = TimeSpan.FromSeconds(2) }, DurableJson.Options);

        Assert.DoesNotContain("protectionAssessmentDueAfter", standard, StringComparison.Ordinal);
        Assert.DoesNotContain("investigationDueAfter", standard, StringComparison.Ordinal);
        Assert.Contains("\"protectionAssessmentDueAfter\":\"00:00:02\"", shrunk, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(2), System.Text.Json.JsonSerializer.Deserialize<CasePolicy>(shrunk, DurableJson.Options)!.ProtectionAssessmentDueAfter);
    }
}
