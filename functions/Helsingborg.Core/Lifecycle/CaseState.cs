using System.Collections.Immutable;
using System.Text.Json;

namespace Helsingborg.Lifecycle;

/// <summary>
/// Everything the lifecycle knows about a case: ids, enums, dates and counts, never personal data,
/// because it lives in the orchestration history. It is carried across <c>ContinueAsNew</c> and
/// must stay small however long a case runs (counts rather than lists). It carries <see cref="SchemaVersion"/> so that a
/// release can load the state the previous one wrote: add properties with defaults, never rename.
/// </summary>
public sealed record CaseState
{
    public const int CurrentSchemaVersion = 1;

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string CaseId { get; init; }

    /// <summary>
    /// The case number people say (<see cref="Cases.CaseReference"/>), given at intake; null for a case opened before
    /// references existed, whose state then serializes, and replays, exactly as it was recorded.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Reference { get; init; }

    public required string Municipality { get; init; }

    /// <summary>The partner id that submitted the intake.</summary>
    public required string ReportedBy { get; init; }

    public required DateTimeOffset OpenedAt { get; init; }

    public bool Minor { get; init; }

    public bool PoliceNotified { get; init; }

    /// <summary>The policy the case was opened under (a snapshot, so replays stay deterministic).</summary>
    public CasePolicy Policy { get; init; } = new();

    public Phase Phase { get; init; }

    /// <summary>The return step while in <see cref="Phase.ReturnAssistance"/>, else null.</summary>
    public ReturnStep? Step { get; init; }

    /// <summary>The support phase a return came from, and goes back to when rejected or withdrawn.</summary>
    public Phase? ReturnFrom { get; init; }

    /// <summary>
    /// The organisation that leads the support (an organisation id of the city profile): null until contact, except for a
    /// minor (the profile's default lead from the start) and a person the intake says declines the authorities (the
    /// profile's lead without authorities from the start).
    /// </summary>
    public string? Lead { get; init; }

    public DateTimeOffset? ContactMadeAt { get; init; }

