using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>What each event does beyond the phase table: payload rules, leads, counts, erasure.</summary>
[Trait("Category", "Unit")]
public sealed class EventEffectTests
{
    private static readonly DateTimeOffset Later = T0.AddDays(1);

    [Fact]
    public void Contact_made_with_support_moves_case_to_short_term_support_led_by_social_services()
    {
        var state = Open().Then<ContactMade>(Later, e => e with { WantsAuthorityContact = YesNoUnknown.Unknown, InterpreterNeeded = true });

        Assert.Equal(Phase.ShortTermSupport, state.Phase);
        Assert.Equal("social-services", state.Lead);
        Assert.Equal(Later, state.ContactMadeAt);
        Assert.True(state.InterpreterNeeded);
    }

    [Fact]
    public void Contact_made_by_an_adult_who_wants_no_authority_contact_is_led_by_the_salvation_army()
    {
        var state = Open().Then<ContactMade>(Later, e => e with { WantsAuthorityContact = YesNoUnknown.No });

        Assert.Equal("salvation-army", state.Lead);
    }

    [Fact]
    public void Contact_made_by_a_minor_who_wants_no_authority_contact_stays_with_social_services()
    {
        var state = Open(minor: true).Then<ContactMade>(Later, e => e with { WantsAuthorityContact = YesNoUnknown.No });

        Assert.Equal("social-services", state.Lead);
    }

    [Fact]
    public void Contact_made_without_wanting_support_closes_the_case_as_declined()
    {
        var state = Open().Then<ContactMade>(Later, e => e with { WantsSupport = YesNo.No });

        Assert.Equal(Phase.Closed, state.Phase);
        Assert.Equal(CloseReason.Declined, state.CloseReason);
        Assert.Equal(Later, state.ClosedAt);
    }

    [Fact]
    public void Lead_change_sets_the_lead_of_an_adult()
    {
        var state = InState("short-term-support").Then(CaseEventType.LeadChanged, Later);

        Assert.Equal("salvation-army", state.Lead);
    }

    [Fact]
    public void Lead_change_for_a_minor_is_refused()
    {
        var state = InState("short-term-support", minor: true);

        var decision = CaseDecider.Apply(state, Valid(CaseEventType.LeadChanged, Later), Later);

        Assert.NotNull(decision.Refused);
        Assert.Contains("minor", decision.Refused.Reason, StringComparison.Ordinal);
        Assert.Contains(CaseEventType.LeadChanged, decision.Refused.Allowed);
        Assert.Same(state, decision.State);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(false)]
    public void Return_request_for_a_minor_without_a_best_interest_assessment_is_refused(bool? assessed)
    {
        var state = InState("short-term-support", minor: true);

        var refusal = CaseDecider.Check(state, Valid<ReturnRequested>(Later) with { BestInterestAssessed = assessed });

        Assert.NotNull(refusal);
        Assert.Equal(Phase.ShortTermSupport, refusal.Phase);
    }

    [Fact]
    public void Return_request_for_a_minor_with_a_best_interest_assessment_starts_preparing()
    {
        var state = InState("short-term-support", minor: true).Then(CaseEventType.ReturnRequested, Later);

        Assert.Equal((Phase.ReturnAssistance, ReturnStep.Preparing, Phase.ShortTermSupport), (state.Phase, state.Step, state.ReturnFrom));
    }

    [Fact]
    public void Return_request_for_an_adult_needs_no_best_interest_assessment()
    {
        var state = InState("long-term-support").Then<ReturnRequested>(Later, e => e with { BestInterestAssessed = null });

        Assert.Equal((Phase.ReturnAssistance, ReturnStep.Preparing, Phase.LongTermSupport), (state.Phase, state.Step, state.ReturnFrom));
    }

    [Theory]
    [InlineData(CaseEventType.IomDecision)]
    [InlineData(CaseEventType.ReturnWithdrawn)]
    public void Rejection_or_withdrawal_goes_back_to_the_support_phase_the_return_came_from(CaseEventType type)
    {
        var state = InState("long-term-support")
            .Then(CaseEventType.ReturnRequested, Later)
            .Then(CaseEventType.IomApplicationSubmitted, Later.AddDays(1))
            .Then(type == CaseEventType.IomDecision ? Valid<IomDecision>(Later.AddDays(2)) with { Approved = false } : Valid(type, Later.AddDays(2)));

        Assert.Equal(Phase.LongTermSupport, state.Phase);
        Assert.Null(state.Step);
        Assert.Null(state.ReturnFrom);
        Assert.Null(state.NextIomChaseAt);
        Assert.Equal(Later.AddDays(2) + state.Policy.LongTermFollowUpInterval, CaseDecider.PendingDeadlines(state).Single(d => d.Kind == DeadlineKind.FollowUp).DueAt);
    }

