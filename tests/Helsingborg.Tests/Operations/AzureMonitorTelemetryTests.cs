using Azure.Identity;
using Helsingborg.Functions;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Tests.Operations;

/// <summary>The Functions app authenticates its telemetry as the managed identity infra names, never with a key.</summary>
[Trait("Category", "Unit")]
public sealed class AzureMonitorTelemetryTests
{
    [Fact]
    public void The_identity_comes_from_the_authentication_string_infra_sets()
    {
        Assert.Equal("5f0c1a2b-0000-4000-8000-000000000001", AzureMonitorTelemetry.ClientIdOf("ClientId=5f0c1a2b-0000-4000-8000-000000000001;Authorization=AAD"));
        Assert.Equal("abc", AzureMonitorTelemetry.ClientIdOf(" Authorization=AAD ; clientid=abc "));
        Assert.Null(AzureMonitorTelemetry.ClientIdOf("Authorization=AAD"));
        Assert.Null(AzureMonitorTelemetry.ClientIdOf(null));

        IConfiguration settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AzureMonitorTelemetry.AuthenticationStringSetting] = "ClientId=5f0c1a2b-0000-4000-8000-000000000001;Authorization=AAD",
        }).Build();
        Assert.IsType<ManagedIdentityCredential>(AzureMonitorTelemetry.Credential(settings));
    }
}
