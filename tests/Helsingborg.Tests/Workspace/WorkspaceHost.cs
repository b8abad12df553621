using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

/// <summary>One local host shared by a test class of the coordinator workspace.</summary>
public sealed class WorkspaceHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();

    public T Get<T>() where T : notnull => (T)Host.Services.GetService(typeof(T))!;

    /// <summary>Writes a case's projection the way the orchestration does, without an orchestration.</summary>
    public async Task<string> SeedAsync(string municipality, DateTimeOffset openedAt, Func<CaseState, CaseState>? change = null, bool minor = false)
    {
        string caseId = CaseIds.New();
        CaseState state = CaseDecider.Open(new IntakeFacts(caseId, municipality, "hotel-group", openedAt, true, minor), new CasePolicy()).State;
        await Get<CaseProjectionStore>().ProjectAsync(change is null ? state : change(state));
        return caseId;
    }

    /// <summary>Every item of the case list for a query, following <c>next</c> to the end.</summary>
    public async Task<List<JsonElement>> ListAllAsync(string query, string key = TestHost.CoordinatorKey, int limit = 200)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        for (int page = 0; page < 1000; page++)
        {
            string path = $"api/cases?{query}{(query.Length > 0 ? "&" : string.Empty)}limit={limit}" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            JsonElement body = await Host.GetJsonAsync(path, key);
            items.AddRange(body.GetProperty("items").EnumerateArray());
            cursor = body.GetProperty("next").GetString();
            if (cursor is null)
            {
                return items;
            }
        }

        throw new InvalidOperationException("The list did not end.");
    }
}
