using System.Text.Json;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// Ctrl+C in a terminal sends SIGINT to the whole foreground process group. The host started as the README says,
/// starting its own Azurite, must stop within 5 s with exit code 0 and leave no process behind; its cases are there
/// when it starts again on the same Azurite folder.
/// </summary>
[Collection(EngineProcesses.Name)]
public sealed class CtrlCTests(ITestOutputHelper output)
{
    static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Ctrl_C_stops_the_host_and_its_Azurite_within_5_s_and_the_case_is_there_after_a_restart()
    {
        string folder = Path.Combine(Path.GetTempPath(), "helsingborg-ctrlc-" + Guid.NewGuid().ToString("N"));
        // Free ports for an Azurite the host starts itself (nothing answers there), with its data in the folder.
        string connection = DevelopmentStorage.ConnectionString(LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort());
        string hub = "ctrlc" + Guid.NewGuid().ToString("N")[..8];
        Dictionary<string, string> Environment()
        {
            Dictionary<string, string> environment = HostProcess.Environment(connection, LocalApp.FreePort(), hub, "ctrlc-worker");
            environment["Azurite__Location"] = folder;
            return environment;
        }

        HostProcess? host = null;
        try
        {
            host = HostProcess.Start(Environment());
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            ProcEntry azurite = Assert.Single(host.Seen, p => p.Command.Contains("azurite.js", StringComparison.Ordinal));
            Assert.True(azurite.Group == azurite.Pid && azurite.Session == azurite.Pid, $"Azurite should lead a session of its own: {azurite}");

            (int status, JsonElement receipt) = await host.PostAsync("api/intake", EngineProcesses.PartnerKey, Intakes.Valid(policeNotified: false), "ctrlc-" + hub);
            Assert.True(status == 202, $"intake answered {status}: {receipt}");
            string caseId = receipt.GetProperty("caseId").GetString()!;

            await CtrlCAsync(host, "first host, one case just opened");
            await host.DisposeAsync();
            host = null;

            // Started again the same way on the same Azurite folder: the case is there and its orchestration goes on.
            host = HostProcess.Start(Environment());
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            JsonElement found = await host.GetJsonAsync($"api/cases/{caseId}", EngineProcesses.CoordinatorKey);
            Assert.Equal(caseId, found.GetProperty("caseId").GetString());
            await PollAsync(
                async () => (await host.GetJsonAsync($"api/cases/{caseId}/timeline", EngineProcesses.CoordinatorKey)).GetProperty("items").EnumerateArray()
                    .Count(i => i.GetProperty("type").GetString() == "intake") == 1,
                TimeSpan.FromSeconds(60),
                "the case's opening step in its timeline",
                host);

            await CtrlCAsync(host, "second host, after a restart");
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            DeleteFolder(folder);
        }
    }

    /// <summary>Sends SIGINT to the host's process group, as a terminal's Ctrl+C does, and checks how it stops.</summary>
    async Task CtrlCAsync(HostProcess host, string what)
    {
        host.NoteProcesses();
        host.SignalGroup(HostProcess.Sigint);
        TimeSpan? exited = await host.WaitForExitAsync(TimeSpan.FromSeconds(30));
        output.WriteLine($"{what}: exit {(exited is { } e ? $"{e.TotalSeconds:0.00} s" : "none within 30 s")} after SIGINT, code {(host.HasExited ? host.ExitCode : -1)}");
        Assert.True(exited is not null && exited <= ExitLimit, $"The host should exit within {ExitLimit.TotalSeconds:0} s of SIGINT; took {exited?.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "more than 30"} s:\n{host.Tail()}");
        Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}:\n{host.Tail()}");

        IReadOnlyList<ProcEntry> remaining = host.Remaining();
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (remaining.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            remaining = host.Remaining();
        }

        Assert.True(remaining.Count == 0, $"Left behind after Ctrl+C: {string.Join("; ", remaining)}\nseen: {string.Join("; ", host.Seen)}");
    }

    static async Task PollAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, HostProcess host)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}:\n{host.Tail()}");
            }

            await Task.Delay(200);
        }
    }

    internal static void DeleteFolder(string folder)
    {
        for (int attempt = 0; Directory.Exists(folder); attempt++)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException) when (attempt < 20)
            {
                Thread.Sleep(100);
            }
        }
    }
}
