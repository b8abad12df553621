using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Helsingborg.Lifecycle;

/// <summary>
/// What an intake contributes to the lifecycle: only anonymous facts. The incident and the person
/// are stored encrypted elsewhere and never enter the orchestration.
/// </summary>
/// <param name="DeclinesAuthorities">The reporter says the person does not want contact with the authorities: the case is led
/// from the first minute by the profile's lead without authorities, and no other organisation's coordinator sees it.</param>
public sealed record IntakeFacts(
    string CaseId,
    string Municipality,
    string ReportedBy,
    DateTimeOffset ReceivedAt,
    bool PoliceNotified,
    bool Minor,
    bool DeclinesAuthorities = false,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reference = null);

/// <summary>
/// One thing recorded on a case, as it travels to the orchestration (an external event): one record per event type
/// (the event table of lifecycle.md), its payload typed, what it requires marked <c>required</c>. This is the one
/// definition of the event vocabulary: <see cref="CaseEventParser"/> reads and validates request bodies from these
/// types, <see cref="CaseDecider"/> pattern-matches on them and <see cref="CaseEventSchema"/> describes them to the
/// dashboard. It carries no personal data: a note is stored encrypted elsewhere and only <see cref="HasNote"/> travels.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ContactAttempted), "contact-attempted")]
[JsonDerivedType(typeof(ContactMade), "contact-made")]
[JsonDerivedType(typeof(LeadChanged), "lead-changed")]
[JsonDerivedType(typeof(SupportConversation), "support-conversation")]
[JsonDerivedType(typeof(SupportGiven), "support-given")]
[JsonDerivedType(typeof(PlanAgreed), "plan-agreed")]
[JsonDerivedType(typeof(ReflectionPeriodGranted), "reflection-period-granted")]
[JsonDerivedType(typeof(ResidencePermitGranted), "residence-permit-granted")]
[JsonDerivedType(typeof(LongTermStarted), "long-term-started")]
[JsonDerivedType(typeof(ReturnRequested), "return-requested")]
[JsonDerivedType(typeof(IomApplicationSubmitted), "iom-application-submitted")]
[JsonDerivedType(typeof(IomDecision), "iom-decision")]
[JsonDerivedType(typeof(DepartureScheduled), "departure-scheduled")]
[JsonDerivedType(typeof(Departed), "departed")]
[JsonDerivedType(typeof(ReintegrationFollowedUp), "reintegration-followed-up")]
[JsonDerivedType(typeof(ReturnWithdrawn), "return-withdrawn")]
[JsonDerivedType(typeof(CaseClosed), "case-closed")]
[JsonDerivedType(typeof(ConsentWithdrawn), "consent-withdrawn")]
[JsonDerivedType(typeof(EvaluationRecorded), "evaluation-recorded")]
[JsonDerivedType(typeof(SharingConsentGiven), "sharing-consent-given")]
[JsonDerivedType(typeof(SharingConsentWithdrawn), "sharing-consent-withdrawn")]
[JsonDerivedType(typeof(ReferralSent), "referral-sent")]
[JsonDerivedType(typeof(PoliceInformed), "police-informed")]
[JsonDerivedType(typeof(ProtectionAssessed), "protection-assessed")]
[JsonDerivedType(typeof(InvestigationOpened), "investigation-opened")]
[JsonDerivedType(typeof(NoInvestigation), "no-investigation")]
[JsonDerivedType(typeof(InvestigationClosed), "investigation-closed")]
[JsonDerivedType(typeof(ReferralAccepted), "referral-accepted")]
[JsonDerivedType(typeof(ReferralDeclined), "referral-declined")]
[JsonDerivedType(typeof(ReferralCompleted), "referral-completed")]
[JsonDerivedType(typeof(WorkerAssigned), "worker-assigned")]
[JsonDerivedType(typeof(WorkerReleased), "worker-released")]
[JsonDerivedType(typeof(SamePersonAs), "same-person-as")]
[JsonDerivedType(typeof(SamePersonUnlinked), "same-person-unlinked")]
[JsonDerivedType(typeof(MergedInto), "merged-into")]
[JsonDerivedType(typeof(TransferRequested), "transfer-requested")]
[JsonDerivedType(typeof(TransferAccepted), "transfer-accepted")]
[JsonDerivedType(typeof(TransferDeclined), "transfer-declined")]
public abstract record CaseEvent
{
    /// <summary>Unique per event; an event delivered twice is applied once. Set by the server.</summary>
    [FromServer]
    public required string EventId { get; init; }

