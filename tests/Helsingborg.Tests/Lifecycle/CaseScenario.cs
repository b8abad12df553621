using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>Builds cases in every phase and step through the public decider, as an orchestrator would.</summary>
internal static class CaseScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>The states of the phase table, one label per phase and return step.</summary>
    public static readonly string[] StateLabels =
    [
        "first-contact", "short-term-support", "long-term-support",
        "return:preparing", "return:awaiting-decision", "return:approved", "return:departure-scheduled", "return:departed",
        "closed", "completed",
    ];

    private static int nextId;

    public static string NewEventId() => "e" + Interlocked.Increment(ref nextId).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public static CaseState Open(bool minor = false, bool policeNotified = true, CasePolicy? policy = null) =>
        CaseDecider.Open(new IntakeFacts("c_test", "helsingborg", "hotel-group", T0, policeNotified, minor), policy ?? TestProfiles.HelsingborgPolicy).State;

    /// <summary>An event of the given type with a payload that is valid for it.</summary>
    public static CaseEvent Valid(CaseEventType type, DateTimeOffset at) => new()
    {
        EventId = NewEventId(),
        Type = type,
        At = at,
        By = type is CaseEventType.ReferralAccepted or CaseEventType.ReferralDeclined or CaseEventType.ReferralCompleted ? SharingPartner : "social-services",
        WantsSupport = type == CaseEventType.ContactMade ? YesNo.Yes : null,
        WantsAuthorityContact = type == CaseEventType.ContactMade ? YesNoUnknown.Yes : null,
        Lead = type == CaseEventType.LeadChanged ? "salvation-army" : null,
        Kind = type switch
        {
            CaseEventType.SupportGiven => SupportKind.Accommodation,
            CaseEventType.ReferralSent => SupportKind.Psychological,
            _ => null,
        },
        Until = type == CaseEventType.ResidencePermitGranted ? at.AddDays(180) : null,
        BestInterestAssessed = type == CaseEventType.ReturnRequested ? true : null,
        Approved = type == CaseEventType.IomDecision ? true : null,
        Date = type == CaseEventType.DepartureScheduled ? at.AddDays(10) : null,
        ReintegrationOutcome = type == CaseEventType.ReintegrationFollowedUp ? ReintegrationOutcome.Good : null,
        Reason = type == CaseEventType.CaseClosed ? CloseReason.Stable : null,
        Outcome = type == CaseEventType.EvaluationRecorded ? EvaluationOutcome.Helped : null,
        Organisation = type is CaseEventType.SharingConsentGiven or CaseEventType.SharingConsentWithdrawn or CaseEventType.ReferralSent ? SharingPartner : null,
        Fields = type == CaseEventType.SharingConsentGiven ? [SharedField.Alias, SharedField.Need] : null,
        Purpose = type == CaseEventType.SharingConsentGiven ? SupportKind.Psychological : null,
        Due = type == CaseEventType.ReferralSent ? at.AddDays(7) : null,
        ReferralId = type switch
        {
            CaseEventType.ReferralCompleted => AcceptedReferral,
            CaseEventType.ReferralAccepted or CaseEventType.ReferralDeclined => SentReferral,
            _ => null,
        },
        DeclineReason = type == CaseEventType.ReferralDeclined ? DeclineReason.NoCapacity : null,
    };

    public const string SharingPartner = "victim-support";
    public const string SentReferral = "e_sent";
    public const string AcceptedReferral = "e_accepted";

    /// <summary>
    /// The state with a consent to share with <see cref="SharingPartner"/> in force and two referrals to it, one sent and
    /// one accepted, so that every sharing and referral event has what it needs.
    /// </summary>
    public static CaseState WithSharing(this CaseState state) => state with
    {
        Consents = [new SharingConsent(SharingPartner, [SharedField.Alias, SharedField.Need], SupportKind.Psychological, state.OpenedAt)],
        Referrals =
        [
            new Referral(SentReferral, SharingPartner, "social-services", SupportKind.Psychological, state.OpenedAt, state.OpenedAt.AddDays(400), ReferralStatus.Sent),
            new Referral(AcceptedReferral, SharingPartner, "social-services", SupportKind.Accommodation, state.OpenedAt, state.OpenedAt.AddDays(400), ReferralStatus.Accepted, AnsweredAt: state.OpenedAt),
        ],
    };

    /// <summary>Applies an event that must be accepted.</summary>
    public static CaseState Then(this CaseState state, CaseEvent e)
    {
        var decision = CaseDecider.Apply(state, e, e.At);
        Assert.Null(decision.Refused);
        return decision.State;
    }

    public static CaseState Then(this CaseState state, CaseEventType type, DateTimeOffset at, Func<CaseEvent, CaseEvent>? change = null) =>
        state.Then((change ?? (e => e))(Valid(type, at)));

    /// <summary>A case in the labelled state, reached by one event per hour from <see cref="T0"/>; the
    /// return path starts from short-term support.</summary>
    public static CaseState InState(string label, bool minor = false)
    {
        var steps = label switch
        {
            "first-contact" => [],
            "short-term-support" => [CaseEventType.ContactMade],
            "long-term-support" => [CaseEventType.ContactMade, CaseEventType.LongTermStarted],
            "return:preparing" => [CaseEventType.ContactMade, CaseEventType.ReturnRequested],
            "return:awaiting-decision" => [CaseEventType.ContactMade, CaseEventType.ReturnRequested, CaseEventType.IomApplicationSubmitted],
            "return:approved" => [CaseEventType.ContactMade, CaseEventType.ReturnRequested, CaseEventType.IomApplicationSubmitted, CaseEventType.IomDecision],
            "return:departure-scheduled" => [CaseEventType.ContactMade, CaseEventType.ReturnRequested, CaseEventType.IomApplicationSubmitted, CaseEventType.IomDecision, CaseEventType.DepartureScheduled],
            "return:departed" => [CaseEventType.ContactMade, CaseEventType.ReturnRequested, CaseEventType.IomApplicationSubmitted, CaseEventType.IomDecision, CaseEventType.DepartureScheduled, CaseEventType.Departed],
            "closed" => [CaseEventType.ContactMade, CaseEventType.CaseClosed],
            "completed" => new[] { CaseEventType.ContactMade, CaseEventType.CaseClosed, CaseEventType.EvaluationRecorded },
            _ => throw new ArgumentOutOfRangeException(nameof(label)),
        };
        var state = Open(minor);
        for (var i = 0; i < steps.Length; i++)
        {
            state = state.Then(steps[i], T0.AddHours(i + 1));
        }

        Assert.Equal(label, Label(state));
        return state;
    }

    /// <summary>The time right after the last event <see cref="InState"/> applied.</summary>
    public static DateTimeOffset After(CaseState state) => T0.AddHours(state.RecentEventIds.Count + 1);

    public static string Label(CaseState state) => state.Phase == Phase.ReturnAssistance
        ? "return:" + CaseDecider.Kebab(state.Step!.Value)
        : CaseDecider.Kebab(state.Phase);
}
