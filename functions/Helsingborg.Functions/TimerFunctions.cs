using Helsingborg.Health;
using Helsingborg.Outreach;
using Helsingborg.Retention;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Functions;

/// <summary>
/// The timer triggers: adapters to the jobs in Helsingborg.Core, on the schedules the local host uses too; each run
/// goes through <see cref="JobRuns"/>, which records its last success for the readiness view.
/// </summary>
public sealed class TimerFunctions(OutreachReminderJob outreach, RetentionSweep retention, Lifecycle.InboxRedeliveryJob redelivery, Reminders.UrgentPushJob pushes, JobRuns runs, TimeProvider clock)
{
    [Function(Reminders.UrgentPushJob.Name)]
    public Task PushUrgentReminders([TimerTrigger(Reminders.UrgentPushJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runs.RunAsync(Reminders.UrgentPushJob.Name, () => pushes.RunAsync(clock.GetUtcNow(), cancellationToken), cancellationToken);

    [Function(OutreachReminderJob.Name)]
    public Task RemindOfOutreach([TimerTrigger(OutreachReminderJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runs.RunAsync(OutreachReminderJob.Name, () => outreach.RunAsync(clock.GetUtcNow(), cancellationToken), cancellationToken);

    [Function(RetentionSweep.Name)]
    public Task SweepRetention([TimerTrigger(RetentionSweep.Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        runs.RunAsync(RetentionSweep.Name, () => retention.RunAsync(durable, clock.GetUtcNow(), cancellationToken), cancellationToken);

    [Function(Lifecycle.InboxRedeliveryJob.Name)]
    public Task RedeliverInboxes([TimerTrigger(Lifecycle.InboxRedeliveryJob.Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        runs.RunAsync(Lifecycle.InboxRedeliveryJob.Name, () => redelivery.RunAsync(durable, clock.GetUtcNow(), cancellationToken), cancellationToken);
}
