using Helsingborg.Access;

namespace Helsingborg.Web;

/// <summary>
/// What every page's frame needs of the request, cascaded to <see cref="Layout"/> by <see cref="WebPage"/>: the page's
/// path (for the current link and the language switch) and the caller's roles when the request names a caller (an
/// Entra sign-in, or a key sent with the request); none for a browser whose key is kept in script.
/// </summary>
public sealed record SiteContext(string Path, IReadOnlySet<Role> Roles)
{
    public static readonly SiteContext Anonymous = new("/", new HashSet<Role>());
}