    [Fact]
    public void Departure_may_be_recorded_straight_after_approval_and_defaults_to_the_event_time()
    {
        var state = InState("return:approved").Then(CaseEventType.Departed, Later);

        Assert.Equal(ReturnStep.Departed, state.Step);
        Assert.Equal(Later, state.DepartedAt);
    }

    [Fact]
    public void Departure_records_its_own_date_when_given()
    {
        var state = InState("return:departure-scheduled").Then<Departed>(Later, e => e with { Date = Later.AddHours(-5) });

        Assert.Equal(Later.AddHours(-5), state.DepartedAt);
    }

    [Fact]
    public void Reintegration_followed_up_closes_the_case_as_returned()
    {
        var state = InState("return:departed").Then<ReintegrationFollowedUp>(Later, e => e with { Outcome = ReintegrationOutcome.Difficult });

        Assert.Equal(Phase.Closed, state.Phase);
        Assert.Equal(CloseReason.Returned, state.CloseReason);
        Assert.Equal(ReintegrationOutcome.Difficult, state.ReintegrationOutcome);
        Assert.Null(state.Step);
    }

    [Theory]
    [InlineData(CloseReason.Returned)]
    [InlineData(CloseReason.ConsentWithdrawn)]
    public void Case_closed_with_a_reason_only_the_lifecycle_sets_is_refused(CloseReason reason)
    {
        var refusal = CaseDecider.Check(InState("short-term-support"), Valid<CaseClosed>(Later) with { Reason = reason });

        Assert.NotNull(refusal);
    }

    [Theory]
    [InlineData(CloseReason.Stable)]
    [InlineData(CloseReason.Moved)]
    [InlineData(CloseReason.NoContact)]
    [InlineData(CloseReason.Declined)]
    [InlineData(CloseReason.Other)]
    public void Case_closed_keeps_the_reason_given(CloseReason reason)
    {
        var state = InState("return:awaiting-decision").Then<CaseClosed>(Later, e => e with { Reason = reason });

        Assert.Equal((Phase.Closed, reason, Later), (state.Phase, state.CloseReason!.Value, state.ClosedAt!.Value));
        Assert.Null(state.Step);
    }

    [Fact]
    public void Consent_withdrawn_erases_and_closes_an_open_case_led_on_consent()
    {
        var state = InState("long-term-support").Then<LeadChanged>(Later.AddMinutes(-1), e => e with { Lead = "salvation-army" });

        var decision = CaseDecider.Apply(state, Valid(CaseEventType.ConsentWithdrawn, Later), Later);

        Assert.True(decision.EraseNow);
        Assert.True(decision.State.Erased);
        Assert.Equal(Phase.Closed, decision.State.Phase);
        Assert.Equal(CloseReason.ConsentWithdrawn, decision.State.CloseReason);
    }

    [Fact]
    public void Consent_withdrawn_on_a_closed_case_led_on_consent_erases_and_keeps_its_close_reason()
    {
        var state = InState("long-term-support")
            .Then<LeadChanged>(Later.AddMinutes(-2), e => e with { Lead = "salvation-army" })
            .Then(CaseEventType.CaseClosed, Later.AddMinutes(-1));

        var decision = CaseDecider.Apply(state, Valid(CaseEventType.ConsentWithdrawn, Later), Later);

        Assert.True(decision.EraseNow);
        Assert.True(decision.State.Erased);
        Assert.Equal((Phase.Closed, CloseReason.Stable, state.ClosedAt), (decision.State.Phase, decision.State.CloseReason!.Value, decision.State.ClosedAt));
    }

    [Fact]
    public void Evaluation_recorded_completes_the_case()
    {
        var decision = CaseDecider.Apply(InState("closed"), Valid<EvaluationRecorded>(Later) with { Outcome = EvaluationOutcome.PartlyHelped }, Later);

        Assert.True(decision.Completed);
        Assert.Equal(EvaluationOutcome.PartlyHelped, decision.State.EvaluationOutcome);
    }

    [Fact]
    public void Evaluation_outcome_missing_is_refused_from_callers()
    {
        var refusal = CaseDecider.Check(InState("closed"), Valid<EvaluationRecorded>(Later) with { Outcome = EvaluationOutcome.Missing });

        Assert.NotNull(refusal);
        Assert.Equal([CaseEventType.ConsentWithdrawn, CaseEventType.EvaluationRecorded, CaseEventType.PoliceInformed, CaseEventType.WorkerAssigned, CaseEventType.WorkerReleased, CaseEventType.SamePersonAs, CaseEventType.SamePersonUnlinked], refusal.Allowed);
    }

