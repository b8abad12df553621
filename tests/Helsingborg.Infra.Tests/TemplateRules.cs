using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Helsingborg.Infra.Tests;

/// <summary>A rule a compiled template breaks, and where.</summary>
internal sealed record Violation(string Rule, string Message)
{
    public override string ToString() => $"[{Rule}] {Message}";
}

/// <summary>
/// Checks a compiled ARM template against the data-protection rules the infrastructure must keep:
/// no secrets in app settings, no shared-key or local authentication, HTTPS and TLS 1.2 everywhere,
/// the roles the app identity needs, the master key from Key Vault, and the principal header trusted only
/// behind App Service Authentication. Values are often ARM expressions ("[format(...)]"), so the rules look
/// at literal values where the Bicep keeps them literal, and search expression text for forbidden fragments.
/// Resources are found at any depth: module deployments (Microsoft.Resources/deployments with
/// properties.template), nested child resources, and symbolic-name resource objects (languageVersion 2.0).
/// </summary>
internal static partial class TemplateRules
{
    public const string SecretsInSettings = "secrets-in-settings";
    public const string SharedKeyOrLocalAuth = "shared-key-or-local-auth";
    public const string HttpsAndTls = "https-and-tls";
    public const string RoleAssignments = "role-assignments";
    public const string MasterKeyFromKeyVault = "master-key-from-key-vault";
    public const string AppAuthentication = "app-authentication";
    public const string ProductionSettings = "production-settings";

    /// <summary>Built-in roles the app identity needs, by role definition id.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredRoles = new Dictionary<string, string>
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    /// <summary>Text that only a connection string, an account key or a SAS token contains.</summary>
    private static readonly string[] SecretFragments =
    [
        "AccountKey=",
        "DefaultEndpointsProtocol",
        "SharedAccessSignature",
        "SharedAccessKey",
        "InstrumentationKey=",
        "listKeys(",
        "listAccountSas(",
        "listServiceSas(",
        "listConnectionStrings(",
        "sig=",
        "UseDevelopmentStorage",
    ];

    /// <summary>Key-reading ARM functions and connection-string text: none may appear anywhere, not even in a module parameter.</summary>
    private static readonly string[] ForbiddenAnywhere =
    [
        "listKeys(",
        "listAccountSas(",
        "listServiceSas(",
        "listConnectionStrings(",
        "AccountKey=",
        "DefaultEndpointsProtocol",
        "SharedAccessSignature=",
    ];

    public static IReadOnlyList<Violation> Check(JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var violations = new List<Violation>();
        var located = AllResourcesIn(template).ToList();
        var resources = located.Select(r => r.Resource).ToList();

        CheckNothingForbiddenAnywhere(template, violations);
        foreach (var (resource, enclosing) in located)
        {
            var type = TypeOf(resource);
            var name = NameOf(resource);
            var properties = resource["properties"] as JsonObject;
            switch (type.ToUpperInvariant())
            {
                case "MICROSOFT.STORAGE/STORAGEACCOUNTS":
                    CheckStorage(name, properties, violations);
                    break;
                case "MICROSOFT.INSIGHTS/COMPONENTS":
                    Require(IsTrue(properties?["DisableLocalAuth"]), SharedKeyOrLocalAuth, $"Application Insights {name}: DisableLocalAuth must be true.", violations);
                    break;
                case "MICROSOFT.OPERATIONALINSIGHTS/WORKSPACES":
                    Require(IsTrue(properties?["features"]?["disableLocalAuth"]), SharedKeyOrLocalAuth, $"Log Analytics {name}: features.disableLocalAuth must be true.", violations);
                    break;
                case "MICROSOFT.KEYVAULT/VAULTS":
                    CheckKeyVault(name, properties, violations);
                    break;
                case "MICROSOFT.WEB/SITES":
                    CheckSite(name, properties, LiteralAppSettings(resource, enclosing), resources, violations);
                    break;
                case "MICROSOFT.WEB/SITES/BASICPUBLISHINGCREDENTIALSPOLICIES":
                    Require(IsFalse(properties?["allow"]), SharedKeyOrLocalAuth, $"Publishing credentials policy {name}: allow must be false.", violations);
                    break;
                case "MICROSOFT.WEB/SITES/CONFIG" when LastSegmentIs(name, "appsettings"):
                    if (properties is not null)
                    {
                        CheckSettings(name, properties.Select(p => (p.Key, p.Value)), violations);
                    }

                    break;
            }
        }

        CheckRoleAssignments(resources, violations);
        return violations;
    }

