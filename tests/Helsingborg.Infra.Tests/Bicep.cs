using System.Diagnostics;
using System.Reflection;
using System.Text;
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

    /// <summary>
    /// Evaluates main.bicep with these parameter values as Resource Manager would before deploying: <c>bicep snapshot</c> on a
    /// .bicepparam written for them expands the modules and resolves every expression that needs no deployed resource (module
    /// outputs stay expressions). A template function that fails, such as <c>fail()</c>, fails the run and leaves no snapshot.
    /// </summary>
    public static async Task<TemplateSnapshot> SnapshotMainAsync(JsonObject parameterValues)
    {
        ArgumentNullException.ThrowIfNull(parameterValues);
        var directory = Directory.CreateTempSubdirectory("helsingborg-snapshot-");
        try
        {
            // A .bicepparam names its template by a path relative to itself; each value goes in as JSON, so any parameter file's
            // values (objects included) pass unchanged.
            var parametersFile = Path.Combine(directory.FullName, "main.bicepparam");
            var text = new StringBuilder();
            text.Append("using '").Append(BicepString(Path.GetRelativePath(directory.FullName, MainTemplate).Replace('\\', '/'))).AppendLine("'");
            foreach (var (name, value) in parameterValues)
            {
                text.Append("param ").Append(name).Append(" = json('").Append(BicepString(value?.ToJsonString() ?? "null")).AppendLine("')");
            }

            await File.WriteAllTextAsync(parametersFile, text.ToString());
            var run = await RunAsync("snapshot", parametersFile, "--mode", "overwrite", "--config", Path.Combine(InfraDirectory, "bicepconfig.json"));
            var snapshotFile = Path.Combine(directory.FullName, "main.snapshot.json");
            var snapshot = run.ExitCode == 0 && File.Exists(snapshotFile) ? JsonNode.Parse(await File.ReadAllTextAsync(snapshotFile)) as JsonObject : null;
            return new TemplateSnapshot(run, snapshot);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>Text for a single-quoted Bicep string: backslash, quote and interpolation escaped.</summary>
    private static string BicepString(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal).Replace("${", "\\${", StringComparison.Ordinal);

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

/// <summary>What <c>bicep snapshot</c> predicted for main.bicep with one set of parameter values, and the run.</summary>
internal sealed record TemplateSnapshot(BicepRun Run, JsonObject? Snapshot)
{
    public JsonObject RequireSnapshot() =>
        Snapshot ?? throw new InvalidOperationException($"bicep snapshot produced no snapshot (exit {Run.ExitCode}): {Run.Diagnostics}");

    /// <summary>The resources the deployment would create, modules expanded.</summary>
    public IReadOnlyList<JsonObject> PredictedResources =>
        (RequireSnapshot()["predictedResources"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
}
