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
    public static CaseEvent Valid(CaseEventType type, DateTimeOffset at)
    {
        string id = NewEventId();
        const string by = "social-services";
        return type switch
        {
            CaseEventType.ContactAttempted => new ContactAttempted { EventId = id, At = at, By = by },
            CaseEventType.ContactMade => new ContactMade { EventId = id, At = at, By = by, WantsSupport = YesNo.Yes, WantsAuthorityContact = YesNoUnknown.Yes },
            CaseEventType.LeadChanged => new LeadChanged { EventId = id, At = at, By = by, Lead = "salvation-army" },
            CaseEventType.SupportConversation => new SupportConversation { EventId = id, At = at, By = by },
            CaseEventType.SupportGiven => new SupportGiven { EventId = id, At = at, By = by, Kind = SupportKind.Accommodation },
            CaseEventType.PlanAgreed => new PlanAgreed { EventId = id, At = at, By = by },
            CaseEventType.ReflectionPeriodGranted => new ReflectionPeriodGranted { EventId = id, At = at, By = by },
            CaseEventType.ResidencePermitGranted => new ResidencePermitGranted { EventId = id, At = at, By = by, Until = at.AddDays(180) },
            CaseEventType.LongTermStarted => new LongTermStarted { EventId = id, At = at, By = by },
            CaseEventType.ReturnRequested => new ReturnRequested { EventId = id, At = at, By = by, BestInterestAssessed = true },
            CaseEventType.IomApplicationSubmitted => new IomApplicationSubmitted { EventId = id, At = at, By = by },
            CaseEventType.IomDecision => new IomDecision { EventId = id, At = at, By = by, Approved = true },
            CaseEventType.DepartureScheduled => new DepartureScheduled { EventId = id, At = at, By = by, Date = at.AddDays(10) },
            CaseEventType.Departed => new Departed { EventId = id, At = at, By = by },
            CaseEventType.ReintegrationFollowedUp => new ReintegrationFollowedUp { EventId = id, At = at, By = by, Outcome = ReintegrationOutcome.Good },
            CaseEventType.ReturnWithdrawn => new ReturnWithdrawn { EventId = id, At = at, By = by },
            CaseEventType.CaseClosed => new CaseClosed { EventId = id, At = at, By = by, Reason = CloseReason.Stable },
            CaseEventType.ConsentWithdrawn => new ConsentWithdrawn { EventId = id, At = at, By = by },
            CaseEventType.EvaluationRecorded => new EvaluationRecorded { EventId = id, At = at, By = by, Outcome = EvaluationOutcome.Helped },
            CaseEventType.SharingConsentGiven => new SharingConsentGiven
            {
                EventId = id, At = at, By = by, Organisation = SharingPartner, Fields = [SharedField.Alias, SharedField.Need], Purpose = SupportKind.Psychological,
            },
            CaseEventType.SharingConsentWithdrawn => new SharingConsentWithdrawn { EventId = id, At = at, By = by, Organisation = SharingPartner },
            CaseEventType.ReferralSent => new ReferralSent { EventId = id, At = at, By = by, Organisation = SharingPartner, Kind = SupportKind.Psychological, Due = at.AddDays(7) },
            CaseEventType.ReferralAccepted => new ReferralAccepted { EventId = id, At = at, By = SharingPartner, ReferralId = SentReferral },
            CaseEventType.ReferralDeclined => new ReferralDeclined { EventId = id, At = at, By = SharingPartner, ReferralId = SentReferral, Reason = DeclineReason.NoCapacity },
            CaseEventType.ReferralCompleted => new ReferralCompleted { EventId = id, At = at, By = SharingPartner, ReferralId = AcceptedReferral },
            CaseEventType.PoliceInformed => new PoliceInformed { EventId = id, At = at, By = by },
            CaseEventType.ProtectionAssessed => new ProtectionAssessed { EventId = id, At = at, By = by, Date = at },
            CaseEventType.InvestigationOpened => new InvestigationOpened { EventId = id, At = at, By = by, Date = at },
            CaseEventType.NoInvestigation => new NoInvestigation { EventId = id, At = at, By = by, Date = at },
            CaseEventType.InvestigationClosed => new InvestigationClosed { EventId = id, At = at, By = by, Date = at },
            CaseEventType.WorkerAssigned => new WorkerAssigned { EventId = id, At = at, By = by, Worker = Colleague },
            CaseEventType.WorkerReleased => new WorkerReleased { EventId = id, At = at, By = by },
            CaseEventType.SamePersonAs => new SamePersonAs { EventId = id, At = at, By = by, Reference = OtherCase, OtherCaseId = OtherCase },
            CaseEventType.SamePersonUnlinked => new SamePersonUnlinked { EventId = id, At = at, By = by, Reference = OtherCase, OtherCaseId = OtherCase },
            CaseEventType.MergedInto => new MergedInto { EventId = id, At = at, By = by, Reference = OtherCase, OtherCaseId = OtherCase },
            CaseEventType.TransferRequested => new TransferRequested { EventId = id, At = at, By = by, ToOrganisation = Receiver, Municipality = "landskrona" },
            CaseEventType.TransferAccepted => new TransferAccepted { EventId = id, At = at, By = Receiver },
            CaseEventType.TransferDeclined => new TransferDeclined { EventId = id, At = at, By = Receiver, Reason = TransferDeclineReason.NotResponsible },
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    /// <summary>An event of the record's type with a payload that is valid for it.</summary>
    public static T Valid<T>(DateTimeOffset at)
        where T : CaseEvent => (T)Valid(CaseEvents.TypeOf(typeof(T)), at);

    public const string SharingPartner = "victim-support";

    /// <summary>Another case of the same person, as the server resolves it for same-person-as, same-person-unlinked and merged-into.</summary>
    public const string OtherCase = "c_other";

    /// <summary>The organisation a transfer asks to take the case over (Landskrona's receiver in Helsingborg's profile).</summary>
    public const string Receiver = "landskrona-social-services";

    public const string PendingTransfer = "e_transfer";

    /// <summary>A coordinator's id (an API key's id) of the organisation the scenario's events come from.</summary>
    public const string Colleague = "coordinator-2";
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

    /// <summary>
    /// The state with what an event of the type needs: <see cref="WithSharing"/>, and for a statutory decision a minor's
    /// case whose protection and initial assessments run (and, for investigation-closed, an investigation opened); for
    /// worker-released a worker of the events' organisation who holds the case.
    /// </summary>
    public static CaseState ReadyFor(this CaseState state, CaseEventType type)
    {
        state = state.WithSharing();
        if (type == CaseEventType.WorkerReleased)
        {
            return state with { Worker = new CaseWorker(Colleague, "social-services", state.OpenedAt) };
        }

        if (type is CaseEventType.TransferAccepted or CaseEventType.TransferDeclined)
        {
            return state with { Transfer = new CaseTransfer(PendingTransfer, "social-services", Receiver, "landskrona", state.OpenedAt, state.OpenedAt.AddDays(3)) };
        }

        if (!CaseEvents.IsStatutoryDecision(CaseEvents.RecordOf(type)))
        {
            return state;
        }

        DateTimeOffset opened = state.OpenedAt;
        StatutoryClock[] clocks = type == CaseEventType.InvestigationClosed
            ?
            [
                new(ReminderKind.ProtectionAssessment, opened, opened.AddDays(1), EndedAt: opened),
                new(ReminderKind.InitialAssessment, opened, opened.AddDays(14), EndedAt: opened),
                new(ReminderKind.Investigation, opened, opened.AddDays(120)),
            ]
            :
            [
                new(ReminderKind.ProtectionAssessment, opened, opened.AddDays(1)),
                new(ReminderKind.InitialAssessment, opened, opened.AddDays(14)),
            ];
        return state with { Minor = true, Clocks = clocks };
    }

    /// <summary>Applies an event that must be accepted.</summary>
    public static CaseState Then(this CaseState state, CaseEvent e)
    {
        var decision = CaseDecider.Apply(state, e, e.At);
        Assert.Null(decision.Refused);
        return decision.State with { Applied = state.Applied + 1 };
    }

    public static CaseState Then(this CaseState state, CaseEventType type, DateTimeOffset at) => state.Then(Valid(type, at));

    /// <summary>Applies an event of the record's type, valid and then changed, that must be accepted.</summary>
    public static CaseState Then<T>(this CaseState state, DateTimeOffset at, Func<T, T> change)
        where T : CaseEvent => state.Then(change(Valid<T>(at)));

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
    public static DateTimeOffset After(CaseState state) => T0.AddHours(state.Applied + 1);

    public static string Label(CaseState state) => state.Phase == Phase.ReturnAssistance
        ? "return:" + CaseDecider.Kebab(state.Step!.Value)
        : CaseDecider.Kebab(state.Phase);
}
