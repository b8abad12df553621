using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>Every reminder kind of lifecycle.md: when it falls due, to whom, escalated or not, and only once.</summary>
[Trait("Category", "Unit")]
public sealed class DeadlineTests
{
    private static readonly CasePolicy Policy = TestProfiles.HelsingborgPolicy;
    private static readonly DateTimeOffset Contact = T0.AddHours(1);

    /// <summary>Reminders produced by a timer: a case just before, and the reminder expected.</summary>
    private static readonly Dictionary<ReminderKind, Func<(CaseState State, ReminderDue Expected)>> OnTimer = new()
    {
        [ReminderKind.FirstContact] = () => (Open(), new(ReminderKind.FirstContact, T0 + Policy.FirstContactReminderInterval, false, null)),
        [ReminderKind.FollowUp] = () => (
            Open().Then<ContactMade>(Contact, e => e with { WantsAuthorityContact = YesNoUnknown.No }),
            new(ReminderKind.FollowUp, Contact + Policy.ShortTermFollowUpInterval, false, "salvation-army")),
        [ReminderKind.JointPlanDue] = () => (
            InState("short-term-support"),
            new(ReminderKind.JointPlanDue, Contact + Policy.JointPlanDueAfter, false, "social-services")),
        [ReminderKind.PlanReview] = () => (
            InState("long-term-support").Then(CaseEventType.PlanAgreed, T0.AddDays(3)),
            new(ReminderKind.PlanReview, T0.AddDays(3) + Policy.PlanReviewInterval, false, "social-services")),
        [ReminderKind.ReflectionPeriodEnding] = () => (
            InState("short-term-support").Then<ReflectionPeriodGranted>(T0.AddDays(2), e => e with { From = T0.AddDays(1) }),
            new(ReminderKind.ReflectionPeriodEnding, T0.AddDays(1) + Policy.ReflectionPeriod - Policy.ReflectionEndWarningBefore, false, "social-services")),
        [ReminderKind.PermitEnding] = () => (
            InState("return:awaiting-decision").Then<ResidencePermitGranted>(T0.AddDays(1), e => e with { Until = T0.AddDays(30) }),
            new(ReminderKind.PermitEnding, T0.AddDays(30) - Policy.PermitEndWarningBefore, false, "social-services")),
        [ReminderKind.ReturnApplicationDue] = () => (
            InState("return:preparing"),
            new(ReminderKind.ReturnApplicationDue, T0.AddHours(2) + Policy.ReturnApplicationDueAfter, false, "social-services")),
        [ReminderKind.IomDecisionPending] = () => (
            InState("return:awaiting-decision"),
            new(ReminderKind.IomDecisionPending, T0.AddHours(3) + Policy.IomDecisionChaseInterval, false, "social-services")),
        [ReminderKind.DepartureTomorrow] = () => (
            InState("return:departure-scheduled"),
            new(ReminderKind.DepartureTomorrow, T0.AddHours(5).AddDays(10 - 1), false, "social-services")),
        [ReminderKind.ReintegrationFollowUp] = () => (
            InState("return:departed"),
            new(ReminderKind.ReintegrationFollowUp, T0.AddHours(6) + Policy.ReintegrationFollowUpAfter, false, "social-services")),
        [ReminderKind.EvaluationDue] = () => (
            InState("closed"),
            new(ReminderKind.EvaluationDue, T0.AddHours(2) + Policy.EvaluationDueAfter, false, "social-services")),
        [ReminderKind.ReferralDue] = () => (
            Referred(),
            new(ReminderKind.ReferralDue, ReferralDue - Policy.ReferralReminderBefore, false, SharingPartner, "e_ref")),
        [ReminderKind.ReferralOverdue] = () => (
            Referred().Then<ReferralAccepted>(T0.AddDays(3), e => e with { ReferralId = "e_ref" }),
            new(ReminderKind.ReferralOverdue, ReferralDue, true, "social-services", "e_ref")),

        // A statutory clock's reminder is made when the clock starts; passing its due time unmet escalates it.
        [ReminderKind.ProtectionAssessment] = () => (
            Open(minor: true),
            new(ReminderKind.ProtectionAssessment, T0 + Policy.ProtectionAssessmentDueAfter, true, "social-services")),
        [ReminderKind.InitialAssessment] = () => (
            Open(minor: true).Then<ProtectionAssessed>(T0.AddHours(3), e => e with { Date = T0.AddHours(2) }),
            new(ReminderKind.InitialAssessment, T0 + Policy.InitialAssessmentDueAfter, true, "social-services")),
        [ReminderKind.Investigation] = () => (
            InState("short-term-support", minor: true).Then<InvestigationOpened>(T0.AddDays(5), e => e with { Date = T0.AddDays(4) }),
            new(ReminderKind.Investigation, T0.AddDays(4) + Policy.InvestigationDueAfter, true, "social-services")),
    };

