using Helsingborg.LocalHost;
using Helsingborg.Storage;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// One Azurite for the whole test run, on free ports in a temporary folder, started on first use and
/// stopped (by process group) when the test process exits.
/// </summary>
public static class TestStorage
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static Azurite? azurite;
    static string? folder;

    public static async Task<string> ConnectionStringAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (azurite is null)
            {
                folder = Path.Combine(Path.GetTempPath(), "helsingborg-tests-" + Guid.NewGuid().ToString("N"));
                azurite = await Azurite.StartAsync(folder, LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort(), TimeSpan.FromSeconds(90));
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
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
