using System.Diagnostics;
using System.Net.Sockets;

namespace Helsingborg.LocalHost;

/// <summary>
/// Starts Azurite (pinned in the repository's package.json) when the configured storage is the
/// development storage and nothing answers there, and stops it by process group. It installs the
/// pinned version with <c>npm ci</c> on a machine where it was never installed.
/// Azurite runs as one node process; it is stopped by its process group when it leads one.
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
    /// </summary>
    public static async Task<Azurite> StartAsync(string? location, int blobPort, int queuePort, int tablePort, TimeSpan timeout)
    {
        string root = RepositoryRoot();
        string script = Path.Combine(root, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            await InstallAsync(root);
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
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

        foreach (string argument in new[]
                 {
                     script, "--silent", "--skipApiVersionCheck", "--loose",
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

    static async Task InstallAsync(string root)
    {
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
    }

    /// <summary>Stops Azurite's process group when it leads one (as .NET's children do here), else its process tree.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Signal("TERM");
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                Signal("KILL");
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    void Signal(string signal)
    {
        if (!LeadsItsProcessGroup(process.Id))
        {
            process.Kill(entireProcessTree: true);
            return;
        }

        using Process? kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} -{process.Id}") { UseShellExecute = false });
        kill?.WaitForExit();
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
        catch (IOException)
        {
            return false;
        }
    }
}
