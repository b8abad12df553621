using Helsingborg.LocalHost;
using Helsingborg.Storage;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// One Azurite for the whole test run, on free ports, in memory (no test reads its files, and its disk persistence
/// writes the whole table database out every few seconds, a pause that grows with the run's data), started on first
/// use and stopped (by process group) when the test process exits. Tests that need Azurite's files, or stop and freeze
/// it, start one of their own.
/// </summary>
public static class TestStorage
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static Azurite? azurite;

    public static async Task<string> ConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (azurite is null)
            {
                azurite = await Azurite.StartAsync(location: null, LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort(), TimeSpan.FromSeconds(90));
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();
            }

            return DevelopmentStorage.ConnectionString(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        }
        finally
        {
            Gate.Release();
        }
    }

    static void Stop()
    {
        azurite?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        azurite = null;
    }
}