    /// <summary>Every resource object of the template, its module deployments and child resources.</summary>
    public static IEnumerable<JsonObject> AllResources(JsonObject template) => AllResourcesIn(template).Select(r => r.Resource);

    /// <summary>
    /// The literal {name, value} app settings of a site. Where siteConfig.appSettings is an expression such as
    /// "[concat(variables('base'), variables('partnerKeys'))]", the literal arrays among those variables of the
    /// site's own template; variables that are themselves expressions come from parameters and are not literal.
    /// </summary>
    public static IReadOnlyList<JsonArray> LiteralAppSettings(JsonObject site, JsonObject template)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(template);
        return site["properties"]?["siteConfig"]?["appSettings"] switch
        {
            JsonArray settings => [settings],
            JsonValue expression when expression.TryGetValue(out string? text) => VariableReference().Matches(text)
                .Select(m => template["variables"]?[m.Groups["name"].Value])
                .OfType<JsonArray>()
                .ToList(),
            _ => [],
        };
    }

    private static IEnumerable<(JsonObject Resource, JsonObject Template)> AllResourcesIn(JsonObject template)
    {
        IEnumerable<JsonNode?> entries = template["resources"] switch
        {
            JsonArray array => array,
            JsonObject symbolic => symbolic.Select(p => p.Value),
            _ => [],
        };
        foreach (var resource in entries.OfType<JsonObject>())
        {
            yield return (resource, template);
            foreach (var child in AllResourcesIn(resource))
            {
                yield return (child.Resource, template);
            }

            if (resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in AllResourcesIn(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    [GeneratedRegex(@"variables\('(?<name>[^']+)'\)")]
    private static partial Regex VariableReference();

    public static string TypeOf(JsonObject resource) => Text(resource["type"]) ?? "";

    private static string NameOf(JsonObject resource) => Text(resource["name"]) ?? "(unnamed)";

    private static void CheckNothingForbiddenAnywhere(JsonObject template, List<Violation> violations)
    {
        var text = template.ToJsonString();
        foreach (var fragment in ForbiddenAnywhere.Where(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)))
        {
            violations.Add(new Violation(SecretsInSettings, $"The template contains \"{fragment}\": it must not read or pass storage keys, SAS tokens or connection strings."));
        }
    }

    private static void CheckStorage(string name, JsonObject? properties, List<Violation> violations)
    {
        Require(IsFalse(properties?["allowSharedKeyAccess"]), SharedKeyOrLocalAuth, $"Storage account {name}: allowSharedKeyAccess must be false.", violations);
        Require(IsFalse(properties?["allowBlobPublicAccess"]), SharedKeyOrLocalAuth, $"Storage account {name}: allowBlobPublicAccess must be false.", violations);
        Require(Text(properties?["minimumTlsVersion"]) == "TLS1_2", HttpsAndTls, $"Storage account {name}: minimumTlsVersion must be TLS1_2.", violations);
        Require(!IsFalse(properties?["supportsHttpsTrafficOnly"]), HttpsAndTls, $"Storage account {name}: supportsHttpsTrafficOnly must not be false.", violations);
    }

    private static void CheckKeyVault(string name, JsonObject? properties, List<Violation> violations)
    {
        Require(IsTrue(properties?["enableRbacAuthorization"]), SharedKeyOrLocalAuth, $"Key Vault {name}: enableRbacAuthorization must be true.", violations);
        Require(properties?["accessPolicies"] is not JsonArray { Count: > 0 }, SharedKeyOrLocalAuth, $"Key Vault {name}: access policies are not allowed; use RBAC.", violations);
        Require(IsTrue(properties?["enablePurgeProtection"]), MasterKeyFromKeyVault, $"Key Vault {name}: enablePurgeProtection must be true.", violations);
        Require(!IsFalse(properties?["enableSoftDelete"]), MasterKeyFromKeyVault, $"Key Vault {name}: soft delete must stay enabled.", violations);
    }

    private static void CheckSite(string name, JsonObject? properties, IReadOnlyList<JsonArray> literalSettings, List<JsonObject> resources, List<Violation> violations)
    {
        Require(IsTrue(properties?["httpsOnly"]), HttpsAndTls, $"Site {name}: httpsOnly must be true.", violations);
        var siteConfig = properties?["siteConfig"] as JsonObject;
        Require(Text(siteConfig?["minTlsVersion"]) is "1.2" or "1.3", HttpsAndTls, $"Site {name}: siteConfig.minTlsVersion must be 1.2 or higher.", violations);
        Require(Text(siteConfig?["ftpsState"]) == "Disabled", SharedKeyOrLocalAuth, $"Site {name}: siteConfig.ftpsState must be Disabled.", violations);
        Require(siteConfig?["connectionStrings"] is not JsonArray { Count: > 0 }, SecretsInSettings, $"Site {name}: connectionStrings are not allowed; use identity-based settings.", violations);

        var policies = resources.Where(r => TypeOf(r).Equals("Microsoft.Web/sites/basicPublishingCredentialsPolicies", StringComparison.OrdinalIgnoreCase)).ToList();
        foreach (var policy in new[] { "ftp", "scm" })
        {
            Require(
                policies.Any(p => LastSegmentIs(NameOf(p), policy) && IsFalse(p["properties"]?["allow"])),
                SharedKeyOrLocalAuth,
                $"Site {name}: basic publishing credentials ({policy}) must be disabled by a basicPublishingCredentialsPolicies resource with allow false.",
                violations);
        }

        Require(literalSettings.Count > 0, SecretsInSettings, $"Site {name}: siteConfig.appSettings must be a literal array, or an expression over literal variable arrays, so that it can be checked.", violations);
        var settings = literalSettings
            .SelectMany(a => a.OfType<JsonObject>())
            .Select(s => (Name: Text(s["name"]) ?? "", Value: s["value"]))
            .ToList();
        CheckSettings(name, settings, violations);

        var byName = settings.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => Text(g.Last().Value), StringComparer.OrdinalIgnoreCase);
        string? Setting(string key) => byName.GetValueOrDefault(key);

        Require(Setting("AzureWebJobsStorage__credential") == "managedidentity" && Setting("AzureWebJobsStorage__accountName") is not null,
            SecretsInSettings, $"Site {name}: AzureWebJobsStorage must be identity-based (AzureWebJobsStorage__accountName, __credential managedidentity).", violations);
        Require(Setting("CaseStorage__credential") == "managedidentity",
            SecretsInSettings, $"Site {name}: CaseStorage must be identity-based (CaseStorage__credential managedidentity).", violations);
        Require(Setting("APPLICATIONINSIGHTS_AUTHENTICATION_STRING")?.Contains("Authorization=AAD", StringComparison.Ordinal) == true,
            SharedKeyOrLocalAuth, $"Site {name}: APPLICATIONINSIGHTS_AUTHENTICATION_STRING must authorise with Entra (Authorization=AAD).", violations);

        var masterKey = Setting("DataProtection__MasterKey");
        Require(masterKey?.Contains("@Microsoft.KeyVault(SecretUri=", StringComparison.Ordinal) == true,
            MasterKeyFromKeyVault, $"Site {name}: DataProtection__MasterKey must be a Key Vault reference.", violations);
        Require(Text(properties?["keyVaultReferenceIdentity"]) is { Length: > 0 } identity && !identity.Equals("SystemAssigned", StringComparison.OrdinalIgnoreCase),
            MasterKeyFromKeyVault, $"Site {name}: keyVaultReferenceIdentity must name the user-assigned identity.", violations);

        Require(Setting("AZURE_FUNCTIONS_ENVIRONMENT") == "Production", ProductionSettings, $"Site {name}: AZURE_FUNCTIONS_ENVIRONMENT must be Production.", violations);
        foreach (var demo in settings.Where(s => s.Name.StartsWith("ApiKeys", StringComparison.OrdinalIgnoreCase)
                     || (Text(s.Value)?.Contains("demo-", StringComparison.OrdinalIgnoreCase) ?? false)))
        {
            violations.Add(new Violation(ProductionSettings, $"Site {name}: setting {demo.Name} is an API key or a demo value; partner keys are added by operators, never by the template."));
        }

        if (string.Equals(Setting("Auth__TrustAppServicePrincipal"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var auth = resources.FirstOrDefault(r => TypeOf(r).Equals("Microsoft.Web/sites/config", StringComparison.OrdinalIgnoreCase) && LastSegmentIs(NameOf(r), "authsettingsV2"));
            var authProperties = auth?["properties"];
            Require(
                IsTrue(authProperties?["platform"]?["enabled"]) && IsTrue(authProperties?["identityProviders"]?["azureActiveDirectory"]?["enabled"]),
                AppAuthentication,
                $"Site {name}: Auth__TrustAppServicePrincipal is true, so App Service Authentication (authsettingsV2) with Entra ID must be enabled; otherwise a caller could forge X-MS-CLIENT-PRINCIPAL.",
                violations);
            Require(IsTrue(authProperties?["httpSettings"]?["requireHttps"]), HttpsAndTls, $"Site {name}: authsettingsV2 httpSettings.requireHttps must be true.", violations);
        }
    }

    private static void CheckSettings(string owner, IEnumerable<(string Name, JsonNode? Value)> settings, List<Violation> violations)
    {
        foreach (var (settingName, value) in settings)
        {
            var text = value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "";
            foreach (var fragment in SecretFragments.Where(f => text.Contains(f, StringComparison.OrdinalIgnoreCase)))
            {
                violations.Add(new Violation(SecretsInSettings, $"{owner}: setting {settingName} contains \"{fragment}\": a connection string, key or SAS token."));
            }

            if (settingName.Equals("AzureWebJobsStorage", StringComparison.OrdinalIgnoreCase)
                || settingName.Equals("CaseStorage", StringComparison.OrdinalIgnoreCase)
                || settingName.Equals("APPINSIGHTS_INSTRUMENTATIONKEY", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(new Violation(SecretsInSettings, $"{owner}: setting {settingName} holds a connection string or key; use the identity-based __ settings."));
            }
        }
    }

    private static void CheckRoleAssignments(List<JsonObject> resources, List<Violation> violations)
    {
        var assigned = resources
            .Where(r => TypeOf(r).Equals("Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase))
            .Where(r => r["properties"]?["principalId"] is not null)
            .Select(r => Text(r["properties"]?["roleDefinitionId"]) ?? "")
            .ToList();
        foreach (var (id, role) in RequiredRoles)
        {
            Require(assigned.Any(a => a.Contains(id, StringComparison.OrdinalIgnoreCase)), RoleAssignments, $"No role assignment of {role} ({id}) for the app identity.", violations);
        }
    }

    private static void Require(bool condition, string rule, string message, List<Violation> violations)
    {
        if (!condition)
        {
            violations.Add(new Violation(rule, message));
        }
    }

    /// <summary>True for a name "parent/segment" and for its compiled form "[format('{0}/{1}', ..., 'segment')]".</summary>
    private static bool LastSegmentIs(string name, string segment) =>
        name.EndsWith("/" + segment, StringComparison.OrdinalIgnoreCase)
        || name.EndsWith($"'{segment}')]", StringComparison.OrdinalIgnoreCase);

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    private static bool IsFalse(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.False;

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
