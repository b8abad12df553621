using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Helsingborg.LocalHost;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// A local host on the shared test Azurite, with its own task hub, free ports and optional settings
/// (for example the case policy shrunk to seconds). Log output is captured so tests can scan it.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string PartnerKey = "demo-partner-hotel";
    public const string CoordinatorKey = "demo-coordinator-sos";
    public const string SalvationArmyKey = "demo-coordinator-fa";

    /// <summary>Two coordinators of the same organisation as <see cref="CoordinatorKey"/>, whose keys name the person.</summary>
    public const string AnnaKey = "demo-coordinator-anna";
    public const string AnnaName = "Anna Berg";
    public const string ErikKey = "demo-coordinator-erik";
    public const string ErikName = "Erik Lund";
    /// <summary>A coordinator of Landskrona's receiver: sees only its own cases and those it is asked to take over.</summary>
    public const string LandskronaKey = "demo-coordinator-landskrona";
    public const string StatisticsKey = "demo-statistics";
    public const string AdminKey = "demo-admin";

    readonly LocalApp app;
    readonly IDisposable? load;

    TestHost(LocalApp app, string hubName, CapturedLogs logs, IDictionary<string, string?> settings, IDisposable? load)
    {
        this.app = app;
        this.load = load;
        HubName = hubName;
        Logs = logs;
        Settings = settings;
        Client = new HttpClient { BaseAddress = app.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public string HubName { get; }

    public CapturedLogs Logs { get; }

    public IDictionary<string, string?> Settings { get; }

    public IServiceProvider Services => app.Services;

    /// <param name="services">More services for the host, e.g. an in-memory telemetry exporter.</param>
    /// <param name="waitsMostly">A soak proof's host, which waits most of its time: not counted in <see cref="MachineLoad"/>.</param>
    public static async Task<TestHost> StartAsync(IDictionary<string, string?>? settings = null, string? hubName = null, CapturedLogs? logs = null, HistoryCounter? history = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, bool waitsMostly = false)
    {
        string connection = await TestStorage.ConnectionStringAsync();
        hubName ??= "t" + Guid.NewGuid().ToString("N")[..12];
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["AzureWebJobsStorage"] = connection,
            ["CaseStorage"] = connection,
            ["Durable:HubName"] = hubName,
            ["Durable:WorkerId"] = "test-" + hubName,
            ["Durable:PartitionCount"] = "1",
            ["Durable:MaxQueuePollingInterval"] = "00:00:00.500",
            ["Host:LocalHttpPort"] = LocalApp.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        logs ??= new CapturedLogs();
        LocalApp app = await LocalApp.CreateAsync([], all, logging =>
        {
            logging.AddProvider(logs);
            history?.AddTo(logging);
        }, services);
        var host = new TestHost(app, hubName, logs, all, waitsMostly ? null : MachineLoad.Start());
        try
        {
            await app.StartAsync();
            await host.WaitUntilHealthyAsync();
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    async Task WaitUntilHealthyAsync()
    {
        await Poll.UntilAsync(async () => (await Client.GetAsync("api/health")).IsSuccessStatusCode, TimeSpan.FromSeconds(30), "the local host to answer health");
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? key, object? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? json = null) =>
        Client.SendAsync(Request(method, path, key, json));

    public async Task<string> SubmitIntakeAsync(object intake, string key = PartnerKey)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, "api/intake", key, intake);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"intake answered {(int)response.StatusCode}: {body}" + string.Join("\n", Logs.Lines.Where(l => l.Contains("failed"))));
        return JsonDocument.Parse(body).RootElement.GetProperty("caseId").GetString()!;
    }

    public async Task<JsonElement> GetJsonAsync(string path, string key = CoordinatorKey)
    {
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, path, key);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<HttpResponseMessage> PostEventAsync(string caseId, object body, string key = CoordinatorKey) =>
        await SendAsync(HttpMethod.Post, $"api/cases/{caseId}/events", key, body);

    /// <summary>
    /// Posts an event and asserts 202. A 503 (e.g. the case's orchestration has not started yet, on a loaded
    /// machine) is sent again after its Retry-After, as a client does, for up to a minute.
    /// </summary>
    public async Task RecordAsync(string caseId, object body, string key = CoordinatorKey)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using HttpResponseMessage response = await PostEventAsync(caseId, body, key);
            string text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"event answered {(int)response.StatusCode}: {text}");
            return;
        }
    }

    /// <summary>Polls the case until <paramref name="condition"/> holds; returns the case JSON.</summary>
    public async Task<JsonElement> WaitForCaseAsync(string caseId, Func<JsonElement, bool> condition, string what, TimeSpan? timeout = null, string key = CoordinatorKey)
    {
        JsonElement last = default;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                last = await GetJsonAsync($"api/cases/{caseId}", key);
                return condition(last);
            }, timeout ?? TimeSpan.FromSeconds(180), what);
        }
        catch (TimeoutException e)
        {
            var durable = (Microsoft.DurableTask.Client.DurableTaskClient)Services.GetService(typeof(Microsoft.DurableTask.Client.DurableTaskClient))!;
            var instance = await durable.GetInstanceAsync(caseId);
            throw new TimeoutException($"{e.Message} Orchestration: {instance?.RuntimeStatus}, {instance?.SerializedCustomStatus}, failure {instance?.FailureDetails?.ErrorType}: {instance?.FailureDetails?.ErrorMessage}", e);
        }

        return last;
    }

    /// <summary>Every item of a paged list (<c>api/cases</c>, <c>api/reminders</c>, …) matching the query, following <c>next</c> page by page.</summary>
    public async Task<List<JsonElement>> ListAllAsync(string list, string query, string key = CoordinatorKey, int limit = 200)
    {
        var items = new List<JsonElement>();
        string? cursor = null;
        for (int page = 0; page < 1000; page++)
        {
            string path = $"{list}?{query}{(query.Length > 0 ? "&" : string.Empty)}limit={limit}" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            JsonElement body = await GetJsonAsync(path, key);
            items.AddRange(body.GetProperty("items").EnumerateArray());
            cursor = body.GetProperty("next").GetString();
            if (cursor is null)
            {
                return items;
            }
        }

        throw new InvalidOperationException("The list did not end.");
    }

    /// <summary>Waits until the case's orchestration has started, so that an event sent now is not answered 503.</summary>
    public Task WaitForStartedAsync(string caseId, TimeSpan? timeout = null)
    {
        var durable = (Microsoft.DurableTask.Client.DurableTaskClient)Services.GetService(typeof(Microsoft.DurableTask.Client.DurableTaskClient))!;
        return Poll.UntilAsync(
            async () => (await durable.GetInstanceAsync(caseId)) is { } instance
                && (instance.RuntimeStatus != Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Pending || instance.SerializedCustomStatus is not null),
            timeout ?? TimeSpan.FromSeconds(60), "the case's orchestration to start");
    }

    public Task<JsonElement> WaitForPhaseAsync(string caseId, string phase, TimeSpan? timeout = null, string key = CoordinatorKey) =>
        WaitForCaseAsync(caseId, c => c.GetProperty("phase").GetString() == phase, $"case to reach {phase}", timeout, key);

    /// <summary>
    /// A case in short-term support, the set-up most tests start from: the intake (<see cref="Intakes.Valid"/> unless
    /// given), <c>contact-made</c> with the person wanting support and, by <paramref name="wantsAuthorityContact"/>, the
    /// authorities (yes: led by the default lead; no: by the lead without authorities), then the phase seen by
    /// <paramref name="readKey"/> (a coordinator of the lead's organisation when only it sees the case).
    /// </summary>
    public async Task<string> CaseInShortTermSupportAsync(object? intake = null, string wantsAuthorityContact = "yes", string key = CoordinatorKey, string? readKey = null)
    {
        string caseId = await SubmitIntakeAsync(intake ?? Intakes.Valid());
        await RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact }, key);
        await WaitForPhaseAsync(caseId, "short-term-support", key: readKey ?? key);
        return caseId;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await app.DisposeAsync();
        }
        finally
        {
            load?.Dispose();
        }
    }

    public static StringContent RawJson(string json, string mediaType = "application/json") =>
        new(json, Encoding.UTF8, new MediaTypeHeaderValue(mediaType));
}

/// <summary>Every log line the host wrote (category, level, rendered message, exception text).</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}

/// <summary>Polling with a deadline, never a fixed sleep.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        TimeSpan delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0}s waiting for {what}.");
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 1.5, 500));
        }
    }
}
