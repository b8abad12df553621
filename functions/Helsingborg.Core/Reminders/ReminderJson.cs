namespace Helsingborg.Reminders;

/// <summary>The API's shape of a reminder.</summary>
public static class ReminderJson
{
    public static object From(Reminder r) => new
    {
        reminderId = r.ReminderId,
        caseId = r.CaseId,
        kind = r.Kind,
        dueAt = r.DueAt.ToUniversalTime(),
        organisation = r.Organisation,
        escalated = r.Escalated,
        acknowledgedAt = r.AcknowledgedAt?.ToUniversalTime(),
    };
}
