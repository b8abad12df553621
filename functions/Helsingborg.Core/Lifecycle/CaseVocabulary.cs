using System.Text.Json.Serialization;

namespace Helsingborg.Lifecycle;

// The words of lifecycle.md and glossary.md. Values are stored by name (kebab-case), never by
// number, so members may be added in any position; renaming one is a schema change.

/// <summary>Where a case stands in its life; see the phase diagram in lifecycle.md.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<Phase>))]
public enum Phase
{
    FirstContact,
    ShortTermSupport,
    LongTermSupport,
    ReturnAssistance,
    Closed,
    Completed,
}

/// <summary>The steps of assisted voluntary return through IOM, within <see cref="Phase.ReturnAssistance"/>.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReturnStep>))]
public enum ReturnStep
{
    Preparing,
    AwaitingDecision,
    Approved,
    DepartureScheduled,
    Departed,
}

/// <summary>Why a case was closed; counted in the statistics.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<CloseReason>))]
public enum CloseReason
{
    Returned,
    Stable,
    Moved,
    NoContact,
    Declined,
    ConsentWithdrawn,
    Other,

    /// <summary>Merged into another report of the same person (merged-into); set by the lifecycle only.</summary>
    Merged,
}

/// <summary>
/// The legal basis on which the organisation leading a case processes the person's data (data-protection.md): on the
/// person's consent, which withdrawal ends with erasure, or as a public task under a law that obliges it to keep a
/// record (the social services act), which withdrawal does not end before the record's culling date.
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<LegalBasis>))]
public enum LegalBasis
{
    Consent,
    PublicTask,
}

/// <summary>
/// What can be recorded on a case (the event table of lifecycle.md): the names of the event records
/// (<see cref="CaseEvent"/>), whose discriminators are these names in kebab-case (<see cref="CaseEvents"/> checks it).
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<CaseEventType>))]
public enum CaseEventType
{
    ContactAttempted,
    ContactMade,
    LeadChanged,
    SupportConversation,
    SupportGiven,
    PlanAgreed,
    ReflectionPeriodGranted,
    ResidencePermitGranted,
    LongTermStarted,
    ReturnRequested,
    IomApplicationSubmitted,
    IomDecision,
    DepartureScheduled,
    Departed,
    ReintegrationFollowedUp,
    ReturnWithdrawn,
    CaseClosed,
    ConsentWithdrawn,
    EvaluationRecorded,
    SharingConsentGiven,
    SharingConsentWithdrawn,
    ReferralSent,

    /// <summary>Someone told the police (by the reporting partner or a coordinator); its note is the police's reference.</summary>
    PoliceInformed,

    /// <summary>The statutory clocks of a minor's case (socialtjänstlagen 11 kap. 1 a and 2 §§), each with its decision date.</summary>
    ProtectionAssessed,
    InvestigationOpened,
    NoInvestigation,
    InvestigationClosed,

    /// <summary>The receiving organisation's answers: sent through <c>/api/referrals</c>, never by a coordinator.</summary>
    ReferralAccepted,
    ReferralDeclined,
    ReferralCompleted,

    /// <summary>A coordinator of the leading organisation holds the case (its note is the handover); the history carries only the worker's id.</summary>
    WorkerAssigned,

    /// <summary>The worker gives the case back to the organisation's unassigned cases (its note is the handover).</summary>
    WorkerReleased,

    /// <summary>Two reports are of one person (ids only; the link is kept in the person links table, not in the state).</summary>
    SamePersonAs,

    /// <summary>A link between two reports made by mistake is removed.</summary>
    SamePersonUnlinked,

    /// <summary>The case is merged into another report of its person: it closes as merged and completes at once.</summary>
    MergedInto,

    /// <summary>The leading organisation asks another lead organisation to take the case over (its note is the handover).</summary>
    TransferRequested,

    /// <summary>The receiving organisation takes the case over and leads it from now on.</summary>
    TransferAccepted,

    /// <summary>The receiving organisation declines: the case stays with the organisation that asked.</summary>
    TransferDeclined,
}

/// <summary>The reminders coordinators receive (the timer table of lifecycle.md).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReminderKind>))]
public enum ReminderKind
{
    CallPolice,

    /// <summary>Replaced by <see cref="ProtectionAssessment"/>; kept so that the reminders of cases opened before still read.</summary>
    ChildProtection,
    FirstContact,
    FollowUp,
    JointPlanDue,
    PlanReview,
    ReflectionPeriodEnding,
    PermitEnding,
    ReturnApplicationDue,
    IomDecisionPending,
    DepartureTomorrow,
    ReintegrationFollowUp,
    EvaluationDue,
    OutreachSession,

    /// <summary>To the receiving organisation: a referral it has not finished falls due soon.</summary>
    ReferralDue,

    /// <summary>To the referring coordinator, escalated: a referral passed its due date unfinished.</summary>
    ReferralOverdue,