    public bool? InterpreterNeeded { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public CloseReason? CloseReason { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public ReintegrationOutcome? ReintegrationOutcome { get; init; }

    public EvaluationOutcome? EvaluationOutcome { get; init; }

    /// <summary>Personal data has been erased (consent withdrawn on a consent case, or culled by retention).</summary>
    public bool Erased { get; init; }

    /// <summary>
    /// When the person withdrew consent. On a case whose lead processes as a public task this ends the support and every
    /// sharing but not the record, which is kept until its culling date (data-protection.md).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ConsentWithdrawnAt { get; init; }

    /// <summary>
    /// The time of the record's last entry: the intake or the latest event applied (a refused one is no entry). A public
    /// task's record is culled five years after it. Kept for cases opened under a policy that knows the leads' legal
    /// bases; null in a state opened before (whose basis is consent; <see cref="LastEntry"/> then falls back on the
    /// case's own dates), so such a state serializes, and replays, exactly as it was recorded.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? LastEntryAt { get; init; }

    /// <summary>The legal basis the case's data is processed on now: that of its current lead (<see cref="CasePolicy.BasisOf"/>).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public LegalBasis Basis => Policy.BasisOf(Lead);

    /// <summary>The record's last entry, for a state of any release.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset LastEntry => LastEntryAt ?? new[] { OpenedAt, ContactMadeAt ?? OpenedAt, ClosedAt ?? OpenedAt, ConsentWithdrawnAt ?? OpenedAt }.Max();

    /// <summary>
    /// The coordinator who holds the case (worker-assigned), by id only: the name is found when read, never kept in the
    /// history. Null while the case is the leading organisation's unassigned case, and in every state written before workers
    /// existed (left out of the JSON when null, so those histories replay as they were).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public CaseWorker? Worker { get; init; }

    /// <summary>
    /// The case this one was merged into (merged-into), by id only; null for every other case, and left out of the JSON
    /// then, so the histories written before merging existed replay as they were.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? MergedInto { get; init; }

    public int ContactAttempts { get; init; }

    public int SupportConversations { get; init; }

    public IReadOnlyDictionary<SupportKind, int> SupportGiven { get; init; } = ImmutableSortedDictionary<SupportKind, int>.Empty;

    /// <summary>
    /// The number of first-contact reminder occurrences passed: the next one falls due at
    /// <see cref="OpenedAt"/> + (this + 1) × <see cref="CasePolicy.FirstContactReminderInterval"/>.
    /// </summary>
    public int FirstContactReminders { get; init; }

    /// <summary>The last support conversation, support given or follow-up reminder.</summary>
    public DateTimeOffset? FollowUpAnchor { get; init; }

    public bool PlanAgreed { get; init; }

    public DateTimeOffset? NextPlanReviewAt { get; init; }

    public DateTimeOffset? ReflectionPeriodEnds { get; init; }

    public DateTimeOffset? ResidencePermitEnds { get; init; }

    public DateTimeOffset? ReturnRequestedAt { get; init; }

    public DateTimeOffset? NextIomChaseAt { get; init; }

    public DateTimeOffset? DepartureDate { get; init; }

    public DateTimeOffset? DepartedAt { get; init; }

    /// <summary>
    /// The due time of the last reminder produced, per kind. A one-shot deadline whose due time is
    /// recorded here has fired and is no longer pending.
    /// </summary>
    public IReadOnlyDictionary<ReminderKind, DateTimeOffset> LastFired { get; init; } = ImmutableSortedDictionary<ReminderKind, DateTimeOffset>.Empty;

    /// <summary>
    /// The inbox number (<see cref="CaseEvent.Seq"/>) of the last event taken in, applied or refused: the next one
    /// applied is the one after it, and an event at or below it is a repeat and ignored.
    /// </summary>
    public long Applied { get; init; }

    /// <summary>What the person agreed to share, with which organisation and for what; withdrawn ones stay, dated.</summary>
    public IReadOnlyList<SharingConsent> Consents { get; init; } = [];

    /// <summary>The case's referrals to other organisations, oldest first.</summary>
    public IReadOnlyList<Referral> Referrals { get; init; } = [];

    /// <summary>
    /// The statutory clocks of a minor's case, in the order they started; null for an adult's case and for a minor's case
    /// opened before the clocks existed (left out of the JSON when null, so the histories of those cases stay as they were).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<StatutoryClock>? Clocks { get; init; }

    /// <summary>
    /// Who led the case when, oldest first: null until a transfer was accepted (and in every state written before transfers
    /// existed, left out of the JSON so those histories replay as they were); then every later change of lead is added.
    /// At most <see cref="MaxLeadPeriods"/>; the oldest fall off. <see cref="LeadPeriods"/> derives one period without it.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<LeadPeriod>? Leads { get; init; }

    /// <summary>The latest transfer of the case (pending, accepted or declined); null when none was ever requested.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public CaseTransfer? Transfer { get; init; }

    /// <summary>The municipality the person belongs to now, when an accepted transfer named one; else that of the intake.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? MunicipalityNow { get; init; }

    /// <summary>The transfer waiting for the receiver's answer, if any.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public CaseTransfer? PendingTransfer => Transfer is { Status: TransferStatus.Pending } pending ? pending : null;

    /// <summary>Lead periods a case keeps (its state is carried across continue-as-new, so they are bounded).</summary>
    public const int MaxLeadPeriods = 20;

    /// <summary>
    /// Who led the case when: <see cref="Leads"/>, or for a case that has none the one period of its current lead, from
    /// contact (or the intake, for a case led from the start).
    /// </summary>
    public IReadOnlyList<LeadPeriod> LeadPeriods() =>
        Leads ?? (Lead is { } lead ? [new LeadPeriod(lead, ContactMadeAt ?? OpenedAt)] : []);

    /// <summary>The clock of a kind, if it started.</summary>
    public StatutoryClock? ClockOf(ReminderKind kind) => Clocks?.FirstOrDefault(c => c.Kind == kind);

    /// <summary>The consent in force for an organisation, if any.</summary>
    public SharingConsent? ConsentFor(string? organisation) =>
        Consents.FirstOrDefault(c => c.Organisation == organisation && c.WithdrawnAt is null);

    /// <summary>Serializes with web defaults (camelCase); enums are kebab-case strings.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>
    /// Loads a state written by <see cref="ToJson"/> by this or an earlier release.
    /// </summary>
    /// <exception cref="JsonException">The text is not a case state.</exception>
    /// <exception cref="NotSupportedException">The state was written by a newer release.</exception>
    public static CaseState FromJson(string json)
    {
        var state = JsonSerializer.Deserialize<CaseState>(json, JsonOptions)
            ?? throw new JsonException("A case state cannot be null.");
        return Upgrade(state);
    }

    /// <summary>
    /// Brings a state of an earlier schema version to the current one; the single place where
    /// versions meet. Version 1 is the first, so there is nothing to convert yet.
    /// </summary>
    /// <exception cref="NotSupportedException">The state was written by a newer release.</exception>
    public static CaseState Upgrade(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.SchemaVersion > CurrentSchemaVersion || state.SchemaVersion < 1)
        {
            throw new NotSupportedException($"Case state schema version {state.SchemaVersion} is not supported.");
        }

        // A hand-written or damaged state may hold null where a collection belongs.
        return state with
        {
            Policy = state.Policy ?? new CasePolicy(),
            SupportGiven = state.SupportGiven ?? ImmutableSortedDictionary<SupportKind, int>.Empty,
            LastFired = state.LastFired ?? ImmutableSortedDictionary<ReminderKind, DateTimeOffset>.Empty,
            Consents = state.Consents ?? [],
            Referrals = state.Referrals ?? [],
        };
    }
}

/// <summary>
/// A deadline the social services' law sets on a minor's case: the kind of its reminder, when it started and is due, and
/// when the decision that ends it was made. Met on time when it ended at or before its due time.
/// </summary>
public sealed record StatutoryClock(ReminderKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt, DateTimeOffset? EndedAt = null, bool Escalated = false)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsRunning => EndedAt is null;

