using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Helsingborg.Cases;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Benchmarks;

/// <summary>
/// <c>case-list</c>: <c>GET /api/cases?overdue=true&amp;municipality=…</c> against a local host on its own
/// Azurite, first with 10,000 stored cases of which 1,000 are open, then with 100,000 of which the same
/// 1,000 are open. Rows are seeded directly in the shapes <c>CaseProjectionStore</c> writes (OpenCases in
/// batch transactions of 100 — one partition; Cases rows, one partition each, as parallel inserts).
/// Reports p50/p95 of each and the ratio of the p95s (goal: at most 1.5).
/// Options: <c>--requests N</c> (default 1,000), <c>--small N</c>, <c>--large N</c>, <c>--open N</c>.
/// </summary>
public sealed class CaseListBenchmark : IBenchmark
{
    public string Name => "cases-list";

    public string Description => "GET /api/cases?overdue=true&municipality=… with 10,000 vs 100,000 stored cases, 1,000 open";

    static readonly string[] MunicipalityCodes =
        ["bjuv", "bastad", "helsingborg", "hoganas", "klippan", "landskrona", "perstorp", "svalov", "astorp", "angelholm", "orkelljunga"];

    public async Task<int> RunAsync(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int requests = options.Int("requests", 1000);
        int small = options.Int("small", 10_000);
        int large = options.Int("large", 100_000);
        int openCount = options.Int("open", 1_000);
        await using BenchmarkHost host = await BenchmarkHost.StartAsync(new Dictionary<string, string?> { ["Durable:PartitionCount"] = "1" });
        LocalApp app = host.App;
        var storage = app.Services.GetRequiredService<CaseStorage>();
        using var client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", "demo-coordinator-sos");
        DateTimeOffset now = DateTimeOffset.UtcNow;
        const string query = "api/cases?overdue=true&municipality=helsingborg&limit=200";

        Console.WriteLine($"Seeding {openCount} open and {small - openCount} closed cases …");
        var seed = Stopwatch.StartNew();
        await SeedOpenAsync(storage, openCount, now);
        await SeedClosedAsync(storage, openCount, small - openCount, now);
        Console.WriteLine($"  seeded in {seed.Elapsed.TotalSeconds:0.0} s");
        (double p50Small, double p95Small, int itemsSmall) = await MeasureAsync(client, query, requests);
        Console.WriteLine($"  {small,7:N0} cases ({openCount:N0} open): p50 {p50Small,7:0.00} ms  p95 {p95Small,7:0.00} ms  ({itemsSmall} items)");

        Console.WriteLine($"Seeding {large - small} more closed cases …");
        seed.Restart();
        await SeedClosedAsync(storage, openCount + small - openCount, large - small, now);
        Console.WriteLine($"  seeded in {seed.Elapsed.TotalSeconds:0.0} s");
        (double p50Large, double p95Large, int itemsLarge) = await MeasureAsync(client, query, requests);
        Console.WriteLine($"  {large,7:N0} cases ({openCount:N0} open): p50 {p50Large,7:0.00} ms  p95 {p95Large,7:0.00} ms  ({itemsLarge} items)");

        double ratio = p95Large / p95Small;
        Console.WriteLine();
        Console.WriteLine($"GET /{query} ({requests} requests each, after {Warmup} warm-up)");
        Console.WriteLine($"  {small,7:N0} cases ({openCount:N0} open): p50 {p50Small,7:0.00} ms  p95 {p95Small,7:0.00} ms  ({itemsSmall} items)");
        Console.WriteLine($"  {large,7:N0} cases ({openCount:N0} open): p50 {p50Large,7:0.00} ms  p95 {p95Large,7:0.00} ms  ({itemsLarge} items)");
        Console.WriteLine($"  p95 ratio {ratio:0.00} (goal ≤ 1.5): {(ratio <= 1.5 ? "met" : "NOT met")}");
        return ratio <= 1.5 ? 0 : 1;
    }

