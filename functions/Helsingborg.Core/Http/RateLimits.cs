using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Helsingborg.Http;

/// <summary>Configuration section <c>RateLimits</c>: requests per minute; 0 or less switches a limit off.</summary>
public sealed class RateLimitOptions
{
    /// <summary>Intakes (<c>POST /api/intake</c> and the form's <c>POST /intake</c> together) per caller: an API key or a signed-in user.</summary>
    public int IntakePerMinute { get; set; } = 60;

    /// <summary>Failed authentications (401) per client address, after which the address's requests to protected routes answer 429.</summary>
    public int FailedAuthPerMinute { get; set; } = 30;
}

/// <summary>
/// The per-caller intake limit and the per-address limit on failed authentication, as token buckets (a burst of
/// the minute's allowance, then a steady refill). They live in <see cref="ApiDispatcher"/> rather than in ASP.NET
/// Core's rate-limiting middleware because only the dispatcher runs in both hosts: the local host maps the routes
/// itself, and the Functions worker's ASP.NET Core integration runs its triggers, not an endpoint pipeline that
/// the middleware could attach to. One limiter per host instance: with several instances in Azure each counts alone.
/// </summary>
public sealed class RateLimits : IDisposable
{
    readonly PartitionedRateLimiter<string> intake;
    readonly PartitionedRateLimiter<string> failedAuthentication;

    /// <summary>How long the failed-authentication bucket takes to refill one token: what an address over its limit waits.</summary>
    readonly TimeSpan oneFailedAuthentication;

    public RateLimits(IOptions<RateLimitOptions> options)
    {
        intake = PerMinute(options.Value.IntakePerMinute);
        failedAuthentication = PerMinute(options.Value.FailedAuthPerMinute);
        oneFailedAuthentication = options.Value.FailedAuthPerMinute > 0 ? TimeSpan.FromMinutes(1) / options.Value.FailedAuthPerMinute : TimeSpan.Zero;
    }

    /// <summary>Takes one intake from the caller's allowance: null when allowed, else how long to wait.</summary>
    public TimeSpan? Intake(string callerId) => Take(intake, callerId, 1);

    /// <summary>
    /// Null while the address may still authenticate, else how long to wait. Counted are failures only, but an
    /// address over its limit is refused whatever key it sends next, so that the limit also holds against guessing
    /// (the way a gateway's per-address limit counting only 401s behaves).
    /// </summary>
    /// <remarks>
    /// Asked of the bucket's whole permits, not with a lease of none: the bucket refills a fraction of a token at each
    /// 100 ms tick, and a lease of none is granted on any fraction, which would let an address over its limit through
    /// again a tick after its last failure.
    /// </remarks>
    public TimeSpan? Authentication(string address) =>
        failedAuthentication.GetStatistics(address) is { CurrentAvailablePermits: < 1 } ? oneFailedAuthentication : null;

    /// <summary>Counts a failed authentication of the address: null while within the limit, else how long to wait.</summary>
    public TimeSpan? FailedAuthentication(string address) => Take(failedAuthentication, address, 1);

    public void Dispose()
    {
        intake.Dispose();
        failedAuthentication.Dispose();
    }

    static TimeSpan? Take(PartitionedRateLimiter<string> limiter, string partition, int permits)
    {
        using RateLimitLease lease = limiter.AttemptAcquire(partition, permits);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) && wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1);
    }

    /// <summary>
    /// A token bucket per partition holding a minute's allowance, refilled evenly at the allowance's rate: one token
    /// every 60/allowance seconds under 60 a minute, else a sixtieth of the allowance (rounded up) about every second,
    /// never faster than the partitioned limiter's own replenishing tick (100 ms) could follow. Idle partitions are
    /// dropped by the partitioned limiter, so addresses seen once do not accumulate.
    /// </summary>
    static PartitionedRateLimiter<string> PerMinute(int perMinute)
    {
        if (perMinute <= 0)
        {
            return PartitionedRateLimiter.Create<string, string>(_ => RateLimitPartition.GetNoLimiter(string.Empty));
        }

        int tokensPerPeriod = (perMinute + 59) / 60;
        return PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) * tokensPerPeriod / perMinute,
            QueueLimit = 0,
            AutoReplenishment = false,
        }));
    }
}
