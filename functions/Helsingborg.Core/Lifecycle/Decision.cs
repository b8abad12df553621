namespace Helsingborg.Lifecycle;

/// <summary>
/// A reminder that fell due. At most one is ever produced per case, kind, due time and subject, so the
/// reminder store can use (case id, kind, due, subject) as its natural key.
/// </summary>
/// <param name="Organisation">The organisation it is for: the lead when it fell due (null means all coordinators, a case
/// without a lead yet), or the receiving or referring organisation of a referral.</param>
/// <param name="Subject">The referral a referral reminder is about; null for the case's own reminders.</param>
public sealed record ReminderDue(ReminderKind Kind, DateTimeOffset DueAt, bool Escalated, string? Organisation, string? Subject = null);

/// <summary>
/// The outcome of one step of the lifecycle, for the orchestrator to carry out: the next state,
/// the reminders to create, whether the event was refused, and whether personal data must be
/// erased now; and which kinds of the case's reminders it ends (their open reminders are done: the police were informed,
/// a statutory clock's decision was made).
/// </summary>
public sealed record Decision(CaseState State, IReadOnlyList<ReminderDue> Reminders, Refusal? Refused, bool EraseNow, IReadOnlyList<ReminderKind>? Ended = null)
{
    /// <summary>True when the case has completed and its orchestration should end.</summary>
    public bool Completed => State.Phase == Phase.Completed;
}

/// <summary>
/// Why an event cannot be applied now (409 at the HTTP layer, a refused timeline entry in the
/// orchestration). The reason is short English without personal data.
/// </summary>
public sealed record Refusal(string Reason, Phase Phase, IReadOnlyList<CaseEventType> Allowed);

/// <summary>A deadline a case is waiting for; <paramref name="Subject"/> names the referral of a referral's deadline.</summary>
public sealed record PendingDeadline(DeadlineKind Kind, DateTimeOffset DueAt, string? Subject = null);
