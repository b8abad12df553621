using System.Net;
using System.Net.Sockets;
using Helsingborg.Access;
using Helsingborg.Http;
using Helsingborg.Storage;
using Helsingborg.Telemetry;
using Microsoft.DurableTask.Client;
using OpenTelemetry;
using OpenTelemetry.Resources;

namespace Helsingborg.LocalHost;

/// <summary>
/// Builds the local host: configuration as <c>func</c> reads it, Azurite when needed, the app's services,
/// the durable engine, and the HTTP routes of <see cref="ApiRoutes"/> on port 7071 (by default).
/// Tests build it the same way with other ports and settings.
/// </summary>
public sealed class LocalApp : IAsyncDisposable
{
    LocalApp(WebApplication app, Azurite? azurite, Uri address)
    {
        App = app;
        Azurite = azurite;
        Address = address;
    }

    public WebApplication App { get; }

    public Azurite? Azurite { get; }

    public Uri Address { get; }

    public IServiceProvider Services => App.Services;

    /// <param name="args">Command-line arguments (configuration).</param>
    /// <param name="overrides">Settings that win over every other source (tests).</param>
    /// <param name="logging">More logging providers (tests).</param>
    /// <param name="services">More services after the app's, e.g. an in-memory telemetry exporter (tests).</param>
    public static async Task<LocalApp> CreateAsync(string[] args, IDictionary<string, string?>? overrides = null, Action<ILoggingBuilder>? logging = null, Action<IServiceCollection>? services = null)
    {
        var configuration = new ConfigurationManager();
        if ((LocalSettings.Find(Directory.GetCurrentDirectory()) ?? LocalSettings.Find(AppContext.BaseDirectory)) is { } settingsFile)
        {
            configuration.AddInMemoryCollection(LocalSettings.Read(settingsFile));
        }

        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        string environment = configuration["AZURE_FUNCTIONS_ENVIRONMENT"] ?? configuration["ASPNETCORE_ENVIRONMENT"] ?? Environments.Development;
        DemoKeyGuard.EnsureAllowed(configuration, environment);

        // An invalid city profile stops the host here, before it starts anything (AddHelsingborg checks it again).
        Partners.CityProfiles.Read(Partners.CityProfiles.Layered(configuration));

        string connection = CaseStorage.ConnectionString(configuration);
        Azurite? azurite = null;
        if (DevelopmentStorage.Ports(connection) is { } ports && !await Azurite.AnswersAsync(ports.Blob))
        {
            string location = configuration["Azurite:Location"] ?? Path.Combine(Azurite.RepositoryRoot(), ".azurite");
            azurite = await Azurite.StartAsync(location, ports.Blob, ports.Queue, ports.Table, TimeSpan.FromSeconds(60));
        }

        int httpPort = int.TryParse(configuration["Host:LocalHttpPort"], out int configuredPort) ? configuredPort : 7071;

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = environment });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.AddFilter("DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        logging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, httpPort));
        // Not the default 30 s: requests in flight and hosted services waiting on storage that does not answer are cut
        // off here, so Ctrl+C ends the host within 10 s; the engine's own stop is bounded below this (DurableEngine).
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.AddHelsingborg(builder.Configuration);
        builder.Services.AddDurableEngine(builder.Configuration, connection);
        LocalJobs.Add(builder.Services);
        IOpenTelemetryBuilder telemetry = builder.Services.AddHelsingborgTelemetry()
            .ConfigureResource(resource => resource.AddService("helsingborg-localhost"));
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // Endpoint, protocol and headers from the standard OTEL_EXPORTER_OTLP_* variables; without one, nothing leaves the host.
            telemetry.UseOtlpExporter();
        }

        services?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        await app.Services.GetRequiredService<CaseStorage>().EnsureCreatedAsync();
        foreach (ApiRoute route in ApiRoutes.All)
        {
            string name = route.Name;
            app.MapMethods("/" + route.Template, [route.Method], (HttpContext context, DurableTaskClient durable, ApiDispatcher dispatcher) =>
            {
                Dictionary<string, string> values = context.Request.RouteValues.ToDictionary(v => v.Key, v => v.Value?.ToString() ?? string.Empty);
                return RouteTelemetry.TraceAsync(name, values, () => dispatcher.InvokeAsync(name, context, durable, values));
            });
        }

        app.Logger.LogInformation("Local host on port {HttpPort}", httpPort);
        return new LocalApp(app, azurite, new Uri($"http://127.0.0.1:{httpPort}/"));
    }

    static readonly HashSet<int> HandedOut = [];

    /// <summary>A free loopback port, never the same one twice in this process.</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (HandedOut)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }
    }

    /// <summary>Starts the host: the durable engine is dispatching when this returns.</summary>
    public Task StartAsync() => App.StartAsync();

    public async ValueTask DisposeAsync()
    {
        // Stopping the host stops the durable engine first (DurableEngine's EngineLifetime), releasing this host's
        // partition and queue messages before another host starts; Azurite goes last. A host already stopped (Ctrl+C) is
        // not stopped again: a second stop waits again for whatever the first gave up on, up to the shutdown timeout.
        if (!App.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.IsCancellationRequested)
        {
            await App.StopAsync();
        }

        await App.DisposeAsync();
        if (Azurite is not null)
        {
            await Azurite.DisposeAsync();
        }
    }
}
