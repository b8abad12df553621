using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Helsingborg.Infra.Tests;

/// <summary>The Bicep compiles and lints cleanly: any warning (types, linter rules of infra/bicepconfig.json) fails CI.</summary>
public partial class BicepBuildTests
{
    [Fact]
    public async Task Main_template_builds_without_warnings()
    {
        var compiled = await Bicep.CompiledMainAsync();

        Assert.True(compiled.Run.ExitCode == 0, $"bicep build failed: {compiled.Run.Diagnostics}");
        Assert.True(compiled.Run.Diagnostics.Length == 0, $"bicep build reported diagnostics:\n{compiled.Run.Diagnostics}");
        Assert.NotNull(compiled.Template);
    }

    [Fact]
    public async Task Main_template_and_its_modules_lint_without_diagnostics()
    {
        var run = await Bicep.RunAsync("lint", Bicep.MainTemplate);

        Assert.True(run.ExitCode == 0, $"bicep lint failed: {run.Diagnostics}");
        Assert.True(run.Diagnostics.Length == 0, $"bicep lint reported diagnostics:\n{run.Diagnostics}");
    }

    [Fact]
    public void Every_module_is_used_by_the_main_template()
    {
        var main = File.ReadAllText(Bicep.MainTemplate);
        var modules = Directory.GetFiles(Path.Combine(Bicep.InfraDirectory, "modules"), "*.bicep");

        Assert.NotEmpty(modules);
        Assert.All(modules, m => Assert.Contains($"'modules/{Path.GetFileName(m)}'", main, StringComparison.Ordinal));
    }

    [Fact]
    public void Templates_use_only_local_modules_never_registry_or_template_spec_modules()
    {
        var references = Directory.GetFiles(Bicep.InfraDirectory, "*.bicep", SearchOption.AllDirectories)
            .SelectMany(f => ModuleReference().Matches(File.ReadAllText(f)).Select(m => m.Groups["path"].Value))
            .ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Matches("^[a-z]+/[a-z]+\\.bicep$", r));
    }

    [GeneratedRegex(@"^\s*module\s+\w+\s+'(?<path>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();

    [Fact]
    public void Linter_config_raises_the_core_rules_and_keeps_date_dependent_rules_off()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!.AsObject();

        Assert.True(config["analyzers"]!["core"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("error", rules["outputs-should-not-contain-secrets"]!["level"]!.GetValue<string>());
        Assert.Equal("warning", rules["no-hardcoded-env-urls"]!["level"]!.GetValue<string>());
        // Off because its verdict changes with the calendar, and a test that fails by itself next year is no test.
        Assert.Equal("off", rules["use-recent-api-versions"]!["level"]!.GetValue<string>());
    }
}
