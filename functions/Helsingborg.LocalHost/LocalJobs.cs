namespace Helsingborg.LocalHost;

/// <summary>The timer jobs of the Functions app, hosted here as background services on the same schedules.</summary>
public static class LocalJobs
{
    /// <summary>Name and NCRONTAB schedule of each job; a test compares them with the Functions app's timer triggers.</summary>
    public static readonly IReadOnlyList<(string Name, string Cron)> Schedules =
    [
        (Reminders.DailyDigestJob.Name, Reminders.DailyDigestJob.Schedule),
    ];

    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddHostedService<DailyDigestService>();
    }
}
