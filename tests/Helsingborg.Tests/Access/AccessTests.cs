using Helsingborg.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Helsingborg.Tests.Access;

[Trait("Category", "Unit")]
public sealed class AccessTests
{
    static IConfiguration SampleSettings()
    {
        string path = Helsingborg.LocalHost.LocalSettings.Find(AppContext.BaseDirectory)!;
        return new ConfigurationBuilder().AddInMemoryCollection(Helsingborg.LocalHost.LocalSettings.Read(path)).Build();
    }

    static CallerResolver Resolver(bool trustPrincipal = false) =>
        new(CallerResolver.ReadKeys(SampleSettings()), Options.Create(new AuthOptions { TrustAppServicePrincipal = trustPrincipal }), Infrastructure.TestProfiles.Helsingborg);

    static HttpRequest RequestWith(string header, string value)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers[header] = value;
        return context.Request;
    }

    [Theory]
    [InlineData("demo-partner-hotel", "hotel-group", Role.Partner)]
    [InlineData("demo-partner-housing", "helsingborgshem", Role.Partner)]
    [InlineData("demo-coordinator-sos", "social-services", Role.Coordinator)]
    [InlineData("demo-coordinator-fa", "salvation-army", Role.Coordinator)]
    [InlineData("demo-statistics", "city", Role.Statistics)]
    [InlineData("demo-admin", "social-services", Role.Admin)]
    public void Each_demo_key_maps_to_its_organisation_and_role(string key, string organisation, Role role)
    {
        Caller? caller = Resolver().Resolve(RequestWith("X-Api-Key", key));
        Assert.NotNull(caller);
        Assert.Equal(organisation, caller.Organisation);
        Assert.Equal([role], caller.Roles);
    }

    [Fact]
    public void An_unknown_key_is_nobody()
    {
        Assert.Null(Resolver().Resolve(RequestWith("X-Api-Key", "demo-partner-hotel ")));
        Assert.Null(Resolver().Resolve(RequestWith("X-Api-Key", "guess")));
    }

    [Fact]
    public void The_sample_settings_hold_only_hashes_of_the_keys()
    {
        string text = File.ReadAllText(Helsingborg.LocalHost.LocalSettings.Find(AppContext.BaseDirectory)!);
        Assert.DoesNotContain("\"demo-partner-hotel\"", text.Replace("\"ApiKeys__0__Id\": \"demo-partner-hotel\"", string.Empty, StringComparison.Ordinal));
    }

    static string Principal(string organisation, params string[] roles)
    {
        var claims = new List<object> { new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = "00000000-0000-0000-0000-000000000001" }, new { typ = "extension_organisation", val = organisation } };
        claims.AddRange(roles.Select(r => new { typ = "roles", val = r }));
        return Convert.ToBase64String(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { claims }));
    }

    [Fact]
    public void The_app_service_principal_is_ignored_unless_trusted()
    {
        Assert.Null(Resolver(trustPrincipal: false).Resolve(RequestWith("X-MS-CLIENT-PRINCIPAL", Principal("social-services", "Coordinator"))));
    }

    [Fact]
    public void A_trusted_principal_brings_its_roles_and_organisation()
    {
        Caller? caller = Resolver(trustPrincipal: true).Resolve(RequestWith("X-MS-CLIENT-PRINCIPAL", Principal("salvation-army", "Coordinator")));
        Assert.NotNull(caller);
        Assert.Equal("salvation-army", caller.Organisation);
        Assert.Contains(Role.Coordinator, caller.Roles);
    }

    [Fact]
    public void A_principal_cannot_claim_the_partner_role_or_an_unknown_organisation()
    {
        Caller? partner = Resolver(trustPrincipal: true).Resolve(RequestWith("X-MS-CLIENT-PRINCIPAL", Principal("social-services", "Partner")));
        Assert.NotNull(partner);
        Assert.Empty(partner.Roles);
        Assert.Null(Resolver(trustPrincipal: true).Resolve(RequestWith("X-MS-CLIENT-PRINCIPAL", Principal("nobody", "Admin"))));
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_the_app_refuses_demo_keys(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => DemoKeyGuard.EnsureAllowed(SampleSettings(), environment));
        Assert.Contains("demo", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Outside_development_the_demo_master_key_is_refused_as_a_previous_version_too()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["DataProtection:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["DataProtection:MasterKeyVersion"] = "2",
            ["DataProtection:PreviousMasterKeys:1"] = Helsingborg.DataProtection.LocalKeyWrapper.DemoValue,
        }).Build();

        Assert.Throws<InvalidOperationException>(() => DemoKeyGuard.EnsureAllowed(config, "Production"));
    }

    [Fact]
    public void In_development_demo_keys_are_allowed()
    {
        DemoKeyGuard.EnsureAllowed(SampleSettings(), "Development");
    }

    [Fact]
    public void Outside_development_real_keys_are_allowed()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiKeys:0:Id"] = "hotel",
            ["ApiKeys:0:Sha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData("a-long-random-key"u8)),
            ["ApiKeys:0:Organisation"] = "hotel-group",
            ["ApiKeys:0:Roles:0"] = "partner",
            ["DataProtection:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        }).Build();
        DemoKeyGuard.EnsureAllowed(config, "Production");
    }
}
