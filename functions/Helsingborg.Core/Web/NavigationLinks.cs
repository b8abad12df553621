namespace Helsingborg.Web;

/// <summary><c>GET /api/navigation</c>: the links of the header's navigation that the caller's roles allow, in order.</summary>
public sealed record NavigationLinks(IReadOnlyList<NavigationLink> Items);

/// <summary>A link of the navigation: the page's id (the link's is <c>nav-</c> and it), its address and its label.</summary>
public sealed record NavigationLink(string Id, string Href, string Label);
