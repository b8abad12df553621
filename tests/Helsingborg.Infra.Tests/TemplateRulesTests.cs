using System.Text.Json.Nodes;

namespace Helsingborg.Infra.Tests;

/// <summary>The checker itself is proven: each test breaks the compiled template in one place and expects that exact rule to fire.</summary>
public class TemplateRulesTests
{
    [Fact]
    public Task Storage_with_shared_key_access_is_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "allowSharedKeyAccess", t => Properties(t, "Microsoft.Storage/storageAccounts")["allowSharedKeyAccess"] = true);

    [Fact]
    public Task Storage_without_the_shared_key_setting_is_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "allowSharedKeyAccess", t => Properties(t, "Microsoft.Storage/storageAccounts").Remove("allowSharedKeyAccess"));

    [Fact]
    public Task Storage_accepting_tls_1_0_is_reported() =>
        AssertReported(TemplateRules.HttpsAndTls, "minimumTlsVersion", t => Properties(t, "Microsoft.Storage/storageAccounts")["minimumTlsVersion"] = "TLS1_0");

    [Fact]
    public Task Storage_with_public_blob_access_is_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "allowBlobPublicAccess", t => Properties(t, "Microsoft.Storage/storageAccounts")["allowBlobPublicAccess"] = true);

    [Fact]
    public Task App_setting_with_an_account_key_connection_string_is_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "AccountKey=", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "CaseStorage",
            ["value"] = "DefaultEndpointsProtocol=https;AccountName=st;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net",
        }));

    [Fact]
    public Task App_setting_built_with_listKeys_is_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "listKeys(", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "Storage__Key",
            ["value"] = "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2025-01-01').keys[0].value]",
        }));

    [Fact]
    public Task App_setting_with_a_sas_token_is_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "sig=", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "Export__Url",
            ["value"] = "https://st.blob.core.windows.net/x?sv=2024-01-01&sig=abc",
        }));

    [Fact]
    public Task Instrumentation_key_connection_string_in_app_settings_is_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "InstrumentationKey=", t => Setting(t, "APPLICATIONINSIGHTS_CONNECTION_STRING")["value"] =
            "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://example");

    [Fact]
    public Task Runtime_storage_as_a_connection_string_setting_is_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "AzureWebJobsStorage holds", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "AzureWebJobsStorage",
            ["value"] = "[parameters('storageConnection')]",
        }));

    [Fact]
    public Task Runtime_storage_without_managed_identity_credential_is_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "AzureWebJobsStorage must be identity-based", t => AppSettings(t).Remove(Setting(t, "AzureWebJobsStorage__credential")));

    [Fact]
    public Task Application_insights_with_local_auth_is_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "DisableLocalAuth", t => Properties(t, "Microsoft.Insights/components")["DisableLocalAuth"] = false);

    [Fact]
    public Task Key_vault_with_access_policies_instead_of_rbac_is_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "enableRbacAuthorization", t => Properties(t, "Microsoft.KeyVault/vaults")["enableRbacAuthorization"] = false);

    [Fact]
    public Task Key_vault_without_purge_protection_is_reported() =>
        AssertReported(TemplateRules.MasterKeyFromKeyVault, "enablePurgeProtection", t => Properties(t, "Microsoft.KeyVault/vaults").Remove("enablePurgeProtection"));

    [Fact]
    public Task Master_key_as_a_plain_app_setting_is_reported() =>
        AssertReported(TemplateRules.KeyMaterialInSettings, "DataProtection__MasterKey", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "DataProtection__MasterKey",
            ["value"] = "[parameters('entraClientId')]",
        }));

    [Fact]
    public Task Key_shaped_value_in_any_app_setting_is_reported() =>
        AssertReported(TemplateRules.KeyMaterialInSettings, "32-byte base64 key", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "Export__Key",
            ["value"] = "ZGVtby1tYXN0ZXIta2V5LWxvY2FsLW9ubHktMzJieXQ=",
        }));

    [Fact]
    public Task Master_key_as_a_key_vault_secret_reference_is_reported() =>
        AssertReported(TemplateRules.KeyMaterialInSettings, "@Microsoft.KeyVault(", t => AppSettings(t).Add(new JsonObject
        {
            ["name"] = "DataProtection__Key",
            ["value"] = "[format('@Microsoft.KeyVault(SecretUri={0})', parameters('entraClientId'))]",
        }));

    [Fact]
    public Task App_setting_from_a_secure_parameter_is_reported() =>
        AssertReported(TemplateRules.KeyMaterialInSettings, "secure parameter wrappedKey", t =>
        {
            SiteTemplate(t)["parameters"]!["wrappedKey"] = new JsonObject { ["type"] = "securestring" };
            AppSettings(t).Add(new JsonObject { ["name"] = "DataProtection__Wrapped", ["value"] = "[parameters('wrappedKey')]" });
        });

    [Fact]
    public Task Secret_in_key_vault_is_reported() =>
        AssertReported(TemplateRules.KeyMaterialInSettings, "no secret holds key material", t =>
            ((JsonArray)Resources(t, "Microsoft.KeyVault/vaults/keys").Single().Parent!).Add(new JsonObject
            {
                ["type"] = "Microsoft.KeyVault/vaults/secrets",
                ["name"] = "[format('{0}/{1}', parameters('name'), 'DataProtection--MasterKey')]",
                ["properties"] = new JsonObject { ["value"] = "[parameters('masterKey')]" },
            }));

    [Fact]
    public Task Missing_master_key_is_reported() =>
        AssertReported(TemplateRules.MasterKeyFromKeyVault, "no master key", t =>
        {
            JsonObject key = Resources(t, "Microsoft.KeyVault/vaults/keys").Single();
            ((JsonArray)key.Parent!).Remove(key);
        });

    [Fact]
    public Task Master_key_that_may_also_decrypt_is_reported() =>
        AssertReported(TemplateRules.MasterKeyFromKeyVault, "keyOps", t => Properties(t, "Microsoft.KeyVault/vaults/keys")["keyOps"]!.AsArray().Add("decrypt"));

    [Fact]
    public Task Weak_master_key_is_reported() =>
        AssertReported(TemplateRules.MasterKeyFromKeyVault, "keySize", t => Properties(t, "Microsoft.KeyVault/vaults/keys")["keySize"] = 2048);

    [Fact]
    public Task App_without_the_master_key_id_is_reported() =>
        AssertReported(TemplateRules.MasterKeyFromKeyVault, "DataProtection__KeyVaultKeyId", t => AppSettings(t).Remove(Setting(t, "DataProtection__KeyVaultKeyId")));

    [Theory]
    [InlineData("4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User")]
    [InlineData("12338af0-0e69-4776-bea7-57ae8d297424", "Key Vault Crypto User")]
    [InlineData("00482a5a-887f-4fb3-b363-3b7fe8e74483", "Key Vault Administrator")]
    public Task Key_vault_role_beyond_wrap_and_unwrap_is_reported(string roleId, string role) =>
        AssertReported(TemplateRules.WrapUnwrapOnly, role, t => WrapUnwrapAssignment(t)["properties"]!["roleDefinitionId"] =
            $"[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '{roleId}')]");

    [Fact]
    public Task Secret_reading_role_anywhere_is_reported() =>
        AssertReported(TemplateRules.WrapUnwrapOnly, "Key Vault Secrets User", t =>
        {
            JsonObject extra = (JsonObject)Resources(t, "Microsoft.Authorization/roleAssignments").First().DeepClone();
            extra["properties"]!["roleDefinitionId"] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')]";
            ((JsonArray)Resources(t, "Microsoft.Authorization/roleAssignments").First().Parent!).Add(extra);
        });

    [Fact]
    public Task Wrap_and_unwrap_on_the_whole_vault_instead_of_the_key_is_reported() =>
        AssertReported(TemplateRules.WrapUnwrapOnly, "on the master key itself", t =>
            WrapUnwrapAssignment(t)["scope"] = "[resourceId('Microsoft.KeyVault/vaults', parameters('name'))]");

    [Fact]
    public Task Unknown_role_on_key_vault_is_reported() =>
        AssertReported(TemplateRules.WrapUnwrapOnly, "on Key Vault", t =>
        {
            JsonObject extra = (JsonObject)WrapUnwrapAssignment(t).DeepClone();
            extra["properties"]!["roleDefinitionId"] = "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]";
            ((JsonArray)WrapUnwrapAssignment(t).Parent!).Add(extra);
        });

    [Fact]
    public Task Enabled_basic_publishing_credentials_are_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "(scm)", t => Resources(t, "Microsoft.Web/sites/basicPublishingCredentialsPolicies")
            .Single(r => r["name"]!.GetValue<string>().EndsWith("'scm')]", StringComparison.Ordinal))["properties"]!["allow"] = true);

    [Fact]
    public Task Site_without_https_only_is_reported() =>
        AssertReported(TemplateRules.HttpsAndTls, "httpsOnly", t => Properties(t, "Microsoft.Web/sites")["httpsOnly"] = false);

    [Fact]
    public Task Site_accepting_tls_1_0_is_reported() =>
        AssertReported(TemplateRules.HttpsAndTls, "minTlsVersion", t => Properties(t, "Microsoft.Web/sites")["siteConfig"]!["minTlsVersion"] = "1.0");

    [Fact]
    public Task Site_with_ftp_enabled_is_reported() =>
        AssertReported(TemplateRules.SharedKeyOrLocalAuth, "ftpsState", t => Properties(t, "Microsoft.Web/sites")["siteConfig"]!["ftpsState"] = "AllAllowed");

    [Theory]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner")]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("e147488a-f6f5-4113-8e2d-b22465e65bf6", "Key Vault Crypto Service Encryption User")]
    [InlineData("3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher")]
    public Task Missing_role_assignment_is_reported(string roleId, string role) =>
        AssertReported(TemplateRules.RoleAssignments, role, t =>
        {
            var assignment = Resources(t, "Microsoft.Authorization/roleAssignments")
                .Single(r => r["properties"]!["roleDefinitionId"]!.GetValue<string>().Contains(roleId, StringComparison.Ordinal));
            ((JsonArray)assignment.Parent!).Remove(assignment);
        });

    [Fact]
    public Task Trusting_the_principal_header_without_app_service_authentication_is_reported() =>
        AssertReported(TemplateRules.AppAuthentication, "X-MS-CLIENT-PRINCIPAL", t =>
        {
            var auth = Resources(t, "Microsoft.Web/sites/config").Single(r => r["name"]!.GetValue<string>().Contains("authsettingsV2", StringComparison.Ordinal));
            ((JsonArray)auth.Parent!).Remove(auth);
        });

    [Fact]
    public Task Demo_api_key_in_app_settings_is_reported() =>
        AssertReported(TemplateRules.ProductionSettings, "ApiKeys__0__Id", t => AppSettings(t).Add(new JsonObject { ["name"] = "ApiKeys__0__Id", ["value"] = "demo-partner-hotel" }));

    [Fact]
    public Task Development_environment_is_reported() =>
        AssertReported(TemplateRules.ProductionSettings, "AZURE_FUNCTIONS_ENVIRONMENT", t => Setting(t, "AZURE_FUNCTIONS_ENVIRONMENT")["value"] = "Development");

    [Fact]
    public Task App_settings_the_checker_cannot_read_are_reported() =>
        AssertReported(TemplateRules.SecretsInSettings, "must be a literal array", t =>
            Properties(t, "Microsoft.Web/sites")["siteConfig"]!["appSettings"] = "[parameters('settings')]");

    [Fact]
    public void Checker_finds_resources_in_symbolic_name_templates_and_child_resources()
    {
        var template = new JsonObject
        {
            ["languageVersion"] = "2.0",
            ["resources"] = new JsonObject
            {
                ["module"] = new JsonObject
                {
                    ["type"] = "Microsoft.Resources/deployments",
                    ["properties"] = new JsonObject
                    {
                        ["template"] = new JsonObject
                        {
                            ["resources"] = new JsonArray(new JsonObject
                            {
                                ["type"] = "Microsoft.Web/serverfarms",
                                ["resources"] = new JsonArray(new JsonObject
                                {
                                    ["type"] = "Microsoft.Storage/storageAccounts",
                                    ["name"] = "deep",
                                    ["properties"] = new JsonObject { ["allowSharedKeyAccess"] = true },
                                }),
                            }),
                        },
                    },
                },
            },
        };

        var violations = TemplateRules.Check(template);

        Assert.Contains(violations, v => v.Rule == TemplateRules.SharedKeyOrLocalAuth && v.Message.Contains("deep", StringComparison.Ordinal));
    }

    private static async Task AssertReported(string rule, string fragment, Action<JsonObject> breakTemplate)
    {
        var original = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var template = (JsonObject)original.DeepClone();

        breakTemplate(template);
        var violations = TemplateRules.Check(template);

        Assert.True(
            violations.Any(v => v.Rule == rule && v.Message.Contains(fragment, StringComparison.Ordinal)),
            $"Expected a [{rule}] violation mentioning \"{fragment}\"; got:{Environment.NewLine}{string.Join(Environment.NewLine, violations)}");
    }

    private static List<JsonObject> Resources(JsonObject template, string type) =>
        TemplateRules.AllResources(template).Where(r => TemplateRules.TypeOf(r) == type).ToList();

    private static JsonObject Properties(JsonObject template, string type) => Resources(template, type).Single()["properties"]!.AsObject();

    /// <summary>The literal settings array the compiled site draws on (variables('baseAppSettings') of the function app module).</summary>
    private static JsonArray AppSettings(JsonObject template)
    {
        var module = Resources(template, "Microsoft.Resources/deployments")
            .Single(d => d["properties"]!["template"]!["resources"]!.AsArray().OfType<JsonObject>().Any(r => TemplateRules.TypeOf(r) == "Microsoft.Web/sites"));
        var moduleTemplate = module["properties"]!["template"]!.AsObject();
        var site = Resources(moduleTemplate, "Microsoft.Web/sites").Single();
        return TemplateRules.LiteralAppSettings(site, moduleTemplate).Single();
    }

    /// <summary>The template of the module that holds the site (its parameters are the settings' sources).</summary>
    private static JsonObject SiteTemplate(JsonObject template) =>
        Resources(template, "Microsoft.Resources/deployments")
            .Single(d => d["properties"]!["template"]!["resources"]!.AsArray().OfType<JsonObject>().Any(r => TemplateRules.TypeOf(r) == "Microsoft.Web/sites"))["properties"]!["template"]!.AsObject();

    private static JsonObject WrapUnwrapAssignment(JsonObject template) =>
        Resources(template, "Microsoft.Authorization/roleAssignments")
            .Single(r => r["properties"]!["roleDefinitionId"]!.GetValue<string>().Contains(TemplateRules.WrapUnwrapRole, StringComparison.Ordinal));

    private static JsonObject Setting(JsonObject template, string name) =>
        AppSettings(template).OfType<JsonObject>().Single(s => s["name"]!.GetValue<string>() == name);
}
