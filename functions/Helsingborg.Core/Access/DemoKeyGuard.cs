using System.Security.Cryptography;
using System.Text;
using Helsingborg.DataProtection;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Access;

/// <summary>
/// The demo keys of local.settings.sample.json open every door to anyone who read the README:
/// outside the Development environment the app refuses to start while any is configured.
/// </summary>
public static class DemoKeyGuard
{
    public static readonly IReadOnlyList<string> DemoKeys =
    [
        "demo-partner-hotel", "demo-partner-housing", "demo-coordinator-sos",
        "demo-coordinator-fa", "demo-statistics", "demo-admin", "demo-coordinator-anna", "demo-coordinator-erik",
        "demo-exempel-partner", "demo-exempel-coordinator", "demo-exempel-mission", "demo-exempel-statistics",
    ];

    public static void EnsureAllowed(IConfiguration configuration, string environmentName)
    {
        if (string.Equals(environmentName, "Development", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var demoHashes = DemoKeys.Select(k => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(k)))).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool demoKey = CallerResolver.ReadKeys(configuration).Any(k => demoHashes.Contains(k.Sha256.Trim()));
        bool demoMaster = configuration.GetSection("DataProtection:PreviousMasterKeys").GetChildren().Select(c => c.Value)
            .Append(configuration["DataProtection:MasterKey"])
            .Any(v => v?.Trim() == LocalKeyWrapper.DemoValue);
        if (demoKey || demoMaster)
        {
            throw new InvalidOperationException(
                $"Refusing to start in the '{environmentName}' environment: a demo API key or the demo master key is configured. Remove them, or run with the Development environment.");
        }
    }
}
