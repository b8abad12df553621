using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// kill -9 while intakes with Idempotency-Keys flow, then every key sent again to the restarted host: each key is one
/// case with one reference, the accepted ones the very case and number they were answered, and the numbers of all the
/// keys together are 1 to their count — no number lost to the crash, none given twice. The host runs as a separate
/// process on an Azurite of the test's own, with a case-number prefix of its own. It measures no time, so it runs
/// beside the rest of the suite.
/// </summary>
public sealed class CaseReferenceCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Intakes_cut_off_by_a_kill_and_retried_with_their_keys_keep_one_case_and_one_number_each_without_gaps()
    {
        string folder = Path.Combine(Path.GetTempPath(), "helsingborg-reference-crash-" + Guid.NewGuid().ToString("N"));
        Azurite azurite = await Azurite.StartAsync(folder, LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort(), TimeSpan.FromSeconds(90));
        string connection = DevelopmentStorage.ConnectionString(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        string run = Guid.NewGuid().ToString("N")[..8];
        const string Prefix = "CRASH";
        Dictionary<string, string> Environment()
        {
            Dictionary<string, string> environment = HostProcess.Environment(connection, LocalApp.FreePort(), "refcrash" + run, "reference-crash-worker");
            environment["City__CaseReferencePrefix"] = Prefix;
            environment["RateLimits__IntakePerMinute"] = "0";
            return environment;
        }

        var accepted = new ConcurrentDictionary<string, (string CaseId, string Reference)>();
        var sent = new ConcurrentQueue<string>();
        var unexpected = new ConcurrentQueue<string>();
        HostProcess? host = null;
        try
        {
            host = HostProcess.Start(Environment());
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));

            int sequence = 0;
            using var flowing = new CancellationTokenSource();
            async Task IntakesAsync(HostProcess to)
            {
                while (!flowing.IsCancellationRequested)
                {
                    string key = $"reference-crash-{run}-{Interlocked.Increment(ref sequence)}";
                    try
                    {
                        (int status, JsonElement receipt) = await to.PostAsync("api/intake", EngineProcesses.PartnerKey, Intakes.Valid(), key);
                        sent.Enqueue(key);
                        if (status == 202)
                        {
                            accepted[key] = (receipt.GetProperty("caseId").GetString()!, receipt.GetProperty("reference").GetString()!);
                        }
                        else
                        {
                            unexpected.Enqueue($"intake {key}: {status} {receipt}");
                        }
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // Refused: the host was gone and the key never sent. Anything else may have arrived: in doubt.
                        if (e.InnerException is not SocketException { SocketErrorCode: SocketError.ConnectionRefused })
                        {
                            sent.Enqueue(key);
                        }

                        return;
                    }
                }
            }

            Task[] writers = [IntakesAsync(host), IntakesAsync(host), IntakesAsync(host), IntakesAsync(host)];
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (accepted.Count < 12 && writers.All(w => !w.IsCompleted))
            {
                Assert.True(DateTime.UtcNow < deadline, $"12 intakes were not accepted within 120 s:\n{host.Tail()}");
                await Task.Delay(20);
            }

            host.NoteProcesses();
            host.SignalGroup(HostProcess.Sigkill);
            Assert.NotNull(await host.WaitForExitAsync(TimeSpan.FromSeconds(10)));
            await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(unexpected.IsEmpty, $"Unexpected answers: {string.Join("\n", unexpected)}\n{host.Tail()}");
            await host.DisposeAsync();
            host = null;

            host = HostProcess.Start(Environment());
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            HostProcess restarted = host;
            string[] keys = [.. sent.Distinct()];
            output.WriteLine($"{accepted.Count} intakes accepted and {keys.Length - accepted.Count} in doubt at the kill");
            (string Key, int Status, JsonElement Receipt)[] retried = await Task.WhenAll(keys.Select(async key =>
            {
                (int status, JsonElement receipt) = await restarted.PostAsync("api/intake", EngineProcesses.PartnerKey, Intakes.Valid(), key);
                return (key, status, receipt);
            }));

            Assert.All(retried, r => Assert.True(r.Status == 202, $"the retry of {r.Key} answered {r.Status}: {r.Receipt}\n{restarted.Tail()}"));
            var final = retried.ToDictionary(r => r.Key, r => (CaseId: r.Receipt.GetProperty("caseId").GetString()!, Reference: r.Receipt.GetProperty("reference").GetString()!));
            Assert.All(accepted, a => Assert.Equal(a.Value, final[a.Key]));
            Assert.Equal(keys.Length, final.Values.Select(f => f.CaseId).Distinct().Count());
            long[] numbers = [.. final.Values.Select(f => CaseReference.TryParse(f.Reference, out CaseReference r) && r.Prefix == Prefix ? r.Number : -1).Order()];
            Assert.Equal(Enumerable.Range(1, keys.Length).Select(n => (long)n), numbers);

            // Every case exists with its number, and the number finds it.
            foreach ((string caseId, string reference) in final.Values)
            {
                Assert.Equal(reference, (await restarted.GetJsonAsync($"api/cases/{caseId}", EngineProcesses.CoordinatorKey)).GetProperty("reference").GetString());
                JsonElement found = Assert.Single((await restarted.GetJsonAsync($"api/cases?reference={reference}", EngineProcesses.CoordinatorKey)).GetProperty("items").EnumerateArray());
                Assert.Equal(caseId, found.GetProperty("caseId").GetString());
            }
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
}