    /// <summary>A minor's case: whether the child needs immediate protection (skyddsbedömning), due the same day.</summary>
    ProtectionAssessment,

    /// <summary>A minor's case: whether to open an investigation (förhandsbedömning), due 14 days after the report.</summary>
    InitialAssessment,

    /// <summary>A minor's case: the investigation opened, to be finished within four months.</summary>
    Investigation,

    /// <summary>
    /// To the receiving organisation: a case it is asked to take over, due at <see cref="CasePolicy.TransferDueAfter"/>;
    /// escalated to both sides when not answered by then.
    /// </summary>
    TransferDue,
}

/// <summary>How a contact was attempted.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ContactChannel>))]
public enum ContactChannel
{
    Phone,
    Sms,
    InPerson,
    Online,
}

/// <summary>A required answer.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<YesNo>))]
public enum YesNo
{
    Yes,
    No,
}

/// <summary>An answer the person may not have given.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<YesNoUnknown>))]
public enum YesNoUnknown
{
    Yes,
    No,
    Unknown,
}

/// <summary>Kinds of support given, after the Council of Europe Convention, Article 12(1) (glossary.md).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<SupportKind>))]
public enum SupportKind
{
    Accommodation,
    Psychological,
    Material,
    Medical,
    Interpretation,
    CounsellingLegal,
    CriminalProceedings,
    EducationChildren,
    ContactPerson,
    Other,
}

/// <summary>How the person fared after returning home.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReintegrationOutcome>))]
public enum ReintegrationOutcome
{
    Good,
    Difficult,
    Unknown,
}

/// <summary>
/// The evaluation of a closed case. <see cref="Missing"/> is set only by the lifecycle when no
/// evaluation arrived within <see cref="CasePolicy.EvaluationGiveUpAfter"/>; callers cannot send it.
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<EvaluationOutcome>))]
public enum EvaluationOutcome
{
    Helped,
    PartlyHelped,
    NotHelped,
    Unknown,
    Missing,
}

/// <summary>
/// Every kind of deadline a case can wait for: the case reminders that fall due on a timer, and the
/// two give-ups that change the phase without a reminder.
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<DeadlineKind>))]
public enum DeadlineKind
{
    FirstContact,
    FollowUp,
    JointPlanDue,
    PlanReview,
    ReflectionPeriodEnding,
    PermitEnding,
    ReturnApplicationDue,
    IomDecisionPending,
    DepartureTomorrow,
    ReintegrationFollowUp,
    EvaluationDue,

    /// <summary>No contact within <see cref="CasePolicy.FirstContactGiveUpAfter"/>: the case closes (no-contact).</summary>
    CloseWithoutContact,

    /// <summary>No evaluation within <see cref="CasePolicy.EvaluationGiveUpAfter"/>: the case completes (missing).</summary>
    CompleteWithoutEvaluation,

    /// <summary><see cref="CasePolicy.ReferralReminderBefore"/> before a referral's due date (one per referral).</summary>
    ReferralDueSoon,

    /// <summary>A referral's due date passed while it was still sent or accepted (one per referral).</summary>
    ReferralOverdue,

    /// <summary><see cref="CasePolicy.ReferralExpireAfterDue"/> after the due date: the referral expires.</summary>
    ReferralExpired,

    /// <summary>A statutory clock of a minor's case passed its due time unmet (one per clock; the subject names its kind).</summary>
    StatutoryClockDue,

    /// <summary>A transfer was not answered by its due time: its reminder is escalated to both organisations.</summary>
    TransferDue,
}

/// <summary>What a person may agree to share with another organisation (a referral carries only these).</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<SharedField>))]
public enum SharedField
{
    Alias,
    Languages,
    Age,
    Gender,
    Citizenship,
    Contact,

    /// <summary>The referral's note: what the person needs.</summary>
    Need,
}

/// <summary>Where a referral stands.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<ReferralStatus>))]
public enum ReferralStatus
{
    Sent,
    Accepted,
    Declined,
    Completed,
    Expired,

    /// <summary>Ended by the case: consent to share with the organisation withdrawn, or the case closed.</summary>
    Cancelled,
}

/// <summary>Why a receiving organisation declined to take a case over.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<TransferDeclineReason>))]
public enum TransferDeclineReason
{
    /// <summary>The person does not belong to its municipality (or it is not the right organisation).</summary>
    NotResponsible,
    NoCapacity,
    Other,
}

/// <summary>Where a case's transfer stands: waiting for the receiver's answer, or answered.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<TransferStatus>))]
public enum TransferStatus
{
    Pending,
    Accepted,
    Declined,

    /// <summary>Ended unanswered because the case closed.</summary>
    Cancelled,
}

/// <summary>Why a receiving organisation declined a referral.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<DeclineReason>))]
public enum DeclineReason
{
    NoCapacity,
    NotEligible,
    PersonDeclined,
    Other,
}
