using Helsingborg.Health;
using Helsingborg.Reminders;
using Microsoft.Azure.Functions.Worker;

namespace Helsingborg.Functions;

/// <summary>The daily digest's timer (06:00 UTC); the job itself is <see cref="DailyDigestJob"/> in Core, run through <see cref="JobRuns"/>.</summary>
public sealed class DigestFunctions(DailyDigestJob job, JobRuns runs, TimeProvider clock)
{
    [Function(DailyDigestJob.Name)]
    public Task DailyDigest([TimerTrigger(DailyDigestJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        runs.RunAsync(DailyDigestJob.Name, () => job.RunAsync(clock.GetUtcNow(), cancellationToken), cancellationToken);
}
