using Helsingborg.Reminders;
using Microsoft.Azure.Functions.Worker;

namespace Helsingborg.Functions;

/// <summary>The daily digest's timer (06:00 UTC); the job itself is <see cref="DailyDigestJob"/> in Core.</summary>
public sealed class DigestFunctions(DailyDigestJob job, TimeProvider clock)
{
    [Function(DailyDigestJob.Name)]
    public Task DailyDigest([TimerTrigger(DailyDigestJob.Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        job.RunAsync(clock.GetUtcNow(), cancellationToken);
}
