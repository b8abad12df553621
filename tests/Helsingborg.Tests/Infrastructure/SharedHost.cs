using System.Collections.Concurrent;
using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.Lifecycle;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// The test classes that need a host with the default settings and nothing of their own: one host for all of them,
/// started once. Classes of one collection run one after the other, so a test may count what it did in this host's
/// task hub; the app's tables are shared by every host of a run in any case, so tests tell their data apart by their
/// own ids, municipalities or years, never by totals.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedHostCollection : ICollectionFixture<SharedHost>
{
    public const string Name = "Shared host";
}

/// <summary>A host with the default settings, its history counted (<see cref="HistoryCounter"/>), shared by <see cref="SharedHostCollection"/>.</summary>
public sealed class SharedHost : IAsyncLifetime
{
    readonly ConcurrentDictionary<string, object> once = new(StringComparer.Ordinal);

    public TestHost Host { get; private set; } = null!;

    public HistoryCounter History { get; } = new();

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(history: History);

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public T Get<T>() where T : notnull => (T)Host.Services.GetService(typeof(T))!;

    /// <summary>Runs <paramref name="setup"/> the first time <paramref name="key"/> is asked for (a test class's seed data); later calls get the same result.</summary>
    public Task<T> OnceAsync<T>(string key, Func<TestHost, Task<T>> setup) =>
        ((Lazy<Task<T>>)once.GetOrAdd(key, _ => new Lazy<Task<T>>(() => setup(Host)))).Value;

    /// <summary>Writes a case's projection the way the orchestration does, without an orchestration.</summary>
    public async Task<string> SeedAsync(string municipality, DateTimeOffset openedAt, Func<CaseState, CaseState>? change = null, bool minor = false)
    {
        string caseId = CaseIds.New();
        CaseState state = CaseDecider.Open(new IntakeFacts(caseId, municipality, "hotel-group", openedAt, true, minor), new CasePolicy()).State;
        await Get<CaseProjectionStore>().ProjectAsync(change is null ? state : change(state));
        return caseId;
    }

    /// <summary>Every item of the case list for a query, following <c>next</c> to the end.</summary>
    public Task<List<JsonElement>> ListAllAsync(string query, string key = TestHost.CoordinatorKey, int limit = 200) =>
        Host.ListAllAsync("api/cases", query, key, limit);
}