    /// <summary>When it happened (the request's time unless the body names it). Clocks started by the event start here.</summary>
    [FormHint("hidden")]
    public required DateTimeOffset At { get; init; }

    /// <summary>The organisation (partner id) of the caller. Set by the server.</summary>
    [FromServer]
    public required string By { get; init; }

    /// <summary>
    /// The event's place in the case's order: its number in the case's inbox (<see cref="CaseInbox"/>), from 1. Set by
    /// the server; the orchestration applies events in this order and ignores a number it has passed.
    /// </summary>
    [FromServer]
    public long Seq { get; init; }

    /// <summary>Whether a note was sealed in the vault for this event (the note itself never travels). Set by the server.</summary>
    [FromServer]
    public bool HasNote { get; init; }

    /// <summary>The event's type: the name of its record as the discriminator says it.</summary>
    [JsonIgnore]
    public CaseEventType Type => CaseEvents.TypeOf(GetType());
}

/// <summary>How the payload records are listed and named: from the <see cref="JsonDerivedTypeAttribute"/>s of <see cref="CaseEvent"/>.</summary>
public static class CaseEvents
{
    static readonly Dictionary<Type, CaseEventType> ByRecord = typeof(CaseEvent).GetCustomAttributes<JsonDerivedTypeAttribute>()
        .ToDictionary(a => a.DerivedType, a => KebabCase.TryParse((string)a.TypeDiscriminator!, out CaseEventType type)
            ? type
            : throw new InvalidOperationException($"The event record {a.DerivedType.Name} is named {a.TypeDiscriminator}, which is no CaseEventType."));

    /// <summary>Every event record by its type, in the order of <see cref="CaseEventType"/>.</summary>
    public static IReadOnlyList<(CaseEventType Type, Type Record)> All { get; } =
        [.. ByRecord.Select(pair => (pair.Value, pair.Key)).OrderBy(pair => pair.Value)];

    /// <summary>The receiving organisation's answers: sent through <c>/api/referrals/{id}/…</c>, never as a coordinator's event.</summary>
    public static bool IsPartnerAnswer(Type record) => record.IsAssignableTo(typeof(ReferralAnswer));

    /// <summary>The social services' decisions that end a minor's statutory clocks: allowed on a minor's case only.</summary>
    public static bool IsStatutoryDecision(Type record) => record.IsAssignableTo(typeof(StatutoryDecision));

    public static CaseEventType TypeOf(Type record) =>
        ByRecord.TryGetValue(record, out CaseEventType type) ? type : throw new ArgumentOutOfRangeException(nameof(record), "Not an event record.");

    public static Type RecordOf(CaseEventType type) => All.First(pair => pair.Type == type).Record;
}

/// <summary>A member of <see cref="CaseEvent"/> the server sets; a request body must not name it.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FromServerAttribute : Attribute;

/// <summary>Where the allowed values of a string payload field come from: the city profile.</summary>
public enum ProfileList
{
    /// <summary>The organisations of the city profile with the role lead.</summary>
    Leads,

    /// <summary>Every organisation of the city profile.</summary>
    Organisations,

    /// <summary>The municipality codes of the city profile.</summary>
    Municipalities,
}

/// <summary>A string payload field whose value is one of a list of the city profile (data, not a type).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ProfileChoiceAttribute(ProfileList list) : Attribute
{
    public ProfileList List { get; } = list;
}

/// <summary>
/// A hint for the dashboard's form that the type cannot say, emitted into the schema as <c>x-{name}: true</c>:
/// <c>choose</c> (a choice starts empty, so nothing is chosen by default), <c>future</c> (a date after today),
/// <c>consented</c> (only organisations the person's sharing consent is in force for), <c>consent-purpose</c> (starts
/// as the purpose of the consent of the organisation chosen), <c>hidden</c> (not asked in the form).
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = true)]
public sealed class FormHintAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

public sealed record ContactAttempted : CaseEvent
{
    public ContactChannel? Channel { get; init; }
}

public sealed record ContactMade : CaseEvent
{
    public required YesNo WantsSupport { get; init; }

    public YesNoUnknown? WantsAuthorityContact { get; init; }

    public bool? InterpreterNeeded { get; init; }
}

public sealed record LeadChanged : CaseEvent
{
    /// <summary>The new lead organisation.</summary>
    [ProfileChoice(ProfileList.Leads)]
    public required string Lead { get; init; }
}

