using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>Consent and closed-loop referrals in the decision core (issue 14): what is allowed, what it changes, what the timers do.</summary>
[Trait("Category", "Unit")]
public sealed class ReferralDecisionTests
{
    static readonly CasePolicy Policy = TestProfiles.HelsingborgPolicy;
    static readonly DateTimeOffset Due = T0.AddDays(10);

    static CaseState Consented() => InState("short-term-support").Then(CaseEventType.SharingConsentGiven, T0.AddDays(1));

    static CaseState Referred() => Consented().Then<ReferralSent>(T0.AddDays(2), e => e with { EventId = "e_ref", Due = Due });

    static ReferralAnswer Answer(CaseEventType type, DateTimeOffset at, string by = SharingPartner) => (ReferralAnswer)Valid(type, at) with { ReferralId = "e_ref", By = by };

    [Fact]
    public void Without_a_consent_for_the_organisation_a_referral_is_refused_with_a_clear_reason()
    {
        CaseState state = InState("short-term-support");

        Refusal? refusal = CaseDecider.Check(state, Valid(CaseEventType.ReferralSent, After(state)));

        Assert.NotNull(refusal);
        Assert.Equal($"No consent covers sharing with {SharingPartner}: record sharing-consent-given for it first.", refusal.Reason);
        Assert.NotNull(CaseDecider.Check(Consented(), Valid<ReferralSent>(T0.AddDays(2)) with { Organisation = "womens-shelter" }));
    }

    [Fact]
    public void A_consent_is_recorded_with_its_fields_and_purpose_and_a_new_one_replaces_the_one_in_force()
    {
        CaseState state = Consented()
            .Then<SharingConsentGiven>(T0.AddDays(2), e => e with { Fields = [SharedField.Languages, SharedField.Alias, SharedField.Alias] });

        SharingConsent consent = Assert.Single(state.Consents);
        Assert.Equal([SharedField.Alias, SharedField.Languages], consent.Fields);
        Assert.Equal((SupportKind?)SupportKind.Psychological, consent.Purpose);
        Assert.Equal(T0.AddDays(2), consent.GivenAt);
    }

    [Fact]
    public void A_referral_goes_sent_accepted_completed_and_completing_records_support_given_of_its_kind()
    {
        CaseState completed = Referred()
            .Then(Answer(CaseEventType.ReferralAccepted, T0.AddDays(3)))
            .Then(Answer(CaseEventType.ReferralCompleted, T0.AddDays(5)));

        Referral referral = Assert.Single(completed.Referrals);
        Assert.Equal((ReferralStatus.Completed, (DateTimeOffset?)T0.AddDays(3), (DateTimeOffset?)T0.AddDays(5)), (referral.Status, referral.AnsweredAt, referral.ClosedAt));
        Assert.Equal(1, completed.SupportGiven[SupportKind.Psychological]);
        Assert.DoesNotContain(CaseDecider.PendingDeadlines(completed), d => d.Subject is not null);
    }

    [Fact]
    public void Only_the_receiving_organisation_answers_and_only_in_order()
    {
        CaseState referred = Referred();

        Assert.Equal("No such referral to this organisation.", CaseDecider.Check(referred, Answer(CaseEventType.ReferralAccepted, T0.AddDays(3), by: "womens-shelter"))!.Reason);
        Assert.Equal("Accept the referral before completing it.", CaseDecider.Check(referred, Answer(CaseEventType.ReferralCompleted, T0.AddDays(3)))!.Reason);
        CaseState declined = referred.Then(Answer(CaseEventType.ReferralDeclined, T0.AddDays(3)));
        Assert.Equal((ReferralStatus.Declined, (DeclineReason?)DeclineReason.NoCapacity), (declined.Referrals[0].Status, declined.Referrals[0].DeclineReason));
        Assert.Equal("The referral is declined.", CaseDecider.Check(declined, Answer(CaseEventType.ReferralAccepted, T0.AddDays(4)))!.Reason);
    }

