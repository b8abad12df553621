using Helsingborg.Health;
using Helsingborg.Outreach;
using Helsingborg.Retention;
using Microsoft.DurableTask.Client;

namespace Helsingborg.LocalHost;

/// <summary>The timer jobs of the Functions app, hosted here as background services on the same schedules.</summary>
public static class LocalJobs
{
    /// <summary>Name and NCRONTAB schedule of each job; a test compares them with the Functions app's timer triggers.</summary>
    public static readonly IReadOnlyList<(string Name, string Cron)> Schedules =
    [
        (OutreachReminderJob.Name, OutreachReminderJob.Schedule),
        (RetentionSweep.Name, RetentionSweep.Schedule),
        (Reminders.DailyDigestJob.Name, Reminders.DailyDigestJob.Schedule),
        (Lifecycle.InboxRedeliveryJob.Name, Lifecycle.InboxRedeliveryJob.Schedule),
        (Reminders.UrgentPushJob.Name, Reminders.UrgentPushJob.Schedule),
    ];

    /// <summary>
    /// Each job runs through <see cref="JobRuns"/>, which records its last success for the readiness view, as the timer
    /// triggers do. Registered as plain <see cref="IHostedService"/>s, because AddHostedService keeps only the first of
    /// several services of one type.
    /// </summary>
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton<IHostedService>(sp => new ScheduledJob(
            OutreachReminderJob.Name, OutreachReminderJob.Schedule, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScheduledJob>>(),
            (now, cancel) => sp.GetRequiredService<JobRuns>().RunAsync(OutreachReminderJob.Name, () => sp.GetRequiredService<OutreachReminderJob>().RunAsync(now, cancel), cancel)));
        services.AddSingleton<IHostedService>(sp => new ScheduledJob(
            RetentionSweep.Name, RetentionSweep.Schedule, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScheduledJob>>(),
            (now, cancel) => sp.GetRequiredService<JobRuns>().RunAsync(RetentionSweep.Name, () => sp.GetRequiredService<RetentionSweep>().RunAsync(sp.GetRequiredService<DurableTaskClient>(), now, cancel), cancel)));
        services.AddSingleton<IHostedService>(sp => new ScheduledJob(
            Reminders.DailyDigestJob.Name, Reminders.DailyDigestJob.Schedule, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScheduledJob>>(),
            (now, cancel) => sp.GetRequiredService<JobRuns>().RunAsync(Reminders.DailyDigestJob.Name, () => sp.GetRequiredService<Reminders.DailyDigestJob>().RunAsync(now, cancel), cancel)));
        services.AddSingleton<IHostedService>(sp => new ScheduledJob(
            Lifecycle.InboxRedeliveryJob.Name, Lifecycle.InboxRedeliveryJob.Schedule, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScheduledJob>>(),
            (now, cancel) => sp.GetRequiredService<JobRuns>().RunAsync(Lifecycle.InboxRedeliveryJob.Name, () => sp.GetRequiredService<Lifecycle.InboxRedeliveryJob>().RunAsync(sp.GetRequiredService<DurableTaskClient>(), now, cancel), cancel)));
        services.AddSingleton<IHostedService>(sp => new ScheduledJob(
            Reminders.UrgentPushJob.Name, Reminders.UrgentPushJob.Schedule, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ScheduledJob>>(),
            (now, cancel) => sp.GetRequiredService<JobRuns>().RunAsync(Reminders.UrgentPushJob.Name, () => sp.GetRequiredService<Reminders.UrgentPushJob>().RunAsync(now, cancel), cancel)));
    }
}