public sealed record SupportConversation : CaseEvent;

public sealed record SupportGiven : CaseEvent
{
    public required SupportKind Kind { get; init; }
}

public sealed record PlanAgreed : CaseEvent;

/// <summary>Without <see cref="To"/>, the period lasts <see cref="CasePolicy.ReflectionPeriod"/> from <see cref="From"/> (or the event).</summary>
public sealed record ReflectionPeriodGranted : CaseEvent, IValidatableObject
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (To is { } to && to <= (From ?? At))
        {
            yield return new ValidationResult("Must be after from.", [nameof(To)]);
        }
    }
}

public sealed record ResidencePermitGranted : CaseEvent
{
    public required DateTimeOffset Until { get; init; }
}

public sealed record LongTermStarted : CaseEvent;

/// <summary>A minor's return needs <see cref="BestInterestAssessed"/> true (the decider refuses it otherwise).</summary>
public sealed record ReturnRequested : CaseEvent
{
    public bool? BestInterestAssessed { get; init; }
}

public sealed record IomApplicationSubmitted : CaseEvent;

public sealed record IomDecision : CaseEvent
{
    public required bool Approved { get; init; }
}

public sealed record DepartureScheduled : CaseEvent
{
    public required DateTimeOffset Date { get; init; }
}

public sealed record Departed : CaseEvent
{
    /// <summary>When the person left; the event's time when not given.</summary>
    public DateTimeOffset? Date { get; init; }
}

public sealed record ReintegrationFollowedUp : CaseEvent
{
    public required ReintegrationOutcome Outcome { get; init; }
}

public sealed record ReturnWithdrawn : CaseEvent;

public sealed record CaseClosed : CaseEvent
{
    /// <summary>Returned, consent-withdrawn and merged are set by the lifecycle, not by case-closed.</summary>
    [DeniedValues(CloseReason.Returned, CloseReason.ConsentWithdrawn, CloseReason.Merged, ErrorMessage = "Set by the lifecycle, not by case-closed.")]
    public required CloseReason Reason { get; init; }
}

public sealed record ConsentWithdrawn : CaseEvent;

public sealed record EvaluationRecorded : CaseEvent
{
    /// <summary>Missing is set by the lifecycle when no evaluation arrived, not by callers.</summary>
    [DeniedValues(EvaluationOutcome.Missing, ErrorMessage = "Set by the lifecycle, not by callers.")]
    public required EvaluationOutcome Outcome { get; init; }
}

public sealed record SharingConsentGiven : CaseEvent
{
    /// <summary>The organisation the person agrees to share with.</summary>
    [ProfileChoice(ProfileList.Organisations)]
    [FormHint("choose")]
    public required string Organisation { get; init; }

    /// <summary>What the consent covers.</summary>
    [Length(1, 20)]
    public required IReadOnlyList<SharedField> Fields { get; init; }

    /// <summary>What the sharing is for.</summary>
    public SupportKind? Purpose { get; init; }
}

public sealed record SharingConsentWithdrawn : CaseEvent
{
    [ProfileChoice(ProfileList.Organisations)]
    [FormHint("choose")]
    [FormHint("consented")]
    public required string Organisation { get; init; }
}

/// <summary>The referral's id is this event's id; its note is the need (shared only if the consent covers it).</summary>
public sealed record ReferralSent : CaseEvent
{
    [ProfileChoice(ProfileList.Organisations)]
    [FormHint("choose")]
    [FormHint("consented")]
    public required string Organisation { get; init; }

    [FormHint("choose")]
    [FormHint("consent-purpose")]
    public required SupportKind Kind { get; init; }

    /// <summary>When the referral should be finished.</summary>
    [FormHint("future")]
    public required DateTimeOffset Due { get; init; }
}

/// <summary>
/// After the report, the police were told of the suspicion (the routine: the reporter calls the police). Its note is the
/// police's reference (a diarienummer), sealed in the vault like every note; it ends the <c>call-police</c> reminder.
/// </summary>
public sealed record PoliceInformed : CaseEvent;

/// <summary>
/// A decision of the social services on a minor's case that ends a statutory clock, dated by <see cref="Date"/>: when it
/// was made, which may be before it is recorded but not after, nor before the report.
/// </summary>
public abstract record StatutoryDecision : CaseEvent, IValidatableObject
{
    /// <summary>When the decision was made (the clock is met if this is not after its due time).</summary>
    public required DateTimeOffset Date { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Date > At + CaseDecider.AllowedClockSkew)
        {
            yield return new ValidationResult("Must not be after the event's time.", [nameof(Date)]);
        }
    }
}

