namespace Helsingborg.Access;

/// <summary>One configured API key (<c>ApiKeys__N__*</c>): only its SHA-256 hash is stored.</summary>
public sealed class ApiKeyOptions
{
    public string Id { get; set; } = string.Empty;

    public string Sha256 { get; set; } = string.Empty;

    public string Organisation { get; set; } = string.Empty;

    /// <summary>The person the key belongs to (<c>ApiKeys__N__Name</c>), shown as a case's worker; the id stands in without it.</summary>
    public string? Name { get; set; }

    public List<string> Roles { get; set; } = [];
}

/// <summary>Configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>Trust App Service Authentication's principal header; infra sets it, nothing else may.</summary>
    public bool TrustAppServicePrincipal { get; set; }

    /// <summary>The claim that carries an Entra user's organisation (partner id).</summary>
    public string OrganisationClaim { get; set; } = "extension_organisation";
}
