using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Web;

/// <summary>
/// Server-rendered pages: their scripts and styles are embedded in Core (Web/Assets) and inlined, each
/// allowed by its SHA-256 hash in a strict Content-Security-Policy, so a page loads nothing from outside
/// the app and runs no script it did not ship.
/// </summary>
public static class WebPage
{
    static readonly Assembly Assembly = typeof(WebPage).Assembly;

    /// <summary>An embedded text asset of Web/Assets, by file name.</summary>
    public static string Asset(string fileName)
    {
        string resource = "Helsingborg.Web.Assets." + fileName;
        using Stream stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"No embedded asset {fileName}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The CSP source that allows exactly this inline script or style.</summary>
    public static string Hash(string content) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}'";

    /// <summary>The policy: nothing by default; only the given inline scripts and styles (none when there are none); requests to this origin only.</summary>
    public static string ContentSecurityPolicy(IEnumerable<string> scripts, IEnumerable<string> styles) =>
        "default-src 'none'; " +
        $"script-src {Sources(scripts)}; " +
        $"style-src {Sources(styles)}; " +
        "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    static string Sources(IEnumerable<string> inline) => inline.Any() ? string.Join(' ', inline.Select(Hash)) : "'none'";

    /// <summary>An HTML answer with the page's policy and headers that keep it out of frames and referrers (the dispatcher keeps every page out of caches).</summary>
    public static IResult Html(HttpContext context, string html, string contentSecurityPolicy, int status = StatusCodes.Status200OK)
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.XFrameOptions = "DENY";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    public static string Encode(string text) => System.Net.WebUtility.HtmlEncode(text);
}
