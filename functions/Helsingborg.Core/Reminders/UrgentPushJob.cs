using Helsingborg.Cases;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Reminders;

/// <summary>
/// Pushes urgent reminders at once (every 15 seconds, in both hosts): for each reminder in the outbox
/// (<see cref="UrgentPushOutbox"/>), one <see cref="UrgentPush"/> to the webhook of the case's lead (the reminder's
/// organisation while the case has none) and to the city profile's on-call organisation (<c>City:OnCall</c>), unless
/// the case is hidden from it (led without the authorities). Each delivery goes through the webhooks' resilience
/// handler (<see cref="WebhookSender"/>); an organisation reached is recorded on the reminder and not pushed again, one
/// that is not is tried again on the next runs, <c>Notifications:UrgentPushRounds</c> rounds in all (default 3), and
/// then the push shows as failed on the reminder and in readiness until the reminder is acknowledged. A host that stops
/// mid-round leaves the entry pending: a push is sent at least once, and, once recorded, never again.
/// </summary>
public sealed partial class UrgentPushJob(
    ReminderStore reminders,
    UrgentPushOutbox outbox,
    CaseProjectionStore projections,
    Partners.CityProfile profile,
    WebhookSender webhooks,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<UrgentPushJob> logger)
{
    public const string Name = "UrgentPushes";

    /// <summary>Every 15 seconds (NCRONTAB with seconds): a push leaves well within the minute.</summary>
    public const string Schedule = "*/15 * * * * *";

    readonly int rounds = Math.Max(1, configuration.GetValue("Notifications:UrgentPushRounds", 3));
    readonly Uri? appUrl = AppUrl(configuration);

    /// <summary>Returns how many pushes were completed in this run (sent to everyone with a webhook).</summary>
    public async Task<int> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<PushEntry> entries = await outbox.ListAsync(cancellationToken);
        int completed = 0;
        await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (entry, cancel) =>
        {
            if (await PushAsync(entry, cancel))
            {
                Interlocked.Increment(ref completed);
            }
        });
        return completed;
    }

    /// <summary>
    /// The address of the app whose dashboard the push links to: <c>Notifications:AppUrl</c>, else the Functions app's
    /// own host name (<c>WEBSITE_HOSTNAME</c>, set in Azure), else the local host's port.
    /// </summary>
    public static Uri? AppUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? url = configuration["Notifications:AppUrl"] is { Length: > 0 } configured ? configured
            : configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host ? $"https://{host}/"
            : $"http://localhost:{configuration["Host:LocalHttpPort"] ?? "7071"}/";
        return Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out Uri? address) ? address : null;
    }

    async Task<bool> PushAsync(PushEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await TryPushAsync(entry, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            // The reminder went with its case's erasure while it was being pushed.
            await outbox.RemoveAsync(entry.ReminderId, cancellationToken);
            return false;
        }
    }

    async Task<bool> TryPushAsync(PushEntry entry, CancellationToken cancellationToken)
    {
        Reminder? reminder = await reminders.GetAsync(entry.ReminderId, cancellationToken);
        if (reminder is null || reminder.Push is not PushStatus.Pending and not PushStatus.Failed || (entry.Failed && reminder.AcknowledgedAt is not null))
        {
            // Erased with its case, done already, or a failure a coordinator has seen: nothing left to do or to report.
            await outbox.RemoveAsync(entry.ReminderId, cancellationToken);
            return false;
        }

        if (entry.Failed)
        {
            return false;
        }

        var body = new UrgentPush(UrgentPush.TypeName, reminder.ReminderId, reminder.CaseId, reminder.Reference, KebabCase.Name(reminder.Kind), reminder.DueAt.ToUniversalTime(), reminder.Escalated,
            reminder.CaseId is { } caseId && appUrl is not null ? new Uri(appUrl, "#/case/" + caseId) : null);
        var notified = new List<string>(reminder.Notified ?? []);
        DateTimeOffset? notifiedAt = reminder.NotifiedAt;
        bool failed = false;
        var outcomes = await Task.WhenAll((await TargetsAsync(reminder, cancellationToken))
            .Where(o => !notified.Contains(o, StringComparer.Ordinal))
            .Select(async organisation => (Organisation: organisation, Delivered: await webhooks.PostAsync(organisation, body, "urgent push", cancellationToken))));
        foreach ((string organisation, bool? delivered) in outcomes)
        {
            if (delivered == true)
            {
                notified.Add(organisation);
                notifiedAt = clock.GetUtcNow();
            }

            failed |= delivered == false;
        }

        if (!failed)
        {
            PushStatus done = notified.Count > 0 ? PushStatus.Sent : PushStatus.NotConfigured;
            await reminders.RecordPushAsync(reminder.ReminderId, done, notified, notifiedAt, cancellationToken);
            await outbox.RemoveAsync(reminder.ReminderId, cancellationToken);
            LogPushed(logger, reminder.ReminderId, KebabCase.Name(done), string.Join(' ', notified));
            return true;
        }

        bool last = entry.Rounds + 1 >= rounds;
        await reminders.RecordPushAsync(reminder.ReminderId, last ? PushStatus.Failed : PushStatus.Pending, notified, notifiedAt, cancellationToken);
        await outbox.FailedRoundAsync(entry, last, cancellationToken);
        LogRoundFailed(logger, reminder.ReminderId, entry.Rounds + 1, rounds);
        return false;
    }

    /// <summary>The case's lead (the reminder's organisation while it has none) and the on-call organisation if it may see the case.</summary>
    async Task<IReadOnlyList<string>> TargetsAsync(Reminder reminder, CancellationToken cancellationToken)
    {
        CaseRow? row = reminder.CaseId is { } caseId ? await projections.GetAsync(caseId, cancellationToken) : null;
        string? caseLead = row?.State?.Lead;
        var targets = new List<string>(2);
        // A transfer's reminder is for its organisation (the receiver, or the one that asked), whoever leads the case.
        if ((reminder.Kind == Lifecycle.ReminderKind.TransferDue ? reminder.Organisation : caseLead ?? reminder.Organisation) is { } lead)
        {
            targets.Add(lead);
        }

        var onCallCaller = new Access.Caller(Name, profile.OnCall ?? string.Empty, new HashSet<Access.Role> { Access.Role.Coordinator });
        if (profile.OnCall is { Length: > 0 } onCall && !targets.Contains(onCall, StringComparer.Ordinal)
            && (row?.AccessOf(profile, onCallCaller) ?? Access.CaseAccess.Of(profile, onCallCaller, caseLead, null, [])).ShowsReminder(reminder.Organisation, onCallCaller))
        {
            targets.Add(onCall);
        }

        return targets;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Urgent reminder {ReminderId} pushed: {Status}, to {Notified}")]
    static partial void LogPushed(ILogger logger, string reminderId, string status, string notified);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Urgent reminder {ReminderId} not pushed to everyone in round {Round} of {Rounds}")]
    static partial void LogRoundFailed(ILogger logger, string reminderId, int round, int rounds);
}
