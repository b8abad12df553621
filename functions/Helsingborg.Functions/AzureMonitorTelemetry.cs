using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;

namespace Helsingborg.Functions;

/// <summary>
/// The worker's exporter: Application Insights through the Azure Monitor exporter, when
/// <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set (infra sets it; it names the endpoint and the component, and is
/// no credential). The component has local authentication off, so ingestion takes an Entra token of the app's
/// managed identity: the client id comes from <c>APPLICATIONINSIGHTS_AUTHENTICATION_STRING</c>
/// (<c>ClientId=…;Authorization=AAD</c>, which the Functions host reads too), else <c>AZURE_CLIENT_ID</c>.
/// Without a connection string (<c>func start</c> on a laptop) nothing is exported.
/// </summary>
public static class AzureMonitorTelemetry
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    public static IOpenTelemetryBuilder Configure(IOpenTelemetryBuilder telemetry, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            return telemetry;
        }

        TokenCredential credential = Credential(configuration);
        return telemetry.UseAzureMonitorExporter(options =>
        {
            options.ConnectionString = configuration[ConnectionStringSetting];
            options.Credential = credential;
        });
    }

    /// <summary>The managed identity named by the authentication string (or <c>AZURE_CLIENT_ID</c>); never a key.</summary>
    public static TokenCredential Credential(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? clientId = ClientIdOf(configuration[AuthenticationStringSetting]) ?? configuration["AZURE_CLIENT_ID"];
        return string.IsNullOrWhiteSpace(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned)
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
    }

    /// <summary>The <c>ClientId</c> of an authentication string such as <c>ClientId=…;Authorization=AAD</c>.</summary>
    public static string? ClientIdOf(string? authenticationString) =>
        authenticationString?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2 && pair[0].Equals("ClientId", StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1])
            .FirstOrDefault(id => id.Length > 0);
}
