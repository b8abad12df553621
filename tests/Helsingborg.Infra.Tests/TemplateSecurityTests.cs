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
