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
/// the roles the app identity needs, the master key as a Key Vault key the app may only wrap and unwrap with, no key
/// material in app settings or Key Vault secrets, and the principal header trusted only behind App Service Authentication. Values are often ARM expressions ("[format(...)]"), so the rules look
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
    public const string KeyMaterialInSettings = "key-material-in-settings";
    public const string WrapUnwrapOnly = "wrap-unwrap-only";

    /// <summary>Key Vault Crypto Service Encryption User: the one Key Vault role the app identity holds, on the master key.</summary>
    public const string WrapUnwrapRole = "e147488a-f6f5-4113-8e2d-b22465e65bf6";

    /// <summary>Built-in roles the app identity needs, by role definition id.</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredRoles = new Dictionary<string, string>
    {
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        [WrapUnwrapRole] = "Key Vault Crypto Service Encryption User",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
    };

    /// <summary>What the app may do with the master key: read its metadata (the current version), wrap and unwrap.</summary>
    private static readonly string[] WrapUnwrapActions =
    [
        "Microsoft.KeyVault/vaults/keys/read",
        "Microsoft.KeyVault/vaults/keys/wrap/action",
        "Microsoft.KeyVault/vaults/keys/unwrap/action",
    ];

    /// <summary>
    /// Key Vault's built-in data-plane roles and their data actions (Azure built-in roles, Security). Only Key Vault Crypto
    /// Service Encryption User stays within <see cref="WrapUnwrapActions"/>; each of the others reads secrets, decrypts or
    /// manages keys.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Name, string[] DataActions)> KeyVaultRoles = new Dictionary<string, (string, string[])>(StringComparer.OrdinalIgnoreCase)
    {
        [WrapUnwrapRole] = ("Key Vault Crypto Service Encryption User", ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action"]),
        ["12338af0-0e69-4776-bea7-57ae8d297424"] = ("Key Vault Crypto User", ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/update/action", "Microsoft.KeyVault/vaults/keys/backup/action", "Microsoft.KeyVault/vaults/keys/encrypt/action", "Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action", "Microsoft.KeyVault/vaults/keys/sign/action", "Microsoft.KeyVault/vaults/keys/verify/action"]),
        ["14b46e9e-c2b7-41b4-b07b-48a6ebf60603"] = ("Key Vault Crypto Officer", ["Microsoft.KeyVault/vaults/keys/*", "Microsoft.KeyVault/vaults/keyrotationpolicies/*"]),
        ["4633458b-17de-408a-b874-0445c86b69e6"] = ("Key Vault Secrets User", ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]),
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = ("Key Vault Secrets Officer", ["Microsoft.KeyVault/vaults/secrets/*"]),
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = ("Key Vault Administrator", ["Microsoft.KeyVault/vaults/*"]),
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
                    CheckKeyVault(name, properties, resources, violations);
                    break;
                case "MICROSOFT.KEYVAULT/VAULTS/SECRETS":
                    violations.Add(new Violation(KeyMaterialInSettings, $"Key Vault secret {name}: the master key is a Key Vault key the app wraps and unwraps with; no secret holds key material."));
                    break;
                case "MICROSOFT.WEB/SITES":
                    CheckSite(name, properties, LiteralAppSettings(resource, enclosing), enclosing, resources, violations);
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
        CheckKeyVaultRoles(resources, violations);
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

    private static void CheckKeyVault(string name, JsonObject? properties, List<JsonObject> resources, List<Violation> violations)
    {
        var keys = resources.Where(r => TypeOf(r).Equals("Microsoft.KeyVault/vaults/keys", StringComparison.OrdinalIgnoreCase)).ToList();
        Require(keys.Count > 0, MasterKeyFromKeyVault, $"Key Vault {name}: no master key (a Microsoft.KeyVault/vaults/keys resource).", violations);
        foreach (var key in keys)
        {
            var keyProperties = key["properties"];
            var operations = (keyProperties?["keyOps"] as JsonArray)?.Select(Text).ToHashSet(StringComparer.Ordinal) ?? [];
            Require(Text(keyProperties?["kty"]) is "RSA" or "RSA-HSM" && keyProperties?["keySize"] is JsonValue size && size.GetValue<int>() >= 3072,
                MasterKeyFromKeyVault, $"Key Vault key {NameOf(key)}: kty must be RSA or RSA-HSM with keySize of at least 3072.", violations);
            Require(operations.SetEquals(["wrapKey", "unwrapKey"]),
                MasterKeyFromKeyVault, $"Key Vault key {NameOf(key)}: keyOps must be exactly wrapKey and unwrapKey.", violations);
        }

        Require(IsTrue(properties?["enableRbacAuthorization"]), SharedKeyOrLocalAuth, $"Key Vault {name}: enableRbacAuthorization must be true.", violations);
        Require(properties?["accessPolicies"] is not JsonArray { Count: > 0 }, SharedKeyOrLocalAuth, $"Key Vault {name}: access policies are not allowed; use RBAC.", violations);
        Require(IsTrue(properties?["enablePurgeProtection"]), MasterKeyFromKeyVault, $"Key Vault {name}: enablePurgeProtection must be true.", violations);
        Require(!IsFalse(properties?["enableSoftDelete"]), MasterKeyFromKeyVault, $"Key Vault {name}: soft delete must stay enabled.", violations);
    }

    private static void CheckSite(string name, JsonObject? properties, IReadOnlyList<JsonArray> literalSettings, JsonObject template, List<JsonObject> resources, List<Violation> violations)
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

        Require(Setting("DataProtection__KeyVaultKeyId") is { Length: > 0 } && Setting("DataProtection__clientId") is { Length: > 0 },
            MasterKeyFromKeyVault, $"Site {name}: DataProtection__KeyVaultKeyId (the master key in Key Vault) and DataProtection__clientId (the identity that wraps with it) must be set.", violations);
        CheckNoKeyMaterial(name, settings, template, violations);

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

    /// <summary>
    /// No app setting holds a key: not the local master key's settings, not a Key Vault reference (which reads a secret
    /// into the app's environment), not a value shaped like a 32-byte base64 key, not a secure parameter.
    /// </summary>
    private static void CheckNoKeyMaterial(string site, List<(string Name, JsonNode? Value)> settings, JsonObject template, List<Violation> violations)
    {
        foreach (var (settingName, value) in settings)
        {
            var text = Text(value) ?? value?.ToJsonString() ?? "";
            if (settingName.Equals("DataProtection__MasterKey", StringComparison.OrdinalIgnoreCase)
                || settingName.StartsWith("DataProtection__PreviousMasterKeys", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(new Violation(KeyMaterialInSettings, $"Site {site}: setting {settingName} holds a master key; in Azure the master key stays in Key Vault."));
            }

            if (text.Contains("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(new Violation(KeyMaterialInSettings, $"Site {site}: setting {settingName} is a Key Vault reference (@Microsoft.KeyVault(): it reads a secret into the app's settings."));
            }

            if (Base64Key().IsMatch(text))
            {
                violations.Add(new Violation(KeyMaterialInSettings, $"Site {site}: setting {settingName} looks like a 32-byte base64 key."));
            }

            foreach (Match reference in ParameterReference().Matches(text))
            {
                var type = Text(template["parameters"]?[reference.Groups["name"].Value]?["type"]);
                if (type?.StartsWith("secure", StringComparison.OrdinalIgnoreCase) == true)
                {
                    violations.Add(new Violation(KeyMaterialInSettings, $"Site {site}: setting {settingName} comes from the secure parameter {reference.Groups["name"].Value}."));
                }
            }
        }
    }

    /// <summary>
    /// The app identity's Key Vault roles: Key Vault Crypto Service Encryption User on the master key, and no Key Vault
    /// role anywhere whose data actions go beyond reading a key and wrapping and unwrapping with it (no secret read).
    /// </summary>
    private static void CheckKeyVaultRoles(List<JsonObject> resources, List<Violation> violations)
    {
        var assignments = resources
            .Where(r => TypeOf(r).Equals("Microsoft.Authorization/roleAssignments", StringComparison.OrdinalIgnoreCase))
            .Select(r => (Role: RoleGuid().Match(Text(r["properties"]?["roleDefinitionId"]) ?? "").Value, Scope: Text(r["scope"]) ?? ""))
            .ToList();
        foreach (var (role, scope) in assignments)
        {
            if (KeyVaultRoles.TryGetValue(role, out var known))
            {
                var beyond = known.DataActions.Except(WrapUnwrapActions, StringComparer.OrdinalIgnoreCase).ToList();
                Require(beyond.Count == 0, WrapUnwrapOnly, $"Role assignment of {known.Name} ({role}): it allows {string.Join(", ", beyond)}; the app identity may only wrap and unwrap with the master key.", violations);
            }
            else
            {
                Require(!scope.Contains("Microsoft.KeyVault", StringComparison.OrdinalIgnoreCase), WrapUnwrapOnly,
                    $"Role assignment of {role} on Key Vault: only Key Vault Crypto Service Encryption User ({WrapUnwrapRole}) is allowed there.", violations);
            }
        }

        Require(assignments.Any(a => a.Role.Equals(WrapUnwrapRole, StringComparison.OrdinalIgnoreCase) && a.Scope.Contains("Microsoft.KeyVault/vaults/keys", StringComparison.OrdinalIgnoreCase)),
            WrapUnwrapOnly, $"Key Vault Crypto Service Encryption User ({WrapUnwrapRole}) must be assigned on the master key itself (scope Microsoft.KeyVault/vaults/keys).", violations);
    }

    [GeneratedRegex(@"^[A-Za-z0-9+/]{43}=$")]
    private static partial Regex Base64Key();

    [GeneratedRegex(@"parameters\('(?<name>[^']+)'\)")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex RoleGuid();

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