    private static readonly DateTimeOffset ReferralDue = T0.AddDays(10);

    /// <summary>A case in short-term support with a consent to share with the partner and a referral to it, due in ten days.</summary>
    private static CaseState Referred() => InState("short-term-support")
        .Then(CaseEventType.SharingConsentGiven, T0.AddDays(1))
        .Then<ReferralSent>(T0.AddDays(2), e => e with { EventId = "e_ref", Due = ReferralDue });

    /// <summary>Reminders produced when the case opens (the statutory clocks' too, and they escalate on the timer).</summary>
    private static readonly ReminderKind[] AtIntake = [ReminderKind.CallPolice];

    /// <summary>No longer produced (the statutory clocks replaced it); kept so that the reminders made before still read.</summary>
    private static readonly ReminderKind[] Retired = [ReminderKind.ChildProtection];

    /// <summary>Made at transfer-requested and escalated to both organisations on the timer (TransferDeciderTests).</summary>
    private static readonly ReminderKind[] ToBothSides = [ReminderKind.TransferDue];

    /// <summary>Not a case reminder: the outreach schedule makes it (api.md).</summary>
    private static readonly ReminderKind[] NotACaseReminder = [ReminderKind.OutreachSession];

    public static TheoryData<ReminderKind> TimerKinds() => new(OnTimer.Keys);

    [Fact]
    public void Every_reminder_kind_has_a_scenario()
    {
        var covered = OnTimer.Keys.Concat(AtIntake).Concat(NotACaseReminder).Concat(Retired).Concat(ToBothSides).Order();

        Assert.Equal(Enum.GetValues<ReminderKind>(), covered);
    }

    [Theory]
    [MemberData(nameof(TimerKinds))]
    public void A_reminder_falls_due_at_its_time_to_the_lead_and_only_once(ReminderKind kind)
    {
        var (state, expected) = OnTimer[kind]();

        var before = CaseDecider.OnDeadline(state, expected.DueAt.AddTicks(-1));
        var at = CaseDecider.OnDeadline(before.State, expected.DueAt);
        var again = CaseDecider.OnDeadline(at.State, expected.DueAt);
        var replayed = CaseDecider.OnDeadline(before.State, expected.DueAt);

        Assert.DoesNotContain(before.Reminders, r => r.Kind == kind);
        Assert.Equal([expected], at.Reminders.Where(r => r.Kind == kind));
        Assert.Empty(again.Reminders);
        Assert.Equal(at.Reminders, replayed.Reminders);
        Assert.True(CaseDecider.NextDeadline(at.State) is not { } next || next > expected.DueAt);
    }

    [Theory]
    [MemberData(nameof(TimerKinds))]
    public void The_next_deadline_is_the_earliest_pending_one(ReminderKind kind)
    {
        var (state, expected) = OnTimer[kind]();
        var pending = CaseDecider.PendingDeadlines(state);

        Assert.Equal(pending.Min(d => d.DueAt), CaseDecider.NextDeadline(state));
        Assert.Contains(pending, d => d.DueAt == expected.DueAt);
    }

    [Fact]
    public void The_next_deadline_picks_the_earliest_of_several_clocks()
    {
        var state = InState("short-term-support")
            .Then<ResidencePermitGranted>(T0.AddDays(1), e => e with { Until = T0.AddDays(20) })
            .Then(CaseEventType.PlanAgreed, T0.AddDays(1));

        Assert.Equal(T0.AddDays(20) - Policy.PermitEndWarningBefore, CaseDecider.NextDeadline(state));
        Assert.Equal(
            [DeadlineKind.FollowUp, DeadlineKind.PlanReview, DeadlineKind.PermitEnding],
            CaseDecider.PendingDeadlines(state).Select(d => d.Kind).Order());
    }

