using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Helsingborg.Telemetry;

/// <summary>
/// OpenTelemetry for both hosts, wired once: the app's spans and metrics (<see cref="AppTelemetry"/>), the durable
/// engine's spans (DurableTask.Core's orchestrations and activities, the SDK's), and the Azure SDK's storage calls,
/// with logs alongside. Each host adds only its exporter: the Functions app Azure Monitor, the local host OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, tests an in-memory one.
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The span sources exported: the app's, DurableTask.Core's, the Durable Task SDK's and the Azure SDK's.</summary>
    public static readonly IReadOnlyList<string> TraceSources = [AppTelemetry.Name, "DurableTask.Core", "Microsoft.DurableTask", "Microsoft.DurableTask.*", "Azure.*"];

    /// <summary>The switch (and its environment variable) that turns on the Azure SDK's ActivitySource spans.</summary>
    public const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";

    public static IOpenTelemetryBuilder AddHelsingborgTelemetry(this IServiceCollection services)
    {
        // Read once by Azure.Core when its first client is used: set before any client exists.
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);
        return services.AddOpenTelemetry()
            .WithTracing(tracing => tracing
                .AddSource([.. TraceSources])
                .AddProcessor(new RedactingProcessor()))
            .WithMetrics(metrics => metrics.AddMeter(AppTelemetry.Name))
            .WithLogging();
    }

    /// <summary>
    /// Runs before the exporters: drops what a library may copy from an exception into a span (its status
    /// description and exception message tags), because an exception's message may hold a value
    /// (the dispatcher logs type and stack trace only, for the same reason).
    /// </summary>
    internal sealed class RedactingProcessor : BaseProcessor<Activity>
    {
        static readonly string[] Dropped = ["exception.message", "otel.status_description", "db.statement", "db.query.text"];

        public override void OnEnd(Activity data)
        {
            if (data.StatusDescription is not null)
            {
                data.SetStatus(data.Status);
            }

            foreach (string tag in Dropped)
            {
                if (data.GetTagItem(tag) is not null)
                {
                    data.SetTag(tag, null);
                }
            }
        }
    }
}
