namespace Helsingborg.Reminders;

/// <summary>
/// The body of an urgent reminder's push (<see cref="UrgentPushJob"/>): the reminder, its case, kind and due time, and
/// the link to the case page — nothing about the person. The case is named by its <see cref="Reference"/>, the number
/// people say (null for a case opened before references existed), beside its id; <see cref="CaseUrl"/> opens it on
/// the coordinator dashboard, behind sign-in.
/// </summary>
public sealed record UrgentPush(string Type, string ReminderId, string? CaseId, string? Reference, string Kind, DateTimeOffset DueAt, bool Escalated, Uri? CaseUrl)
{
    public const string TypeName = "urgent-reminder";
}
