using System.Collections.Concurrent;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Helsingborg.Web;

/// <summary>
/// The coordinator dashboard at <c>/</c>: an anonymous HTML shell with its script and style served from
/// embedded resources (Web/Assets), nothing from outside the app, under a strict Content-Security-Policy.
/// Acting needs a coordinator key (entered once per browser session) or, in Azure, Entra sign-in; the
/// data comes from the API. Swedish by default, English with <c>?lang=en</c>.
/// </summary>
public sealed class DashboardPage(Partners.CityProfile profile)
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    static readonly IReadOnlyDictionary<string, string> Assets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dashboard.js"] = "text/javascript; charset=utf-8",
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["referrals.js"] = "text/javascript; charset=utf-8",
        ["dom.js"] = "text/javascript; charset=utf-8",
        ["referrals.css"] = "text/css; charset=utf-8",
        ["intake.css"] = "text/css; charset=utf-8",
    };

    static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The event schema and the lifecycle's words, by language: they change only with the code and the profile.</summary>
    readonly ConcurrentDictionary<string, string> Vocabulary = new(StringComparer.Ordinal);

    public Task<IResult> ShellAsync(ApiCall call)
    {
        string lang = call.Request.Query["lang"].FirstOrDefault() == "en" ? "en" : "sv";
        string html = Encoding.UTF8.GetString(Resource("dashboard.html"))
            .Replace("{{lang}}", lang, StringComparison.Ordinal)
            .Replace("{{skip}}", lang == "en" ? "Skip to content" : "Hoppa till innehållet", StringComparison.Ordinal)
            .Replace("{{accessibility}}", AccessibilityStatementPage.LinkText(lang), StringComparison.Ordinal)
            .Replace("{{accessibilityHref}}", AccessibilityStatementPage.Href(lang), StringComparison.Ordinal)
            .Replace("{{city}}", City(lang == "en"), StringComparison.Ordinal)
            .Replace("{{eventSchema}}", Vocabulary.GetOrAdd("schema-" + lang, _ => Lifecycle.CaseEventSchema.Build(profile, lang == "en").ToJsonString()), StringComparison.Ordinal)
            .Replace("{{words}}", Vocabulary.GetOrAdd("words-" + lang, _ => JsonSerializer.Serialize(Lifecycle.CaseEventTexts.Words(lang == "en"))), StringComparison.Ordinal);
        Secure(call.Request.HttpContext.Response);
        return Task.FromResult(Results.Content(html, "text/html; charset=utf-8"));
    }

    public Task<IResult> AssetAsync(ApiCall call)
    {
        string name = call.Route("asset");
        if (!Assets.TryGetValue(name, out string? type))
        {
            return Task.FromResult(Problems.NotFound());
        }

        Secure(call.Request.HttpContext.Response);
        call.Request.HttpContext.Response.Headers[HeaderNames.CacheControl] = "no-cache";
        return Task.FromResult(Results.Bytes(Resource(name), type));
    }

    /// <summary>
    /// The city profile's network as the script needs it, a JSON data block (not run; the policy allows no inline
    /// script); the serializer's default encoder escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no name can end the block.
    /// </summary>
    string City(bool english) => JsonSerializer.Serialize(new
    {
        name = profile.Name,
        organisations = profile.Organisations.ToDictionary(o => o.Id, o => o.Name(english)),
        municipalities = profile.Municipalities.Select(m => new[] { m.Code, m.Name }),
        leads = profile.Holding(Partners.OrganisationProfile.LeadRole),
    });

    static void Secure(HttpResponse response)
    {
        response.Headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
    }

    static byte[] Resource(string name) => Cache.GetOrAdd(name, n =>
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Helsingborg.Web.Assets." + n)
            ?? throw new InvalidOperationException($"The embedded asset {n} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    });
}
