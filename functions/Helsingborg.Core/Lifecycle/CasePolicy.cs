namespace Helsingborg.Lifecycle;

/// <summary>
/// The clock settings of the case lifecycle, bound from configuration section <c>CasePolicy</c>
/// (TimeSpan strings such as <c>2.00:00:00</c>, or <c>00:00:03</c> in tests and demos). A copy is
/// kept in every case's state, so a case runs, and replays, under the policy it was opened with.
/// </summary>
public sealed record CasePolicy
{
    public const string SectionName = "CasePolicy";

    public TimeSpan FirstContactReminderInterval { get; set; } = TimeSpan.FromDays(2);

    /// <summary>The first-contact reminder with this number is escalated, and so is every later one.</summary>
    public int FirstContactEscalateAfterReminders { get; set; } = 3;

    public TimeSpan FirstContactGiveUpAfter { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan ShortTermFollowUpInterval { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan LongTermFollowUpInterval { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan JointPlanDueAfter { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan PlanReviewInterval { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan ReflectionPeriod { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan ReflectionEndWarningBefore { get; set; } = TimeSpan.FromDays(5);

    public TimeSpan PermitEndWarningBefore { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan ReturnApplicationDueAfter { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan IomDecisionChaseInterval { get; set; } = TimeSpan.FromDays(14);

    public TimeSpan ReintegrationFollowUpAfter { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan EvaluationDueAfter { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Steps (events and deadlines) an orchestration execution takes before it continues as new, which keeps
    /// each execution's history short (a step costs about eight history events; see the README). Not in the
    /// spec's table; an operational setting, the same in both hosts.
    /// </summary>
    public int StepsPerExecution { get; set; } = 5;

    /// <summary>
    /// The longest a case's durable timer waits before it wakes the orchestration (a step, under rules
    /// <see cref="CaseRules.CappedTimers"/>): no longer than the worker's <c>MaximumTimerInterval</c> (3 days in the SDK),
    /// so the engine never splits a timer into pieces that all land in one execution's history.
    /// </summary>
    public TimeSpan MaxTimerWait { get; set; } = TimeSpan.FromDays(3);

    public TimeSpan EvaluationGiveUpAfter { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long before a referral's due date the receiving organisation is reminded.</summary>
    public TimeSpan ReferralReminderBefore { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long after its due date an unfinished referral expires.</summary>
    public TimeSpan ReferralExpireAfterDue { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// A minor's case: the social services assess at once whether the child needs immediate protection (skyddsbedömning,
    /// socialtjänstlagen 11 kap. 1 a §: "omedelbart"); the <c>protection-assessment</c> reminder is due this long after the report.
    /// </summary>
    [OmittedWhenDefault]
    public TimeSpan ProtectionAssessmentDueAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>A minor's case: the decision whether to open an investigation (förhandsbedömning, 11 kap. 1 a §: within 14 days of the report).</summary>
    [OmittedWhenDefault]
    public TimeSpan InitialAssessmentDueAfter { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// A minor's case: the investigation is finished within four months of its opening (11 kap. 2 §). 120 days: the shortest
    /// four calendar months, so the reminder never falls after the law's deadline.
    /// </summary>
    [OmittedWhenDefault]
    public TimeSpan InvestigationDueAfter { get; set; } = TimeSpan.FromDays(120);

    /// <summary>
    /// How long the receiving organisation has to answer a transfer (transfer-requested) before its <c>transfer-due</c>
    /// reminder is escalated to both sides. A whole number of days counts working days, Monday to Friday on a Swedish clock
    /// (public holidays are not left out); a span under a day is plain time, so tests and demos can shrink it
    /// (<see cref="WorkingDays"/>).
    /// </summary>
    [OmittedWhenDefault]
    public TimeSpan TransferDueAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Leads a minor's case and a case whose person accepts contact with the authorities: the city profile's
    /// <c>City:Leads:Default</c>, copied in when the case opens (so a case keeps the rule it was opened with).
    /// </summary>
    public string? DefaultLead { get; set; }

    /// <summary>Leads the case of a person who declines contact with the authorities: <c>City:Leads:WithoutAuthorities</c>, copied in at intake.</summary>
    public string? LeadWithoutAuthorities { get; set; }

    /// <summary>
    /// The lead organisations that process under a public task (<see cref="LegalBasis.PublicTask"/>), comma-separated:
    /// the city profile's organisations whose <c>LegalBasis</c> is <c>public-task</c>, copied in at intake (empty when none
    /// is). Every other lead, and a case without a lead, processes on the person's consent. One string, so the policy stays
    /// a value; null in a policy copied before the bases were known, whose cases keep the consent rules.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? PublicTaskLeads { get; set; }

    /// <summary>The legal basis of a lead under this policy: public task when it is named in <see cref="PublicTaskLeads"/>.</summary>
    public LegalBasis BasisOf(string? lead) =>
        lead is { Length: > 0 } && PublicTaskLeads is { Length: > 0 } named && named.Split(',', StringSplitOptions.TrimEntries).Contains(lead, StringComparer.Ordinal)
            ? LegalBasis.PublicTask
            : LegalBasis.Consent;

    /// <summary>
    /// The names of the settings that are out of range: intervals and give-ups must be positive,
    /// warnings not negative, the escalation number at least 1. Meant for validation at start-up;
    /// the decider itself treats a non-positive interval as one second rather than looping.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var invalid = new List<string>();
        Positive(FirstContactReminderInterval, nameof(FirstContactReminderInterval));
        Positive(FirstContactGiveUpAfter, nameof(FirstContactGiveUpAfter));
        Positive(ShortTermFollowUpInterval, nameof(ShortTermFollowUpInterval));
        Positive(LongTermFollowUpInterval, nameof(LongTermFollowUpInterval));
        Positive(JointPlanDueAfter, nameof(JointPlanDueAfter));
        Positive(PlanReviewInterval, nameof(PlanReviewInterval));
        Positive(ReflectionPeriod, nameof(ReflectionPeriod));
        NotNegative(ReflectionEndWarningBefore, nameof(ReflectionEndWarningBefore));
        NotNegative(PermitEndWarningBefore, nameof(PermitEndWarningBefore));
        Positive(ReturnApplicationDueAfter, nameof(ReturnApplicationDueAfter));
        Positive(IomDecisionChaseInterval, nameof(IomDecisionChaseInterval));
        Positive(ReintegrationFollowUpAfter, nameof(ReintegrationFollowUpAfter));
        Positive(EvaluationDueAfter, nameof(EvaluationDueAfter));
        Positive(EvaluationGiveUpAfter, nameof(EvaluationGiveUpAfter));
        NotNegative(ReferralReminderBefore, nameof(ReferralReminderBefore));
        Positive(ReferralExpireAfterDue, nameof(ReferralExpireAfterDue));
        Positive(MaxTimerWait, nameof(MaxTimerWait));
        Positive(ProtectionAssessmentDueAfter, nameof(ProtectionAssessmentDueAfter));
        Positive(InitialAssessmentDueAfter, nameof(InitialAssessmentDueAfter));
        Positive(InvestigationDueAfter, nameof(InvestigationDueAfter));
        Positive(TransferDueAfter, nameof(TransferDueAfter));
        if (FirstContactEscalateAfterReminders < 1)
        {
            invalid.Add(nameof(FirstContactEscalateAfterReminders));
        }

        if (StepsPerExecution < 1)
        {
            invalid.Add(nameof(StepsPerExecution));
        }

        return invalid;

        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                invalid.Add(name);
            }
        }

        void NotNegative(TimeSpan value, string name)
        {
            if (value < TimeSpan.Zero)
            {
                invalid.Add(name);
            }
        }
    }
}
