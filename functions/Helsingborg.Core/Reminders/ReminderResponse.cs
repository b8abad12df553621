using Helsingborg.Lifecycle;

namespace Helsingborg.Reminders;

/// <summary>
/// The API's shape of a reminder. <see cref="Organisation"/> null means all coordinators. An urgent reminder shows its
/// push: <see cref="Push"/> (null when the reminder is not pushed), the organisations it reached (<see cref="Notified"/>)
/// and when it last reached one (<see cref="NotifiedAt"/>). <see cref="Reference"/> is the case number people say (null for
/// an outreach reminder and for a case opened before references existed). <see cref="Worker"/> is who holds the case now
/// (null when no one does): a reminder follows its case from one worker to the next.
/// </summary>
public sealed record ReminderResponse(string ReminderId, string? CaseId, string? Reference, ReminderKind Kind, DateTimeOffset DueAt, string? Organisation, bool Escalated, DateTimeOffset? AcknowledgedAt,
    PushStatus? Push, DateTimeOffset? NotifiedAt, IReadOnlyList<string> Notified, Cases.AssignedWorker? Worker = null)
{
    public static ReminderResponse From(Reminder r, Cases.AssignedWorker? worker = null) =>
        new(r.ReminderId, r.CaseId, r.Reference, r.Kind, r.DueAt.ToUniversalTime(), r.Organisation, r.Escalated, r.AcknowledgedAt?.ToUniversalTime(),
            r.Push, r.NotifiedAt?.ToUniversalTime(), r.Notified ?? [], worker);
}

/// <summary>
/// A page of <c>GET /api/reminders</c>: <see cref="Next"/> is the opaque cursor of the next page, null at the end.
/// A page may hold fewer than <c>limit</c> items (reminders of cases the caller may not see are left out); only a null
/// <see cref="Next"/> says the listing is complete.
/// </summary>
public sealed record ReminderPage(IReadOnlyList<ReminderResponse> Items, string? Next);
