using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;

namespace Helsingborg.Cases;

/// <summary>
/// <c>GET /api/cases/{caseId}</c>: one case with its personal data (every read is written to the access log).
/// <see cref="Allowed"/> is what a coordinator may record now; the receiving organisations' answers come through
/// /api/referrals. <see cref="LegalBasis"/> is that of the current lead; <see cref="CullAfter"/>, for a public task's
/// record only, is when the retention sweep culls it (data-protection.md, rule 3). <see cref="Reference"/> is the case
/// number people say, null for a case opened before references existed. <see cref="Worker"/> is the coordinator who holds
/// the case, null while it is the leading organisation's unassigned case. <see cref="SamePerson"/> lists the other reports of
/// the same person (the case's group) that the caller may see; <see cref="MergedInto"/> is the case this one was merged into.
/// <see cref="Leads"/> says who led it when,
/// <see cref="Transfer"/> its latest transfer, <see cref="MunicipalityNow"/> the person's municipality now (that of the
/// intake unless an accepted transfer named another) and <see cref="Access"/> how much of it the caller sees
/// (<c>full</c>, <c>read-only</c> as a pending transfer's receiver, <c>former-lead</c>).
/// </summary>
public sealed record CaseResponse(
    string CaseId,
    string? Reference,
    Phase Phase,
    ReturnStep? Step,
    string? Lead,
    AssignedWorker? Worker,
    bool Minor,
    string? Municipality,
    string? ReportedBy,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? ClosedAt,
    CloseReason? CloseReason,
    DateTimeOffset? NextDueAt,
    IReadOnlyList<ReminderResponse> OpenReminders,
    CaseCounts Counts,
    DateTimeOffset? ReflectionPeriodEnds,
    DateTimeOffset? ResidencePermitEnds,
    EvaluationOutcome? EvaluationOutcome,
    bool Erased,
    LegalBasis LegalBasis,
    DateTimeOffset? ConsentWithdrawnAt,
    DateTimeOffset? CullAfter,
    IReadOnlyList<SharingConsent> Consents,
    IReadOnlyList<CaseReferral> Referrals,
    IReadOnlyList<string> Allowed,
    CaseIncident Incident,
    PersonDetails? Person,
    IReadOnlyList<SamePersonReport> SamePerson,
    string? MergedInto,
    IReadOnlyList<CaseLead> Leads,
    CaseTransferResponse? Transfer,
    string? MunicipalityNow,
    string Access);

/// <summary>
/// Another report of the same person, as a case page lists it: nothing the coordinator could not see on the report's own
/// page. <see cref="Linked"/> says the two cases are linked directly (only such a link can be removed).
/// </summary>
public sealed record SamePersonReport(string CaseId, string? Reference, DateTimeOffset? OpenedAt, string? ReportedBy, Phase Phase, CloseReason? CloseReason, bool Linked);

/// <summary>An organisation led the case from <see cref="From"/> until <see cref="Until"/> (null while it leads it).</summary>
public sealed record CaseLead(string Organisation, DateTimeOffset From, DateTimeOffset? Until);

/// <summary>
/// The case's latest transfer: asked by <see cref="From"/> of <see cref="To"/>, due at <see cref="DueAt"/> (escalated to
/// both when unanswered by then), and how it ended; the handover is the note of the transfer-requested timeline entry.
/// </summary>
public sealed record CaseTransferResponse(
    string TransferId,
    string From,
    string To,
    string? Municipality,
    TransferStatus Status,
    DateTimeOffset RequestedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? AnsweredAt,
    TransferDeclineReason? DeclineReason,
    bool Escalated)
{
    public static CaseTransferResponse Of(CaseTransfer t) =>
        new(t.Id, t.From, t.To, t.Municipality, t.Status, t.RequestedAt, t.DueAt, t.AnsweredAt, t.DeclineReason, t.Escalated);
}

/// <summary>What has been done on a case; <see cref="SupportGiven"/> counts by support kind (kebab-case).</summary>
public sealed record CaseCounts(int ContactAttempts, int SupportConversations, IReadOnlyDictionary<string, int> SupportGiven);

/// <summary>A referral of the case to a receiving organisation.</summary>
public sealed record CaseReferral(
    string ReferralId,
    string Organisation,
    string By,
    SupportKind Kind,
    ReferralStatus Status,
    DateTimeOffset SentAt,
    DateTimeOffset DueAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? ClosedAt,
    DeclineReason? DeclineReason)
{
    public static CaseReferral From(Referral r) =>
        new(r.Id, r.Organisation, r.By, r.Kind, r.Status, r.SentAt, r.DueAt, r.AnsweredAt, r.ClosedAt, r.DeclineReason);
}

/// <summary>The intake's fields: the anonymous ones from the case row, the sealed ones from the vault (null once erased).</summary>
public sealed record CaseIncident(
    DateTimeOffset? ObservedAt,
    string? PlaceType,
    string? Suspicion,
    bool? PoliceNotified,
    string? WantsSupport,
    string? WantsAuthorityContact,
    string? OutreachSessionId,
    string? Description,
    string? Location,
    string? PoliceReference,
    string? ReporterContact);

/// <summary><c>GET /api/cases/{caseId}/timeline</c>: the case's events in order, with notes; refused events are marked.</summary>
public sealed record TimelineResponse(IReadOnlyList<TimelineItem> Items);

/// <summary>
/// One event of a case's timeline; <see cref="Reason"/> says why a refused event was refused, <see cref="Outcome"/> what a
/// <c>consent-withdrawn</c> did to the record (<c>erased</c> or <c>record-kept</c>), which organisation a
/// <c>transfer-requested</c> asked and why a <c>transfer-declined</c> declined, <see cref="Worker"/> whom a
/// <c>worker-assigned</c> gave the case to.
/// </summary>
public sealed record TimelineItem(DateTimeOffset At, string Type, string By, bool Refused, string? Reason, string? Note, string? Outcome = null, AssignedWorker? Worker = null);
