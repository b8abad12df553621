namespace Helsingborg.Access;

/// <summary>The roles of api.md; a caller holds one or more.</summary>
public enum Role
{
    Partner,
    Coordinator,
    Statistics,
    Admin,
}

/// <summary>
/// Who is calling: an API key's id or an Entra object id, the organisation it acts for, and its
/// roles. The organisation is always taken from here, never from a request body. <see cref="Name"/> is the person's
/// display name (a key's <c>Name</c>, an Entra user's <c>name</c> claim): shown, never written into a case's history.
/// </summary>
public sealed record Caller(string Id, string Organisation, IReadOnlySet<Role> Roles, string? Name = null)
{
    public bool IsIn(IEnumerable<Role> roles) => roles.Any(Roles.Contains);
}
