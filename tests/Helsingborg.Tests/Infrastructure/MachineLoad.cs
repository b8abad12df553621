using System.Diagnostics;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// What the suite has running that loads the machine: test hosts, host processes and browser sessions, each counted
/// from its start to its disposal. The tests held to stop and answer times a few seconds above what they take
/// (<see cref="Engine.EngineProcesses"/>) wait until none is left, so that their clocks measure the host rather than a
/// busy machine; a soak proof's host, which waits most of its time, is not counted, so those tests run beside it
/// instead of after it.
/// </summary>
public static class MachineLoad
{
    static int running;

    /// <summary>How many counted hosts, host processes and browser sessions are running now.</summary>
    public static int Running => Volatile.Read(ref running);

    /// <summary>Counts one more until the returned lease is disposed (disposing twice counts once).</summary>
    public static IDisposable Start()
    {
        Interlocked.Increment(ref running);
        return new Lease();
    }

    /// <summary>
    /// Returns once nothing counted has run for <paramref name="settle"/> (a class's next test starts its host within
    /// it), or after <paramref name="limit"/> whatever runs; answers how long it waited and whether it saw quiet.
    /// </summary>
    public static async Task<(TimeSpan Waited, bool Quiet)> UntilQuietAsync(TimeSpan settle, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? quietSince = null;
        while (clock.Elapsed < limit)
        {
            if (Running > 0)
            {
                quietSince = null;
            }
            else if (clock.Elapsed - (quietSince ??= clock.Elapsed) >= settle)
            {
                return (clock.Elapsed, true);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        return (clock.Elapsed, false);
    }

    sealed class Lease : IDisposable
    {
        int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                Interlocked.Decrement(ref running);
            }
        }
    }
}
