using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;

namespace Helsingborg.Benchmarks;

/// <summary>
/// <c>intake</c>: POST /api/intake latency (p50/p95/p99, one at a time) and sustained throughput (closed loop,
/// several workers, for a fixed time) on the local host, beside a baseline measured in the same run on the same
/// Azurite: one Azure Table insert of an entity as large as the intake, through Azure.Data.Tables.
/// Goal: intake p95 at most 4× the baseline's p95; at least 100 intakes/s for 30 s with no errors.
/// </summary>
public sealed class IntakeBenchmark : IBenchmark
{
    const string PartnerKey = "demo-partner-hotel";

    public string Name => "intake";

    public string Description => "intake latency and throughput vs. a single Table insert (--samples 300 --seconds 30 --workers 16)";

    public async Task<int> RunAsync(BenchmarkOptions options)
    {
        int samples = options.Int("samples", 300);
        int seconds = options.Int("seconds", 30);
        int workers = options.Int("workers", 16);

        Console.WriteLine($"intake benchmark: {samples} samples, {seconds} s at {workers} workers; starting Azurite and the local host …");
        await using BenchmarkHost host = await BenchmarkHost.StartAsync();
        string body = Intake();
        Console.WriteLine($"intake body: {Encoding.UTF8.GetByteCount(body)} bytes");

        // Warm both paths (JIT, connections, tables, the durable worker) before measuring.
        var baselineTable = new TableClient(host.Connection, "BenchBaseline");
        await baselineTable.CreateIfNotExistsAsync();
        for (int i = 0; i < 30; i++)
        {
            await baselineTable.AddEntityAsync(Entity(body));
            await PostAsync(host.Client, body);
        }

        var baseline = new List<double>(samples);
        var intake = new List<double>(samples);
        for (int i = 0; i < samples; i++)
        {
            // Interleaved, so both series see the same machine load.
            long start = Stopwatch.GetTimestamp();
            await baselineTable.AddEntityAsync(Entity(body));
            baseline.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);

            start = Stopwatch.GetTimestamp();
            HttpStatusCode status = await PostAsync(host.Client, body);
            intake.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (status != HttpStatusCode.Accepted)
            {
                Console.WriteLine($"intake answered {(int)status}");
                return 1;
            }
        }

        Latencies baselineFigures = Latencies.Of(baseline);
        Latencies intakeFigures = Latencies.Of(intake);
        Console.WriteLine();
        Console.WriteLine($"baseline (1 Table insert): {baselineFigures}");
        Console.WriteLine($"intake (POST /api/intake): {intakeFigures}");
        double ratio95 = intakeFigures.P95 / baselineFigures.P95;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ratio intake/baseline:     p50 {intakeFigures.P50 / baselineFigures.P50:0.00}×  p95 {ratio95:0.00}×  p99 {intakeFigures.P99 / baselineFigures.P99:0.00}×   (goal p95 ≤ 4×: {(ratio95 <= 4 ? "met" : "NOT met")})"));

        // The store's own ceiling: the same workers inserting single rows back to back for 10 s. Every intake is
        // several writes plus the durable engine's own, all on this one Azurite, so this bounds what intake can reach.
        int inserts = 0;
        var ceiling = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (ceiling.Elapsed < TimeSpan.FromSeconds(10))
            {
                await baselineTable.AddEntityAsync(Entity(body));
                Interlocked.Increment(ref inserts);
            }
        })));
        double insertRate = inserts / ceiling.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"baseline sustained: {insertRate:0} Table inserts/s at {workers} workers"));

        // Sustained: workers post back to back for the given time.
        int done = 0, errors = 0;
        var during = new System.Collections.Concurrent.ConcurrentBag<double>();
        var stop = Stopwatch.StartNew();
        TimeSpan duration = TimeSpan.FromSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (stop.Elapsed < duration)
            {
                long start = Stopwatch.GetTimestamp();
                HttpStatusCode status;
                try
                {
                    status = await PostAsync(host.Client, body);
                }
                catch (HttpRequestException)
                {
                    status = HttpStatusCode.ServiceUnavailable;
                }

                during.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                Interlocked.Increment(ref status == HttpStatusCode.Accepted ? ref done : ref errors);
            }
        })));
        double elapsed = stop.Elapsed.TotalSeconds;
        double rate = done / elapsed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sustained: {done} intakes in {elapsed:0.0} s = {rate:0.0} intakes/s, {errors} errors, latency under load {Latencies.Of(during.ToList())}   (goal ≥ 100/s, 0 errors: {(rate >= 100 && errors == 0 ? "met" : "NOT met")})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio sustained intakes/inserts: {rate / insertRate:0.000}"));
        return 0;
    }

    static async Task<HttpStatusCode> PostAsync(HttpClient client, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/intake") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", PartnerKey);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>A baseline row as large as the intake body.</summary>
    static TableEntity Entity(string body) => new("bench", Guid.NewGuid().ToString("N")) { ["Body"] = body };

    /// <summary>The intake body (also the events benchmark's).</summary>
    internal static string Intake() => JsonSerializer.Serialize(new
    {
        municipality = "helsingborg",
        observedAt = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture),
        placeType = "hotel",
        location = "Room 214, Hotel Example",
        suspicion = "trafficking",
        description = "Woman, about 20, escorted by a man who held her passport. " + new string('.', 300),
        policeNotified = true,
        policeReference = "5000-K123456-26",
        person = new { alias = "Maria", estimatedAge = 20, gender = "female", languages = new[] { "ro", "en" }, citizenship = new[] { "RO" }, contact = "+46 70 000 00 00", isMinor = false },
        wantsSupport = "unknown",
        wantsAuthorityContact = "unknown",
        reporterContact = "night manager, +46 42 000 00 00",
    });
}
