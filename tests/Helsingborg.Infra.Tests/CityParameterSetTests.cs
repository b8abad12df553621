using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Helsingborg.Infra.Tests;

/// <summary>
/// Issue 15, "Stad för stad": another city runs the model by configuration alone. Every parameter set
/// (infra/main.parameters.json and infra/cities/*.parameters.json) names only parameters main.bicep declares and a city profile
/// the repository ships (profiles/&lt;name&gt;.json), and, evaluated by <c>bicep snapshot</c> with the values azd would pass, puts
/// <c>City__Profile</c> and each city setting into the function app's settings next to the template's own, which stay as they
/// are. A city setting outside the profile's sections (City__, CasePolicy__, Outreach__) stops the deployment.
/// </summary>
public partial class CityParameterSetTests
{
    /// <summary>The azd environment the parameter sets are resolved in: the values azd asks for when a set has no default.</summary>
    private static readonly Dictionary<string, string> AzdEnvironment = new(StringComparer.Ordinal)
    {
        ["AZURE_ENV_NAME"] = "city-test",
        ["AZURE_LOCATION"] = "swedencentral",
        ["AZURE_ENTRA_CLIENT_ID"] = "11111111-2222-3333-4444-555555555555",
    };

    /// <summary>Settings the template sets itself that no city parameter may change, with their values in every deployment.</summary>
    private static readonly Dictionary<string, string> FixedSettings = new(StringComparer.Ordinal)
    {
        ["Auth__TrustAppServicePrincipal"] = "true",
        ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Production",
        ["AzureWebJobsStorage__credential"] = "managedidentity",
        ["CaseStorage__credential"] = "managedidentity",
    };

    /// <summary>Every parameter set, by its path under infra/.</summary>
    public static TheoryData<string> ParameterSets()
    {
        var sets = new TheoryData<string> { "main.parameters.json" };
        foreach (var file in Directory.GetFiles(Path.Combine(Bicep.InfraDirectory, "cities"), "*.parameters.json").Order(StringComparer.Ordinal))
        {
            sets.Add(Path.GetRelativePath(Bicep.InfraDirectory, file).Replace('\\', '/'));
        }

        return sets;
    }

