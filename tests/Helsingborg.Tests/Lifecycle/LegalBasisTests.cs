using Helsingborg.Lifecycle;
using Helsingborg.Retention;
using Helsingborg.Tests.Infrastructure;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>
/// Each lead organisation's legal basis in the decision core (issue 21, item 2): consent withdrawn on a public task's case
/// ends the support and every sharing but keeps the record; on a consent case it erases; the basis follows the lead.
/// </summary>
[Trait("Category", "Unit")]
public sealed class LegalBasisTests
{
    static CaseState LedBy(string lead) =>
        InState("short-term-support").Then<LeadChanged>(T0.AddDays(1), e => e with { Lead = lead }).WithSharing();

    [Fact]
    public void The_profiles_give_social_services_a_public_task_and_the_organisations_helping_on_consent_consent()
    {
        Assert.Equal(LegalBasis.PublicTask, TestProfiles.HelsingborgPolicy.BasisOf("social-services"));
        Assert.Equal(LegalBasis.Consent, TestProfiles.HelsingborgPolicy.BasisOf("salvation-army"));
        Assert.Equal(LegalBasis.Consent, TestProfiles.HelsingborgPolicy.BasisOf(null));
        CasePolicy exempelstad = TestProfiles.PolicyOf(TestProfiles.Exempelstad);
        Assert.Equal(LegalBasis.PublicTask, exempelstad.BasisOf("exempel-soc"));
        Assert.Equal(LegalBasis.Consent, exempelstad.BasisOf("stadsmissionen"));
    }

    [Fact]
    public void Consent_withdrawn_on_a_public_task_case_closes_the_support_cancels_the_referrals_ends_every_sharing_and_keeps_the_record()
    {
        CaseState led = LedBy("social-services");
        DateTimeOffset at = T0.AddDays(3);

        Decision decision = CaseDecider.Apply(led, Valid(CaseEventType.ConsentWithdrawn, at), at);

        CaseState s = decision.State;
        Assert.False(decision.EraseNow);
        Assert.False(s.Erased);
        Assert.Equal((Phase.Closed, (CloseReason?)CloseReason.ConsentWithdrawn, (DateTimeOffset?)at), (s.Phase, s.CloseReason, s.ConsentWithdrawnAt));
        Assert.All(s.Referrals, r => Assert.Equal(ReferralStatus.Cancelled, r.Status));
        Assert.All(s.Consents, c => Assert.Equal(at, c.WithdrawnAt));
        Assert.Null(s.ConsentFor(SharingPartner));
        Assert.Equal(at, s.LastEntryAt);
    }

    [Fact]
    public void Consent_withdrawn_on_a_consent_case_erases_as_before()
    {
        CaseState led = LedBy("salvation-army");
        DateTimeOffset at = T0.AddDays(3);

        Decision decision = CaseDecider.Apply(led, Valid(CaseEventType.ConsentWithdrawn, at), at);

        Assert.True(decision.EraseNow);
        Assert.True(decision.State.Erased);
        Assert.Equal(CloseReason.ConsentWithdrawn, decision.State.CloseReason);
    }

    [Fact]
    public void The_basis_follows_the_lead_a_case_is_handed_to()
    {
        CaseState toConsent = LedBy("social-services").Then<LeadChanged>(T0.AddDays(2), e => e with { Lead = "salvation-army" });
        CaseState toPublicTask = LedBy("salvation-army").Then<LeadChanged>(T0.AddDays(2), e => e with { Lead = "social-services" });

        Assert.True(CaseDecider.Apply(toConsent, Valid(CaseEventType.ConsentWithdrawn, T0.AddDays(3)), T0.AddDays(3)).EraseNow);
        Assert.False(CaseDecider.Apply(toPublicTask, Valid(CaseEventType.ConsentWithdrawn, T0.AddDays(3)), T0.AddDays(3)).EraseNow);
    }

    [Fact]
    public void A_minors_case_is_the_default_leads_from_intake_so_withdrawal_keeps_its_record()
    {
        CaseState minor = Open(minor: true);

        Decision decision = CaseDecider.Apply(minor, Valid(CaseEventType.ConsentWithdrawn, T0.AddHours(1)), T0.AddHours(1));

        Assert.False(decision.EraseNow);
        Assert.Equal(Phase.Closed, decision.State.Phase);
    }

    [Fact]
    public void The_last_entry_is_the_latest_event_applied_and_an_event_recorded_late_does_not_move_it_back()
    {
        CaseState state = InState("short-term-support").Then(CaseEventType.SupportConversation, T0.AddDays(10));
        CaseState late = state.Then(CaseEventType.SupportConversation, T0.AddDays(5));

        Assert.Equal(T0.AddDays(10), state.LastEntryAt);
        Assert.Equal(T0.AddDays(10), late.LastEntryAt);
        Assert.Equal(T0, Open().LastEntryAt);
    }

    [Fact]
    public void A_public_tasks_record_is_due_for_culling_five_years_after_its_last_entry_and_a_consent_case_730_days_after_completion()
    {
        var options = new RetentionOptions();
        CaseState publicTask = LedBy("social-services").Then(CaseEventType.ConsentWithdrawn, T0.AddDays(3)).Then(CaseEventType.EvaluationRecorded, T0.AddDays(40));
        CaseState consent = LedBy("salvation-army").Then(CaseEventType.CaseClosed, T0.AddDays(3)).Then(CaseEventType.EvaluationRecorded, T0.AddDays(40));

        Assert.Equal(T0.AddDays(40).AddYears(5), RetentionRule.DueAt(publicTask, options));
        Assert.Equal(T0.AddDays(40).AddYears(5), RetentionRule.CullAfter(publicTask, options));
        Assert.Equal(T0.AddDays(40 + 730), RetentionRule.DueAt(consent, options));
        Assert.Null(RetentionRule.DueAt(LedBy("social-services"), options));
    }
}
