using System.Text.Json.Serialization;

namespace Helsingborg.Reminders;

/// <summary>
/// Where the push of an urgent reminder stands (<see cref="UrgentPushJob"/>): waiting to be sent, sent to every
/// organisation with a webhook, failed after its bounded retries, or nobody to push to (no webhook configured).
/// </summary>
[JsonConverter(typeof(KebabCaseEnumConverter<PushStatus>))]
public enum PushStatus
{
    Pending,
    Sent,
    Failed,
    NotConfigured,
}