    [Fact]
    public void Exempelstad_has_a_parameter_set_that_runs_its_profile_with_a_city_setting()
    {
        var parameters = Resolve("cities/exempelstad.parameters.json");

        Assert.Equal("exempelstad", parameters["cityProfile"]!.GetValue<string>());
        var settings = Assert.IsType<JsonObject>(parameters["citySettings"]);
        Assert.NotEmpty(settings);
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public async Task Parameter_set_names_only_parameters_the_template_declares(string set)
    {
        var declared = (await Bicep.CompiledMainAsync()).RequireTemplate()["parameters"]!.AsObject().Select(p => p.Key).ToHashSet(StringComparer.Ordinal);

        Assert.All(Resolve(set).Select(p => p.Key), name => Assert.True(declared.Contains(name), $"{set} names {name}, which main.bicep does not declare."));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public async Task Parameter_set_supplies_every_required_parameter(string set)
    {
        var supplied = Resolve(set).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var required = (await Bicep.CompiledMainAsync()).RequireTemplate()["parameters"]!.AsObject().Where(p => p.Value!["defaultValue"] is null);

        Assert.All(required, p => Assert.True(supplied.Contains(p.Key), $"{set} does not supply {p.Key}, which has no default."));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void Parameter_set_names_a_profile_the_repository_ships(string set)
    {
        var profile = CityProfileOf(Resolve(set));

        AssertProfileShipped(profile, set);
    }

    [Fact]
    public async Task The_template_default_profile_is_shipped()
    {
        var parameter = (await Bicep.CompiledMainAsync()).RequireTemplate()["parameters"]!["cityProfile"];

        Assert.NotNull(parameter);
        Assert.Equal("string", parameter!["type"]!.GetValue<string>());
        AssertProfileShipped(parameter["defaultValue"]!.GetValue<string>(), "main.bicep (default of cityProfile)");
    }

    [Fact]
    public void Main_parameters_take_the_profile_from_the_azd_value_CITY_PROFILE_and_default_to_helsingborg()
    {
        Assert.Equal("helsingborg", CityProfileOf(Resolve("main.parameters.json")));
        Assert.Equal("exempelstad", CityProfileOf(Resolve("main.parameters.json", new() { ["CITY_PROFILE"] = "exempelstad" })));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public async Task Parameter_set_reaches_the_function_app_settings(string set)
    {
        var parameters = Resolve(set);

        var settings = await AppSettingsAsync(parameters);

        Assert.Equal(CityProfileOf(parameters), Assert.Single(settings, s => s.Name == "City__Profile").Value);
        foreach (var (name, value) in CitySettingsOf(parameters))
        {
            Assert.Equal(value, Assert.Single(settings, s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).Value);
        }

        AssertTemplateSettingsKept(settings);
    }

    [Fact]
    public async Task Each_city_setting_becomes_one_app_setting_with_its_value_as_text()
    {
        var parameters = Resolve("main.parameters.json", new() { ["CITY_PROFILE"] = "exempelstad" });
        parameters["citySettings"] = new JsonObject
        {
            ["City__Contact__Email"] = "stod@norrby.example",
            ["City__Organisations__0__Roles__1"] = "coordinator",
            ["CasePolicy__FirstContactEscalateAfterReminders"] = 5,
            ["Outreach__WeekParity"] = "odd",
        };

        var settings = await AppSettingsAsync(parameters);

        Assert.Equal("exempelstad", Assert.Single(settings, s => s.Name == "City__Profile").Value);
        Assert.Equal("stod@norrby.example", Assert.Single(settings, s => s.Name == "City__Contact__Email").Value);
        Assert.Equal("coordinator", Assert.Single(settings, s => s.Name == "City__Organisations__0__Roles__1").Value);
        Assert.Equal("5", Assert.Single(settings, s => s.Name == "CasePolicy__FirstContactEscalateAfterReminders").Value);
        Assert.Equal("odd", Assert.Single(settings, s => s.Name == "Outreach__WeekParity").Value);
        AssertTemplateSettingsKept(settings);
    }

    [Fact]
    public async Task Without_city_parameters_the_app_runs_the_helsingborg_profile_and_gets_no_city_settings()
    {
        var parameters = Resolve("main.parameters.json");
        parameters.Remove("cityProfile");

        var settings = await AppSettingsAsync(parameters);

        Assert.Equal("helsingborg", Assert.Single(settings, s => s.Name == "City__Profile").Value);
        Assert.DoesNotContain(settings, s => s.Name != "City__Profile" && IsCitySection(s.Name));
        AssertTemplateSettingsKept(settings);
    }

    [Theory]
    [InlineData("Auth__TrustAppServicePrincipal")]
    [InlineData("AZURE_FUNCTIONS_ENVIRONMENT")]
    [InlineData("ApiKeys__0__Sha256")]
    [InlineData("DataProtection__KeyVaultKeyId")]
    [InlineData("Notifications__Webhooks__police")]
    [InlineData("city__profile")]
    public async Task A_city_setting_outside_the_profile_sections_stops_the_deployment(string name)
    {
        var parameters = Resolve("cities/exempelstad.parameters.json");
        parameters["citySettings"]!.AsObject()[name] = "x";

        var snapshot = await Bicep.SnapshotMainAsync(parameters);

        Assert.True(snapshot.Run.ExitCode != 0 && snapshot.Snapshot is null, $"citySettings with {name} was accepted.");
        Assert.Contains($"citySettings: \"{name}\" is not allowed", snapshot.Run.Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_function_app_runs_its_timers_in_utc_as_the_local_host_does()
    {
        var settings = await AppSettingsAsync(Resolve("main.parameters.json"));

        Assert.DoesNotContain(settings, s => s.Name.Equals("WEBSITE_TIME_ZONE", StringComparison.OrdinalIgnoreCase) || s.Name.Equals("TZ", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_function_app_has_the_identity_based_storage_settings_its_clients_are_built_from()
    {
        var settings = await AppSettingsAsync(Resolve("main.parameters.json"));

        foreach (var name in (string[])["CaseStorage__tableServiceUri", "CaseStorage__blobServiceUri", "CaseStorage__clientId", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__clientId"])
        {
            Assert.False(string.IsNullOrWhiteSpace(Assert.Single(settings, s => s.Name == name).Value), $"{name} is empty.");
        }

        Assert.DoesNotContain(settings, s => s.Name.Equals("CaseStorage", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The profile must be a built-in one: a file profiles/&lt;name&gt;.json at the repository root, with a City section.</summary>
    private static void AssertProfileShipped(string profile, string source)
    {
        if (profile == "none")
        {
            return;
        }

        Assert.Matches("^[a-z0-9-]+$", profile);
        var file = Path.Combine(Bicep.RepositoryRoot, "profiles", profile + ".json");
        Assert.True(File.Exists(file), $"{source} names the city profile '{profile}', but profiles/{profile}.json does not exist.");
        var document = JsonNode.Parse(File.ReadAllText(file)) as JsonObject;
        Assert.True(document?["City"] is JsonObject, $"profiles/{profile}.json has no City section.");
    }

    /// <summary>The template's own settings are there once each with their values, and no name appears twice.</summary>
    private static void AssertTemplateSettingsKept(IReadOnlyList<(string Name, string? Value)> settings)
    {
        foreach (var (name, value) in FixedSettings)
        {
            Assert.Equal(value, Assert.Single(settings, s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase)).Value);
        }

        var repeated = settings.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, $"App settings named more than once: {string.Join(", ", repeated)}");
    }

    private static async Task<IReadOnlyList<(string Name, string? Value)>> AppSettingsAsync(JsonObject parameters)
    {
        var snapshot = await Bicep.SnapshotMainAsync(parameters);
        Assert.True(snapshot.Run.ExitCode == 0, $"bicep snapshot failed: {snapshot.Run.Diagnostics}");
        Assert.Empty(snapshot.RequireSnapshot()["diagnostics"]?.AsArray() ?? []);

        var site = Assert.Single(snapshot.PredictedResources, r => TemplateRules.TypeOf(r) == "Microsoft.Web/sites");
        var settings = Assert.IsType<JsonArray>(site["properties"]?["siteConfig"]?["appSettings"]);
        return settings.OfType<JsonObject>().Select(s => (s["name"]!.GetValue<string>(), Text(s["value"]))).ToList();
    }

    private static bool IsCitySection(string name) =>
        name.StartsWith("City__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CasePolicy__", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Outreach__", StringComparison.OrdinalIgnoreCase);

    private static string CityProfileOf(JsonObject parameters) => parameters["cityProfile"]?.GetValue<string>() ?? "helsingborg";

    private static IEnumerable<(string Name, string? Value)> CitySettingsOf(JsonObject parameters) =>
        (parameters["citySettings"] as JsonObject ?? []).Select(p => (p.Key, Text(p.Value) ?? p.Value?.ToJsonString()));

    /// <summary>
    /// A parameter set's values as azd passes them: it replaces <c>${NAME}</c> and <c>${NAME=default}</c> in the file with the
    /// environment's value of NAME, or the default when NAME is not set.
    /// </summary>
    private static JsonObject Resolve(string set, Dictionary<string, string>? environment = null)
    {
        var values = new Dictionary<string, string>(AzdEnvironment, StringComparer.Ordinal);
        foreach (var (name, value) in environment ?? [])
        {
            values[name] = value;
        }

        var text = AzdValue().Replace(File.ReadAllText(Path.Combine(Bicep.InfraDirectory, set)), m =>
            values.TryGetValue(m.Groups["name"].Value, out var value) ? value
            : m.Groups["default"].Success ? m.Groups["default"].Value
            : throw new InvalidOperationException($"{set} needs the azd value {m.Groups["name"].Value}, which the test environment does not set."));
        var parameters = JsonNode.Parse(text)!["parameters"]!.AsObject();
        return new JsonObject(parameters.Select(p => KeyValuePair.Create(p.Key, p.Value!["value"]?.DeepClone())));
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:=(?<default>[^}]*))?\}")]
    private static partial Regex AzdValue();

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