    /// <summary>
    /// The types require their payload (an event without it cannot be built, not even from the durable JSON); what they
    /// cannot say, the decider refuses, not throws: the record's own rules.
    /// </summary>
    public static TheoryData<string, CaseEvent> EventsBreakingTheirRecordsRules() => new()
    {
        { "short-term-support", Valid<ReflectionPeriodGranted>(Later) with { From = Later, To = Later } },
        { "short-term-support", Valid<ReflectionPeriodGranted>(Later) with { To = Later.AddDays(-1) } },
        { "short-term-support", Valid<CaseClosed>(Later) with { Reason = CloseReason.Returned } },
        { "closed", Valid<EvaluationRecorded>(Later) with { Outcome = EvaluationOutcome.Missing } },
    };

    [Theory]
    [InlineData("""{ "type": "contact-made", "eventId": "e1", "at": "2026-03-02T08:00:00Z", "by": "social-services" }""")]
    [InlineData("""{ "type": "support-given", "eventId": "e1", "at": "2026-03-02T08:00:00Z", "by": "social-services" }""")]
    [InlineData("""{ "type": "referral-declined", "eventId": "e1", "at": "2026-03-02T08:00:00Z", "by": "victim-support", "referralId": "e_ref" }""")]
    public void An_event_without_its_required_payload_cannot_be_built(string json)
    {
        Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<CaseEvent>(json, DurableJson.Options));
    }

    [Theory]
    [MemberData(nameof(EventsBreakingTheirRecordsRules))]
    public void An_event_breaking_its_records_rules_is_refused_not_thrown(string stateLabel, CaseEvent e)
    {
        var state = InState(stateLabel);

        var decision = CaseDecider.Apply(state, e, Later);

        Assert.NotNull(decision.Refused);
        Assert.Same(state, decision.State);
    }

    [Fact]
    public void Support_given_is_counted_by_kind()
    {
        var state = InState("short-term-support")
            .Then<SupportGiven>(Later, e => e with { Kind = SupportKind.Medical })
            .Then<SupportGiven>(Later, e => e with { Kind = SupportKind.Medical })
            .Then<SupportGiven>(Later, e => e with { Kind = SupportKind.ContactPerson })
            .Then(CaseEventType.SupportConversation, Later);

        Assert.Equal(new Dictionary<SupportKind, int> { [SupportKind.Medical] = 2, [SupportKind.ContactPerson] = 1 }, state.SupportGiven);
        Assert.Equal(1, state.SupportConversations);
    }

    [Fact]
    public void A_repeated_refused_event_is_refused_again_identically()
    {
        var state = InState("closed");
        var e = Valid(CaseEventType.SupportConversation, Later);

        var first = CaseDecider.Apply(state, e, Later);
        var second = CaseDecider.Apply(first.State, e, Later);

        Assert.Same(state, second.State);
        Assert.Equal(first.Refused!.Reason, second.Refused!.Reason);
    }

    [Fact]
    public void An_event_from_the_future_is_refused()
    {
        var state = InState("short-term-support");

        var decision = CaseDecider.Apply(state, Valid(CaseEventType.SupportConversation, Later.AddMinutes(2)), Later);

        Assert.NotNull(decision.Refused);
        Assert.Same(state, decision.State);
    }

    [Fact]
    public void An_event_within_the_clock_skew_is_applied()
    {
        var decision = CaseDecider.Apply(InState("short-term-support"), Valid(CaseEventType.SupportConversation, Later.AddSeconds(50)), Later);

        Assert.Null(decision.Refused);
    }

    [Fact]
    public void Times_are_kept_in_utc()
    {
        var local = new DateTimeOffset(2026, 3, 3, 10, 0, 0, TimeSpan.FromHours(1));

        var state = Open().Then(CaseEventType.ContactMade, local);

        Assert.Equal(TimeSpan.Zero, state.ContactMadeAt!.Value.Offset);
        Assert.Equal(local, state.ContactMadeAt);
    }

    [Fact]
    public void Opening_snapshots_the_policy()
    {
        var policy = new CasePolicy();
        var state = CaseDecider.Open(new IntakeFacts("c_1", "bjuv", "police", T0, true, false), policy).State;

        policy.FirstContactReminderInterval = TimeSpan.FromSeconds(1);

        Assert.Equal(TimeSpan.FromDays(2), state.Policy.FirstContactReminderInterval);
    }
}