    [Fact]
    public void Intake_without_police_notified_makes_a_call_police_reminder_at_once_for_all_coordinators()
    {
        var decision = CaseDecider.Open(new IntakeFacts("c_1", "bjuv", "hotel-group", T0, PoliceNotified: false, Minor: false), Policy);

        Assert.Equal([new ReminderDue(ReminderKind.CallPolice, T0, false, null)], decision.Reminders);
        Assert.Equal(Phase.FirstContact, decision.State.Phase);
        Assert.Null(decision.State.Lead);
    }

    [Fact]
    public void Intake_of_a_minor_starts_the_protection_and_initial_assessment_clocks_with_their_reminders_for_social_services()
    {
        var decision = CaseDecider.Open(new IntakeFacts("c_1", "bjuv", "police", T0, PoliceNotified: true, Minor: true), Policy);

        Assert.Equal(
            [
                new ReminderDue(ReminderKind.ProtectionAssessment, T0.AddDays(1), false, "social-services"),
                new ReminderDue(ReminderKind.InitialAssessment, T0.AddDays(14), false, "social-services"),
            ],
            decision.Reminders);
        Assert.Equal([new StatutoryClock(ReminderKind.ProtectionAssessment, T0, T0.AddDays(1)), new StatutoryClock(ReminderKind.InitialAssessment, T0, T0.AddDays(14))], decision.State.Clocks!);
        Assert.Equal(T0.AddDays(1), CaseDecider.NextDeadline(decision.State));
        Assert.Equal("social-services", decision.State.Lead);
        Assert.True(decision.State.Minor);
    }

    [Fact]
    public void Intake_of_a_person_who_declines_the_authorities_is_led_without_authorities_from_the_first_minute_and_a_minor_is_not()
    {
        var adult = CaseDecider.Open(new IntakeFacts("c_1", "bjuv", "hotel-group", T0, PoliceNotified: false, Minor: false, DeclinesAuthorities: true), Policy);
        var minor = CaseDecider.Open(new IntakeFacts("c_2", "bjuv", "hotel-group", T0, PoliceNotified: true, Minor: true, DeclinesAuthorities: true), Policy);

        Assert.Equal("salvation-army", adult.State.Lead);
        Assert.Equal([new ReminderDue(ReminderKind.CallPolice, T0, false, "salvation-army")], adult.Reminders);
        Assert.Equal("social-services", minor.State.Lead);
    }

    [Fact]
    public void Intake_with_police_notified_of_an_adult_makes_no_reminder()
    {
        var decision = CaseDecider.Open(new IntakeFacts("c_1", "bjuv", "police", T0, PoliceNotified: true, Minor: false), Policy);

        Assert.Empty(decision.Reminders);
        Assert.Equal(T0 + Policy.FirstContactReminderInterval, CaseDecider.NextDeadline(decision.State));
    }

    [Fact]
    public void Intake_reminders_are_not_repeated_by_the_timer()
    {
        var decision = CaseDecider.Open(new IntakeFacts("c_1", "bjuv", "police", T0, PoliceNotified: false, Minor: true), Policy);

        Assert.Equal(3, decision.Reminders.Count);
        Assert.Empty(CaseDecider.OnDeadline(decision.State, T0).Reminders);
    }

    [Fact]
    public void First_contact_reminders_recur_escalate_from_the_configured_one_and_give_up_with_no_contact()
    {
        var state = Open();
        var reminders = new List<ReminderDue>();
        for (var due = CaseDecider.NextDeadline(state); due is { } at && state.Phase == Phase.FirstContact; due = CaseDecider.NextDeadline(state))
        {
            var decision = CaseDecider.OnDeadline(state, at);
            reminders.AddRange(decision.Reminders);
            state = decision.State;
        }

        // 30 days every 2 days: the 15th occurrence coincides with the give-up, which wins.
        Assert.Equal(14, reminders.Count);
        Assert.All(reminders, r => Assert.Equal(ReminderKind.FirstContact, r.Kind));
        Assert.Equal(Enumerable.Range(1, 14).Select(n => T0.AddDays(2 * n)), reminders.Select(r => r.DueAt));
        Assert.Equal(Enumerable.Range(1, 14).Select(n => n >= 3), reminders.Select(r => r.Escalated));
        Assert.Equal(Phase.Closed, state.Phase);
        Assert.Equal(CloseReason.NoContact, state.CloseReason);
        Assert.Equal(T0.AddDays(30), state.ClosedAt);
    }