    [Fact]
    public void Timers_remind_the_receiving_organisation_escalate_to_the_referrer_and_expire_the_referral()
    {
        CaseState referred = Referred();
        DateTimeOffset reminderAt = Due - Policy.ReferralReminderBefore;
        DateTimeOffset expiresAt = Due + Policy.ReferralExpireAfterDue;

        Decision reminded = CaseDecider.OnDeadline(referred, reminderAt);
        Decision escalated = CaseDecider.OnDeadline(reminded.State, Due);
        Decision expired = CaseDecider.OnDeadline(escalated.State, expiresAt);

        Assert.Contains(new ReminderDue(ReminderKind.ReferralDue, reminderAt, false, SharingPartner, "e_ref"), reminded.Reminders);
        Assert.Contains(new ReminderDue(ReminderKind.ReferralOverdue, Due, true, "social-services", "e_ref"), escalated.Reminders);
        Assert.Equal((ReferralStatus.Expired, (DateTimeOffset?)expiresAt), (expired.State.Referrals[0].Status, expired.State.Referrals[0].ClosedAt));
        Assert.DoesNotContain(CaseDecider.PendingDeadlines(expired.State), d => d.Subject == "e_ref");
        Assert.DoesNotContain(CaseDecider.OnDeadline(expired.State, expiresAt.AddDays(30)).Reminders, r => r.Subject == "e_ref");
    }

    [Fact]
    public void Two_referrals_due_at_once_each_get_their_reminder()
    {
        CaseState two = Referred().Then<ReferralSent>(T0.AddDays(2), e => e with { EventId = "e_ref2", Due = Due });

        Decision decision = CaseDecider.OnDeadline(two, Due - Policy.ReferralReminderBefore);

        Assert.Equal(["e_ref", "e_ref2"], decision.Reminders.Where(r => r.Kind == ReminderKind.ReferralDue).Select(r => r.Subject));
    }

    [Fact]
    public void Withdrawing_consent_cancels_the_organisations_open_referrals_and_refuses_new_ones()
    {
        CaseState withdrawn = Referred().Then(CaseEventType.SharingConsentWithdrawn, T0.AddDays(3));

        Assert.Equal(T0.AddDays(3), Assert.Single(withdrawn.Consents).WithdrawnAt);
        Assert.Equal(ReferralStatus.Cancelled, withdrawn.Referrals[0].Status);
        Assert.NotNull(CaseDecider.Check(withdrawn, Valid(CaseEventType.ReferralSent, T0.AddDays(4))));
        Assert.NotNull(CaseDecider.Check(withdrawn, Answer(CaseEventType.ReferralAccepted, T0.AddDays(4))));
        Assert.NotNull(CaseDecider.Check(withdrawn, Valid(CaseEventType.SharingConsentWithdrawn, T0.AddDays(4))));
    }

    [Fact]
    public void Closing_or_erasing_the_case_cancels_its_open_referrals()
    {
        CaseState closed = Referred().Then(CaseEventType.CaseClosed, T0.AddDays(3));
        CaseState erased = Referred().Then(CaseEventType.ConsentWithdrawn, T0.AddDays(3));

        Assert.Equal(ReferralStatus.Cancelled, closed.Referrals[0].Status);
        Assert.Equal(ReferralStatus.Cancelled, erased.Referrals[0].Status);
        Assert.DoesNotContain(CaseDecider.PendingDeadlines(closed), d => d.Subject is not null);
    }

    [Fact]
    public void Consents_and_referrals_survive_a_round_trip_of_the_state()
    {
        CaseState state = Referred().Then(Answer(CaseEventType.ReferralAccepted, T0.AddDays(3)));

        CaseState loaded = CaseState.FromJson(state.ToJson());

        Assert.Equal(state.Consents.Single() with { Fields = [] }, loaded.Consents.Single() with { Fields = [] });
        Assert.Equal(state.Consents.Single().Fields, loaded.Consents.Single().Fields);
        Assert.Equal(state.Referrals, loaded.Referrals);
        Assert.Equal(CaseDecider.NextDeadline(state), CaseDecider.NextDeadline(loaded));
    }
}
