using System.Text.Json.Nodes;

namespace Helsingborg.Infra.Tests;

/// <summary>azd finds the template, its parameters and the app: `azd up` needs nothing that is not checked in.</summary>
public class DeploymentFilesTests
{
    [Fact]
    public async Task Parameters_file_names_only_parameters_the_template_declares()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var declared = template["parameters"]!.AsObject().Select(p => p.Key).ToHashSet();
        var supplied = ParametersFile().Select(p => p.Key).ToList();

        Assert.All(supplied, name => Assert.Contains(name, declared));
    }

    [Fact]
    public async Task Every_required_parameter_is_supplied_by_the_parameters_file_or_by_azd()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var supplied = ParametersFile().Select(p => p.Key).ToHashSet();
        var required = template["parameters"]!.AsObject().Where(p => p.Value!["defaultValue"] is null);

        Assert.All(required, p => Assert.True(
            supplied.Contains(p.Key) || p.Value!["metadata"]?["azd"]?["type"]?.GetValue<string>() == "generate",
            $"Parameter {p.Key} has no default, is not in main.parameters.json and azd does not generate it."));
    }

    [Fact]
    public async Task No_parameter_carries_key_material_and_azd_generates_none()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var parameters = template["parameters"]!.AsObject();

        // The master key is created in Key Vault and never leaves it: nothing to generate, pass or keep in .azure/.
        Assert.DoesNotContain(parameters, p => p.Key.Contains("key", StringComparison.OrdinalIgnoreCase) && !p.Key.Equals("partnerApiKeys", StringComparison.Ordinal));
        Assert.DoesNotContain(parameters, p => p.Value!["type"]!.GetValue<string>().StartsWith("secure", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(parameters, p => p.Value!["metadata"]?["azd"]?["type"]?.GetValue<string>() == "generate");
    }

    [Fact]
    public void Azure_yaml_deploys_the_functions_project_as_service_api_from_infra()
    {
        var yaml = File.ReadAllLines(Path.Combine(Bicep.RepositoryRoot, "azure.yaml")).Select(l => l.Trim()).ToList();

        Assert.Contains("path: infra", yaml);
        Assert.Contains("api:", yaml);
        Assert.Contains("project: ./functions/Helsingborg.Functions", yaml);
        Assert.Contains("language: dotnet", yaml);
        Assert.Contains("host: function", yaml);
        Assert.True(File.Exists(Path.Combine(Bicep.RepositoryRoot, "functions", "Helsingborg.Functions", "Helsingborg.Functions.csproj")));
    }

    [Fact]
    public async Task Function_app_is_tagged_as_the_azd_service_api()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var site = TemplateRules.AllResources(template).Single(r => TemplateRules.TypeOf(r) == "Microsoft.Web/sites");

        Assert.Contains("'azd-service-name', 'api'", site["tags"]!.ToJsonString().Replace("\\u0027", "'", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private static JsonObject ParametersFile() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();
}