    [Fact]
    public void Contact_attempts_do_not_stop_the_first_contact_clock()
    {
        var state = Open().Then<ContactAttempted>(T0.AddDays(1), e => e with { Channel = ContactChannel.Sms });

        Assert.Equal(1, state.ContactAttempts);
        Assert.Equal(T0.AddDays(2), CaseDecider.NextDeadline(state));
    }

    [Fact]
    public void Contact_made_stops_the_first_contact_clock()
    {
        var state = Open().Then(CaseEventType.ContactMade, T0.AddDays(1));

        Assert.DoesNotContain(CaseDecider.PendingDeadlines(state), d => d.Kind is DeadlineKind.FirstContact or DeadlineKind.CloseWithoutContact);
    }

    [Fact]
    public void Missed_first_contact_reminders_collapse_into_one_for_the_latest_occurrence()
    {
        var decision = CaseDecider.OnDeadline(Open(), T0.AddDays(7));

        Assert.Equal([new ReminderDue(ReminderKind.FirstContact, T0.AddDays(6), true, null)], decision.Reminders);
        Assert.Equal(T0.AddDays(8), CaseDecider.NextDeadline(decision.State));
    }

    [Fact]
    public void A_timer_long_overdue_closes_without_contact_and_starts_the_evaluation_clocks_from_the_give_up()
    {
        var decision = CaseDecider.OnDeadline(Open(), T0.AddDays(31));

        Assert.Equal(Phase.Closed, decision.State.Phase);
        Assert.Equal(CloseReason.NoContact, decision.State.CloseReason);
        Assert.Equal([T0.AddDays(28)], decision.Reminders.Select(r => r.DueAt));
        Assert.Equal(T0.AddDays(30) + Policy.EvaluationDueAfter, CaseDecider.NextDeadline(decision.State));
    }

    [Fact]
    public void Follow_up_recurs_anchored_on_the_last_follow_up()
    {
        var state = InState("short-term-support").Then(CaseEventType.PlanAgreed, Contact);
        var first = CaseDecider.OnDeadline(state, Contact.AddDays(7));
        var second = CaseDecider.OnDeadline(first.State, Contact.AddDays(14));

        Assert.Equal([Contact.AddDays(7)], first.Reminders.Select(r => r.DueAt));
        Assert.Equal([Contact.AddDays(14)], second.Reminders.Select(r => r.DueAt));
        Assert.Equal(Contact.AddDays(21), CaseDecider.NextDeadline(second.State));
    }

    [Theory]
    [InlineData(CaseEventType.SupportConversation)]
    [InlineData(CaseEventType.SupportGiven)]
    public void Support_restarts_the_follow_up_clock(CaseEventType type)
    {
        var state = InState("short-term-support").Then(CaseEventType.PlanAgreed, Contact).Then(type, Contact.AddDays(5));

        Assert.Equal(Contact.AddDays(12), CaseDecider.NextDeadline(state));
    }

    [Fact]
    public void Support_recorded_late_does_not_move_the_follow_up_clock_backwards()
    {
        var state = InState("short-term-support").Then(CaseEventType.PlanAgreed, Contact);
        state = CaseDecider.OnDeadline(state, Contact.AddDays(7)).State;

        state = state.Then(CaseEventType.SupportConversation, Contact.AddDays(3));

        Assert.Equal(Contact.AddDays(14), CaseDecider.NextDeadline(state));
        Assert.Equal(1, state.SupportConversations);
    }

    [Fact]
    public void Long_term_support_follows_up_at_the_long_interval()
    {
        var state = InState("long-term-support").Then(CaseEventType.PlanAgreed, Contact).Then(CaseEventType.SupportConversation, T0.AddDays(1));

        Assert.Equal(T0.AddDays(1) + Policy.LongTermFollowUpInterval, CaseDecider.PendingDeadlines(state).Single(d => d.Kind == DeadlineKind.FollowUp).DueAt);
    }

