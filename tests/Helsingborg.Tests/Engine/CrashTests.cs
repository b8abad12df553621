using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// kill -9 while intakes and events flow, ten times over. The host runs as a separate process on an Azurite of the
/// test's own (in its own session, so the kill does not reach it and it keeps its data), with the same worker id
/// each time. After each restart, everything that had been answered 202 must be applied within 30 s of the
/// restarted host's health answering: every accepted intake's case opened by its orchestration (its timeline's
/// intake entry exactly once), and every accepted support conversation on a long-lived case counted and in its
/// timeline exactly once. Requests that the kill cut off are in doubt: applied at most once.
/// It runs beside the rest of the suite, from its start (<see cref="LongestFirst"/>): its processes are its own, and
/// its recovery limit is far above what a recovery takes, with the rest of the suite running or not.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    const int Kills = 10;
    static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    [Fact]
    [Trait("Category", "Soak")]
    public async Task Nothing_accepted_is_lost_across_ten_kills_and_each_recovery_takes_at_most_30_s()
    {
        string folder = Path.Combine(Path.GetTempPath(), "helsingborg-crash-" + Guid.NewGuid().ToString("N"));
        Azurite azurite = await Azurite.StartAsync(folder, LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort(), TimeSpan.FromSeconds(90));
        string connection = DevelopmentStorage.ConnectionString(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        string run = Guid.NewGuid().ToString("N")[..8];
        string hub = "crash" + run;
        Dictionary<string, string> Environment()
        {
            Dictionary<string, string> environment = HostProcess.Environment(connection, LocalApp.FreePort(), hub, "crash-worker");
            // Short follow-up timers, so durable timers fire and are cancelled while events flow.
            environment["CasePolicy__ShortTermFollowUpInterval"] = "00:00:05";
            return environment;
        }

        var ledger = new RequestLedger();
        var verified = new HashSet<string>(StringComparer.Ordinal);
        var recoveries = new List<TimeSpan>();
        var random = new Random(20261129);
        HostProcess? host = null;
        try
        {
            host = HostProcess.Start(Environment());
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            string caseId = await OpenLongLivedCaseAsync(host, run);

            for (int kill = 1; kill <= Kills; kill++)
            {
                int target = random.Next(4, 13);
                (int accepted, int doubtful) = await FlowThenKillAsync(host, ledger, caseId, run, kill, target);
                await host.DisposeAsync();
                host = null;

                host = HostProcess.Start(Environment());
                DateTime healthy = await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
                TimeSpan recovery = await WaitUntilAppliedAsync(host, ledger, verified, caseId, healthy, TimeSpan.FromSeconds(150));
                recoveries.Add(recovery);
                output.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"kill {kill,2}: {accepted,2} accepted and {doubtful} in doubt in this round; {ledger.AcceptedIntakes.Count,3} intakes and {ledger.AcceptedEvents.Count,3} support conversations accepted so far; all applied {recovery.TotalSeconds,5:0.0} s after the restart's health"));
            }

            // Everything once more, from scratch: nothing applied twice after all the kills.
            verified.Clear();
            Assert.Null(await AppliedAsync(host, ledger, verified, caseId));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recoveries: max {recoveries.Max().TotalSeconds:0.0} s, mean {recoveries.Average(r => r.TotalSeconds):0.0} s"));
            Assert.All(recoveries, r => Assert.True(r <= RecoveryLimit, $"A recovery took {r.TotalSeconds:0.0} s (limit {RecoveryLimit.TotalSeconds:0} s): {string.Join(", ", recoveries.Select(x => x.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)))}"));
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            await azurite.DisposeAsync();
            CtrlCTests.DeleteFolder(folder);
        }
    }

    /// <summary>A case in short-term support, where support conversations may be recorded again and again.</summary>
    static async Task<string> OpenLongLivedCaseAsync(HostProcess host, string run)
    {
        (int status, JsonElement receipt) = await host.PostAsync("api/intake", EngineProcesses.PartnerKey, Intakes.Valid(), "crash-" + run + "-long-lived");
        Assert.True(status == 202, $"intake answered {status}: {receipt}");
        string caseId = receipt.GetProperty("caseId").GetString()!;
        // Sent straight after the intake, the event may find the case's orchestration not yet started: 503, send again.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        JsonElement answer;
        while (((status, answer) = await host.PostAsync($"api/cases/{caseId}/events", EngineProcesses.CoordinatorKey, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" })).status == 503
            && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.True(status == 202, $"contact-made answered {status}: {answer}");
        while ((await host.GetJsonAsync($"api/cases/{caseId}", EngineProcesses.CoordinatorKey)).GetProperty("phase").GetString() != "short-term-support")
        {
            Assert.True(DateTime.UtcNow < deadline, $"The case did not reach short-term-support:\n{host.Tail()}");
            await Task.Delay(200);
        }

        return caseId;
    }

    /// <summary>
    /// Two intake writers and two event writers post until <paramref name="target"/> requests of this round have been
    /// accepted, then the host's whole process group is killed with SIGKILL while they are still posting.
    /// </summary>
    static async Task<(int Accepted, int Doubtful)> FlowThenKillAsync(HostProcess host, RequestLedger ledger, string caseId, string run, int round, int target)
    {
        int acceptedBefore = ledger.Accepted;
        int doubtfulBefore = ledger.Doubtful;
        int sequence = 0;
        using var flowing = new CancellationTokenSource();

        async Task IntakesAsync()
        {
            while (!flowing.IsCancellationRequested)
            {
                string key = $"crash-{run}-{round}-{Interlocked.Increment(ref sequence)}";
                try
                {
                    (int status, JsonElement receipt) = await host.PostAsync("api/intake", EngineProcesses.PartnerKey, Intakes.Valid(policeNotified: false), key);
                    if (status == 202)
                    {
                        ledger.AcceptedIntakes[key] = receipt.GetProperty("caseId").GetString()!;
                    }
                    else
                    {
                        ledger.Unexpected.Enqueue($"intake {key}: {status} {receipt}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    if (e.InnerException is not SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                    {
                        ledger.DoubtfulIntakes[key] = true;
                    }

                    return;
                }
            }
        }

        async Task EventsAsync()
        {
            while (!flowing.IsCancellationRequested)
            {
                string note = $"crash {run} round {round} conversation {Interlocked.Increment(ref sequence)}";
                try
                {
                    (int status, JsonElement answer) = await host.PostAsync($"api/cases/{caseId}/events", EngineProcesses.CoordinatorKey, new { type = "support-conversation", note });
                    if (status == 202)
                    {
                        ledger.AcceptedEvents[note] = true;
                    }
                    else
                    {
                        ledger.Unexpected.Enqueue($"event '{note}': {status} {answer}");
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Refused connections mean the host was already gone: not sent. Anything else may have arrived.
                    if (e.InnerException is not SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                    {
                        ledger.DoubtfulEvents[note] = true;
                    }

                    return;
                }
            }
        }

        Task[] writers = [IntakesAsync(), IntakesAsync(), EventsAsync(), EventsAsync()];
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (ledger.Accepted - acceptedBefore < target && writers.All(w => !w.IsCompleted))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Round {round}: {target} requests were not accepted within 120 s:\n{host.Tail()}");
            await Task.Delay(20);
        }

        Assert.True(ledger.Unexpected.IsEmpty, $"Unexpected answers: {string.Join("\n", ledger.Unexpected)}\n{host.Tail()}");
        host.NoteProcesses();
        host.SignalGroup(HostProcess.Sigkill);
        Assert.NotNull(await host.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(ledger.Unexpected.IsEmpty, $"Unexpected answers: {string.Join("\n", ledger.Unexpected)}\n{host.Tail()}");

        IReadOnlyList<ProcEntry> left = host.Remaining();
        Assert.True(left.Count == 0, $"Left behind after SIGKILL of the group: {string.Join("; ", left)}");
        return (ledger.Accepted - acceptedBefore, ledger.Doubtful - doubtfulBefore);
    }

    /// <summary>Polls until everything accepted so far is applied; returns the time from <paramref name="healthy"/> until then.</summary>
    static async Task<TimeSpan> WaitUntilAppliedAsync(HostProcess host, RequestLedger ledger, HashSet<string> verified, string caseId, DateTime healthy, TimeSpan timeout)
    {
        DateTime deadline = healthy + timeout;
        while (true)
        {
            string? missing;
            try
            {
                missing = await AppliedAsync(host, ledger, verified, caseId);
            }
            catch (HttpRequestException e)
            {
                missing = e.Message;
            }

            if (missing is null)
            {
                return DateTime.UtcNow - healthy;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not applied {timeout.TotalSeconds:0} s after the restart: {missing}\n{host.Tail()}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Null when every accepted request is applied exactly once (and nothing in doubt twice); else what is not. Cases
    /// found opened are noted in <paramref name="verified"/> and not read again.
    /// </summary>
    static async Task<string?> AppliedAsync(HostProcess host, RequestLedger ledger, HashSet<string> verified, string caseId)
    {
        foreach (string intake in ledger.AcceptedIntakes.Values.Where(id => !verified.Contains(id)))
        {
            // The orchestration's opening step writes the call-police reminder and the timeline's intake entry.
            JsonElement opened = await host.GetJsonAsync($"api/cases/{intake}", EngineProcesses.CoordinatorKey);
            if (!opened.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == "call-police"))
            {
                return $"case {intake}: not yet opened by its orchestration";
            }

            int entries = (await host.GetJsonAsync($"api/cases/{intake}/timeline", EngineProcesses.CoordinatorKey)).GetProperty("items").EnumerateArray()
                .Count(i => i.GetProperty("type").GetString() == "intake");
            Assert.True(entries <= 1, $"case {intake}: {entries} intake entries in its timeline");
            if (entries == 0)
            {
                return $"case {intake}: no intake entry in its timeline yet";
            }

            verified.Add(intake);
        }

        JsonElement longLived = await host.GetJsonAsync($"api/cases/{caseId}", EngineProcesses.CoordinatorKey);
        int counted = longLived.GetProperty("counts").GetProperty("supportConversations").GetInt32();
        if (counted < ledger.AcceptedEvents.Count)
        {
            return $"long-lived case: {counted} support conversations counted of {ledger.AcceptedEvents.Count} accepted";
        }

        JsonElement[] conversations = (await host.GetJsonAsync($"api/cases/{caseId}/timeline", EngineProcesses.CoordinatorKey)).GetProperty("items").EnumerateArray()
            .Where(i => i.GetProperty("type").GetString() == "support-conversation")
            .ToArray();
        Assert.DoesNotContain(conversations, c => c.GetProperty("refused").GetBoolean());
        Dictionary<string, int> notes = conversations
            .GroupBy(c => c.GetProperty("note").GetString() ?? "(none)")
            .ToDictionary(g => g.Key, g => g.Count());
        KeyValuePair<string, int>[] twice = notes.Where(n => n.Value > 1).ToArray();
        Assert.True(twice.Length == 0, $"Applied more than once: {string.Join(", ", twice.Select(n => $"'{n.Key}' x{n.Value}"))}");
        string[] unknown = notes.Keys.Where(n => !ledger.AcceptedEvents.ContainsKey(n) && !ledger.DoubtfulEvents.ContainsKey(n)).ToArray();
        Assert.True(unknown.Length == 0, $"In the timeline but never sent: {string.Join(", ", unknown)}");
        string[] absent = ledger.AcceptedEvents.Keys.Where(n => !notes.ContainsKey(n)).ToArray();
        if (absent.Length > 0)
        {
            return $"long-lived case: {absent.Length} accepted conversations not in the timeline yet, e.g. '{absent[0]}'";
        }

        if (counted != conversations.Length)
        {
            return $"long-lived case: {counted} counted, {conversations.Length} in the timeline";
        }

        return null;
    }
}
