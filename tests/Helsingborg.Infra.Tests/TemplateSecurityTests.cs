namespace Helsingborg.Infra.Tests;

/// <summary>The compiled main template keeps every rule of <see cref="TemplateRules"/>.</summary>
public class TemplateSecurityTests
{
    [Fact]
    public Task Template_has_no_storage_keys_or_connection_strings_in_app_settings() => AssertKeeps(TemplateRules.SecretsInSettings);

    [Fact]
    public Task Template_enables_no_shared_key_or_local_authentication() => AssertKeeps(TemplateRules.SharedKeyOrLocalAuth);

    [Fact]
    public Task Template_requires_https_and_tls_1_2() => AssertKeeps(TemplateRules.HttpsAndTls);

    [Fact]
    public Task Template_assigns_every_role_the_app_identity_needs() => AssertKeeps(TemplateRules.RoleAssignments);

    [Fact]
    public Task Template_reads_the_master_key_from_a_protected_key_vault() => AssertKeeps(TemplateRules.MasterKeyFromKeyVault);

    [Fact]
    public Task Template_keeps_key_material_out_of_app_settings_and_key_vault_secrets() => AssertKeeps(TemplateRules.KeyMaterialInSettings);

    [Fact]
    public Task Template_lets_the_app_identity_only_wrap_and_unwrap_with_the_master_key() => AssertKeeps(TemplateRules.WrapUnwrapOnly);

    [Fact]
    public async Task Master_key_is_an_rsa_key_in_key_vault_for_wrapping_only_with_the_wrap_unwrap_role_on_it()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var resources = TemplateRules.AllResources(template).ToList();

        var key = resources.Single(r => TemplateRules.TypeOf(r) == "Microsoft.KeyVault/vaults/keys")["properties"]!;
        Assert.Equal("RSA", key["kty"]!.GetValue<string>());
        Assert.Equal(3072, key["keySize"]!.GetValue<int>());
        Assert.Equal(["wrapKey", "unwrapKey"], key["keyOps"]!.AsArray().Select(o => o!.GetValue<string>()));
        var keyVaultAssignments = resources
            .Where(r => TemplateRules.TypeOf(r) == "Microsoft.Authorization/roleAssignments" && r["scope"]!.GetValue<string>().Contains("Microsoft.KeyVault", StringComparison.Ordinal))
            .ToList();
        var assignment = Assert.Single(keyVaultAssignments);
        Assert.Contains("'Microsoft.KeyVault/vaults/keys'", assignment["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(TemplateRules.WrapUnwrapRole, assignment["properties"]!["roleDefinitionId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(
            ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action"],
            TemplateRules.KeyVaultRoles[TemplateRules.WrapUnwrapRole].DataActions);
        Assert.DoesNotContain(resources, r => TemplateRules.TypeOf(r) == "Microsoft.KeyVault/vaults/secrets");
    }

    [Fact]
    public Task Template_trusts_the_principal_header_only_behind_app_service_authentication() => AssertKeeps(TemplateRules.AppAuthentication);

    [Fact]
    public Task Template_runs_as_production_without_api_keys() => AssertKeeps(TemplateRules.ProductionSettings);

    [Fact]
    public async Task Template_has_no_violations_at_all()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();

        Assert.Empty(TemplateRules.Check(template));
    }

    [Fact]
    public async Task Checker_sees_the_resources_inside_module_deployments()
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();
        var types = TemplateRules.AllResources(template).Select(TemplateRules.TypeOf).ToHashSet(StringComparer.OrdinalIgnoreCase);

        // Without these the rules above would pass for want of anything to check.
        Assert.Contains("Microsoft.Web/sites", types);
        Assert.Contains("Microsoft.Storage/storageAccounts", types);
        Assert.Contains("Microsoft.KeyVault/vaults", types);
        Assert.Contains("Microsoft.KeyVault/vaults/keys", types);
        Assert.Contains("Microsoft.Insights/components", types);
        Assert.Contains("Microsoft.Authorization/roleAssignments", types);
        Assert.Contains("Microsoft.Web/sites/basicPublishingCredentialsPolicies", types);
    }

    private static async Task AssertKeeps(string rule)
    {
        var template = (await Bicep.CompiledMainAsync()).RequireTemplate();

        var broken = TemplateRules.Check(template).Where(v => v.Rule == rule).ToList();

        Assert.True(broken.Count == 0, string.Join(Environment.NewLine, broken));
    }
}
