using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Helsingborg.Http;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.HtmlRendering;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Net.Http.Headers;

namespace Helsingborg.Web;

/// <summary>
/// Every HTML page of the app is a Razor component in the shared <see cref="Layout"/>, rendered on the server by
/// <see cref="HtmlRenderer"/> (which encodes every value it writes) and answered here, under the one
/// Content-Security-Policy and security headers: scripts, styles and images only from the app itself (its embedded
/// Web/Assets), no inline script or style, and nothing from outside the app.
/// </summary>
public static class WebPage
{
    /// <summary>The one policy of every HTML answer and asset.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The renderer's services: an encoder that leaves Swedish letters as they are and escapes all markup.</summary>
    static readonly ServiceProvider Services = new ServiceCollection()
        .AddSingleton(HtmlEncoder.Create(UnicodeRanges.All))
        .AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance)
        .BuildServiceProvider();

    /// <summary>
    /// An HTML answer: the page component rendered with its parameters inside the request's <see cref="SiteContext"/>
    /// (its path and the caller's roles, for the header), under the one policy (the dispatcher keeps every page out of caches).
    /// </summary>
    public static async Task<IResult> RenderAsync<TPage>(ApiCall call, IDictionary<string, object?> parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(parameters);
        HttpContext context = call.Request.HttpContext;
        string path = call.Request.Path.HasValue && call.Request.Path.Value != string.Empty ? call.Request.Path.Value! : "/";
        var site = new SiteContext(path, call.Caller?.Roles ?? SiteContext.Anonymous.Roles);
        RenderFragment page = builder =>
        {
            builder.OpenComponent<TPage>(0);
            foreach ((string name, object? value) in parameters)
            {
                builder.AddComponentParameter(1, name, value);
            }

            builder.CloseComponent();
        };

        await using var renderer = new HtmlRenderer(Services, NullLoggerFactory.Instance);
        string html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            HtmlRootComponent root = await renderer.RenderComponentAsync<CascadingValue<SiteContext>>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(CascadingValue<SiteContext>.Value)] = site,
                [nameof(CascadingValue<SiteContext>.IsFixed)] = true,
                [nameof(CascadingValue<SiteContext>.ChildContent)] = page,
            }));
            return root.ToHtmlString();
        });
        Secure(context.Response);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The headers of every page and asset: the one policy, no sniffing, no referrer, no frames.</summary>
    public static void Secure(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        IHeaderDictionary headers = response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers[HeaderNames.XFrameOptions] = "DENY";
    }
}

/// <summary>
/// A JSON data block of a page (<c>&lt;script type="application/json" id="…"&gt;</c>): data for the page's script,
/// never run. The layout serializes <paramref name="Value"/> (an object; a <c>JsonNode</c> for data that is JSON already)
/// with the serializer's default encoder, which escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, so no value can end the block.
/// </summary>
public sealed record DataBlock(string Id, object Value);