    [Fact]
    public void There_is_no_follow_up_during_return_assistance()
    {
        var state = InState("return:approved");

        Assert.DoesNotContain(CaseDecider.PendingDeadlines(state), d => d.Kind is DeadlineKind.FollowUp or DeadlineKind.JointPlanDue or DeadlineKind.PlanReview);
    }

    [Fact]
    public void A_missed_follow_up_produces_one_reminder_and_the_next_after_now()
    {
        var state = InState("short-term-support").Then(CaseEventType.PlanAgreed, Contact);

        var decision = CaseDecider.OnDeadline(state, Contact.AddDays(100));

        Assert.Equal(
            [new ReminderDue(ReminderKind.FollowUp, Contact.AddDays(98), false, "social-services")],
            decision.Reminders.Where(r => r.Kind == ReminderKind.FollowUp));
        Assert.Equal(Contact.AddDays(105), CaseDecider.PendingDeadlines(decision.State).Single(d => d.Kind == DeadlineKind.FollowUp).DueAt);
    }

    [Fact]
    public void Joint_plan_due_is_not_reminded_once_a_plan_is_agreed()
    {
        var state = InState("short-term-support").Then(CaseEventType.PlanAgreed, Contact.AddDays(3));

        Assert.DoesNotContain(CaseDecider.PendingDeadlines(state), d => d.Kind == DeadlineKind.JointPlanDue);
    }

    [Fact]
    public void Plan_review_recurs_every_interval()
    {
        var agreed = Contact.AddDays(1);
        var state = InState("short-term-support").Then(CaseEventType.PlanAgreed, agreed);

        var first = CaseDecider.OnDeadline(state, agreed + Policy.PlanReviewInterval);
        var second = CaseDecider.OnDeadline(first.State, agreed + (2 * Policy.PlanReviewInterval));

        Assert.Contains(new ReminderDue(ReminderKind.PlanReview, agreed + Policy.PlanReviewInterval, false, "social-services"), first.Reminders);
        Assert.Contains(new ReminderDue(ReminderKind.PlanReview, agreed + (2 * Policy.PlanReviewInterval), false, "social-services"), second.Reminders);
    }

    [Fact]
    public void Iom_decision_pending_recurs_until_the_decision()
    {
        var state = InState("return:awaiting-decision");
        var submitted = T0.AddHours(3);

        var first = CaseDecider.OnDeadline(state, submitted + Policy.IomDecisionChaseInterval);
        var second = CaseDecider.OnDeadline(first.State, submitted + (2 * Policy.IomDecisionChaseInterval));
        var decided = second.State.Then(CaseEventType.IomDecision, submitted.AddDays(30));

        Assert.Single(first.Reminders, r => r.Kind == ReminderKind.IomDecisionPending);
        Assert.Single(second.Reminders, r => r.Kind == ReminderKind.IomDecisionPending);
        Assert.DoesNotContain(CaseDecider.PendingDeadlines(decided), d => d.Kind == DeadlineKind.IomDecisionPending);
    }

    [Fact]
    public void A_deadline_already_past_when_computed_fires_at_the_next_timer()
    {
        var now = T0.AddDays(3);
        var state = InState("short-term-support").Then<ResidencePermitGranted>(now, e => e with { Until = now.AddDays(2) });

        Assert.True(CaseDecider.NextDeadline(state) < now);
        Assert.Contains(
            new ReminderDue(ReminderKind.PermitEnding, now.AddDays(2) - Policy.PermitEndWarningBefore, false, "social-services"),
            CaseDecider.OnDeadline(state, now).Reminders);
    }

    [Fact]
    public void A_new_permit_end_date_gets_its_own_warning()
    {
        var state = InState("short-term-support").Then<ResidencePermitGranted>(T0.AddDays(1), e => e with { Until = T0.AddDays(20) });
        state = CaseDecider.OnDeadline(state, T0.AddDays(6)).State;

        state = state.Then<ResidencePermitGranted>(T0.AddDays(7), e => e with { Until = T0.AddDays(200) });

        Assert.Contains(CaseDecider.PendingDeadlines(state), d => d.Kind == DeadlineKind.PermitEnding && d.DueAt == T0.AddDays(186));
    }

