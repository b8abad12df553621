using Microsoft.DurableTask;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The one durable timer of a case: for its next deadline, or, when that is further off than the cap, for the cap (a
/// wake-up that counts as a step, so an idle case still continues as new and no execution's history grows with the
/// engine's own timer splitting). A timer whose deadline moved is cancelled (its message still arrives and is ignored).
/// With <c>checkEarly</c>, a timer completed well before its time (by a completion meant for another task, see
/// <see cref="CallAnswer"/>) is no deadline: it is armed again.
/// </summary>
public sealed class DeadlineTimer(TaskOrchestrationContext context, TimeSpan? cap, bool checkEarly = false) : IDisposable
{
    /// <summary>How early Azure Storage may deliver a timer (its queue's visibility has a granularity of a second).</summary>
    public static readonly TimeSpan EarlyTolerance = TimeSpan.FromSeconds(2);

    CancellationTokenSource cancellation = new();
    Task? pending;
    DateTimeOffset? deadline;
    DateTimeOffset fireAt;

    /// <summary>The timer for <paramref name="due"/>, kept from an earlier round when the deadline is the same; null when there is none.</summary>
    public Task? For(DateTimeOffset? due)
    {
        if (pending is not null && deadline != due)
        {
            Cancel();
        }

        if (pending is null && due is { } next)
        {
            DateTimeOffset now = context.CurrentUtcDateTime;
            fireAt = cap is { } c && next - now > c ? now + c : next;
            deadline = next;
            if (cancellation.IsCancellationRequested)
            {
                cancellation.Dispose();
                cancellation = new CancellationTokenSource();
            }

            pending = context.CreateTimer(fireAt.UtcDateTime, cancellation.Token);
        }

        return pending;
    }

    /// <summary>The timer fired: the deadline (at its time or, as Azure Storage may fire early, now), or a wake-up on the way.</summary>
    public Wake Fired()
    {
        pending = null;
        DateTimeOffset now = context.CurrentUtcDateTime;
        if (checkEarly && now < fireAt - EarlyTolerance)
        {
            // Not this timer's firing: it is cancelled (its own firing is ignored when it comes) and the next round arms it again.
            Cancel();
            return Wake.Of([]);
        }

        if (fireAt < deadline)
        {
            return Wake.Of([]);
        }

        return new Wake([], Deadline: true, now > fireAt ? now : fireAt);
    }

    // Synchronous by design: the timer is cancelled inside the replayed turn.
#pragma warning disable CA1849
    public void Cancel()
    {
        cancellation.Cancel();
        pending = null;
    }
#pragma warning restore CA1849

    public void Dispose() => cancellation.Dispose();
}
