using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Helsingborg.LocalHost;

/// <summary>
/// Starts Azurite (pinned in the repository's package.json) when the configured storage is the
/// development storage and nothing answers there, and stops it by process group. It installs the
/// pinned version with <c>npm ci</c> on a machine where it was never installed.
/// Azurite runs as one node process in a session of its own (so a terminal's Ctrl+C reaches the host, not
/// Azurite), is stopped by its process group, and stops by itself when the process that started it is gone.
/// </summary>
public sealed class Azurite : IAsyncDisposable
{
    readonly Process process;

    Azurite(Process process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>Azurite's node process (a test freezes it with SIGSTOP to play a storage outage).</summary>
    public int ProcessId => process.Id;

    public static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts Azurite on the given ports with its data in <paramref name="location"/>, or in memory when it is
    /// null (the benchmarks: Azurite's disk persistence writes its whole table database out every few seconds,
    /// a pause that grows with the data and belongs to the emulator, not to the app being measured).
    /// With <paramref name="debugLog"/>, Azurite writes its debug log there (<c>--debug</c>: a line per request it receives,
    /// which the events benchmark counts).
    /// </summary>
    public static async Task<Azurite> StartAsync(string? location, int blobPort, int queuePort, int tablePort, TimeSpan timeout, string? debugLog = null)
    {
        string root = RepositoryRoot();
        string script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!Installed(root))
        {
            await InstallAsync(root);
        }

        // In a session of its own (setsid execs node in place: a child .NET starts is no group leader, so the pid
        // stays node's and node leads its new process group). A terminal's Ctrl+C signals the whole foreground
        // process group; Azurite must not get it, for the host still needs storage while its engine stops, and
        // stops Azurite itself, last. Node's standard input is a pipe from this process: when this process is
        // gone however it ended (even kill -9), the pipe closes and the watchdog stops Azurite.
        string? setsid = OnPath("setsid");
        var start = new ProcessStartInfo(setsid ?? "node")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (setsid is not null)
        {
            start.ArgumentList.Add("node");
        }

        start.ArgumentList.Add("--import");
        start.ArgumentList.Add(Watchdog);
        string[] storage;
        if (location is null)
        {
            // 100,000 cases in memory need more than Node's default heap.
            start.ArgumentList.Add("--max-old-space-size=8192");
            storage = ["--inMemoryPersistence"];
        }
        else
        {
            Directory.CreateDirectory(location);
            storage = ["--location", location];
        }

        if (debugLog is not null)
        {
            storage = [.. storage, "--debug", debugLog];
        }

        foreach (string argument in new[]
                 {
                     // Azurite's telemetry client keeps node alive after it has closed on SIGTERM (and phones home).
                     script, "--silent", "--skipApiVersionCheck", "--loose", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 }.Concat(storage))
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var azurite = new Azurite(process, blobPort, queuePort, tablePort);
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!(await AnswersAsync(blobPort) && await AnswersAsync(queuePort) && await AnswersAsync(tablePort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await azurite.DisposeAsync();
                throw new InvalidOperationException("Azurite did not answer in time.");
            }

            await Task.Delay(100);
        }

        return azurite;
    }

    /// <summary>
    /// Preloaded into node: when its standard input (a pipe from the process that started Azurite) ends, that
    /// process is gone, and Azurite stops as on <c>kill -TERM</c>, or at once if it cannot close within 5 s.
    /// The pipe is unref'd so that it does not keep node alive once Azurite has closed its servers.
    /// </summary>
    const string Watchdog =
        "data:text/javascript,const stop=()=>{setTimeout(()=>process.exit(1),5000).unref();process.kill(process.pid,'SIGTERM')};" +
        "process.stdin.on('end',stop);process.stdin.on('error',stop);process.stdin.resume();process.stdin.unref();";

    /// <summary>The full path of <paramref name="program"/> on PATH, or null (setsid is util-linux's, Linux only).</summary>
    static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>The folder holding package.json with the Azurite pin.</summary>
    public static string RepositoryRoot()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string package = Path.Combine(dir.FullName, "package.json");
                if (File.Exists(package) && File.ReadAllText(package).Contains("\"azurite\"", StringComparison.Ordinal))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Cannot find the repository's package.json (with the Azurite pin).");
    }

    static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>Written after <c>npm ci</c> succeeds; <c>npm ci</c> removes <c>node_modules</c> first, so it is gone while one runs.</summary>
    static string InstalledMarker(string root) => Path.Combine(root, "node_modules", ".azurite-installed");

    static bool Installed(string root) =>
        File.Exists(InstalledMarker(root)) && File.Exists(Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js"));

    /// <summary>
    /// Runs <c>npm ci</c> once for all who ask at the same time: in this process (tests start several Azurites at
    /// once) and across processes (a lock file), since two <c>npm ci</c> in one folder undo each other's work. Whoever
    /// waited finds it installed and returns.
    /// </summary>
    static async Task InstallAsync(string root)
    {
        await InstallGate.WaitAsync();
        try
        {
            using FileStream installing = await LockAsync(root);
            if (Installed(root))
            {
                return;
            }

            var start = new ProcessStartInfo("npm", "ci --no-audit --no-fund --loglevel=error")
            {
                WorkingDirectory = root,
                UseShellExecute = false,
            };
            using Process npm = Process.Start(start) ?? throw new InvalidOperationException("npm did not start.");
            await npm.WaitForExitAsync();
            if (npm.ExitCode != 0)
            {
                throw new InvalidOperationException("npm ci failed: Azurite could not be installed.");
            }

            await File.WriteAllTextAsync(InstalledMarker(root), "npm ci succeeded\n");
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>An exclusive lock on a file named after the repository's folder, in the temp folder (outside the repository and node_modules).</summary>
    static async Task<FileStream> LockAsync(string root)
    {
        string path = Path.Combine(Path.GetTempPath(), "helsingborg-npm-ci-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(root)))[..16] + ".lock");
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    /// <summary>
    /// Stops Azurite: SIGTERM to its process group (it closes its services, writing its data out, and exits), SIGKILL
    /// if it has not exited after 5 s. Without a group of its own (no setsid), its process tree is killed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Signal(Sigterm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                // Said on the console, the host's logging being gone by now: a stop that took this long was Azurite's.
                await Console.Error.WriteLineAsync("Azurite did not stop within 5 s of SIGTERM; it was killed (SIGKILL).");
                Signal(Sigkill);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    const int Sigkill = 9;
    const int Sigterm = 15;

    void Signal(int signal)
    {
        int pid = process.Id;
        if (pid <= 1 || !LeadsItsProcessGroup(pid))
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        // kill(2) on the negative pid signals exactly Azurite's group. Not the kill program: procps-ng 4.0.2's
        // `kill -TERM -<pgid>` calls kill(-1, SIGTERM), which signals every process the caller may signal.
        _ = Kill(-pid, signal);
    }

    static int Kill(int pid, int signal) => NativeMethods.kill(pid, signal);

    static class NativeMethods
    {
        // DllImport, not LibraryImport: the generated code needs unsafe blocks, which this project does not allow.
#pragma warning disable SYSLIB1054, CA1401, IDE1006
        [DllImport("libc", EntryPoint = "kill")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054, CA1401, IDE1006
    }

    /// <summary>True when /proc says the process is its group's leader (pgid = pid), so signalling the group reaches only Azurite.</summary>
    static bool LeadsItsProcessGroup(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 2 && fields[2] == pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
