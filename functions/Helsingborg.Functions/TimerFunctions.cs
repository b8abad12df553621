using Helsingborg.Outreach;
using Helsingborg.Retention;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Functions;

/// <summary>The timer triggers: adapters to the jobs in Helsingborg.Core, on the schedules the local host uses too.</summary>
public sealed class TimerFunctions(OutreachReminderJob outreach, RetentionSweep retention, TimeProvider clock)
{
    [Function(OutreachReminderJob.Name)]
    public Task RemindOfOutreach([TimerTrigger(OutreachReminderJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        outreach.RunAsync(clock.GetUtcNow(), cancellationToken);

    [Function(RetentionSweep.Name)]
    public Task SweepRetention([TimerTrigger(RetentionSweep.Schedule)] TimerInfo timer, [DurableClient] DurableTaskClient durable, CancellationToken cancellationToken) =>
        retention.RunAsync(durable, clock.GetUtcNow(), cancellationToken);
}
