using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// A host whose storage has gone away must still stop when asked (issue 20): with its Azurite (one of the test's own)
/// stopped, or frozen so that storage calls hang rather than fail, SIGINT to its process group, as a terminal's Ctrl+C
/// sends it, or SIGTERM to its process, as <c>kill</c> and service managers send it, ends the host within 10 s with
/// exit code 0 and nothing left behind.
/// </summary>
[Collection(EngineProcesses.Name)]
public sealed class StopWithoutStorageTests(ITestOutputHelper output)
{
    static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(10);
    const int Sigcont = 18;
    const int Sigstop = 19;

    [Fact]
    public Task Ctrl_C_stops_the_host_within_10_s_when_its_storage_has_stopped() =>
        StopsWithoutStorageAsync(host => host.SignalGroup(HostProcess.Sigint), "SIGINT to the process group", freeze: false);

    [Fact]
    public Task SIGTERM_stops_the_host_within_10_s_when_its_storage_has_stopped() =>
        StopsWithoutStorageAsync(host => host.Signal(HostProcess.Sigterm), "SIGTERM to the process", freeze: false);

    [Fact]
    public Task Ctrl_C_stops_the_host_within_10_s_when_its_storage_hangs_under_a_request() =>
        StopsWithoutStorageAsync(host => host.SignalGroup(HostProcess.Sigint), "SIGINT to the process group", freeze: true);

    /// <param name="freeze">
    /// SIGSTOP Azurite (connections open, nothing answers) instead of stopping it (connections refused), with a case
    /// read waiting on it when the signal comes.
    /// </param>
    async Task StopsWithoutStorageAsync(Action<HostProcess> stop, string what, bool freeze)
    {
        string folder = Path.Combine(Path.GetTempPath(), "helsingborg-nostorage-" + Guid.NewGuid().ToString("N"));
        Azurite? azurite = await Azurite.StartAsync(folder, LocalApp.FreePort(), LocalApp.FreePort(), LocalApp.FreePort(), TimeSpan.FromSeconds(90));
        string connection = DevelopmentStorage.ConnectionString(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
        string hub = "nostorage" + Guid.NewGuid().ToString("N")[..8];
        HostProcess? host = null;
        try
        {
            host = HostProcess.Start(HostProcess.Environment(connection, LocalApp.FreePort(), hub, "nostorage-worker"));
            await host.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            // A case just opened, so that the engine holds work when storage goes.
            (int status, JsonElement receipt) = await host.PostAsync("api/intake", EngineProcesses.PartnerKey, Intakes.Valid(policeNotified: false), "nostorage-" + hub);
            Assert.True(status == 202, $"intake answered {status}: {receipt}");

            string outage;
            Task? read = null;
            if (freeze)
            {
                Assert.Equal(0, NativeMethods.kill(azurite.ProcessId, Sigstop));
                outage = "storage frozen, a read in flight";
                read = ReadUntilTheHostIsGoneAsync(host, receipt.GetProperty("caseId").GetString()!);
                Assert.False(read == await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(1))), "The case read answered although storage is frozen.");
            }
            else
            {
                int blobPort = azurite.BlobPort;
                await azurite.DisposeAsync();
                azurite = null;
                Assert.False(await Azurite.AnswersAsync(blobPort), "Azurite still answers after it was stopped.");
                outage = "storage stopped";
            }

            host.NoteProcesses();
            stop(host);
            TimeSpan? exited = await host.WaitForExitAsync(TimeSpan.FromSeconds(60));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{what}, {outage}: {(exited is { } e ? $"exit after {e.TotalSeconds:0.00} s, code {host.ExitCode}" : "no exit within 60 s")}"));
            output.WriteLine(host.Tail(12));
            Assert.True(exited is not null && exited <= ExitLimit,
                $"The host should exit within {ExitLimit.TotalSeconds:0} s of {what}; took {exited?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? "more than 60"} s:\n{host.Tail()}");
            Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}:\n{host.Tail()}");
            IReadOnlyList<ProcEntry> remaining = host.Remaining();
            for (DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2); remaining.Count > 0 && DateTime.UtcNow < deadline; remaining = host.Remaining())
            {
                await Task.Delay(50);
            }

            Assert.True(remaining.Count == 0, $"Left behind: {string.Join("; ", remaining)}");
            if (read is not null)
            {
                await read;
            }
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }

            if (azurite is not null)
            {
                _ = NativeMethods.kill(azurite.ProcessId, Sigcont);
                await azurite.DisposeAsync();
            }

            CtrlCTests.DeleteFolder(folder);
        }
    }

    /// <summary>A coordinator's case read; the host may answer it (503 at its deadline) or go away under it.</summary>
    static async Task ReadUntilTheHostIsGoneAsync(HostProcess host, string caseId)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}");
            request.Headers.Add("X-Api-Key", EngineProcesses.CoordinatorKey);
            using HttpResponseMessage response = await host.Client.SendAsync(request);
        }
        catch (HttpRequestException)
        {
        }
    }

    static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA1401, CA5392, IDE1006
        [DllImport("libc", EntryPoint = "kill")]
        internal static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA1401, CA5392, IDE1006
    }
}
