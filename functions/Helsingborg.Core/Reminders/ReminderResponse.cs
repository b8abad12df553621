using Helsingborg.Lifecycle;

namespace Helsingborg.Reminders;

/// <summary>The API's shape of a reminder. <see cref="Organisation"/> null means all coordinators.</summary>
public sealed record ReminderResponse(string ReminderId, string? CaseId, ReminderKind Kind, DateTimeOffset DueAt, string? Organisation, bool Escalated, DateTimeOffset? AcknowledgedAt)
{
    public static ReminderResponse From(Reminder r) =>
        new(r.ReminderId, r.CaseId, r.Kind, r.DueAt.ToUniversalTime(), r.Organisation, r.Escalated, r.AcknowledgedAt?.ToUniversalTime());
}

/// <summary>
/// A page of <c>GET /api/reminders</c>: <see cref="Next"/> is the opaque cursor of the next page, null at the end.
/// A page may hold fewer than <c>limit</c> items (reminders of cases the caller may not see are left out); only a null
/// <see cref="Next"/> says the listing is complete.
/// </summary>
public sealed record ReminderPage(IReadOnlyList<ReminderResponse> Items, string? Next);