    static string CaseId(int n) => "c_" + n.ToString("D26", CultureInfo.InvariantCulture);

    /// <summary>Open cases: a Cases row each and the OpenCases index (batches of 100 in the one "open" partition); every other one is overdue.</summary>
    static async Task SeedOpenAsync(CaseStorage storage, int count, DateTimeOffset now)
    {
        TableClient open = storage.Table(CaseStorage.OpenCasesTable);
        var rows = Enumerable.Range(0, count).Select(n => (Id: CaseId(n), Municipality: MunicipalityCodes[n % MunicipalityCodes.Length], Opened: now.AddDays(-(n % 60) - 1), Due: n % 2 == 0 ? now.AddHours(-n % 48 - 1) : now.AddDays(n % 7 + 1))).ToList();
        foreach (var batch in rows.Chunk(100))
        {
            await open.SubmitTransactionAsync(batch.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("open", r.Id)
            {
                ["Phase"] = "first-contact",
                ["Step"] = null,
                ["Lead"] = null,
                ["Minor"] = false,
                ["Municipality"] = r.Municipality,
                ["OpenedAt"] = r.Opened,
                ["NextDueAt"] = r.Due,
            })));
        }

        await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (r, ct) =>
            await storage.Table(CaseStorage.CasesTable).AddEntityAsync(CaseRow(r.Id, "first-contact", r.Municipality, r.Opened, null, r.Due), ct));
    }

    /// <summary>Closed cases: Cases rows only (each its own partition, as the projection writes them).</summary>
    static async Task SeedClosedAsync(CaseStorage storage, int first, int count, DateTimeOffset now)
    {
        TableClient cases = storage.Table(CaseStorage.CasesTable);
        await Parallel.ForEachAsync(Enumerable.Range(first, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
        {
            DateTimeOffset opened = now.AddDays(-(n % 700) - 30);
            await cases.AddEntityAsync(CaseRow(CaseId(n), n % 3 == 0 ? "completed" : "closed", MunicipalityCodes[n % MunicipalityCodes.Length], opened, opened.AddDays(20), n % 3 == 0 ? null : opened.AddDays(110)), ct);
        });
    }

    static TableEntity CaseRow(string caseId, string phase, string municipality, DateTimeOffset opened, DateTimeOffset? closed, DateTimeOffset? due) => new(caseId, CaseProjectionStore.RowKey(caseId))
    {
        ["ReportedBy"] = "hotel-group",
        ["ReceivedAt"] = opened,
        ["Municipality"] = municipality,
        ["ObservedAt"] = opened.AddHours(-2),
        ["PlaceType"] = "hotel",
        ["Suspicion"] = "trafficking",
        ["PoliceNotified"] = true,
        ["PersonDocumented"] = true,
        ["Minor"] = false,
        ["Phase"] = phase,
        ["Step"] = null,
        ["Lead"] = closed is null ? null : "social-services",
        ["OpenedAt"] = opened,
        ["ClosedAt"] = closed,
        ["CloseReason"] = closed is null ? null : "stable",
        ["NextDueAt"] = due,
        ["Erased"] = false,
    };

    const int Warmup = 100;

    static async Task<(double P50, double P95, int Items)> MeasureAsync(HttpClient client, string query, int requests)
    {
        // Both series start from the same footing: the seeding's garbage collected, connections and caches warm.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        int items = 0;
        for (int i = 0; i < Warmup; i++)
        {
            using HttpResponseMessage warm = await client.GetAsync(query);
            warm.EnsureSuccessStatusCode();
            string body = await warm.Content.ReadAsStringAsync();
            items = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("items").GetArrayLength();
        }

        var times = new double[requests];
        for (int i = 0; i < requests; i++)
        {
            long start = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await client.GetAsync(query);
            await response.Content.ReadAsByteArrayAsync();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
        }

        Array.Sort(times);
        return (Percentile(times, 0.50), Percentile(times, 0.95), items);
    }

    static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
