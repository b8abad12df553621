using System.Collections.Concurrent;
using System.Net;
using Helsingborg.LocalHost;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Operations;

/// <summary>The local host sends its telemetry over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (issue 12, item 1).</summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task The_local_host_exports_traces_and_metrics_to_the_configured_otlp_endpoint()
    {
        int port = LocalApp.FreePort();
        using var collector = new HttpListener();
        collector.Prefixes.Add($"http://127.0.0.1:{port}/");
        collector.Start();
        var received = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        Task listening = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await collector.GetContextAsync().WaitAsync(stop.Token);
                }
                catch (Exception) when (stop.IsCancellationRequested)
                {
                    return;
                }

                received.Enqueue($"{context.Request.HttpMethod} {context.Request.Url!.AbsolutePath} {context.Request.ContentType}");
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        });

        await using (TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        }))
        {
            await host.SubmitIntakeAsync(Intakes.Valid());
            await Poll.UntilAsync(() => Task.FromResult(received.Any(r => r.StartsWith("POST /v1/traces", StringComparison.Ordinal))
                && received.Any(r => r.StartsWith("POST /v1/metrics", StringComparison.Ordinal))), TimeSpan.FromSeconds(30), "traces and metrics at the OTLP endpoint");
        }

        await stop.CancelAsync();
        collector.Stop();
        await listening;
        Assert.All(received, r => Assert.Contains("application/x-protobuf", r, StringComparison.Ordinal));
    }
}
