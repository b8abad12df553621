using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace Helsingborg.Infra.Tests;

/// <summary>
/// Runs the Bicep CLI that NuGet restored (package Azure.Bicep.CommandLine.linux-x64), so CI needs no
/// separately installed Azure CLI. <c>BICEP_PATH</c> overrides the binary, e.g. on Windows or macOS.
/// </summary>
internal static class Bicep
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string RepositoryRoot { get; } = Metadata("RepositoryRoot");

    public static string InfraDirectory { get; } = Path.Combine(RepositoryRoot, "infra");

    public static string MainTemplate { get; } = Path.Combine(InfraDirectory, "main.bicep");

    private static readonly Lazy<string> Executable = new(FindExecutable);

    private static readonly Lazy<Task<CompiledTemplate>> Compiled = new(CompileMainAsync);

    /// <summary>main.bicep compiled once per test run and shared by every test that reads it.</summary>
    public static Task<CompiledTemplate> CompiledMainAsync() => Compiled.Value;

    public static async Task<BicepRun> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            WorkingDirectory = InfraDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The Bicep CLI did not start.");
        using var timeout = new CancellationTokenSource(Timeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        return new BicepRun(process.ExitCode, await output, await error);
    }

    private static async Task<CompiledTemplate> CompileMainAsync()
    {
        var directory = Directory.CreateTempSubdirectory("helsingborg-bicep-");
        try
        {
            var outFile = Path.Combine(directory.FullName, "main.json");
            var run = await RunAsync("build", MainTemplate, "--outfile", outFile);
            var template = File.Exists(outFile) ? JsonNode.Parse(await File.ReadAllTextAsync(outFile)) as JsonObject : null;
            return new CompiledTemplate(run, template);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string FindExecutable()
    {
        var path = Environment.GetEnvironmentVariable("BICEP_PATH");
        if (string.IsNullOrEmpty(path))
        {
            path = Metadata("BicepPath");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The Bicep CLI is not at {path}. Restore the test project, or set BICEP_PATH.", path);
        }

        // NuGet does not always keep the executable bit when it extracts a package.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            const UnixFileMode execute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
            if ((mode & UnixFileMode.UserExecute) == 0)
            {
                File.SetUnixFileMode(path, mode | execute);
            }
        }

        return path;
    }

    private static string Metadata(string key) =>
        typeof(Bicep).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing; see the test project file.");
}

/// <summary>One finished Bicep CLI run.</summary>
internal sealed record BicepRun(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Everything the CLI printed: on success, build and lint print nothing, so any text is a diagnostic.</summary>
    public string Diagnostics => (StandardOutput + StandardError).Trim();
}

/// <summary>The compiled ARM template of main.bicep and the run that produced it.</summary>
internal sealed record CompiledTemplate(BicepRun Run, JsonObject? Template)
{
    public JsonObject RequireTemplate() =>
        Template ?? throw new InvalidOperationException($"bicep build produced no template: {Run.Diagnostics}");
}
