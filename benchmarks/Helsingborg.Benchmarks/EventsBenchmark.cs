using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Benchmarks;

/// <summary>
/// <c>events</c>: how long a coordinator's event takes to show, and what intakes and events cost in storage requests,
/// on the local host with its default settings (local.settings.sample.json; the engine's 1 s maximum queue polling)
/// on its own in-memory Azurite, started with <c>--debug</c> so that it logs every request it receives.
/// <list type="number">
/// <item>Intake phase: <c>--cases</c> intakes one after another (the intake benchmark's body), each followed by
/// <c>GET /api/cases/{id}</c> every 20 ms until the case shows <c>first-contact</c>; then 2 s for the engine to finish.
/// Then, outside every window, a check that each case's orchestration has started (an event before would be answered 503).</item>
/// <item>Event phase: for each case a <c>contact-made</c> event (wantsSupport yes) and the time from sending it until
/// the case shows <c>short-term-support</c>, polled every 20 ms; then 2 s for the engine to finish.</item>
/// <item>Idle: after 12 s without work (the engine's polling backs off to its maximum by then), <c>--idle</c> seconds
/// in which nothing happens; then <c>--gets</c> reads of one case, to learn what the benchmark's own polling costs.</item>
/// </list>
/// Each phase's requests are the debug log's request lines (one per request, marked
/// <c>…StorageContextMiddleware: RequestMethod=</c>) stamped within it, the engine's polling and the benchmark's own
/// reads included; the figures also show them without the reads, and without the idle polling rate as well.
/// Options: <c>--cases 30 --idle 10 --gets 50 --timeout 30</c> (seconds per wait), <c>--out file.json</c>,
/// <c>--log file</c> (keep Azurite's debug log there; otherwise a temporary file, deleted).
/// </summary>
public sealed class EventsBenchmark : IBenchmark
{
    const string PartnerKey = "demo-partner-hotel";
    const string CoordinatorKey = "demo-coordinator-sos";
    const string EventBody = """{"type":"contact-made","wantsSupport":"yes","note":"Met at the shelter."}""";
    const string Marker = "StorageContextMiddleware: RequestMethod=";
    const int WarmupCases = 2;
    static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(20);
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);
    static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(12);

    public string Name => "events";

    public string Description => "event → phase visible p50/p95/max; storage requests per intake and per event; idle polling (--cases 30 --idle 10 --out f.json)";

    public async Task<int> RunAsync(BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        int cases = Math.Max(1, options.Int("cases", 30));
        var idle = TimeSpan.FromSeconds(Math.Max(1, options.Int("idle", 10)));
        int gets = Math.Max(1, options.Int("gets", 50));
        var timeout = TimeSpan.FromSeconds(options.Int("timeout", 30));
        string? output = options.Text("out");
        string? keptLog = options.Text("log");
        string log = keptLog is null ? Path.Combine(Path.GetTempPath(), $"helsingborg-events-{Guid.NewGuid():N}.log") : Path.GetFullPath(keptLog);
        if (keptLog is not null && File.Exists(log))
        {
            File.Delete(log);
        }

        Console.WriteLine($"events benchmark: {cases} cases, {idle.TotalSeconds:0} s idle; starting Azurite (debug log {log}) and the local host …");
        try
        {
            var openLatency = new List<double>(cases);
            var eventLatency = new List<double>(cases);
            Window intakes, events, idleWindow, reads;
            await using (BenchmarkHost host = await BenchmarkHost.StartAsync(azuriteDebugLog: log))
            {
                HttpClient client = host.Client;
                string body = IntakeBenchmark.Intake();

                // Warm-up (JIT, connections, the engine), outside every window.
                for (int i = 0; i < WarmupCases; i++)
                {
                    string warm = await IntakeAsync(client, body, timeout);
                    await WaitForPhaseAsync(client, warm, "first-contact", timeout);
                    await EventAsync(client, warm, timeout);
                    await WaitForPhaseAsync(client, warm, "short-term-support", timeout);
                }

                await Task.Delay(Settle);

                var ids = new List<string>(cases);
                DateTime from = DateTime.UtcNow;
                int polls = 0;
                for (int i = 0; i < cases; i++)
                {
                    long start = Stopwatch.GetTimestamp();
                    string caseId = await IntakeAsync(client, body, timeout);
                    polls += await WaitForPhaseAsync(client, caseId, "first-contact", timeout);
                    openLatency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    ids.Add(caseId);
                }

                await Task.Delay(Settle);
                intakes = new Window(from, DateTime.UtcNow, cases, polls);

                // Between the windows, uncounted: every case's orchestration has started (an event before that is
                // answered 503), and did so inside the intake window, or the intake figures miss some of its work.
                DateTimeOffset lastStarted = await WaitForStartedAsync(host.App.Services.GetRequiredService<DurableTaskClient>(), ids, timeout);
                if (lastStarted > intakes.To)
                {
                    Console.WriteLine($"warning: an orchestration last wrote its state {(lastStarted - intakes.To).TotalMilliseconds:0} ms after the intake window closed: the per-intake figures miss that work");
                }

                from = DateTime.UtcNow;
                polls = 0;
                foreach (string caseId in ids)
                {
                    long start = Stopwatch.GetTimestamp();
                    await EventAsync(client, caseId, timeout);
                    polls += await WaitForPhaseAsync(client, caseId, "short-term-support", timeout);
                    eventLatency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }

                await Task.Delay(Settle);
                events = new Window(from, DateTime.UtcNow, cases, polls);

                Console.WriteLine($"measuring idle polling ({IdleSettle.TotalSeconds:0} s to back off, then {idle.TotalSeconds:0} s) and what one GET /api/cases/{{id}} costs …");
                await Task.Delay(IdleSettle);
                from = DateTime.UtcNow;
                await Task.Delay(idle);
                idleWindow = new Window(from, DateTime.UtcNow, 0, 0);

                from = DateTime.UtcNow;
                for (int i = 0; i < gets; i++)
                {
                    using var deadline = new CancellationTokenSource(timeout);
                    using HttpResponseMessage response = await GetCaseAsync(client, ids[0], deadline.Token);
                    response.EnsureSuccessStatusCode();
                }

                reads = new Window(from, DateTime.UtcNow, gets, gets);

                // Azurite writes its log asynchronously: a second more, so the last window is on disk before it stops.
                await Task.Delay(TimeSpan.FromSeconds(1));
            }

            List<(DateTime At, string Service, bool QueueGet)> requests = ReadLog(log);
            Counts intakeCounts = Count(requests, intakes), eventCounts = Count(requests, events), idleCounts = Count(requests, idleWindow), readCounts = Count(requests, reads);
            double idleRate = idleCounts.All / idleWindow.Seconds;
            double perRead = Math.Max(0, (readCounts.All - (idleRate * reads.Seconds)) / gets);
            string load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : "n/a";

            Console.WriteLine();
            Console.WriteLine("phase        items  seconds  requests  (table  queue   blob)  queue GETs  api GETs");
            Row("intake", intakes, intakeCounts);
            Row("event", events, eventCounts);
            Row("idle", idleWindow, idleCounts);
            Row("api GET", reads, readCounts);
            Console.WriteLine();
            PerItem("intake", intakes, intakeCounts, perRead, idleRate);
            PerItem("event", events, eventCounts, perRead, idleRate);
            Console.WriteLine(Invariant($"idle polling: {idleRate:0.00} requests/s (queue GETs {idleCounts.QueueGets / idleWindow.Seconds:0.00}/s) over {idleWindow.Seconds:0.0} s"));
            Console.WriteLine(Invariant($"one GET /api/cases/{{id}}: {perRead:0.0} storage requests (from {gets} reads, idle polling subtracted)"));
            Latencies opened = Latencies.Of(openLatency), shown = Latencies.Of(eventLatency);
            Console.WriteLine($"intake → case open (POST /api/intake until GET shows first-contact): {opened}");
            Console.WriteLine($"event → phase shown (POST …/events until GET shows short-term-support): {shown}");
            Console.WriteLine($"load average at the end: {load}");

            if (output is not null)
            {
                var figures = new
                {
                    cases,
                    eventToPhaseMs = new { p50 = shown.P50, p95 = shown.P95, max = shown.Max },
                    intakeToOpenMs = new { p50 = opened.P50, p95 = opened.P95, max = opened.Max },
                    storageRequests = new
                    {
                        perIntake = Figures(intakes, intakeCounts, perRead, idleRate),
                        perEvent = Figures(events, eventCounts, perRead, idleRate),
                        idlePerSecond = idleRate,
                        idleFrom = idleWindow.From,
                        idleTo = idleWindow.To,
                        perApiGet = perRead,
                    },
                    loadAverage = load,
                    at = DateTimeOffset.UtcNow,
                };
                await File.WriteAllTextAsync(output, JsonSerializer.Serialize(figures, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"figures written to {output}");
            }

            return 0;
        }
        finally
        {
            if (keptLog is null && File.Exists(log))
            {
                File.Delete(log);
            }
        }
    }

    /// <summary>A phase: its time span (UTC, as Azurite stamps its log), how many items it did and how many case reads the benchmark made in it.</summary>
    sealed record Window(DateTime From, DateTime To, int Items, int ApiGets)
    {
        public double Seconds => (To - From).TotalSeconds;
    }

    sealed record Counts(int All, int Table, int Queue, int Blob, int QueueGets);

    static Counts Count(List<(DateTime At, string Service, bool QueueGet)> requests, Window window)
    {
        var inside = requests.Where(r => r.At >= window.From && r.At < window.To).ToList();
        return new Counts(inside.Count, inside.Count(r => r.Service == "Table"), inside.Count(r => r.Service == "Queue"), inside.Count(r => r.Service == "Blob"), inside.Count(r => r.QueueGet));
    }

    /// <summary>
    /// Azurite's debug log: a line <c>{ISO time} {request id} info: {Table|Queue|Blob}StorageContextMiddleware: RequestMethod=…
    /// RequestURL=…</c> for every request it receives, before anything else about that request.
    /// </summary>
    static List<(DateTime At, string Service, bool QueueGet)> ReadLog(string log)
    {
        var requests = new List<(DateTime, string, bool)>();
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            int marker = line.IndexOf(Marker, StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (marker < 0 || space < 0
                || !DateTime.TryParse(line[..space], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime at))
            {
                continue;
            }

            string service = line[(line.LastIndexOf(' ', marker) + 1)..marker];
            bool queueGet = service == "Queue" && line.AsSpan(marker + Marker.Length).StartsWith("GET ", StringComparison.Ordinal);
            requests.Add((at, service, queueGet));
        }

        if (requests.Count == 0)
        {
            throw new InvalidOperationException($"Azurite's debug log {log} has no request lines (\"{Marker}\"): has its format changed?");
        }

        return requests;
    }

    static void Row(string phase, Window window, Counts counts) => Console.WriteLine(Invariant(
        $"{phase,-10} {window.Items,7} {window.Seconds,8:0.0} {counts.All,9}  ({counts.Table,5} {counts.Queue,6} {counts.Blob,6}) {counts.QueueGets,11} {window.ApiGets,9}"));

    static void PerItem(string what, Window window, Counts counts, double perRead, double idleRate)
    {
        (double all, double withoutReads, double withoutIdle) = Per(window, counts, perRead, idleRate);
        Console.WriteLine(Invariant(
            $"storage requests per {what,-6}: {all,6:0.0} all; {withoutReads,6:0.0} without the benchmark's {window.ApiGets} case reads; {withoutIdle,6:0.0} also without idle polling ({idleRate:0.00}/s × {window.Seconds:0.0} s)"));
    }

    static (double All, double WithoutReads, double WithoutIdle) Per(Window window, Counts counts, double perRead, double idleRate)
    {
        double all = (double)counts.All / window.Items;
        double withoutReads = (counts.All - (window.ApiGets * perRead)) / window.Items;
        return (all, withoutReads, withoutReads - (idleRate * window.Seconds / window.Items));
    }

    static object Figures(Window window, Counts counts, double perRead, double idleRate)
    {
        (double all, double withoutReads, double withoutIdle) = Per(window, counts, perRead, idleRate);
        return new
        {
            all,
            withoutBenchmarkReads = withoutReads,
            withoutBenchmarkReadsAndIdlePolling = withoutIdle,
            requests = counts.All,
            table = counts.Table,
            queue = counts.Queue,
            blob = counts.Blob,
            queueGets = counts.QueueGets,
            benchmarkReads = window.ApiGets,
            seconds = window.Seconds,
            items = window.Items,
            from = window.From,
            to = window.To,
        };
    }

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    static async Task<string> IntakeAsync(HttpClient client, string body, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/intake") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", PartnerKey);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using HttpResponseMessage response = await client.SendAsync(request, deadline.Token);
        string answer = await response.Content.ReadAsStringAsync(deadline.Token);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/intake answered {(int)response.StatusCode}: {answer}");
        }

        return JsonDocument.Parse(answer).RootElement.GetProperty("caseId").GetString()!;
    }

    static async Task EventAsync(HttpClient client, string caseId, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/events") { Content = new StringContent(EventBody, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", CoordinatorKey);
        using HttpResponseMessage response = await client.SendAsync(request, deadline.Token);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/cases/{caseId}/events answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(deadline.Token)}");
        }
    }

    static async Task<HttpResponseMessage> GetCaseAsync(HttpClient client, string caseId, CancellationToken cancel)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}");
        request.Headers.Add("X-Api-Key", CoordinatorKey);
        return await client.SendAsync(request, cancel);
    }

    /// <summary>Waits until every case's orchestration has started (as the tests' WaitForStartedAsync); returns the latest time one of them wrote its state.</summary>
    static async Task<DateTimeOffset> WaitForStartedAsync(DurableTaskClient durable, List<string> ids, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        DateTimeOffset latest = DateTimeOffset.MinValue;
        foreach (string caseId in ids)
        {
            while (true)
            {
                using var cancel = new CancellationTokenSource(timeout);
                OrchestrationMetadata? instance = await durable.GetInstanceAsync(caseId, cancel.Token);
                if (instance is not null && (instance.RuntimeStatus != OrchestrationRuntimeStatus.Pending || instance.SerializedCustomStatus is not null))
                {
                    latest = instance.LastUpdatedAt > latest ? instance.LastUpdatedAt : latest;
                    break;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"The orchestration of case {caseId} did not start within {timeout.TotalSeconds:0} s.");
                }

                await Task.Delay(50);
            }
        }

        return latest;
    }

    /// <summary>Reads the case every 20 ms until it shows <paramref name="phase"/> (404 until its first projection); returns the number of reads.</summary>
    static async Task<int> WaitForPhaseAsync(HttpClient client, string caseId, string phase, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        int reads = 0;
        string last = "nothing yet";
        try
        {
            while (true)
            {
                reads++;
                using (HttpResponseMessage response = await GetCaseAsync(client, caseId, deadline.Token))
                {
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(deadline.Token));
                        last = doc.RootElement.GetProperty("phase").GetString() ?? "null";
                        if (last == phase)
                        {
                            return reads;
                        }
                    }
                    else if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        throw new InvalidOperationException($"GET /api/cases/{caseId} answered {(int)response.StatusCode}");
                    }
                }

                await Task.Delay(PollEvery, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Case {caseId} did not show {phase} within {timeout.TotalSeconds:0} s (last: {last}).");
        }
    }
}
