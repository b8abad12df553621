using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>One person, many reports (same-person-as, same-person-unlinked, merged-into): the decider's rules, without the links table.</summary>
[Trait("Category", "Unit")]
public sealed class SamePersonRuleTests
{
    private static readonly DateTimeOffset Later = T0.AddDays(1);

    [Fact]
    public void Same_person_as_changes_nothing_in_the_state_and_names_the_other_case_by_id_only()
    {
        CaseState open = InState("short-term-support");
        var e = Valid<SamePersonAs>(Later) with { Reference = "HBG-2026-0002", OtherCaseId = "c_b" };

        Decision decision = CaseDecider.Apply(open, e, Later);

        Assert.Null(decision.Refused);
        Assert.Equal(open with { LastEntryAt = decision.State.LastEntryAt }, decision.State);
        Assert.Empty(decision.Reminders);
        Assert.Contains("\"otherCaseId\":\"c_b\"", System.Text.Json.JsonSerializer.Serialize<CaseEvent>(e, DurableJson.Options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_to_no_case_or_to_the_case_itself_is_refused()
    {
        CaseState open = InState("short-term-support");

        Assert.NotNull(CaseDecider.Check(open, Valid<SamePersonAs>(Later) with { OtherCaseId = null }));
        Assert.NotNull(CaseDecider.Check(open, Valid<SamePersonAs>(Later) with { OtherCaseId = open.CaseId }));
        Assert.NotNull(CaseDecider.Check(open, Valid<MergedInto>(Later) with { OtherCaseId = open.CaseId }));
    }

    [Fact]
    public void Merged_into_completes_the_case_as_merged_cancels_its_referrals_and_waits_for_nothing()
    {
        CaseState open = InState("short-term-support").WithSharing();

        Decision decision = CaseDecider.Apply(open, Valid<MergedInto>(Later), Later);

        Assert.Null(decision.Refused);
        Assert.True(decision.Completed);
        Assert.Equal(CloseReason.Merged, decision.State.CloseReason);
        Assert.Equal(OtherCase, decision.State.MergedInto);
        Assert.Equal(Later, decision.State.ClosedAt);
        Assert.Null(decision.State.EvaluationOutcome);
        Assert.All(decision.State.Referrals, r => Assert.Equal(ReferralStatus.Cancelled, r.Status));
        // Its open reminders are done by the step that applies it (ApplyCaseStep reads the merged-into entry), not listed by kind.
        Assert.Null(decision.Ended);
        Assert.Null(CaseDecider.NextDeadline(decision.State));
    }

    [Fact]
    public void A_minors_case_whose_statutory_clocks_run_is_not_merged_but_may_be_once_they_are_decided()
    {
        CaseState minor = InState("short-term-support", minor: true);

        Refusal? refusal = CaseDecider.Check(minor, Valid<MergedInto>(Later));

        Assert.NotNull(refusal);
        Assert.Contains("statutory clocks", refusal.Reason, StringComparison.Ordinal);
        Assert.Null(CaseDecider.Check(minor, Valid<SamePersonAs>(Later)));

        CaseState decided = minor.Then<NoInvestigation>(Later, e => e with { Date = Later });
        Assert.Null(CaseDecider.Check(decided, Valid<MergedInto>(Later.AddHours(1))));
    }

    [Fact]
    public void Merged_is_set_by_the_lifecycle_only_and_a_closed_case_is_linked_but_not_merged()
    {
        CaseState open = InState("short-term-support");
        Assert.NotNull(CaseDecider.Check(open, Valid<CaseClosed>(Later) with { Reason = CloseReason.Merged }));

        CaseState closed = InState("closed");
        Assert.Null(CaseDecider.Check(closed, Valid<SamePersonAs>(Later)));
        Assert.Null(CaseDecider.Check(closed, Valid<SamePersonUnlinked>(Later)));
        Assert.NotNull(CaseDecider.Check(closed, Valid<MergedInto>(Later)));
    }

    [Fact]
    public void The_step_carries_the_links_its_events_made_and_removed_in_order_and_nothing_for_a_refused_one()
    {
        var builder = new StepBuilder(InState("short-term-support"));
        builder.Event(Valid<SamePersonAs>(Later) with { OtherCaseId = "c_b", Seq = 10 }, Later);
        builder.Event(Valid<SamePersonUnlinked>(Later) with { OtherCaseId = "c_b", Seq = 11 }, Later);
        builder.Event(Valid<SamePersonAs>(Later) with { OtherCaseId = "c_test", Seq = 12 }, Later);

        CaseStep step = builder.Build(project: true);

        Assert.Equal([new PersonLinkChange("c_b", true), new PersonLinkChange("c_b", false)], step.Links);
        Assert.DoesNotContain("links", System.Text.Json.JsonSerializer.Serialize(new StepBuilder(InState("short-term-support")).Build(project: true), DurableJson.Options), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_state_never_merged_leaves_merged_into_out_of_its_json()
    {
        Assert.DoesNotContain("mergedInto", InState("closed").ToJson(), StringComparison.Ordinal);
        Assert.Contains("\"mergedInto\":\"c_other\"", InState("short-term-support").Then(CaseEventType.MergedInto, Later).ToJson(), StringComparison.Ordinal);
    }
}
