using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Helsingborg.Partners;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Helsingborg.Access;

/// <summary>
/// Authenticates a request by <c>X-Api-Key</c> (compared as SHA-256 hashes in constant time) or,
/// only when <see cref="AuthOptions.TrustAppServicePrincipal"/> is set, by App Service
/// Authentication's <c>X-MS-CLIENT-PRINCIPAL</c> header.
/// </summary>
public sealed class CallerResolver
{
    public const string ApiKeyHeader = "X-Api-Key";
    const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    readonly IReadOnlyList<(byte[] Hash, Caller Caller)> keys;
    readonly AuthOptions auth;
    readonly CityProfile profile;

    public CallerResolver(IEnumerable<ApiKeyOptions> configuredKeys, IOptions<AuthOptions> auth, CityProfile profile)
    {
        this.auth = auth.Value;
        this.profile = profile;
        keys = configuredKeys
            .Where(k => !string.IsNullOrWhiteSpace(k.Sha256))
            .Select(k => (Convert.FromHexString(k.Sha256.Trim()), new Caller(k.Id, k.Organisation, ParseRoles(k.Roles), string.IsNullOrWhiteSpace(k.Name) ? null : k.Name.Trim())))
            .ToList();
    }

    public static IReadOnlyList<ApiKeyOptions> ReadKeys(IConfiguration configuration) =>
        configuration.GetSection("ApiKeys").Get<List<ApiKeyOptions>>() ?? [];

    public Caller? Resolve(HttpRequest request)
    {
        string? key = request.Headers[ApiKeyHeader];
        if (!string.IsNullOrEmpty(key))
        {
            return FromApiKey(key);
        }

        if (auth.TrustAppServicePrincipal && request.Headers[PrincipalHeader] is { Count: > 0 } principal)
        {
            return FromPrincipal(principal.ToString());
        }

        return null;
    }

    Caller? FromApiKey(string key)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Caller? found = null;
        foreach ((byte[] candidate, Caller caller) in keys)
        {
            // Every configured key is compared, so timing does not tell which one nearly matched.
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
            {
                found = caller;
            }
        }

        return found;
    }

    Caller? FromPrincipal(string encoded)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(Convert.FromBase64String(encoded));
            string? objectId = null;
            string? organisation = null;
            string? name = null;
            var roles = new HashSet<Role>();
            foreach (JsonElement claim in doc.RootElement.GetProperty("claims").EnumerateArray())
            {
                string type = claim.GetProperty("typ").GetString() ?? string.Empty;
                string value = claim.GetProperty("val").GetString() ?? string.Empty;
                if (type is "http://schemas.microsoft.com/identity/claims/objectidentifier" or "oid")
                {
                    objectId = value;
                }
                else if (type is "name" && value.Length > 0)
                {
                    name = value;
                }
                else if (type == auth.OrganisationClaim)
                {
                    organisation = value;
                }
                else if (type is "roles" or "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
                         && Enum.TryParse(value, ignoreCase: true, out Role role) && role != Role.Partner)
                {
                    roles.Add(role);
                }
            }

            OrganisationProfile? known = profile.Organisation(organisation);
            if (objectId is null || known is null)
            {
                return null;
            }

            if (!known.Holds(OrganisationProfile.CoordinatorRole))
            {
                roles.Remove(Role.Coordinator);
            }

            return new Caller(objectId, known.Id, roles, name);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    static HashSet<Role> ParseRoles(IEnumerable<string> roles) =>
        roles.Select(r => Enum.TryParse(r, ignoreCase: true, out Role role) ? role : (Role?)null)
            .OfType<Role>()
            .ToHashSet();
}
