using Helsingborg.Http;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Web;

/// <summary>
/// <c>GET /accessibility</c>: the accessibility statement (tillgänglighetsredogörelse) that the law on accessible
/// digital public services (DOS-lagen, 2018:1937) asks of a public body's web service: how far the form, the referral
/// inbox, the dashboard and the statistics page meet WCAG 2.1 AA, how that is checked, how to report a problem and where to
/// complain (the contact is the city profile's, <c>City:Contact</c>). Every page links here. Swedish by default, English with <c>?lang=en</c>; no script.
/// </summary>
public sealed class AccessibilityStatementPage(Partners.CityProfile profile)
{
    /// <summary>The last time the statement was reviewed against the pages; change it with the text.</summary>
    static readonly DateOnly Reviewed = new(2026, 11, 29);

    /// <summary>The link every page shows, in the page's language.</summary>
    public static string LinkText(string lang) => lang == "en" ? "Accessibility" : "Tillgänglighet";

    /// <summary>The statement's address in a language.</summary>
    public static string Href(string lang) => lang == "en" ? "/accessibility?lang=en" : "/accessibility";

    public Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = string.Equals(call.Request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);
        return WebPage.RenderAsync<AccessibilityStatementView>(call, new Dictionary<string, object?>
        {
            [nameof(AccessibilityStatementView.English)] = english,
            [nameof(AccessibilityStatementView.Responsible)] = profile.Organisation(profile.Responsible)!,
            [nameof(AccessibilityStatementView.Contact)] = profile.Contact,
            [nameof(AccessibilityStatementView.ReviewedOn)] = Reviewed,
        });
    }
}
