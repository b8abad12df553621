using Microsoft.Extensions.Logging;
using System.Globalization;
using Helsingborg.LocalHost;
using Helsingborg.Storage;

namespace Helsingborg.Benchmarks;

/// <summary>
/// Its own Azurite (free ports, in memory: see <see cref="Azurite.StartAsync"/>) and a local host on it, as
/// the tests build them, with logging at warnings so the console shows the figures. Disposing stops both.
/// </summary>
public sealed class BenchmarkHost : IAsyncDisposable
{
    BenchmarkHost(Azurite azurite, LocalApp app, string connection)
    {
        Azurite = azurite;
        App = app;
        Connection = connection;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Azurite Azurite { get; }

    public LocalApp App { get; }

    public string Connection { get; }

    public HttpClient Client { get; }

    /// <param name="settings">Settings over the defaults (local.settings.sample.json and the ones below).</param>
    /// <param name="azuriteDebugLog">A file for Azurite's debug log (a line per storage request), or null for none.</param>
    public static async Task<BenchmarkHost> StartAsync(IDictionary<string, string?>? settings = null, string? azuriteDebugLog = null)
    {
        int blob = LocalApp.FreePort(), queue = LocalApp.FreePort(), table = LocalApp.FreePort();
        Azurite azurite = await Azurite.StartAsync(null, blob, queue, table, TimeSpan.FromSeconds(60), azuriteDebugLog);
        string connection = DevelopmentStorage.ConnectionString(blob, queue, table);
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = connection,
            ["CaseStorage"] = connection,
            ["Durable:HubName"] = "bench",
            ["Host:LocalHttpPort"] = LocalApp.FreePort().ToString(CultureInfo.InvariantCulture),
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            // The benchmarks post at full speed with one key: they measure the app, not its rate limit.
            ["RateLimits:IntakePerMinute"] = "0",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        LocalApp? app = null;
        try
        {
            app = await LocalApp.CreateAsync([], all, logging => logging.SetMinimumLevel(LogLevel.Warning));
            await app.StartAsync();
            return new BenchmarkHost(azurite, app, connection);
        }
        catch
        {
            // What started is stopped: the host if it was built, then Azurite.
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            await azurite.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
