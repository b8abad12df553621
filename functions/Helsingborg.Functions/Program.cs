using Helsingborg;
using Helsingborg.Access;
using Helsingborg.Functions;
using Helsingborg.Storage;
using Helsingborg.Telemetry;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
DemoKeyGuard.EnsureAllowed(builder.Configuration, builder.Environment.EnvironmentName);
builder.Services.AddDurablePayloads();
builder.Services.AddHelsingborg(builder.Configuration);
builder.Services.AddHostedService<StorageInitializer>();
AzureMonitorTelemetry.Configure(builder.Services.AddHelsingborgTelemetry().UseFunctionsWorkerDefaults(), builder.Configuration);
builder.Build().Run();

/// <summary>Creates the app's tables and containers once at start-up.</summary>
internal sealed class StorageInitializer(CaseStorage storage) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => storage.EnsureCreatedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