    /// <summary>Ended by its decision at or before its due time.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool MetOnTime => EndedAt is { } ended && ended <= DueAt;

    /// <summary>Ended after its due time, or still running past it (its escalation fired).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Missed => EndedAt is { } ended ? ended > DueAt : Escalated;
}

/// <summary>Who holds a case: the worker's id (an API key's id or an Entra object id), their organisation and since when.</summary>
public sealed record CaseWorker(string Id, string Organisation, DateTimeOffset Since);

/// <summary>A person's consent to share with one organisation: ids, field names and dates only.</summary>
public sealed record SharingConsent(string Organisation, IReadOnlyList<SharedField> Fields, SupportKind? Purpose, DateTimeOffset GivenAt, DateTimeOffset? WithdrawnAt = null);

/// <summary>
/// A referral of the case to another organisation for a kind of support (closed-loop: it is answered, finished or
/// expires). Its id is the id of the referral-sent event; what it shares is sealed in the case vault, not here.
/// </summary>
public sealed record Referral(
    string Id,
    string Organisation,
    string By,
    SupportKind Kind,
    DateTimeOffset SentAt,
    DateTimeOffset DueAt,
    ReferralStatus Status,
    DateTimeOffset? AnsweredAt = null,
    DateTimeOffset? ClosedAt = null,
    DeclineReason? DeclineReason = null,
    bool Reminded = false,
    bool Escalated = false)
{
    /// <summary>Still waiting for the receiving organisation (sent or accepted).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsOpen => Status is ReferralStatus.Sent or ReferralStatus.Accepted;

    /// <summary>The vault field of what the referral shares.</summary>
    public static string VaultField(string referralId) => "referral:" + referralId;
}

/// <summary>An organisation led the case from <paramref name="From"/> until <paramref name="Until"/> (null while it still leads).</summary>
public sealed record LeadPeriod(string Organisation, DateTimeOffset From, DateTimeOffset? Until = null);

/// <summary>
/// A transfer of the case to another lead organisation: its id is the transfer-requested event's; who asked and who is
/// asked, the municipality named, when it is due and how it ended. Ids, codes and dates only; the handover is a sealed note.
/// </summary>
public sealed record CaseTransfer(
    string Id,
    string From,
    string To,
    string? Municipality,
    DateTimeOffset RequestedAt,
    DateTimeOffset DueAt,
    TransferStatus Status = TransferStatus.Pending,
    DateTimeOffset? AnsweredAt = null,
    TransferDeclineReason? DeclineReason = null,
    bool Escalated = false);
