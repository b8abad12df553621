using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// Finds the Chromium the browser tests drive, so they run on any developer's machine and tell how to get
/// one when there is none. In this order: <c>CHROMIUM_PATH</c> when set; Playwright's own browser folder
/// (<c>PLAYWRIGHT_BROWSERS_PATH</c>, else its per-user cache); a Chromium or Chrome already installed; Debian's
/// <c>chromium-headless-shell</c> package, installed with apt-get only when running as root on Debian. Otherwise it
/// fails with <see cref="InstallHint"/>, never with an apt error. The tests run headless, so Chromium's headless shell
/// (the browser without its desktop parts, which Playwright itself runs headless) comes before a full browser
/// wherever both are found: it renders the same pages with less work, on a machine whose two cores the rest of the
/// suite shares.
/// </summary>
public sealed partial class ChromiumFinder(ChromiumFinder.Machine machine)
{
    /// <summary>What the finder asks of the machine; a test gives it a fake one.</summary>
    public sealed record Machine(
        Func<string, string?> Environment,
        Func<string, bool> FileExists,
        Func<string, IEnumerable<string>> Subdirectories,
        OSPlatform Os,
        bool IsRoot,
        bool IsDebian,
        Func<Task<(bool Installed, string Output)>> InstallDebianChromium);

    /// <summary>Where the finder found the browser, for the test output.</summary>
    public enum Source { Configured, PlaywrightFolder, Installed, DebianPackage }

    public sealed record Found(string ExecutablePath, Source Source);

    /// <summary>The executable of Debian's chromium-headless-shell package, the one installed when none is found.</summary>
    public const string DebianHeadlessShell = "/usr/bin/chromium-headless-shell";

    /// <summary>The executable of Debian's full chromium package.</summary>
    public const string DebianChromium = "/usr/bin/chromium";

    static readonly string[] CommandNames = ["chromium-headless-shell", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

    /// <summary>Executables inside a Playwright browser folder (chromium_headless_shell-NNNN or chromium-NNNN), newest layouts first.</summary>
    static readonly string[] PlaywrightExecutables =
    [
        "chrome-headless-shell-linux64/chrome-headless-shell", "chrome-linux/headless_shell",
        "chrome-headless-shell-mac-arm64/chrome-headless-shell", "chrome-headless-shell-mac-x64/chrome-headless-shell",
        "chrome-headless-shell-win64/chrome-headless-shell.exe", "chrome-win/headless_shell.exe",
        "chrome-linux64/chrome", "chrome-linux/chrome", "chrome-linux-arm64/chrome",
        "chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chrome-mac-x64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing",
        "chrome-mac/Chromium.app/Contents/MacOS/Chromium",
        "chrome-win64/chrome.exe", "chrome-win/chrome.exe",
    ];

    /// <summary>The real machine this process runs on.</summary>
    public static Machine ThisMachine { get; } = new(
        System.Environment.GetEnvironmentVariable,
        File.Exists,
        directory => Directory.Exists(directory) ? Directory.EnumerateDirectories(directory) : [],
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX : OSPlatform.Linux,
        OperatingSystem.IsLinux() && EffectiveUserId() == "0",
        OperatingSystem.IsLinux() && File.Exists("/etc/debian_version") && OnPath("apt-get", File.Exists, System.Environment.GetEnvironmentVariable) is not null,
        InstallWithAptAsync);

    /// <summary>The browser, installing Debian's package when that is the only way; throws <see cref="BrowserNotFoundException"/> with <see cref="InstallHint"/>.</summary>
    public async Task<Found> FindAsync()
    {
        var looked = new List<string>();
        string? configured = machine.Environment("CHROMIUM_PATH");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (machine.FileExists(configured))
            {
                return new Found(configured, Source.Configured);
            }

            throw new BrowserNotFoundException($"CHROMIUM_PATH is set to {configured}, which does not exist.\n" + InstallHint);
        }

        string playwrightFolder = PlaywrightFolder();
        looked.Add(playwrightFolder);
        foreach (string folder in PlaywrightBrowserFolders(playwrightFolder))
        {
            foreach (string relative in PlaywrightExecutables)
            {
                string candidate = Path.Combine(folder, relative);
                if (machine.FileExists(candidate))
                {
                    return new Found(candidate, Source.PlaywrightFolder);
                }
            }
        }

        foreach (string candidate in InstalledCandidates())
        {
            looked.Add(candidate);
            if (machine.FileExists(candidate))
            {
                return new Found(candidate, Source.Installed);
            }
        }

        string why = "No Chromium or Chrome found (looked in " + string.Join(", ", looked.Distinct()) + ").";
        if (!machine.IsRoot || !machine.IsDebian)
        {
            throw new BrowserNotFoundException(why + "\n" + InstallHint);
        }

        (bool installed, string output) = await machine.InstallDebianChromium();
        if (installed && machine.FileExists(DebianHeadlessShell))
        {
            return new Found(DebianHeadlessShell, Source.DebianPackage);
        }

        throw new BrowserNotFoundException(why + " Installing Debian's chromium-headless-shell package failed: " + output.Trim() + "\n" + InstallHint);
    }

