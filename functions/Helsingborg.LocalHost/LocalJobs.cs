namespace Helsingborg.LocalHost;

/// <summary>The timer jobs of the Functions app, hosted here as background services on the same schedules.</summary>
public static class LocalJobs
{
    public static void Add(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
