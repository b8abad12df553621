using System.Diagnostics;
using Helsingborg.LocalHost;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// Real-browser tests: Debian's Chromium (installed here with apt-get when missing and running as root)
/// driven by a Playwright script under tests/browser (playwright-core is pinned in package.json and
/// never downloads a browser of its own).
/// </summary>
public static class Browser
{
    const string ChromiumPath = "/usr/bin/chromium";
    static readonly SemaphoreSlim Gate = new(1, 1);

    public sealed record Run(int ExitCode, string Output, string Errors);

    /// <summary>The Chromium binary, installing Debian's package on first use; throws with the reason when it cannot.</summary>
    public static async Task<string> EnsureChromiumAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(ChromiumPath))
            {
                return ChromiumPath;
            }

            (int update, _, _) = await ExecAsync("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5), null);
            (int install, _, string errors) = await ExecAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium"], TimeSpan.FromMinutes(10), null);
            if (update != 0 || install != 0 || !File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException("Chromium could not be installed with apt-get (root and Debian's package registry are needed): " + errors);
            }

            return ChromiumPath;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Runs tests/browser/{script} with node; the script reads its inputs from the environment.</summary>
    public static async Task<Run> RunAsync(string script, IDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        string chromium = await EnsureChromiumAsync();
        string root = Azurite.RepositoryRoot();
        if (!File.Exists(Path.Combine(root, "node_modules", "playwright-core", "package.json")))
        {
            await ExecAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5), root);
        }

        var env = new Dictionary<string, string>(environment) { ["CHROMIUM_PATH"] = chromium };
        (int exit, string output, string errors) = await ExecAsync("node", [Path.Combine(root, "tests", "browser", script)], timeout ?? TimeSpan.FromMinutes(2), root, env);
        return new Run(exit, output, errors);
    }

    static async Task<(int Exit, string Output, string Errors)> ExecAsync(string file, string[] arguments, TimeSpan timeout, string? directory, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory ?? Directory.GetCurrentDirectory(),
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {timeout.TotalSeconds:0}s.");
        }

        return (process.ExitCode, await output, await errors);
    }
}