/// <summary>The assessment whether the child needs immediate protection (skyddsbedömning, socialtjänstlagen 11 kap. 1 a §) is made.</summary>
public sealed record ProtectionAssessed : StatutoryDecision;

/// <summary>An investigation is opened (11 kap. 1 §): ends the initial assessment and starts the four-month clock (11 kap. 2 §).</summary>
public sealed record InvestigationOpened : StatutoryDecision;

/// <summary>The initial assessment (förhandsbedömning, 11 kap. 1 a §) ends without an investigation.</summary>
public sealed record NoInvestigation : StatutoryDecision;

/// <summary>The investigation is finished (11 kap. 2 §).</summary>
public sealed record InvestigationClosed : StatutoryDecision;

/// <summary>A receiving organisation's answer to its referral (the id of the referral-sent event).</summary>
public abstract record ReferralAnswer : CaseEvent
{
    public required string ReferralId { get; init; }
}

public sealed record ReferralAccepted : ReferralAnswer;

public sealed record ReferralDeclined : ReferralAnswer
{
    public required DeclineReason Reason { get; init; }
}

public sealed record ReferralCompleted : ReferralAnswer;

/// <summary>
/// The case is given to one coordinator: the caller, or a colleague of the caller's organisation named by
/// <see cref="Worker"/>. Only the worker's id travels (an API key's id, an Entra object id), never the name, which is
/// found when the case is read (<see cref="Access.WorkerDirectory"/>). Its note is the handover, sealed like every note.
/// </summary>
public sealed record WorkerAssigned : CaseEvent
{
    /// <summary>The worker's id; the caller's own when the request leaves it out (set by the server).</summary>
    [FormHint("colleague")]
    public string? Worker { get; init; }
}

/// <summary>The worker gives the case back to the leading organisation's unassigned cases; its note is the handover.</summary>
public sealed record WorkerReleased : CaseEvent;

/// <summary>
/// An event that names another case of the same person: by its reference (<c>HBG-2026-0001</c>) or its case id, as the
/// coordinator wrote it. The server finds the case, checks that the caller may see it, and sets <see cref="OtherCaseId"/>:
/// the history carries ids only, never who the person is.
/// </summary>
public abstract record OtherCaseEvent : CaseEvent
{
    /// <summary>The other case: its reference or its case id.</summary>
    public required string Reference { get; init; }

    /// <summary>The other case's id, found from <see cref="Reference"/>. Set by the server.</summary>
    [FromServer]
    public string? OtherCaseId { get; init; }
}

/// <summary>A coordinator finds that this case and another are reports of one person: the two are linked (docs/lifecycle.md, *One person, many reports*).</summary>
public sealed record SamePersonAs : OtherCaseEvent;

/// <summary>Removes a direct link made by mistake; the groups it joined fall apart again.</summary>
public sealed record SamePersonUnlinked : OtherCaseEvent;

/// <summary>
/// This case is merged into another report of the same person, which carries the support on: this case closes as
/// <see cref="CloseReason.Merged"/> and completes at once, its open referrals cancelled and its open reminders done.
/// </summary>
public sealed record MergedInto : OtherCaseEvent;

/// <summary>
/// The leading organisation asks another lead organisation to take the case over after the acute phase; its note is the
/// handover, sealed like every note. Without <see cref="ToOrganisation"/> the server names the receiver of
/// <see cref="Municipality"/> (the city profile's <c>Receiver</c>, else its default lead).
/// </summary>
public sealed record TransferRequested : CaseEvent
{
    /// <summary>The organisation asked to take the case over (a lead organisation of the city profile).</summary>
    [ProfileChoice(ProfileList.Leads)]
    [FormHint("choose")]
    public string? ToOrganisation { get; init; }

    /// <summary>The municipality the person belongs to now (a municipality code of the city profile), set when the receiver accepts.</summary>
    [ProfileChoice(ProfileList.Municipalities)]
    [FormHint("choose")]
    public string? Municipality { get; init; }
}

/// <summary>The receiver of the pending transfer takes the case over: it leads the case from now on.</summary>
public sealed record TransferAccepted : CaseEvent;

/// <summary>The receiver of the pending transfer declines it; the case stays with the organisation that asked.</summary>
public sealed record TransferDeclined : CaseEvent
{
    public required TransferDeclineReason Reason { get; init; }
}
