using Helsingborg.Access;

namespace Helsingborg.Web;

/// <summary>
/// The app's one navigation, the same on every page (<see cref="Layout"/>): each page with the roles that may use it,
/// and the header's words. A caller without a known role sees what is public; the labels are here and nowhere else,
/// so the header, its script (site.js, through <c>GET /api/navigation</c>) and tests take them from one place.
/// </summary>
public static class SiteNavigation
{
    sealed record Entry(string Id, string Path, string Swedish, string English, bool Public, params Role[] Roles);

    static readonly Entry[] Entries =
    [
        new("intake", "/intake", "Rapportera", "Report", true, Role.Partner, Role.Coordinator),
        new("referrals", "/referrals", "Remisser", "Referrals", false, Role.Partner),
        new("cases", "/", "Ärenden", "Cases", false, Role.Coordinator),
        new("outreach", "/outreach", "Uppsökande arbete", "Outreach", false, Role.Coordinator),
        new("statistics", "/statistics", "Statistik", "Statistics", false, Role.Coordinator, Role.Statistics),
    ];

    /// <summary>The app's name at the head of every page.</summary>
    public static string Brand(string lang) => lang == "en" ? "The Helsingborg model" : "Helsingborgsmodellen";

    /// <summary>The navigation landmark's name.</summary>
    public static string Label(string lang) => lang == "en" ? "Main menu" : "Huvudmeny";

    /// <summary>The link to the page in the other language, written in that language.</summary>
    public static string OtherLanguage(string lang) => lang == "en" ? "På svenska" : "In English";

    public static string SignOut(string lang) => lang == "en" ? "Sign out" : "Logga ut";

    /// <summary>Every link of the navigation in the page's language, in the header's order.</summary>
    public static IReadOnlyList<NavigationLink> All(string lang) =>
        [.. Entries.Select(e => new NavigationLink(e.Id, Href(e.Path, lang), lang == "en" ? e.English : e.Swedish))];

    /// <summary>The ids of the links a caller with these roles sees: the public ones and those of its roles.</summary>
    public static IReadOnlySet<string> Allowed(IReadOnlySet<Role> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return Entries.Where(e => e.Public || e.Roles.Any(roles.Contains)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The link whose page is at <paramref name="path"/>, if one is.</summary>
    public static string? Current(string path) => Entries.FirstOrDefault(e => e.Path == path)?.Id;

    /// <summary>A path of the app in a language: Swedish bare, English with <c>?lang=en</c>.</summary>
    public static string Href(string path, string lang) => lang == "en" ? path + "?lang=en" : path;

    /// <summary><c>GET /api/navigation</c>: the links the caller's roles allow, in the language of <c>lang</c>.</summary>
    public static Task<Microsoft.AspNetCore.Http.IResult> GetAsync(Http.ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        string lang = call.Request.Query["lang"].FirstOrDefault() == "en" ? "en" : "sv";
        IReadOnlySet<string> allowed = Allowed(call.Authenticated.Roles);
        return Task.FromResult(Microsoft.AspNetCore.Http.Results.Json(new NavigationLinks([.. All(lang).Where(l => allowed.Contains(l.Id))]), Http.ApiJson.Options));
    }
}