    /// <summary>How a developer gets a browser for the tests.</summary>
    public static string InstallHint =>
        "The browser tests need Chromium or Google Chrome. Install one, then run the tests again:\n" +
        "  - Playwright's own Chromium (any OS, after a build): pwsh " +
        Path.Combine("tests", "Helsingborg.Tests", "bin", "Debug", "net10.0", "playwright.ps1") + " install chromium\n" +
        "  - or your system's: sudo apt-get install chromium (Debian), sudo apt install chromium-browser (Ubuntu), " +
        "brew install --cask chromium or Google Chrome (macOS), Google Chrome (Windows)\n" +
        "  - or set CHROMIUM_PATH to a Chromium or Chrome executable.";

    /// <summary>Playwright's browser folder: PLAYWRIGHT_BROWSERS_PATH, else the per-user cache Playwright installs into.</summary>
    string PlaywrightFolder()
    {
        string? configured = machine.Environment("PLAYWRIGHT_BROWSERS_PATH");
        if (!string.IsNullOrWhiteSpace(configured) && configured != "0")
        {
            return configured;
        }

        if (machine.Os == OSPlatform.Windows)
        {
            return Path.Combine(machine.Environment("LOCALAPPDATA") ?? string.Empty, "ms-playwright");
        }

        string home = machine.Environment("HOME") ?? string.Empty;
        if (machine.Os == OSPlatform.OSX)
        {
            return Path.Combine(home, "Library", "Caches", "ms-playwright");
        }

        string? cache = machine.Environment("XDG_CACHE_HOME");
        return Path.Combine(string.IsNullOrWhiteSpace(cache) ? Path.Combine(home, ".cache") : cache, "ms-playwright");
    }

    /// <summary>The headless shell before full Chromium, the newest revision first.</summary>
    IEnumerable<string> PlaywrightBrowserFolders(string root) =>
        machine.Subdirectories(root)
            .Select(path => (Path: path, Match: BrowserFolder().Match(Path.GetFileName(path))))
            .Where(f => f.Match.Success)
            .OrderBy(f => !f.Match.Groups["shell"].Success)
            .ThenByDescending(f => int.Parse(f.Match.Groups["revision"].Value, System.Globalization.CultureInfo.InvariantCulture))
            .Select(f => f.Path);

    IEnumerable<string> InstalledCandidates()
    {
        foreach (string name in CommandNames)
        {
            string? onPath = OnPath(machine.Os == OSPlatform.Windows ? name + ".exe" : name, machine.FileExists, machine.Environment);
            if (onPath is not null)
            {
                yield return onPath;
            }
        }

        if (machine.Os == OSPlatform.Linux)
        {
            yield return DebianHeadlessShell;
            yield return DebianChromium;
            yield return "/usr/bin/google-chrome";
            yield return "/snap/bin/chromium";
        }
        else if (machine.Os == OSPlatform.OSX)
        {
            yield return "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";
            yield return "/Applications/Chromium.app/Contents/MacOS/Chromium";
        }
        else
        {
            foreach (string root in new[] { "ProgramFiles", "ProgramFiles(x86)", "LOCALAPPDATA" }.Select(machine.Environment).OfType<string>())
            {
                yield return Path.Combine(root, "Google", "Chrome", "Application", "chrome.exe");
            }
        }
    }

    static string? OnPath(string name, Func<string, bool> fileExists, Func<string, string?> environment) =>
        (environment("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(fileExists);

    static async Task<(bool Installed, string Output)> InstallWithAptAsync()
    {
        (int update, string updateOutput) = await RunAsync("apt-get", ["update", "-qq"], TimeSpan.FromMinutes(5));
        if (update != 0)
        {
            return (false, updateOutput);
        }

        (int install, string installOutput) = await RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "chromium-headless-shell"], TimeSpan.FromMinutes(10));
        return (install == 0, installOutput);
    }

    static async Task<(int Exit, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
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
            return (-1, $"{file} did not finish within {timeout.TotalMinutes:0} minutes.");
        }

        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The effective user id, from /proc/self/status (its Uid line: real, effective, saved, filesystem).</summary>
    static string? EffectiveUserId() =>
        File.Exists("/proc/self/status")
            ? File.ReadLines("/proc/self/status").Where(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                .Select(l => l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(2)).FirstOrDefault()
            : null;

    [GeneratedRegex(@"^chromium(?<shell>_headless_shell)?-(?<revision>\d+)$")]
    private static partial Regex BrowserFolder();
}

/// <summary>No browser could be found or installed; the message says how to install one.</summary>
public sealed class BrowserNotFoundException(string message) : Exception(message);
