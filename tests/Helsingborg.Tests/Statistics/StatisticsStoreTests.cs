using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Helsingborg.Statistics;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Statistics;

/// <summary>The statistics store under the load of a busy night: many cases of one cell written at once.</summary>
public sealed class StatisticsStoreTests : IAsyncLifetime
{
    StatisticsStore store = null!;

    public async Task InitializeAsync()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        var storage = new CaseStorage(new TableServiceClient(connection), new BlobServiceClient(connection));
        await storage.EnsureCreatedAsync();
        store = new StatisticsStore(storage);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Concurrent_cases_of_one_cell_all_count_once_and_repeated_writes_add_nothing()
    {
        // A partner id of its own keeps other tests' rows out of the sums.
        string partner = "load-" + Guid.NewGuid().ToString("N")[..8];
        var at = new DateTimeOffset(1999, 3, 14, 22, 0, 0, TimeSpan.Zero);
        string[] cases = [.. Enumerable.Range(0, 160).Select(_ => Helsingborg.Cases.CaseIds.New())];
        IReadOnlyDictionary<string, long> figures = CaseFigures.FromIntake(personDocumented: true, outreachSessionId: null);

        await Task.WhenAll(cases.Select(c => store.SetAsync(c, at, partner, "helsingborg", figures)));
        await Task.WhenAll(cases.Select(c => store.SetAsync(c, at, partner, "helsingborg", figures)));

        string month = StatisticsStore.MonthOf(at);
        long Sum(IEnumerable<FigureRow> rows, string counter) => rows.Where(r => r.Partner == partner).Sum(r => r.Counters[counter]);
        IReadOnlyList<FigureRow> aggregates = await store.AggregatesAsync(month, month);
        IReadOnlyList<FigureRow> days = await store.DaysAsync(month, 14, 14);
        Assert.Equal(160, Sum(aggregates, CaseFigures.Incidents));
        Assert.Equal(160, Sum(aggregates, CaseFigures.Persons));
        Assert.Equal(160, Sum(days, CaseFigures.Incidents));
        Assert.DoesNotContain(await store.DaysAsync(month, 15, 31), r => r.Partner == partner);
    }
}
