namespace Helsingborg.Lifecycle;

/// <summary>
/// What an intake contributes to the lifecycle: only anonymous facts. The incident and the person
/// are stored encrypted elsewhere and never enter the orchestration.
/// </summary>
public sealed record IntakeFacts(
    string CaseId,
    string Municipality,
    string ReportedBy,
    DateTimeOffset ReceivedAt,
    bool PoliceNotified,
    bool Minor);

/// <summary>
/// One thing a coordinator recorded on a case, as it travels to the orchestration (an external
/// event). It carries no personal data: a note is stored encrypted elsewhere and only
/// <see cref="HasNote"/> travels. Which payload properties an event type needs is in lifecycle.md;
/// <see cref="CaseEventParser"/> enforces it for the HTTP layer and <see cref="CaseDecider.Check"/>
/// again for the orchestration.
/// </summary>
public sealed record CaseEvent
{
    /// <summary>Unique per event; an event delivered twice is applied once.</summary>
    public required string EventId { get; init; }

    public required CaseEventType Type { get; init; }

    /// <summary>When it happened. Clocks started by the event start here.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The organisation (partner id) of the caller.</summary>
    public required string By { get; init; }

    public bool HasNote { get; init; }

    public ContactChannel? Channel { get; init; }

    public YesNo? WantsSupport { get; init; }

    public YesNoUnknown? WantsAuthorityContact { get; init; }

    public bool? InterpreterNeeded { get; init; }

    /// <summary>The new lead organisation (an organisation of the city profile with the role lead).</summary>
    public string? Lead { get; init; }

    public SupportKind? Kind { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public DateTimeOffset? Until { get; init; }

    public bool? BestInterestAssessed { get; init; }

    public bool? Approved { get; init; }

    public DateTimeOffset? Date { get; init; }

    public ReintegrationOutcome? ReintegrationOutcome { get; init; }

    public CloseReason? Reason { get; init; }

    public EvaluationOutcome? Outcome { get; init; }

    /// <summary>The other organisation of a sharing consent or a referral (an organisation id of the city profile).</summary>
    public string? Organisation { get; init; }

    /// <summary>What a sharing consent covers.</summary>
    public IReadOnlyList<SharedField>? Fields { get; init; }

    /// <summary>What the sharing is for.</summary>
    public SupportKind? Purpose { get; init; }

    /// <summary>When a referral should be finished.</summary>
    public DateTimeOffset? Due { get; init; }

    /// <summary>The referral a receiving organisation answers (its id is the id of its referral-sent event).</summary>
    public string? ReferralId { get; init; }

    public DeclineReason? DeclineReason { get; init; }
}
