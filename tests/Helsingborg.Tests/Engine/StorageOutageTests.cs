using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// A storage outage (issue 12, 3): the host's Azurite, one of the test's own, is frozen with SIGSTOP for 60 s while
/// intakes, reads, events and health checks arrive. Every request is answered within 10 s and none with a 5xx other
/// than 503 (problem+json with Retry-After, health its own 503). After SIGCONT the host recovers by itself: health
/// answers 200 again, intakes answered 503 are sent again with the same Idempotency-Key and are accepted, every
/// accepted intake's case exists and its orchestration opens it and takes a next event, and every accepted event
/// on a case in support is applied once (those answered 503 at most once).
/// </summary>
[Collection(EngineProcesses.Name)]
public sealed class StorageOutageTests(ITestOutputHelper output)
{
    static readonly TimeSpan Freeze = TimeSpan.FromSeconds(60);
    static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(10);
    const int Sigcont = 18;
    const int Sigstop = 19;

    [Fact]
    [Trait("Category", "Soak")]
    public async Task Storage_frozen_for_60_s_every_request_is_answered_within_10_s_without_a_500_and_the_host_recovers_by_itself()
    {
        string folder = Path.Combine(Path.GetTempPath(), "helsingborg-outage-" + Guid.NewGuid().ToString("N"));
        Azurite azurite = await Azurite.StartAsync(folder, LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort(), TimeSpan.FromSeconds(90));
        string connection = DevelopmentStorage.ConnectionString(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        TestHost? host = null;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            host = await TestHost.StartAsync(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection, ["CaseStorage"] = connection });
            client.BaseAddress = host.Client.BaseAddress;
            string run = Guid.NewGuid().ToString("N")[..8];
            string supported = await host.SubmitIntakeAsync(Intakes.Valid());
            await host.RecordAsync(supported, new { type = "contact-made", wantsSupport = "yes" });
            await host.WaitForPhaseAsync(supported, "short-term-support", TimeSpan.FromSeconds(60));

            var ledger = new RequestLedger();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            Task[] load =
            [
                IntakesAsync(client, ledger, run, "a", clock, stop.Token),
                IntakesAsync(client, ledger, run, "b", clock, stop.Token),
                ReadsAsync(client, ledger, supported, clock, stop.Token),
                EventsAsync(client, ledger, supported, clock, stop.Token),
                HealthAsync(client, ledger, clock, stop.Token),
            ];

            await Poll.UntilAsync(() => Task.FromResult(ledger.AcceptedIntakes.Count >= 4 && ledger.AcceptedEvents.Count >= 2), TimeSpan.FromSeconds(30), "intakes and events before the freeze");
            TimeSpan frozenAt = clock.Elapsed;
            TimeSpan resumedAt;
            Assert.Equal(0, Signal(azurite.ProcessId, Sigstop));
            try
            {
                await Task.Delay(Freeze);
            }
            finally
            {
                Assert.Equal(0, Signal(azurite.ProcessId, Sigcont));
                resumedAt = clock.Elapsed;
            }

            // The host recovers by itself: health answers 200 again, without a restart.
            DateTime resumed = DateTime.UtcNow;
            await Poll.UntilAsync(() => Task.FromResult(ledger.Answers.Any(a => a.Kind == "health" && a.Status == 200 && a.SentAt > resumedAt)), TimeSpan.FromSeconds(60), "health to answer 200 after the freeze");
            TimeSpan healthyAfter = DateTime.UtcNow - resumed;
            await Poll.UntilAsync(() => Task.FromResult(ledger.Answers.Count(a => a.Kind == "intake" && a.Status == 202 && a.SentAt > resumedAt) >= 2), TimeSpan.FromSeconds(60), "intakes accepted after the freeze");
            await stop.CancelAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(30));