    [Fact]
    public void Reflection_period_defaults_to_the_policy_length_from_the_event_time()
    {
        var granted = T0.AddDays(2);
        var state = InState("short-term-support").Then(CaseEventType.ReflectionPeriodGranted, granted);

        Assert.Equal(granted + Policy.ReflectionPeriod, state.ReflectionPeriodEnds);
    }

    [Fact]
    public void Reflection_period_with_an_explicit_end_warns_before_that_end()
    {
        var state = InState("short-term-support").Then<ReflectionPeriodGranted>(T0.AddDays(2), e => e with { To = T0.AddDays(40) });

        Assert.Contains(CaseDecider.PendingDeadlines(state), d => d.Kind == DeadlineKind.ReflectionPeriodEnding && d.DueAt == T0.AddDays(35));
    }

    [Fact]
    public void Without_an_evaluation_the_case_completes_with_outcome_missing()
    {
        var state = InState("closed");
        var closedAt = state.ClosedAt!.Value;

        var decision = CaseDecider.OnDeadline(state, closedAt + Policy.EvaluationGiveUpAfter);

        Assert.True(decision.Completed);
        Assert.Equal(EvaluationOutcome.Missing, decision.State.EvaluationOutcome);
        Assert.Equal(closedAt + Policy.EvaluationGiveUpAfter, decision.State.CompletedAt);
        Assert.Contains(decision.Reminders, r => r.Kind == ReminderKind.EvaluationDue);
        Assert.Null(CaseDecider.NextDeadline(decision.State));
    }

    [Fact]
    public void A_completed_case_has_no_deadline_and_the_timer_changes_nothing()
    {
        var state = InState("completed");

        var decision = CaseDecider.OnDeadline(state, T0.AddYears(5));

        Assert.Null(CaseDecider.NextDeadline(state));
        Assert.Same(state, decision.State);
        Assert.Empty(decision.Reminders);
    }

    [Fact]
    public void A_closed_case_whose_lead_was_unknown_reminds_all_coordinators_to_evaluate()
    {
        var state = CaseDecider.OnDeadline(Open(), T0.AddDays(30)).State;

        var decision = CaseDecider.OnDeadline(state, T0.AddDays(30) + Policy.EvaluationDueAfter);

        Assert.Equal([new ReminderDue(ReminderKind.EvaluationDue, T0.AddDays(30) + Policy.EvaluationDueAfter, false, null)], decision.Reminders);
    }

    [Fact]
    public void Reminders_go_to_the_lead_at_the_time_they_fall_due()
    {
        var state = InState("short-term-support").Then(CaseEventType.LeadChanged, Contact.AddDays(1));

        var decision = CaseDecider.OnDeadline(state, Contact.AddDays(7));

        Assert.All(decision.Reminders, r => Assert.Equal("salvation-army", r.Organisation));
    }

    [Fact]
    public void Policy_shrunk_to_seconds_drives_the_same_clocks()
    {
        var policy = new CasePolicy { FirstContactReminderInterval = TimeSpan.FromSeconds(3), FirstContactGiveUpAfter = TimeSpan.FromSeconds(10) };
        var state = Open(policy: policy);

        var decision = CaseDecider.OnDeadline(state, T0.AddSeconds(10));

        Assert.Equal([T0.AddSeconds(9)], decision.Reminders.Select(r => r.DueAt));
        Assert.Equal(CloseReason.NoContact, decision.State.CloseReason);
    }

    [Fact]
    public void A_zero_interval_in_the_policy_does_not_make_the_decider_loop()
    {
        var policy = new CasePolicy { FirstContactReminderInterval = TimeSpan.Zero };
        var state = Open(policy: policy);

        var decision = CaseDecider.OnDeadline(state, T0.AddDays(1));

        Assert.Single(decision.Reminders);
        Assert.Equal(T0.AddDays(1).AddSeconds(1), CaseDecider.NextDeadline(decision.State));
        Assert.Equal([nameof(CasePolicy.FirstContactReminderInterval)], policy.Validate());
    }
}
