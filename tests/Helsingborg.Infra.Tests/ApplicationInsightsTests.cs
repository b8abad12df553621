using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Helsingborg.Infra.Tests;

/// <summary>
/// The worker's Application Insights connection (issue 12): the function app's connection string is the component's
/// own (an endpoint and component id, read from the deployed component, never written into the template), ingestion
/// is authorised with the app's managed identity (the same identity as <c>AZURE_CLIENT_ID</c>, <c>Authorization=AAD</c>),
/// no app setting holds an instrumentation key or another telemetry secret, and host.json sends the host's telemetry
/// the OpenTelemetry way, next to the worker's. Each rule is also shown to fire on a template broken on purpose.
/// </summary>
public partial class ApplicationInsightsTests
{
    [Fact]
    public async Task The_worker_connects_to_application_insights_with_its_identity_and_no_key()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();

        Assert.Empty(Check(template));
    }

    [Fact]
    public Task A_literal_connection_string_is_reported() =>
        AssertReported("not the component's", t => Setting(t, "APPLICATIONINSIGHTS_CONNECTION_STRING")["value"] =
            "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://swedencentral-0.in.applicationinsights.azure.com/");

    [Fact]
    public Task A_missing_connection_string_is_reported() =>
        AssertReported("APPLICATIONINSIGHTS_CONNECTION_STRING is missing", t => AppSettings(t).Remove(Setting(t, "APPLICATIONINSIGHTS_CONNECTION_STRING")));

    [Fact]
    public Task Ingestion_without_entra_is_reported() =>
        AssertReported("Authorization=AAD", t => AppSettings(t).Remove(Setting(t, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")));

    [Fact]
    public Task Ingestion_as_another_identity_is_reported() =>
        AssertReported("the app's identity", t => Setting(t, "APPLICATIONINSIGHTS_AUTHENTICATION_STRING")["value"] = "ClientId=11111111-1111-1111-1111-111111111111;Authorization=AAD");

    [Fact]
    public Task An_instrumentation_key_setting_is_reported() =>
        AssertReported("instrumentation key", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "APPINSIGHTS_INSTRUMENTATIONKEY",
            ["value"] = "[reference(resourceId('Microsoft.Insights/components', 'appi'), '2020-02-02').InstrumentationKey]",
        }));

    [Fact]
    public Task An_api_key_for_telemetry_is_reported() =>
        AssertReported("instrumentation key", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "Telemetry__ApiKey",
            ["value"] = "[listKeys(resourceId('Microsoft.Insights/components/ApiKeys', 'appi', 'k'), '2020-02-02').apiKey]",
        }));

    /// <summary>What is wrong with the function app's telemetry settings; empty when nothing is.</summary>
    internal static IReadOnlyList<string> Check(JsonObject template)
    {
        var problems = new List<string>();
        var (deployment, siteTemplate) = SiteModule(template);
        var settings = Settings(siteTemplate);
        string? Value(string name) => settings.GetValueOrDefault(name);

        // The connection string: a module parameter fed from the monitoring module's output, which reads the component.
        string? connection = Value("APPLICATIONINSIGHTS_CONNECTION_STRING");
        if (connection is null)
        {
            problems.Add("APPLICATIONINSIGHTS_CONNECTION_STRING is missing: the worker exports nothing.");
        }
        else if (ParameterReference().Match(connection) is not { Success: true } parameter
            || Text(deployment["properties"]?["parameters"]?[parameter.Groups["name"].Value]?["value"]) is not { } fed
            || OutputReference().Match(fed) is not { Success: true } output
            || !ComponentConnectionString(template, output.Groups["module"].Value))
        {
            problems.Add($"APPLICATIONINSIGHTS_CONNECTION_STRING is not the component's ConnectionString read at deployment: {connection}");
        }

        // Entra ingestion as the app's own user-assigned identity (the one AZURE_CLIENT_ID names).
        string? authentication = Value("APPLICATIONINSIGHTS_AUTHENTICATION_STRING");
        string? clientId = Value("AZURE_CLIENT_ID");
        if (authentication is null || !authentication.Contains("Authorization=AAD", StringComparison.Ordinal))
        {
            problems.Add("APPLICATIONINSIGHTS_AUTHENTICATION_STRING must be ClientId=<the app's identity>;Authorization=AAD: the component takes Entra tokens only.");
        }
        else if (clientId is null || ParameterReference().Match(clientId) is not { Success: true } identity
            || !authentication.Contains($"parameters('{identity.Groups["name"].Value}')", StringComparison.Ordinal))
        {
            problems.Add($"APPLICATIONINSIGHTS_AUTHENTICATION_STRING must name the app's identity (as AZURE_CLIENT_ID does): {authentication}");
        }

        // No instrumentation key, and nothing read from the component but its connection string.
        foreach (var (name, value) in settings)
        {
            if (name.Contains("INSTRUMENTATIONKEY", StringComparison.OrdinalIgnoreCase)
                || value.Contains("InstrumentationKey", StringComparison.OrdinalIgnoreCase)
                || value.Contains("Microsoft.Insights/components/ApiKeys", StringComparison.OrdinalIgnoreCase)
                || value.Contains(".apiKey", StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"Setting {name} holds an instrumentation key or a telemetry API key; the connection string and Entra are enough.");
            }
        }

        // host.json: the host exports the OpenTelemetry way, so its request spans and the worker's share traces.
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(Bicep.RepositoryRoot, "functions", "Helsingborg.Functions", "host.json")))!;
        if (!string.Equals(Text(host["telemetryMode"]), "OpenTelemetry", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("host.json must set telemetryMode to OpenTelemetry.");
        }

        return problems;
    }

    /// <summary>Whether the named module's output is the component's ConnectionString property.</summary>
    static bool ComponentConnectionString(JsonObject template, string module) =>
        Deployments(template).Where(d => string.Equals(Text(d["name"]), module, StringComparison.Ordinal))
            .Select(d => Text(d["properties"]?["template"]?["outputs"]?["connectionString"]?["value"]))
            .Any(v => v is not null && v.Contains("'Microsoft.Insights/components'", StringComparison.Ordinal) && v.EndsWith(".ConnectionString]", StringComparison.Ordinal));

    static IEnumerable<JsonObject> Deployments(JsonObject template) =>
        TemplateRules.AllResources(template).Where(r => TemplateRules.TypeOf(r).Equals("Microsoft.Resources/deployments", StringComparison.OrdinalIgnoreCase));

    static (JsonObject Deployment, JsonObject Template) SiteModule(JsonObject template)
    {
        var deployment = Deployments(template).Single(d => d["properties"]?["template"]?["resources"] is JsonNode resources
            && (resources is JsonArray array ? array.OfType<JsonObject>() : resources.AsObject().Select(p => p.Value).OfType<JsonObject>())
                .Any(r => TemplateRules.TypeOf(r).Equals("Microsoft.Web/sites", StringComparison.OrdinalIgnoreCase)));
        return (deployment, deployment["properties"]!["template"]!.AsObject());
    }

    static JsonObject Site(JsonObject siteTemplate) =>
        TemplateRules.AllResources(siteTemplate).Single(r => TemplateRules.TypeOf(r).Equals("Microsoft.Web/sites", StringComparison.OrdinalIgnoreCase));

    static Dictionary<string, string> Settings(JsonObject siteTemplate) =>
        TemplateRules.LiteralAppSettings(Site(siteTemplate), siteTemplate)
            .SelectMany(a => a.OfType<JsonObject>())
            .GroupBy(s => Text(s["name"]) ?? string.Empty, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => Text(g.Last()["value"]) ?? g.Last()["value"]?.ToJsonString() ?? string.Empty, StringComparer.OrdinalIgnoreCase);

    static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    static async Task AssertReported(string fragment, Action<JsonObject> breakTemplate)
    {
        var template = (JsonObject)(await Bicep.CompiledMainAsync()).RequireTemplate().DeepClone();
        breakTemplate(template);
        var problems = Check(template);
        Assert.True(problems.Any(p => p.Contains(fragment, StringComparison.Ordinal)), $"Expected a problem mentioning \"{fragment}\"; got:{Environment.NewLine}{string.Join(Environment.NewLine, problems)}");
    }

    static JsonArray AppSettings(JsonObject template)
    {
        var (_, siteTemplate) = SiteModule(template);
        return TemplateRules.LiteralAppSettings(Site(siteTemplate), siteTemplate).First(a => a.OfType<JsonObject>().Any(s => Text(s["name"]) == "AZURE_CLIENT_ID"));
    }

    static JsonObject Setting(JsonObject template, string name) =>
        AppSettings(template).OfType<JsonObject>().Single(s => Text(s["name"]) == name);

    [GeneratedRegex(@"^\[parameters\('(?<name>[^']+)'\)\]$")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"'Microsoft\.Resources/deployments', '(?<module>[^']+)'\), '[^']+'\)\.outputs\.connectionString\.value\]$")]
    private static partial Regex OutputReference();
}