            RequestLedger.Answer[] during = ledger.Answers.Where(a => a.SentAt + a.Took > frozenAt && a.SentAt < resumedAt).ToArray();
            RequestLedger.Answer longest = ledger.Answers.MaxBy(a => a.Took)!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{ledger.Answers.Count} answers, {during.Length} during the freeze ({string.Join(", ", during.GroupBy(a => a.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key}"))}); longest {longest.Took.TotalSeconds:0.0} s ({longest.Kind} {longest.Status}); health 200 again {healthyAfter.TotalSeconds:0.0} s after SIGCONT"));
            foreach (IGrouping<string, RequestLedger.Answer> kind in during.GroupBy(a => a.Kind))
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  during the freeze, {kind.Key}: {kind.Count()} answers, longest {kind.Max(a => a.Took).TotalSeconds:0.0} s"));
            }

            Assert.Empty(ledger.Failures);
            Assert.True(during.Length >= 10, $"only {during.Length} requests met the freeze");
            Assert.Contains(during, a => a.Status == 503 && a.Kind == "intake");
            Assert.All(ledger.Answers, a => Assert.True(a.Took <= AnswerLimit, $"{a.Kind} answered {a.Status} after {a.Took.TotalSeconds:0.0} s"));
            Assert.All(ledger.Answers, a => Assert.True(a.Status < 500 || a.Status == 503, $"{a.Kind} answered {a.Status}: {a.Body}"));
            Assert.All(ledger.Answers.Where(a => a.Status == 503 && a.Kind != "health"), a =>
                Assert.True(a.ProblemWithRetryAfter, $"{a.Kind} answered 503 without problem+json and Retry-After: {a.Body}"));

            // Intakes cut off by the outage are sent again as a partner would: the same Idempotency-Key, once storage answers.
            foreach (string key in ledger.RefusedIntakes.Keys)
            {
                (int status, string caseId) = await PostIntakeAsync(client, key);
                Assert.True(status == 202, $"the retry of {key} answered {status}");
                ledger.AcceptedIntakes[key] = caseId;
            }

