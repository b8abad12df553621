using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Helsingborg.LocalHost;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// The local host as a separate process, in a session (so a process group) of its own, the way a terminal runs
/// <c>dotnet run --project functions/Helsingborg.LocalHost</c>: started as <c>setsid env --default-signal=INT dotnet
/// Helsingborg.LocalHost.dll</c> from the repository root. <c>setsid</c> and <c>env</c> exec in place, so the pid is
/// the host's and it leads its group; <c>--default-signal=INT</c> undoes an ignored SIGINT inherited from a
/// non-interactive parent, as a terminal's foreground job has it. It runs the LocalHost build next to the tests
/// (the project reference copies it with its runtimeconfig): the very build <c>dotnet test --no-build</c> tests,
/// started in a second rather than after a <c>dotnet build</c> of its own that could race other builds.
/// Configuration comes through environment variables, as a developer would give it.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    public const int Sigint = 2;
    public const int Sigkill = 9;
    public const int Sigterm = 15;

    readonly Process process;
    readonly ConcurrentQueue<string> output = new();
    readonly List<ProcEntry> seen = [];
    readonly IDisposable load = MachineLoad.Start();

    HostProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    /// <summary>The host's pid, which is also its process group and session id.</summary>
    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>The last lines the host wrote (stdout and stderr), for failure messages.</summary>
    public string Tail(int lines = 60) => string.Join('\n', output.TakeLast(lines));

    public static HostProcess Start(IReadOnlyDictionary<string, string> environment)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Helsingborg.LocalHost.dll");
        Assert.True(File.Exists(dll) && File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"The LocalHost build is not next to the tests: {dll}");
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = Azurite.RepositoryRoot(),
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in new[] { "env", "--default-signal=INT", "dotnet", dll })
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment)
        {
            start.Environment[key] = value;
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("The host did not start.");
        var host = new HostProcess(process, new Uri($"http://127.0.0.1:{environment["Host__LocalHttpPort"]}/"));
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 400 && output.TryDequeue(out _))
        {
        }
    }

    /// <summary>Polls <c>GET /api/health</c> until it answers 200; returns when it did. Also notes the host's processes.</summary>
    public async Task<DateTime> WaitUntilHealthyAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(process.HasExited, $"The host exited with {(process.HasExited ? process.ExitCode : 0)} before it was healthy:\n{Tail()}");
            try
            {
                using var health = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using HttpResponseMessage response = await Client.GetAsync("api/health", health.Token);
                if (response.IsSuccessStatusCode)
                {
                    DateTime healthy = DateTime.UtcNow;
                    NoteProcesses();
                    return healthy;
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The host did not answer health within {timeout.TotalSeconds:0} s:\n{Tail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Remembers the host's process, its descendants (such as an Azurite it started) and its session.</summary>
    public void NoteProcesses()
    {
        IReadOnlyList<ProcEntry> all = ProcEntry.All();
        Dictionary<int, int> parents = all.ToDictionary(p => p.Pid, p => p.Parent);
        foreach (ProcEntry entry in all)
        {
            if ((entry.Session == Pid || entry.Group == Pid || ProcEntry.DescendsFrom(entry.Pid, Pid, parents)) && !seen.Contains(entry))
            {
                seen.Add(entry);
            }
        }
    }

    /// <summary>Every process the host started that we have seen, and every process of its session or group.</summary>
    public IReadOnlyList<ProcEntry> Seen => seen;

    /// <summary>Processes still alive (not zombies) among those seen, or in the host's session or process group.</summary>
    public IReadOnlyList<ProcEntry> Remaining() =>
        ProcEntry.All().Where(p => !p.Zombie && (seen.Contains(p) || p.Session == Pid || p.Group == Pid)).ToList();

    /// <summary>Sends <paramref name="signal"/> to the host's whole process group, as a terminal does for Ctrl+C.</summary>
    public void SignalGroup(int signal)
    {
        int pid = Pid;
        Assert.True(pid > 1, "no pid");
        if (!process.HasExited)
        {
            _ = NativeMethods.kill(-pid, signal);
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the host's process alone, as <c>kill</c>, systemd or <c>docker stop</c> do.</summary>
    public void Signal(int signal)
    {
        int pid = Pid;
        Assert.True(pid > 1, "no pid");
        if (!process.HasExited)
        {
            _ = NativeMethods.kill(pid, signal);
        }
    }

    /// <summary>Waits for the host to exit; returns how long that took, or null when it did not within the timeout.</summary>
    public async Task<TimeSpan?> WaitForExitAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return watch.Elapsed;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Kills whatever is left: the host's group, then any process it started that outlived it.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            if (!process.HasExited)
            {
                NoteProcesses();
                SignalGroup(Sigkill);
                await WaitForExitAsync(TimeSpan.FromSeconds(10));
            }

            foreach (ProcEntry left in Remaining())
            {
                if (left.Pid > 1)
                {
                    _ = NativeMethods.kill(left.Pid, Sigkill);
                }
            }
        }
        finally
        {
            process.Dispose();
            load.Dispose();
        }
    }

    public async Task<JsonElement> GetJsonAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", key);
        using HttpResponseMessage response = await Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(int Status, JsonElement Body)> PostAsync(string path, string key, object json, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(json) };
        request.Headers.Add("X-Api-Key", key);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using HttpResponseMessage response = await Client.SendAsync(request, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement parsed = body.Length > 0 ? JsonDocument.Parse(body).RootElement.Clone() : default;
        return ((int)response.StatusCode, parsed);
    }

    /// <summary>The environment of a host on <paramref name="connection"/>, with the given HTTP port and task hub.</summary>
    public static Dictionary<string, string> Environment(string connection, int httpPort, string hubName, string workerId) => new()
    {
        ["AzureWebJobsStorage"] = connection,
        ["CaseStorage"] = connection,
        ["Host__LocalHttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
        ["Durable__HubName"] = hubName,
        ["Durable__WorkerId"] = workerId,
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
    };

    static class NativeMethods
    {
#pragma warning disable SYSLIB1054, CA1401, CA5392, IDE1006
        [DllImport("libc", EntryPoint = "kill")]
        internal static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA1401, CA5392, IDE1006
    }
}

/// <summary>One line of <c>/proc/&lt;pid&gt;/stat</c>: enough to find a process group, a session and descendants.</summary>
internal sealed record ProcEntry(int Pid, int Parent, int Group, int Session, long StartTime, bool Zombie, string Command)
{
    public bool Equals(ProcEntry? other) => other is not null && other.Pid == Pid && other.StartTime == StartTime;

    public override int GetHashCode() => HashCode.Combine(Pid, StartTime);

    public override string ToString() =>
        $"{Pid} (parent {Parent}, group {Group}, session {Session}{(Zombie ? ", zombie" : string.Empty)}): {(Command.Length > 100 ? Command[..100] + "…" : Command)}";

    public static IReadOnlyList<ProcEntry> All()
    {
        var all = new List<ProcEntry>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int close = stat.LastIndexOf(')');
                string[] fields = stat[(close + 2)..].Split(' ');
                string command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                all.Add(new ProcEntry(
                    pid,
                    int.Parse(fields[1], CultureInfo.InvariantCulture),
                    int.Parse(fields[2], CultureInfo.InvariantCulture),
                    int.Parse(fields[3], CultureInfo.InvariantCulture),
                    long.Parse(fields[19], CultureInfo.InvariantCulture),
                    fields[0] == "Z",
                    command));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // The process ended while we read it.
            }
        }

        return all;
    }

    public static bool DescendsFrom(int pid, int ancestor, IReadOnlyDictionary<int, int> parents)
    {
        for (int current = pid, hops = 0; current > 1 && hops < 64; hops++)
        {
            if (current == ancestor)
            {
                return true;
            }

            if (!parents.TryGetValue(current, out current))
            {
                return false;
            }
        }

        return false;
    }
}
