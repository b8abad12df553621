using System.Collections.Immutable;
using System.Text.Json;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The decisions of the case lifecycle as a pure function of (state, event or deadline, time):
/// which phase follows, which events are allowed, which deadline is next and which reminders fall
/// due. No I/O and no clock of its own, so the orchestrator stays deterministic and the rules are
/// tested exhaustively without Durable Functions.
/// </summary>
/// <remarks>
/// Choices where lifecycle.md is silent:
/// <list type="bullet">
/// <item>A minor's case has lead social services from intake on (not only from contact), because
/// that lead is fixed anyway; reminders for a minor therefore go to social services.</item>
/// <item><c>contact-made</c> always sets the lead by its own rule, also over a lead changed before contact.</item>
/// <item>Every first-contact reminder from the <see cref="CasePolicy.FirstContactEscalateAfterReminders"/>-th
/// on is escalated. An occurrence at or after the give-up time is not produced: the case closes instead.</item>
/// <item>Clocks started or restarted by an event start at the event's <c>at</c>; the follow-up clock
/// never moves backwards (an event recorded late does not undo a later follow-up).</item>
/// <item>A recurring reminder (first-contact, follow-up, plan-review, iom-decision-pending) whose
/// occurrences were missed, for example while the app was down, produces one reminder for the
/// latest missed occurrence, and the next occurrence is the first one after <c>now</c>.</item>
/// <item>Going back from return assistance to support (rejected or withdrawn) restarts the
/// follow-up clock at that event, and clears the return's clocks.</item>
/// <item>Closing from return assistance clears the step. <c>consent-withdrawn</c> on a closed case
/// keeps its close reason and only marks it erased. Every closure, whatever the reason, starts the
/// evaluation clocks.</item>
/// <item><c>consent-withdrawn</c> erases only when the lead processes on consent (<see cref="CaseState.Basis"/>); under a
/// public task it closes the support and every sharing and keeps the record (data-protection.md, rule 3).</item>
/// <item>A refused event leaves the state untouched. Repeated deliveries never reach the decider: the
/// orchestration applies events in their inbox order and ignores a number it has passed.</item>
/// <item>A non-positive interval in the policy counts as one second, so a bad setting cannot make
/// the decider loop; <see cref="CasePolicy.Validate"/> reports it at start-up.</item>
/// </list>
/// </remarks>
public static class CaseDecider
{
    /// <summary>How far in the future an event's <c>at</c> may be, for clocks that differ a little.</summary>
    public static readonly TimeSpan AllowedClockSkew = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan DepartureReminderBefore = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);
    private static readonly CaseEventType[] EventTypes = Enum.GetValues<CaseEventType>();

    /// <summary>
    /// Opens a case in first-contact at the intake's <see cref="IntakeFacts.ReceivedAt"/>. The
    /// reminders of the intake rules: <c>call-police</c> at once when the police were not notified, and for a minor the
    /// statutory clocks of the social services with their reminders, due when the clock is: <c>protection-assessment</c>
    /// and <c>initial-assessment</c>.
    /// </summary>
    public static Decision Open(IntakeFacts facts, CasePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(policy);
        if (string.IsNullOrWhiteSpace(facts.CaseId))
        {
            throw new ArgumentException("A case id is required.", nameof(facts));
        }

        var openedAt = facts.ReceivedAt.ToUniversalTime();
        // A minor's case is the default lead's; a person who declines the authorities is honoured from the first minute.
        string? lead = facts.Minor ? policy.DefaultLead : facts.DeclinesAuthorities ? policy.LeadWithoutAuthorities : null;
        var reminders = new List<ReminderDue>();
        var lastFired = ImmutableSortedDictionary<ReminderKind, DateTimeOffset>.Empty;
        if (!facts.PoliceNotified)
        {
            reminders.Add(new ReminderDue(ReminderKind.CallPolice, openedAt, Escalated: false, lead));
            lastFired = lastFired.SetItem(ReminderKind.CallPolice, openedAt);
        }

        StatutoryClock[]? clocks = null;
        if (facts.Minor)
        {
            // The clocks replace the escalated child-protection reminder: a reminder due at once and escalated at once
            // said nothing of when each decision is due, nor whether it was made in time.
            clocks =
            [
                new StatutoryClock(ReminderKind.ProtectionAssessment, openedAt, Add(openedAt, Positive(policy.ProtectionAssessmentDueAfter))),
                new StatutoryClock(ReminderKind.InitialAssessment, openedAt, Add(openedAt, Positive(policy.InitialAssessmentDueAfter))),
            ];
            reminders.AddRange(clocks.Select(c => new ReminderDue(c.Kind, c.DueAt, Escalated: false, lead)));
        }

        var state = new CaseState
        {
            CaseId = facts.CaseId,
            Reference = facts.Reference,
            Municipality = facts.Municipality,
            ReportedBy = facts.ReportedBy,
            OpenedAt = openedAt,
            Minor = facts.Minor,
            PoliceNotified = facts.PoliceNotified,
            Policy = policy with { },
            Phase = Phase.FirstContact,
            Lead = lead,
            LastFired = lastFired,
            // Only a policy that knows the leads' bases keeps the last entry (CaseState.LastEntryAt).
            LastEntryAt = policy.PublicTaskLeads is null ? null : openedAt,
            Clocks = clocks,
        };
        return new Decision(state, reminders, Refused: null, EraseNow: false);
    }

    /// <summary>
    /// Applies one event, or refuses it with the state unchanged. An event whose id was applied
    /// before is ignored: the state is returned as it is, without reminders and not refused.
    /// Applying never fires deadlines; clocks start at the event's <c>at</c>, and <paramref name="now"/>
    /// only refuses an event from the future. Deadlines that an event puts in the past are reported
    /// by <see cref="NextDeadline"/> and fire at the next <see cref="OnDeadline"/>.
    /// </summary>
    public static Decision Apply(CaseState state, CaseEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        var refusal = Check(state, e);
        if (refusal is null && e.At > now + AllowedClockSkew)
        {
            refusal = Refuse(state, "The event time is in the future.");
        }

        if (refusal is not null)
        {
            return new Decision(state, [], refusal, EraseNow: false);
        }

        var at = e.At.ToUniversalTime();
        var next = Transition(state, e, at);
        if (state.LastEntryAt is { } last)
        {
            next = next with { LastEntryAt = Later(last, at) };
        }

        return new Decision(next, Started(state, next), Refused: null, EraseNow: e is ConsentWithdrawn && next.Erased, Ended(state, next, e));
    }

    /// <summary>
    /// Processes every deadline due at or before <paramref name="now"/>, earliest first: produces
    /// their reminders, closes a case without contact, completes a case without evaluation, and
    /// moves recurring reminders to their next occurrence. Calling it again with the same state and
    /// time gives the same decision; calling it with the resulting state gives no reminder twice.
    /// </summary>
    public static Decision OnDeadline(CaseState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var reminders = new List<ReminderDue>();

        // Each step either moves a deadline past now, marks a one-shot deadline fired, or changes
        // the phase, so a handful of steps always suffice; the bound only guards against a bug.
        for (var step = 0; step < 100; step++)
        {
            var due = PendingDeadlines(state)
                .Where(d => d.DueAt <= now)
                .OrderBy(d => d.DueAt)
                .ThenBy(d => d.Kind)
                .ThenBy(d => d.Subject, StringComparer.Ordinal)
                .FirstOrDefault();
            if (due is null)
            {
                return new Decision(state, reminders, Refused: null, EraseNow: false);
            }

            state = Fire(state, due, now, reminders);
        }

        throw new InvalidOperationException("The deadlines of a case did not settle.");
    }

    /// <summary>
    /// The earliest pending deadline, which may be in the past (then the timer fires at once). Null
    /// when nothing is pending: always once completed, and also in an open return step whose single
    /// reminder has fired (preparing, departure-scheduled, departed) while no permit warning is
    /// pending; the case then waits for events only.
    /// </summary>
    public static DateTimeOffset? NextDeadline(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var pending = PendingDeadlines(state);
        return pending.Count == 0 ? null : pending.Min(d => d.DueAt);
    }

    /// <summary>
    /// Every deadline the case is waiting for in its current phase and step, in no particular order.
    /// Exactly one durable timer is needed: for the earliest of them (<see cref="NextDeadline"/>).
    /// </summary>
    public static IReadOnlyList<PendingDeadline> PendingDeadlines(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var p = state.Policy;
        var pending = new List<PendingDeadline>();

        switch (state.Phase)
        {
            case Phase.FirstContact:
                {
                    var giveUp = Add(state.OpenedAt, Positive(p.FirstContactGiveUpAfter));
                    var next = Add(state.OpenedAt, Times(Positive(p.FirstContactReminderInterval), state.FirstContactReminders + 1L));
                    if (next < giveUp)
                    {
                        pending.Add(new PendingDeadline(DeadlineKind.FirstContact, next));
                    }

                    pending.Add(new PendingDeadline(DeadlineKind.CloseWithoutContact, giveUp));
                    break;
                }

            case Phase.ShortTermSupport or Phase.LongTermSupport:
                pending.Add(new PendingDeadline(DeadlineKind.FollowUp, Add(FollowUpAnchor(state), FollowUpInterval(state))));
                if (!state.PlanAgreed && state.ContactMadeAt is { } contactMadeAt)
                {
                    OneShot(DeadlineKind.JointPlanDue, Add(contactMadeAt, Positive(p.JointPlanDueAfter)));
                }

                if (state.NextPlanReviewAt is { } review)
                {
                    pending.Add(new PendingDeadline(DeadlineKind.PlanReview, review));
                }

                if (state.ReflectionPeriodEnds is { } reflectionEnds)
                {
                    OneShot(DeadlineKind.ReflectionPeriodEnding, Add(reflectionEnds, -NotNegative(p.ReflectionEndWarningBefore)));
                }

                PermitEnding();
                break;

            case Phase.ReturnAssistance:
                PermitEnding();
                switch (state.Step)
                {
                    case ReturnStep.Preparing when state.ReturnRequestedAt is { } requestedAt:
                        OneShot(DeadlineKind.ReturnApplicationDue, Add(requestedAt, Positive(p.ReturnApplicationDueAfter)));
                        break;
                    case ReturnStep.AwaitingDecision when state.NextIomChaseAt is { } chase:
                        pending.Add(new PendingDeadline(DeadlineKind.IomDecisionPending, chase));
                        break;
                    case ReturnStep.DepartureScheduled when state.DepartureDate is { } departure:
                        OneShot(DeadlineKind.DepartureTomorrow, Add(departure, -DepartureReminderBefore));
                        break;
                    case ReturnStep.Departed when state.DepartedAt is { } departedAt:
                        OneShot(DeadlineKind.ReintegrationFollowUp, Add(departedAt, Positive(p.ReintegrationFollowUpAfter)));
                        break;
                }

                break;

            case Phase.Closed:
                {
                    var closedAt = state.ClosedAt ?? state.OpenedAt;
                    var giveUp = Add(closedAt, Positive(p.EvaluationGiveUpAfter));
                    var evaluationDue = Add(closedAt, Positive(p.EvaluationDueAfter));
                    if (evaluationDue < giveUp)
                    {
                        OneShot(DeadlineKind.EvaluationDue, evaluationDue);
                    }

                    pending.Add(new PendingDeadline(DeadlineKind.CompleteWithoutEvaluation, giveUp));
                    break;
                }
        }

        if (state.Phase is not (Phase.Closed or Phase.Completed))
        {
            foreach (Referral referral in state.Referrals.Where(r => r.IsOpen))
            {
                if (!referral.Reminded)
                {
                    pending.Add(new PendingDeadline(DeadlineKind.ReferralDueSoon, Add(referral.DueAt, -NotNegative(p.ReferralReminderBefore)), referral.Id));
                }

                if (!referral.Escalated)
                {
                    pending.Add(new PendingDeadline(DeadlineKind.ReferralOverdue, referral.DueAt, referral.Id));
                }

                pending.Add(new PendingDeadline(DeadlineKind.ReferralExpired, Add(referral.DueAt, Positive(p.ReferralExpireAfterDue)), referral.Id));
            }
        }

        if (state.PendingTransfer is { Escalated: false } transfer)
        {
            pending.Add(new PendingDeadline(DeadlineKind.TransferDue, transfer.DueAt, transfer.Id));
        }

        if (state.Phase != Phase.Completed)
        {
            foreach (StatutoryClock clock in (state.Clocks ?? []).Where(c => c.IsRunning && !c.Escalated))
            {
                pending.Add(new PendingDeadline(DeadlineKind.StatutoryClockDue, clock.DueAt, KebabCase.Name(clock.Kind)));
            }
        }

        return pending;

        void OneShot(DeadlineKind kind, DateTimeOffset dueAt)
        {
            if (!HasFired(state, ReminderFor(kind), dueAt))
            {
                pending.Add(new PendingDeadline(kind, dueAt));
            }
        }

        void PermitEnding()
        {
            if (state.ResidencePermitEnds is { } permitEnds)
            {
                OneShot(DeadlineKind.PermitEnding, Add(permitEnds, -NotNegative(p.PermitEndWarningBefore)));
            }
        }
    }

    /// <summary>The event types allowed in the case's current phase and step, in enum order; the statutory decisions only on a minor's case.</summary>
    public static IReadOnlyList<CaseEventType> Allowed(CaseState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Array.FindAll(EventTypes, type => IsAllowed(state.Phase, state.Step, type) && (state.Minor || !CaseEvents.IsStatutoryDecision(CaseEvents.RecordOf(type))));
    }

    /// <summary>
    /// Whether an event may be applied to the case now: null when it may, else the refusal (409).
    /// Besides the phase table it refuses what the case's state makes impossible: a lead change for a minor, a minor's
    /// return without a best-interest assessment, sharing with an organisation no consent covers, an answer to a
    /// referral that is not waiting for it; and what the record's own rules refuse (<see cref="CaseEventParser.Problems"/>:
    /// a reflection period that ends before it starts, a close reason or evaluation outcome only the lifecycle sets).
    /// What the types guarantee (required payload, its values) is not checked again. It does not look at the event id or the time.
    /// </summary>
    public static Refusal? Check(CaseState state, CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(e);
        if (!IsAllowed(state.Phase, state.Step, e.Type))
        {
            var where = state.Step is { } step ? $"{Kebab(state.Phase)} ({Kebab(step)})" : Kebab(state.Phase);
            return Refuse(state, $"{Kebab(e.Type)} is not allowed in {where}.");
        }

        var reason = e switch
        {
            LeadChanged when state.Minor => "The lead of a minor's case is the city's default lead and cannot be changed.",
            LeadChanged when state.PendingTransfer is { } pending => $"A transfer to {pending.To} is pending: it answers first.",
            TransferRequested requested => CheckTransfer(state, requested),
            TransferAccepted or TransferDeclined when state.PendingTransfer is not { } pending => "No transfer is pending.",
            TransferAccepted or TransferDeclined when e.By != state.PendingTransfer!.To => $"Only {state.PendingTransfer.To}, asked to take the case over, can answer the transfer.",
            ReturnRequested { BestInterestAssessed: not true } when state.Minor => "A return for a minor needs bestInterestAssessed: true.",
            SharingConsentWithdrawn withdrawn when state.ConsentFor(withdrawn.Organisation) is null => $"No consent to share with {withdrawn.Organisation} is in force.",
            ReferralSent sent when state.ConsentFor(sent.Organisation) is null =>
                $"No consent covers sharing with {sent.Organisation}: record sharing-consent-given for it first.",
            ReferralSent sent when sent.Due <= sent.At => "The due date must be after the referral is sent.",
            ReferralSent when state.Referrals.Count >= MaxReferrals => $"A case holds at most {MaxReferrals} referrals.",
            ReferralAnswer answer => CheckAnswer(state, answer),
            StatutoryDecision decision => CheckDecision(state, decision),
            WorkerAssigned assigned => CheckAssignment(state, assigned),
            WorkerReleased when state.Worker is null => "No one holds the case.",
            WorkerReleased released when state.Worker!.Organisation != released.By => "Only the worker's organisation can release the case.",
            OtherCaseEvent { OtherCaseId: null or "" } => "reference: No such case.",
            OtherCaseEvent other when other.OtherCaseId == state.CaseId => "reference: Must be another case than this one.",
            MergedInto when state.Clocks?.Any(c => c.IsRunning) == true =>
                "A minor's case whose statutory clocks run cannot be merged: record the social services' decisions first, or link the cases instead.",
            _ => null,
        };
        reason ??= CaseEventParser.Problems(e).Select(p => $"{p.Key}: {string.Join(" ", p.Value)}").FirstOrDefault();
        return reason is null ? null : Refuse(state, reason);
    }

    /// <summary>
    /// Only the leading organisation asks, one transfer at a time, to another lead organisation. Who may lead is kept: a case
    /// led without the authorities moves only to an organisation that does not process as a public task (the person declined
    /// the authorities), and a minor's case only to one that does (the social services' responsibility for the child).
    /// </summary>
    private static string? CheckTransfer(CaseState state, TransferRequested e) => e switch
    {
        _ when state.Lead is not { } lead => "The case has no lead yet: contact decides who leads it.",
        _ when e.By != state.Lead => $"Only the leading organisation ({state.Lead}) can transfer the case.",
        _ when state.PendingTransfer is { } pending => $"A transfer to {pending.To} is already pending.",
        { ToOrganisation: null or "" } => "toOrganisation: Required.",
        _ when e.ToOrganisation == state.Lead => $"The case is already led by {state.Lead}.",
        _ when state.Lead == state.Policy.LeadWithoutAuthorities && state.Policy.BasisOf(e.ToOrganisation) == LegalBasis.PublicTask =>
            $"The person declined contact with the authorities: the case can move only to an organisation that does not process as a public task, and {e.ToOrganisation} does.",
        _ when state.Minor && state.Policy.BasisOf(e.ToOrganisation) != LegalBasis.PublicTask =>
            $"A minor's case stays with the social services: {e.ToOrganisation} does not process as a public task.",
        _ => null,
    };

    /// <summary>Referrals a case may hold (its state carries them across continue-as-new, so they are bounded).</summary>
    public const int MaxReferrals = 50;

    /// <summary>
    /// A statutory decision belongs to a minor's case, is dated after the report, and ends a clock that is running. An
    /// investigation may still be opened after no-investigation (new information about the child), once.
    /// </summary>
    private static string? CheckDecision(CaseState state, StatutoryDecision e)
    {
        StatutoryClock? investigation = state.ClockOf(ReminderKind.Investigation);
        bool decided = state.ClockOf(ReminderKind.InitialAssessment) is { IsRunning: false } || investigation is not null;
        return e switch
        {
            _ when !state.Minor => "Only a minor's case has the statutory clocks of the social services.",
            _ when e.Date < state.OpenedAt => "The decision date is before the report.",
            ProtectionAssessed when state.ClockOf(ReminderKind.ProtectionAssessment) is { IsRunning: false } => "The protection assessment is already recorded.",
            InvestigationOpened when investigation is not null => "An investigation was already opened.",
            NoInvestigation when decided => "Whether to open an investigation is already decided.",
            InvestigationClosed when investigation is not { IsRunning: true } => "No investigation is open.",
            InvestigationClosed when e.Date < investigation!.StartedAt => "The decision date is before the investigation was opened.",
            _ => null,
        };
    }

    /// <summary>
    /// A case is held by a coordinator of the organisation that leads it (of any organisation while no one leads it yet); that
    /// the worker is a coordinator of the caller's organisation is checked where people are known, by the events endpoint.
    /// </summary>
    private static string? CheckAssignment(CaseState state, WorkerAssigned e) => e switch
    {
        { Worker: null or "" } => "worker: Required.",
        _ when state.Lead is { } lead && lead != e.By => $"The case is led by {lead}: only its coordinators can hold it.",
        _ when state.Worker is { } worker && worker.Id == e.Worker && worker.Organisation == e.By => "The case is already held by this worker.",
        _ => null,
    };

    /// <summary>A receiving organisation answers only its own referral, and only in order: sent → accepted or declined → completed.</summary>
    private static string? CheckAnswer(CaseState state, ReferralAnswer e)
    {
        Referral? referral = state.Referrals.FirstOrDefault(r => r.Id == e.ReferralId && r.Organisation == e.By);
        return (e, referral?.Status) switch
        {
            (_, null) => "No such referral to this organisation.",
            (ReferralAccepted or ReferralDeclined, ReferralStatus.Sent) => null,
            (ReferralCompleted, ReferralStatus.Accepted) => null,
            (ReferralCompleted, ReferralStatus.Sent) => "Accept the referral before completing it.",
            (_, { } status) => $"The referral is {Kebab(status)}.",
        };
    }

    internal static bool IsAllowed(Phase phase, ReturnStep? step, CaseEventType type)
    {
        var open = phase is Phase.FirstContact or Phase.ShortTermSupport or Phase.LongTermSupport or Phase.ReturnAssistance;
        var support = phase is Phase.ShortTermSupport or Phase.LongTermSupport;
        var inReturn = phase == Phase.ReturnAssistance;
        return type switch
        {
            CaseEventType.ContactAttempted or CaseEventType.ContactMade => phase == Phase.FirstContact,
            CaseEventType.LeadChanged or CaseEventType.CaseClosed => open,
            CaseEventType.SupportConversation or CaseEventType.SupportGiven or CaseEventType.ResidencePermitGranted => support || inReturn,
            CaseEventType.PlanAgreed or CaseEventType.ReflectionPeriodGranted or CaseEventType.ReturnRequested => support,
            CaseEventType.LongTermStarted => phase == Phase.ShortTermSupport,
            CaseEventType.IomApplicationSubmitted => inReturn && step == ReturnStep.Preparing,
            CaseEventType.IomDecision => inReturn && step == ReturnStep.AwaitingDecision,
            CaseEventType.DepartureScheduled => inReturn && step == ReturnStep.Approved,
            CaseEventType.Departed => inReturn && step is ReturnStep.Approved or ReturnStep.DepartureScheduled,
            CaseEventType.ReintegrationFollowedUp => inReturn && step == ReturnStep.Departed,
            CaseEventType.ReturnWithdrawn => inReturn && step != ReturnStep.Departed,
            CaseEventType.ConsentWithdrawn => phase != Phase.Completed,
            CaseEventType.EvaluationRecorded => phase == Phase.Closed,
            CaseEventType.SharingConsentGiven or CaseEventType.SharingConsentWithdrawn => open,
            CaseEventType.ReferralSent => support || inReturn,
            CaseEventType.ReferralAccepted or CaseEventType.ReferralDeclined or CaseEventType.ReferralCompleted => open,

            // What the police were told and the social services' decisions go on whatever the support does, until the record completes.
            // A case is held, and handed over, until its record completes (the evaluation of a closed case is work too).
            CaseEventType.WorkerAssigned or CaseEventType.WorkerReleased => phase != Phase.Completed,

            // Reports of one person are linked and unlinked whatever their phase, until the record completes; only an open case is merged.
            CaseEventType.SamePersonAs or CaseEventType.SamePersonUnlinked => phase != Phase.Completed,
            CaseEventType.MergedInto => open,
            // A case moves after the acute phase, while the support goes on; the receiver answers while the case is open.
            CaseEventType.TransferRequested => support || inReturn,
            CaseEventType.TransferAccepted or CaseEventType.TransferDeclined => open,

            CaseEventType.PoliceInformed or CaseEventType.ProtectionAssessed or CaseEventType.InvestigationOpened
                or CaseEventType.NoInvestigation or CaseEventType.InvestigationClosed => phase != Phase.Completed,
            _ => false,
        };
    }

    private static CaseState Transition(CaseState s, CaseEvent e, DateTimeOffset at)
    {
        var next = Change(s, e, at);

        // The worker is a coordinator of the leading organisation: a case led elsewhere from now on has none.
        return next.Worker is { } worker && next.Lead is { } lead && lead != worker.Organisation ? next with { Worker = null } : next;
    }

    private static CaseState Change(CaseState s, CaseEvent e, DateTimeOffset at)
    {
        var p = s.Policy;
        return e switch
        {
            ContactAttempted => s with { ContactAttempts = s.ContactAttempts + 1 },
            ContactMade made => MakeContact(s, made, at),
            LeadChanged changed => s with { Lead = changed.Lead, Leads = s.Leads is null ? null : NewLead(s.Leads, changed.Lead, at) },
            SupportConversation => s with
            {
                SupportConversations = s.SupportConversations + 1,
                FollowUpAnchor = Later(s.FollowUpAnchor, at),
            },
            SupportGiven given => s with
            {
                SupportGiven = Increment(s.SupportGiven, given.Kind),
                FollowUpAnchor = Later(s.FollowUpAnchor, at),
            },
            PlanAgreed => s with { PlanAgreed = true, NextPlanReviewAt = Add(at, Positive(p.PlanReviewInterval)) },
            ReflectionPeriodGranted granted => s with
            {
                ReflectionPeriodEnds = granted.To?.ToUniversalTime() ?? Add(granted.From?.ToUniversalTime() ?? at, Positive(p.ReflectionPeriod)),
            },
            ResidencePermitGranted permit => s with { ResidencePermitEnds = permit.Until.ToUniversalTime() },
            LongTermStarted => s with { Phase = Phase.LongTermSupport },
            ReturnRequested => s with
            {
                Phase = Phase.ReturnAssistance,
                Step = ReturnStep.Preparing,
                ReturnFrom = s.Phase,
                ReturnRequestedAt = at,
            },
            IomApplicationSubmitted => s with
            {
                Step = ReturnStep.AwaitingDecision,
                NextIomChaseAt = Add(at, Positive(p.IomDecisionChaseInterval)),
            },
            IomDecision { Approved: true } => s with { Step = ReturnStep.Approved, NextIomChaseAt = null },
            IomDecision or ReturnWithdrawn => BackToSupport(s, at),
            DepartureScheduled scheduled => s with { Step = ReturnStep.DepartureScheduled, DepartureDate = scheduled.Date.ToUniversalTime() },
            Departed departed => s with { Step = ReturnStep.Departed, DepartedAt = departed.Date?.ToUniversalTime() ?? at },
            ReintegrationFollowedUp followedUp => Close(s with { ReintegrationOutcome = followedUp.Outcome }, CloseReason.Returned, at),
            CaseClosed closed => Close(s, closed.Reason, at),
            ConsentWithdrawn when s.Basis == LegalBasis.PublicTask => KeepRecord(s, at),
            ConsentWithdrawn when s.Phase == Phase.Closed => s with { Erased = true },
            ConsentWithdrawn => Close(s with { Erased = true }, CloseReason.ConsentWithdrawn, at),
            EvaluationRecorded evaluated => s with { Phase = Phase.Completed, EvaluationOutcome = evaluated.Outcome, CompletedAt = at },
            SharingConsentGiven consent => s with
            {
                Consents = [.. s.Consents.Where(c => c.Organisation != consent.Organisation || c.WithdrawnAt is not null), new SharingConsent(consent.Organisation, [.. consent.Fields.Distinct().Order()], consent.Purpose, at)],
            },
            SharingConsentWithdrawn withdrawn => s with
            {
                Consents = [.. s.Consents.Select(c => c.Organisation == withdrawn.Organisation && c.WithdrawnAt is null ? c with { WithdrawnAt = at } : c)],
                Referrals = Cancel(s.Referrals, at, r => r.Organisation == withdrawn.Organisation),
            },
            ReferralSent sent => s with
            {
                Referrals = [.. s.Referrals, new Referral(sent.EventId, sent.Organisation, sent.By, sent.Kind, at, sent.Due.ToUniversalTime(), ReferralStatus.Sent)],
            },
            ReferralAccepted accepted => ChangeReferral(s, accepted.ReferralId, r => r with { Status = ReferralStatus.Accepted, AnsweredAt = at }),
            ReferralDeclined declined => ChangeReferral(s, declined.ReferralId, r => r with { Status = ReferralStatus.Declined, AnsweredAt = at, ClosedAt = at, DeclineReason = declined.Reason }),
            ReferralCompleted completed => ChangeReferral(s, completed.ReferralId, r => r with { Status = ReferralStatus.Completed, ClosedAt = at }) with
            {
                // Completing a referral is support given of its kind (counted in the statistics like any other).
                SupportGiven = Increment(s.SupportGiven, s.Referrals.First(r => r.Id == completed.ReferralId).Kind),
                FollowUpAnchor = Later(s.FollowUpAnchor, at),
            },
            PoliceInformed => s with { PoliceNotified = true },
            ProtectionAssessed decided => EndClocks(s, decided.Date, ReminderKind.ProtectionAssessment),
            InvestigationOpened opened => OpenInvestigation(s, opened.Date.ToUniversalTime()),
            NoInvestigation decided => EndClocks(s, decided.Date, ReminderKind.ProtectionAssessment, ReminderKind.InitialAssessment),
            InvestigationClosed closed => EndClocks(s, closed.Date, ReminderKind.Investigation),
            WorkerAssigned assigned => s with { Worker = new CaseWorker(assigned.Worker!, assigned.By, at) },
            WorkerReleased => s with { Worker = null },
            SamePersonAs or SamePersonUnlinked => s,
            MergedInto merged => Close(s, CloseReason.Merged, at) with { Phase = Phase.Completed, CompletedAt = at, MergedInto = merged.OtherCaseId },
            TransferRequested requested => s with
            {
                Transfer = new CaseTransfer(requested.EventId, s.Lead!, requested.ToOrganisation!, requested.Municipality, at, WorkingDays.Add(at, Positive(p.TransferDueAfter))),
            },
            TransferAccepted => s with
            {
                Lead = s.Transfer!.To,
                Leads = NewLead(s.LeadPeriods(), s.Transfer.To, at),
                MunicipalityNow = s.Transfer.Municipality ?? s.MunicipalityNow,
                Transfer = s.Transfer with { Status = TransferStatus.Accepted, AnsweredAt = at },
            },
            TransferDeclined declined => s with { Transfer = s.Transfer! with { Status = TransferStatus.Declined, AnsweredAt = at, DeclineReason = declined.Reason } },
            _ => throw new ArgumentOutOfRangeException(nameof(e), "Unknown event type."),
        };
    }

    /// <summary>The lead periods with the current one ended at <paramref name="at"/> and <paramref name="lead"/>'s begun; the oldest fall off past the bound.</summary>
    private static LeadPeriod[] NewLead(IReadOnlyList<LeadPeriod> periods, string lead, DateTimeOffset at) =>
        [.. periods.Select(p => p.Until is null ? p with { Until = at } : p).Append(new LeadPeriod(lead, at)).TakeLast(CaseState.MaxLeadPeriods)];

    /// <summary>
    /// Ends the running clocks of these kinds at the decision's date. A decision whether to investigate ends the protection
    /// assessment too: it cannot be made without one, so nobody is reminded of it any more (met on time or not by that date).
    /// </summary>
    private static CaseState EndClocks(CaseState s, DateTimeOffset date, params ReminderKind[] kinds) => s.Clocks is null ? s : s with
    {
        Clocks = [.. s.Clocks.Select(c => c.IsRunning && kinds.Contains(c.Kind) ? c with { EndedAt = date.ToUniversalTime() } : c)],
    };

    /// <summary>Ends the initial assessment (and the protection assessment) and starts the investigation's clock at the decision's date.</summary>
    private static CaseState OpenInvestigation(CaseState s, DateTimeOffset date)
    {
        CaseState ended = EndClocks(s, date, ReminderKind.ProtectionAssessment, ReminderKind.InitialAssessment);
        var investigation = new StatutoryClock(ReminderKind.Investigation, date, Add(date, Positive(s.Policy.InvestigationDueAfter)));
        return ended with { Clocks = [.. ended.Clocks ?? [], investigation] };
    }

    private static CaseState ChangeClock(CaseState s, ReminderKind kind, Func<StatutoryClock, StatutoryClock> change) => s with
    {
        Clocks = [.. (s.Clocks ?? []).Select(c => c.Kind == kind ? change(c) : c)],
    };

    /// <summary>
    /// The reminders of the clocks an event started: made at once, due when the clock is; and a transfer's, to the receiver
    /// (its subject names the organisation it is for, so the escalation to both sides makes two).
    /// </summary>
    private static ReminderDue[] Started(CaseState before, CaseState after) =>
    [
        .. (after.Clocks ?? []).Where(c => before.ClockOf(c.Kind) is null).Select(c => new ReminderDue(c.Kind, c.DueAt, Escalated: false, after.Lead)),
        .. after.PendingTransfer is { } t && before.PendingTransfer is null ? [new ReminderDue(ReminderKind.TransferDue, t.DueAt, Escalated: false, t.To, t.To)] : Array.Empty<ReminderDue>(),
    ];

    /// <summary>The kinds of reminder an event makes done: the clocks it ended, and call-police once the police were informed. Null when none.</summary>
    private static ReminderKind[]? Ended(CaseState before, CaseState after, CaseEvent e)
    {
        ReminderKind[] ended =
        [
            .. (after.Clocks ?? []).Where(c => !c.IsRunning && before.ClockOf(c.Kind) is { IsRunning: true }).Select(c => c.Kind),
            .. e is PoliceInformed ? [ReminderKind.CallPolice] : Array.Empty<ReminderKind>(),

            .. before.PendingTransfer is not null && after.PendingTransfer is null ? [ReminderKind.TransferDue] : Array.Empty<ReminderKind>(),
        ];
        return ended.Length == 0 ? null : ended;
    }

    private static CaseState MakeContact(CaseState s, ContactMade e, DateTimeOffset at)
    {
        var contacted = s with { ContactMadeAt = at, InterpreterNeeded = e.InterpreterNeeded };
        if (e.WantsSupport == YesNo.No)
        {
            return Close(contacted, CloseReason.Declined, at);
        }

        string? lead = !s.Minor && e.WantsAuthorityContact == YesNoUnknown.No && s.Policy.LeadWithoutAuthorities is { } withoutAuthorities
            ? withoutAuthorities
            : s.Policy.DefaultLead;
        return contacted with { Phase = Phase.ShortTermSupport, Lead = lead, FollowUpAnchor = at };
    }

    /// <summary>
    /// Consent withdrawn on a case whose lead processes as a public task: the support ends (an open case closes, its
    /// referrals are cancelled) and every sharing consent ends with it, but the record is kept until its culling date.
    /// </summary>
    private static CaseState KeepRecord(CaseState s, DateTimeOffset at)
    {
        var withdrawn = s with
        {
            ConsentWithdrawnAt = s.ConsentWithdrawnAt ?? at,
            Consents = [.. s.Consents.Select(c => c.WithdrawnAt is null ? c with { WithdrawnAt = at } : c)],
        };
        return s.Phase == Phase.Closed ? withdrawn : Close(withdrawn, CloseReason.ConsentWithdrawn, at);
    }

    private static CaseState BackToSupport(CaseState s, DateTimeOffset at) => s with
    {
        Phase = s.ReturnFrom ?? Phase.ShortTermSupport,
        Step = null,
        ReturnFrom = null,
        ReturnRequestedAt = null,
        NextIomChaseAt = null,
        DepartureDate = null,
        DepartedAt = null,
        FollowUpAnchor = Later(s.FollowUpAnchor, at),
    };

    private static CaseState Close(CaseState s, CloseReason reason, DateTimeOffset at) => s with
    {
        Phase = Phase.Closed,
        Step = null,
        ReturnFrom = null,
        ClosedAt = at,
        CloseReason = reason,
        Referrals = Cancel(s.Referrals, at, _ => true),
        Transfer = s.PendingTransfer is { } pending ? pending with { Status = TransferStatus.Cancelled, AnsweredAt = at } : s.Transfer,
    };

    /// <summary>Ends the open referrals that match: nobody waits for an answer on them any more.</summary>
    private static Referral[] Cancel(IReadOnlyList<Referral> referrals, DateTimeOffset at, Func<Referral, bool> which) =>
        [.. referrals.Select(r => r.IsOpen && which(r) ? r with { Status = ReferralStatus.Cancelled, ClosedAt = at } : r)];

    private static CaseState ChangeReferral(CaseState s, string? id, Func<Referral, Referral> change) => s with
    {
        Referrals = [.. s.Referrals.Select(r => r.Id == id ? change(r) : r)],
    };

    private static CaseState Fire(CaseState state, PendingDeadline due, DateTimeOffset now, List<ReminderDue> reminders)
    {
        var p = state.Policy;
        switch (due.Kind)
        {
            case DeadlineKind.CloseWithoutContact:
                return Close(state, CloseReason.NoContact, due.DueAt);

            case DeadlineKind.CompleteWithoutEvaluation:
                return state with { Phase = Phase.Completed, EvaluationOutcome = EvaluationOutcome.Missing, CompletedAt = due.DueAt };

            case DeadlineKind.FirstContact:
                {
                    var interval = Positive(p.FirstContactReminderInterval);
                    var toGiveUp = Positive(p.FirstContactGiveUpAfter).Ticks;
                    var passed = Math.Min((now - state.OpenedAt).Ticks / interval.Ticks, (toGiveUp - 1) / interval.Ticks);
                    var number = (int)Math.Max(passed, state.FirstContactReminders + 1L);
                    var dueAt = Add(state.OpenedAt, Times(interval, number));
                    var escalated = number >= Math.Max(1, p.FirstContactEscalateAfterReminders);
                    return Remind(state with { FirstContactReminders = number }, ReminderKind.FirstContact, dueAt, escalated);
                }

            case DeadlineKind.FollowUp:
                {
                    var latest = Latest(due.DueAt, FollowUpInterval(state), now);
                    return Remind(state with { FollowUpAnchor = latest }, ReminderKind.FollowUp, latest);
                }

            case DeadlineKind.PlanReview:
                {
                    var interval = Positive(p.PlanReviewInterval);
                    var latest = Latest(due.DueAt, interval, now);
                    return Remind(state with { NextPlanReviewAt = Add(latest, interval) }, ReminderKind.PlanReview, latest);
                }

            case DeadlineKind.ReferralDueSoon:
                {
                    Referral referral = state.Referrals.First(r => r.Id == due.Subject);
                    reminders.Add(new ReminderDue(ReminderKind.ReferralDue, due.DueAt, false, referral.Organisation, referral.Id));
                    return ChangeReferral(state, referral.Id, r => r with { Reminded = true });
                }

            case DeadlineKind.ReferralOverdue:
                {
                    Referral referral = state.Referrals.First(r => r.Id == due.Subject);
                    reminders.Add(new ReminderDue(ReminderKind.ReferralOverdue, due.DueAt, true, referral.By, referral.Id));
                    return ChangeReferral(state, referral.Id, r => r with { Escalated = true });
                }

            case DeadlineKind.ReferralExpired:
                return ChangeReferral(state, due.Subject, r => r with { Status = ReferralStatus.Expired, ClosedAt = due.DueAt });

            case DeadlineKind.StatutoryClockDue:
                {
                    // The clock's reminder, made when it started, is escalated in place: same kind and due time.
                    StatutoryClock clock = state.Clocks!.First(c => KebabCase.Name(c.Kind) == due.Subject);
                    reminders.Add(new ReminderDue(clock.Kind, clock.DueAt, Escalated: true, state.Lead));
                    return ChangeClock(state, clock.Kind, c => c with { Escalated = true });
                }

            case DeadlineKind.TransferDue:
                {
                    // Not answered in time: the receiver's reminder is escalated in place, and the organisation that asked is told too.
                    CaseTransfer transfer = state.Transfer!;
                    reminders.Add(new ReminderDue(ReminderKind.TransferDue, transfer.DueAt, Escalated: true, transfer.To, transfer.To));
                    reminders.Add(new ReminderDue(ReminderKind.TransferDue, transfer.DueAt, Escalated: true, transfer.From, transfer.From));
                    return state with { Transfer = transfer with { Escalated = true } };
                }

            case DeadlineKind.IomDecisionPending:
                {
                    var interval = Positive(p.IomDecisionChaseInterval);
                    var latest = Latest(due.DueAt, interval, now);
                    return Remind(state with { NextIomChaseAt = Add(latest, interval) }, ReminderKind.IomDecisionPending, latest);
                }

            default:
                return Remind(state, ReminderFor(due.Kind), due.DueAt);
        }

        CaseState Remind(CaseState s, ReminderKind kind, DateTimeOffset dueAt, bool escalated = false)
        {
            if (HasFired(s, kind, dueAt))
            {
                return s;
            }

            reminders.Add(new ReminderDue(kind, dueAt, escalated, s.Lead));
            return s with { LastFired = ImmutableSortedDictionary.CreateRange(s.LastFired).SetItem(kind, dueAt) };
        }
    }

    private static ReminderKind ReminderFor(DeadlineKind kind) => kind switch
    {
        DeadlineKind.FirstContact => ReminderKind.FirstContact,
        DeadlineKind.FollowUp => ReminderKind.FollowUp,
        DeadlineKind.JointPlanDue => ReminderKind.JointPlanDue,
        DeadlineKind.PlanReview => ReminderKind.PlanReview,
        DeadlineKind.ReflectionPeriodEnding => ReminderKind.ReflectionPeriodEnding,
        DeadlineKind.PermitEnding => ReminderKind.PermitEnding,
        DeadlineKind.ReturnApplicationDue => ReminderKind.ReturnApplicationDue,
        DeadlineKind.IomDecisionPending => ReminderKind.IomDecisionPending,
        DeadlineKind.DepartureTomorrow => ReminderKind.DepartureTomorrow,
        DeadlineKind.ReintegrationFollowUp => ReminderKind.ReintegrationFollowUp,
        DeadlineKind.EvaluationDue => ReminderKind.EvaluationDue,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), "This deadline produces no reminder."),
    };

    private static bool HasFired(CaseState state, ReminderKind kind, DateTimeOffset dueAt) =>
        state.LastFired.TryGetValue(kind, out var last) && last == dueAt;

    private static DateTimeOffset FollowUpAnchor(CaseState state) =>
        state.FollowUpAnchor ?? state.ContactMadeAt ?? state.OpenedAt;

    private static TimeSpan FollowUpInterval(CaseState state) => Positive(state.Phase == Phase.LongTermSupport
        ? state.Policy.LongTermFollowUpInterval
        : state.Policy.ShortTermFollowUpInterval);

    /// <summary>The latest occurrence first + k × interval (k ≥ 0) that is not after now.</summary>
    private static DateTimeOffset Latest(DateTimeOffset first, TimeSpan interval, DateTimeOffset now) =>
        now <= first ? first : Add(first, Times(interval, (now - first).Ticks / interval.Ticks));

    private static ImmutableSortedDictionary<SupportKind, int> Increment(IReadOnlyDictionary<SupportKind, int> counts, SupportKind kind) =>
        ImmutableSortedDictionary.CreateRange(counts).SetItem(kind, counts.GetValueOrDefault(kind) + 1);

    private static DateTimeOffset Later(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } c && c > candidate ? c : candidate;

    private static TimeSpan Positive(TimeSpan value) => value > TimeSpan.Zero ? value : MinimumInterval;

    private static TimeSpan NotNegative(TimeSpan value) => value > TimeSpan.Zero ? value : TimeSpan.Zero;

    private static TimeSpan Times(TimeSpan interval, long count) =>
        count > TimeSpan.MaxValue.Ticks / interval.Ticks ? TimeSpan.MaxValue : TimeSpan.FromTicks(interval.Ticks * count);

    /// <summary>Adds without overflowing: an absurd policy gives a deadline at the end of time, not an exception.</summary>
    private static DateTimeOffset Add(DateTimeOffset at, TimeSpan span)
    {
        if (span >= TimeSpan.Zero)
        {
            return DateTimeOffset.MaxValue - at <= span ? DateTimeOffset.MaxValue : at + span;
        }

        return at - DateTimeOffset.MinValue <= span.Duration() ? DateTimeOffset.MinValue : at + span;
    }

    private static Refusal Refuse(CaseState state, string reason) => new(reason, state.Phase, Allowed(state));

    internal static string Kebab<T>(T value)
        where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());
}