            string[] cases = ledger.AcceptedIntakes.Values.Distinct().ToArray();
            try
            {
                await Task.WhenAll(cases.Select(caseId => OpenedAndProgressingAsync(host, caseId)));
                await AppliedOnceAsync(host, ledger, supported);
            }
            catch (Exception e)
            {
                // What the engine said about the case that did not move, and its warnings.
                string stuck = System.Text.RegularExpressions.Regex.Match(e.Message, "case (c_[0-9a-z]+)").Groups[1].Value;
                foreach (string line in host.Logs.Lines.Where(l => (stuck.Length > 0 && l.Contains(stuck, StringComparison.Ordinal)) || (l.StartsWith("Warning DurableTask", StringComparison.Ordinal))).TakeLast(100))
                {
                    output.WriteLine(line.Length > 400 ? line[..400] : line);
                }

                foreach (string line in stuck.Length > 0 ? await StoredHistory.ReadAsync(connection, host.HubName, stuck) : [])
                {
                    output.WriteLine(line);
                }

                foreach (string line in await StoredHistory.ReadFailedAsync(connection, host.HubName))
                {
                    output.WriteLine("failed " + line);
                }

                throw;
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{cases.Length} accepted intakes ({ledger.RefusedIntakes.Count} of them sent again after a 503) opened and moved on, {ledger.AcceptedEvents.Count} accepted events applied once ({ledger.DoubtfulEvents.Count} answered 503): all done {(DateTime.UtcNow - resumed).TotalSeconds:0.0} s after SIGCONT"));
        }
        finally
        {
            _ = Signal(azurite.ProcessId, Sigcont);
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            await azurite.DisposeAsync();
            CtrlCTests.DeleteFolder(folder);
        }
    }

    /// <summary>The case exists, its orchestration opened it (the call-police reminder), and it takes contact-made.</summary>
    static async Task OpenedAndProgressingAsync(TestHost host, string caseId)
    {
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == "call-police"), $"case {caseId} to be opened by its orchestration", TimeSpan.FromSeconds(60));
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support", TimeSpan.FromSeconds(60));
    }

    /// <summary>Every accepted support conversation is in the timeline once; one answered 503 at most once.</summary>
    static async Task AppliedOnceAsync(TestHost host, RequestLedger ledger, string caseId)
    {
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() >= ledger.AcceptedEvents.Count, "every accepted event to be counted", TimeSpan.FromSeconds(60));
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Dictionary<string, int> notes = timeline.GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetString() == "support-conversation")
            .GroupBy(i => i.TryGetProperty("note", out JsonElement note) ? note.GetString() ?? string.Empty : string.Empty)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.All(ledger.AcceptedEvents.Keys, note => Assert.True(notes.GetValueOrDefault(note) == 1, $"accepted '{note}' is in the timeline {notes.GetValueOrDefault(note)} times"));
        Assert.All(notes, n => Assert.True(n.Value == 1 && (ledger.AcceptedEvents.ContainsKey(n.Key) || ledger.DoubtfulEvents.ContainsKey(n.Key)), $"'{n.Key}' is in the timeline {n.Value} times"));
    }

    static async Task IntakesAsync(HttpClient client, RequestLedger ledger, string run, string writer, Stopwatch clock, CancellationToken stop)
    {
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            string key = $"outage-{run}-{writer}-{n}";
            using HttpRequestMessage request = IntakeRequest(key);
            RequestLedger.Answer? answer = await ledger.SendAsync(client, "intake", request, clock);
            if (answer?.Status == 202)
            {
                ledger.AcceptedIntakes[key] = JsonDocument.Parse(answer.Body).RootElement.GetProperty("caseId").GetString()!;
            }
            else if (answer?.Status == 503)
            {
                ledger.RefusedIntakes[key] = true;
            }

            await Pause(stop);
        }
    }

    static async Task ReadsAsync(HttpClient client, RequestLedger ledger, string caseId, Stopwatch clock, CancellationToken stop)
    {
        string[] paths = [$"api/cases/{caseId}", $"api/cases/{caseId}/timeline", "api/cases?limit=20", "api/reminders?status=open"];
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, paths[n % paths.Length]);
            request.Headers.Add("X-Api-Key", TestHost.CoordinatorKey);
            await ledger.SendAsync(client, "read", request, clock);
            await Pause(stop);
        }
    }

    static async Task EventsAsync(HttpClient client, RequestLedger ledger, string caseId, Stopwatch clock, CancellationToken stop)
    {
        for (int n = 0; !stop.IsCancellationRequested; n++)
        {
            string note = $"outage conversation {n} {Guid.NewGuid():N}";
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/events") { Content = JsonContent.Create(new { type = "support-conversation", note }) };
            request.Headers.Add("X-Api-Key", TestHost.CoordinatorKey);
            RequestLedger.Answer? answer = await ledger.SendAsync(client, "event", request, clock);
            if (answer?.Status == 202)
            {
                ledger.AcceptedEvents[note] = true;
            }
            else if (answer?.Status == 503)
            {
                ledger.DoubtfulEvents[note] = true;
            }

            await Pause(stop);
        }
    }

    static async Task HealthAsync(HttpClient client, RequestLedger ledger, Stopwatch clock, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/health");
            await ledger.SendAsync(client, "health", request, clock);
            await Pause(stop);
        }
    }

    static async Task Pause(CancellationToken stop)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    static HttpRequestMessage IntakeRequest(string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/intake") { Content = JsonContent.Create(Intakes.Valid(policeNotified: false)) };
        request.Headers.Add("X-Api-Key", TestHost.PartnerKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    static async Task<(int Status, string CaseId)> PostIntakeAsync(HttpClient client, string idempotencyKey)
    {
        using HttpRequestMessage request = IntakeRequest(idempotencyKey);
        using HttpResponseMessage response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, response.StatusCode == HttpStatusCode.Accepted ? JsonDocument.Parse(body).RootElement.GetProperty("caseId").GetString()! : body);
    }

    static int Signal(int pid, int signal)
    {
        // kill(2) on Azurite's own positive pid; never the kill program with a negative id (see Azurite.Signal).
        Assert.True(pid > 1, "no pid");
        return NativeMethods.kill(pid, signal);
    }

    static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA1401, CA5392, IDE1006
        [DllImport("libc", EntryPoint = "kill")]
        internal static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA1401, CA5392, IDE1006
    }
}
