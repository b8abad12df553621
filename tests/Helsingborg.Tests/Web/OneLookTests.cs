using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Http;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Web;

/// <summary>
/// One look (issue 22, item 5): every HTML route of the route table, a new one included by itself, answers in the one
/// frame: the shared stylesheet and script first, and the same header (the app's name, the same navigation for the
/// same caller, the language switch and the sign-out) for each caller and language; only the current page's mark and
/// the language switch's address differ by page. The navigation shows what the caller's roles allow.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed partial class OneLookTests(SharedHost fixture)
{
    /// <summary>Who asks, and the links of the navigation they must see, in order.</summary>
    public static TheoryData<string, string[]> Callers => new()
    {
        { "nobody", ["intake"] },
        { TestHost.PartnerKey, ["intake", "referrals"] },
        { TestHost.CoordinatorKey, ["intake", "cases", "outreach", "statistics"] },
        { TestHost.StatisticsKey, ["intake", "statistics"] },
    };

    static readonly IReadOnlyList<ApiRoute> HtmlRoutes =
        [.. ApiRoutes.All.Where(r => r.Contract.Answers.Any(a => a.Status < 300 && a.ContentType == "text/html"))];

    /// <summary>A route's address: its template without its optional route value (the dashboard's <c>/</c>).</summary>
    static string PathOf(ApiRoute route) => "/" + OptionalValue().Replace(route.Template, string.Empty);

    async Task<string> PageAsync(ApiRoute route, string? key, string lang)
    {
        string path = PathOf(route) + (lang == "en" ? "?lang=en" : string.Empty);
        using HttpRequestMessage request = fixture.Host.Request(new HttpMethod(route.Method), path, key);
        if (route.Method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["municipality"] = "bjuv",
                ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["placeType"] = "online",
                ["suspicion"] = "unclear",
                ["description"] = "One look: the receipt's frame.",
                ["policeNotified"] = "false",
            });
        }

        using HttpResponseMessage response = await fixture.Host.Client.SendAsync(request);
        string html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{route.Method} {path} answered {(int)response.StatusCode}: {html}");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return html;
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task Every_html_route_has_the_same_header_and_the_navigation_the_callers_roles_allow(string caller, string[] expected)
    {
        string? key = caller == "nobody" ? null : caller;
        Assert.True(HtmlRoutes.Count >= 7, $"only {HtmlRoutes.Count} HTML routes in the table");
        Assert.Contains(HtmlRoutes, r => r.Method == "POST");
        foreach (string lang in new[] { "sv", "en" })
        {
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (ApiRoute route in HtmlRoutes)
            {
                // The receipt answers only a caller that may report.
                if (route.Method == "POST" && key is not (TestHost.PartnerKey or TestHost.CoordinatorKey))
                {
                    continue;
                }

                string html = await PageAsync(route, key, lang);
                string page = $"{route.Method} {route.Template} ({lang})";
                Assert.Contains($"<html lang=\"{lang}\">", html, StringComparison.Ordinal);
                Assert.Matches("<title>[^<]+</title>\\s*<link rel=\"stylesheet\" href=\"/dashboard/site.css\">", html);
                Assert.Contains("<script type=\"module\" src=\"/dashboard/site.js\"></script>", html, StringComparison.Ordinal);
                Assert.Single(HeaderTag().Matches(html));
                Assert.Matches("</header>\\s*<main id=\"[a-z]+\"", html);

                string header = Header().Match(html).Value;
                Assert.True(header.Length > 0, $"{page} has no site header");
                string[] shown = [.. ShownLink().Matches(header).Select(m => m.Groups[1].Value)];
                Assert.True(expected.SequenceEqual(shown), $"{page} shows [{string.Join(", ", shown)}] to {caller}, not [{string.Join(", ", expected)}]");

                // The page's own link, if it has one, is marked current; the switch leads to this page in the other language.
                string own = PathOf(route);
                string? current = CurrentLink().Match(header) is { Success: true } c ? c.Groups[1].Value : null;
                Assert.Equal(route.Name switch { "Dashboard" => "cases", "IntakeForm" or "SubmitIntakeForm" => "intake", "ReferralInbox" => "referrals", "OutreachPage" => "outreach", "StatisticsPage" => "statistics", _ => null }, current);
                string other = lang == "en" ? own : own + "?lang=en";
                Assert.Contains($"<a id=\"lang-switch\" href=\"{other}\"", header, StringComparison.Ordinal);

                headers[page] = Normalised(header);
            }

            Assert.Equal(HtmlRoutes.Count(r => r.Method == "GET" || key is TestHost.PartnerKey or TestHost.CoordinatorKey), headers.Count);
            string first = headers.Values.First();
            Assert.All(headers, h => Assert.True(h.Value == first, $"{h.Key}'s header differs from {headers.Keys.First()}'s:\n{h.Value}\n{first}"));
        }
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task The_navigation_route_answers_the_links_the_header_shows_for_the_key(string caller, string[] expected)
    {
        if (caller == "nobody")
        {
            using HttpResponseMessage refused = await fixture.Host.SendAsync(HttpMethod.Get, "api/navigation", null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            return;
        }

        JsonElement english = await fixture.Host.GetJsonAsync("api/navigation?lang=en", caller);
        Assert.Equal(expected, english.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
        Assert.All(english.GetProperty("items").EnumerateArray(), i => Assert.EndsWith("?lang=en", i.GetProperty("href").GetString(), StringComparison.Ordinal));
        JsonElement swedish = await fixture.Host.GetJsonAsync("api/navigation", caller);
        Assert.Equal("Rapportera", swedish.GetProperty("items")[0].GetProperty("label").GetString());
    }

    /// <summary>The header without what differs by page: the current page's mark and the language switch's address.</summary>
    static string Normalised(string header) => LangSwitchHref().Replace(header.Replace(" aria-current=\"page\"", string.Empty, StringComparison.Ordinal), "<a id=\"lang-switch\"");

    [GeneratedRegex("\\{[^}]*\\?\\}")]
    private static partial Regex OptionalValue();

    [GeneratedRegex("<header[ >]")]
    private static partial Regex HeaderTag();

    [GeneratedRegex("<header class=\"site-header\" id=\"site-header\">.*?</header>", RegexOptions.Singleline)]
    private static partial Regex Header();

    [GeneratedRegex("<li id=\"nav-item-([a-z]+)\">")]
    private static partial Regex ShownLink();

    [GeneratedRegex("<a id=\"nav-([a-z]+)\" href=\"[^\"]*\" aria-current=\"page\"")]
    private static partial Regex CurrentLink();

    [GeneratedRegex("<a id=\"lang-switch\" href=\"[^\"]*\"")]
    private static partial Regex LangSwitchHref();
}
