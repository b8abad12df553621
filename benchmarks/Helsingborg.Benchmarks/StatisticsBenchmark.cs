using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Helsingborg.LocalHost;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Statistics;
using Helsingborg.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Benchmarks;

/// <summary>
/// Seeds 100,000 anonymous case rows of one year (and their month and day aggregates, as the projection would
/// have written them) straight into Azurite with batch transactions, then times GET /api/statistics for the year
/// through the local host. Azurite runs on free ports in a temporary folder and is removed afterwards.
/// Optional argument: the number of cases.
/// </summary>
public sealed class StatisticsBenchmark : IBenchmark
{
    const int Year = 2025;

    public string Name => "statistics";

    public string Description => "a year of statistics over 100,000 seeded cases (--cases N)";

    public async Task<int> RunAsync(BenchmarkOptions options)
    {
        int count = options.Int("cases", 100_000);
        int runs = options.Int("runs", 5);
        await using BenchmarkHost host = await BenchmarkHost.StartAsync(new Dictionary<string, string?> { ["Durable:PartitionCount"] = "1" });
        string connection = host.Connection;
        LocalApp app = host.App;
        var seeding = Stopwatch.StartNew();
        await SeedAsync(new TableServiceClient(connection).GetTableClient(CaseStorage.StatisticsTable), count);
        Console.WriteLine($"Seeded {count:N0} case rows in {seeding.Elapsed.TotalSeconds:0.0} s");

        using var http = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", "demo-coordinator-sos");
        foreach (string query in new[]
        {
            $"from={Year}-01-01&to={Year}-12-31&groupBy=month",
            $"from={Year}-01-01&to={Year}-12-31&groupBy=partner",
            $"from={Year}-01-01&to={Year}-12-31&groupBy=municipality&format=csv",
            $"from={Year}-01-15&to={Year}-12-14&groupBy=quarter",
        })
        {
            var times = new List<double>();
            for (int i = 0; i <= runs; i++)
            {
                var watch = Stopwatch.StartNew();
                using HttpResponseMessage response = await http.GetAsync(new Uri("api/statistics?" + query, UriKind.Relative));
                string body = await response.Content.ReadAsStringAsync();
                watch.Stop();
                response.EnsureSuccessStatusCode();
                if (i > 0)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine($"GET /api/statistics?{query}: median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms, runs over 1 s: {times.Count(t => t > 1000)} ({runs} runs after a warm-up)");
        }

        return 0;
    }

    static async Task SeedAsync(TableClient table, int count)
    {
        await table.CreateIfNotExistsAsync();
        var random = new Random(42);
        CityProfile profile = CityProfiles.Read(CityProfiles.Layered(new ConfigurationBuilder().Build()));
        string[] partners = [.. profile.Organisations.Select(o => o.Id)];
        string[] municipalities = [.. profile.Municipalities.Select(m => m.Code)];
        var byMonth = new Dictionary<string, List<TableEntity>>();
        var aggregates = new Dictionary<(string Month, string RowKey, string Partner, string Municipality), Dictionary<string, long>>();
        for (int i = 0; i < count; i++)
        {
            var at = new DateTimeOffset(Year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.NextDouble() * 365 * 24 * 3600);
            string partner = partners[random.Next(partners.Length)];
            string municipality = municipalities[random.Next(municipalities.Length)];
            var figures = new Dictionary<string, long>(CaseFigures.FromIntake(random.Next(3) > 0, random.Next(20) == 0 ? "o_bench" : null));
            figures[CaseFigures.Conversations] = random.Next(6);
            figures[CaseFigures.Given(CaseFigures.Kinds[random.Next(CaseFigures.Kinds.Length)])] = random.Next(3);
            if (random.Next(2) == 0)
            {
                figures[CaseFigures.Closed(CaseFigures.Reasons[random.Next(CaseFigures.Reasons.Length)])] = 1;
            }

            TableEntity row = StatisticsStore.CaseEntity($"c_bench{i:D21}", at, partner, municipality, figures);
            string month = row.PartitionKey;
            if (!byMonth.TryGetValue(month, out var rows))
            {
                byMonth[month] = rows = [];
            }

            rows.Add(row);
            foreach (string rowKey in new[] { StatisticsStore.AggregateRowKey(partner, municipality, 0), StatisticsStore.DayRowKey(at.Day, partner, municipality, 0) })
            {
                var key = (month, rowKey, partner, municipality);
                if (!aggregates.TryGetValue(key, out var sum))
                {
                    aggregates[key] = sum = new Dictionary<string, long>();
                }

                foreach ((string name, long value) in figures)
                {
                    sum[name] = sum.GetValueOrDefault(name) + value;
                }
            }
        }

        foreach (((string month, string rowKey, string partner, string municipality), var sum) in aggregates)
        {
            var aggregate = new TableEntity(month, rowKey) { ["Partner"] = partner, ["Municipality"] = municipality };
            foreach (string name in CaseFigures.All)
            {
                aggregate[name] = sum.GetValueOrDefault(name);
            }

            byMonth[month].Add(aggregate);
        }

        var batches = byMonth.Values.SelectMany(rows => rows.Chunk(100)).ToList();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (batch, cancel) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)), cancel));
    }
}
