using System.Globalization;
using System.Text.Json;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Referrals;

/// <summary>
/// <c>GET /referrals</c>, the receiving partner's inbox: an anonymous HTML shell whose script and styles are the app's
/// own assets (<c>/dashboard/referrals.js</c>, <c>intake.css</c>, <c>referrals.css</c>) under the dashboard's strict
/// Content-Security-Policy, no inline script. The script keeps the partner key in sessionStorage as the intake form
/// does, reads <c>GET /api/referrals</c> and sends the answers; nothing of a referral is in the page itself. The words
/// the script needs, the vocabulary from the API's own enums among them, travel in a JSON data block (not run).
/// Swedish by default, English with <c>?lang=en</c>.
/// </summary>
public sealed class ReferralsPage(Partners.CityProfile profile)
{
    public Task<IResult> ShellAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = string.Equals(call.Request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);
        return Task.FromResult(WebPage.Html(call.Request.HttpContext, Render(english), DashboardPage.ContentSecurityPolicy));
    }

    /// <summary>The words of a language (for the tests that check every vocabulary word has them).</summary>
    public static IReadOnlyDictionary<string, string> Words(bool english) => english ? ReferralsPageTexts.English : ReferralsPageTexts.Swedish;

    /// <summary>The vocabulary the page shows, by prefix: each name the API can answer needs its words.</summary>
    public static IEnumerable<string> VocabularyKeys() =>
        KebabCase.Names<SupportKind>().Select(n => "kind." + n)
            .Concat(KebabCase.Names<ReferralStatus>().Select(n => "status." + n))
            .Concat(KebabCase.Names<DeclineReason>().Select(n => "reason." + n))
            .Concat(KebabCase.Names<SharedField>().Select(n => "field." + n))
            .Concat(KebabCase.Names<Gender>().Select(n => "gender." + n));

    string Render(bool english)
    {
        IReadOnlyDictionary<string, string> t = Words(english);
        string lang = english ? "en" : "sv";
        string other = english ? "sv" : "en";
        string E(string key) => WebPage.Encode(t[key]);

        // Not run (the policy allows no inline script); the serializer escapes <, > and &, so nothing can end the block.
        string data = JsonSerializer.Serialize(new
        {
            texts = t,
            reasons = KebabCase.Names<DeclineReason>(),
            fields = KebabCase.Names<SharedField>(),
        });
        string contact = string.Format(CultureInfo.InvariantCulture, t["contact"], profile.Name);
        return $"""
            <!DOCTYPE html>
            <html lang="{lang}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <link rel="icon" href="data:,">
            <title>{E("title")} – {E("app")}</title>
            <link rel="stylesheet" href="/dashboard/intake.css">
            <link rel="stylesheet" href="/dashboard/referrals.css">
            <script type="application/json" id="inbox-data">{data}</script>
            <script type="module" src="/dashboard/referrals.js"></script>
            </head>
            <body>
            <a class="skip" href="#main">{E("skip")}</a>
            <main id="main">
            <p class="lang"><a href="/referrals{(english ? string.Empty : "?lang=en")}" lang="{other}" hreflang="{other}">{E("otherLanguage")}</a></p>
            <h1>{E("title")}</h1>
            <p>{E("intro")}</p>
            <p><a id="report-link" href="/intake{(english ? "?lang=en" : string.Empty)}">{E("reportLink")}</a></p>
            <noscript><p class="warning">{E("noscript")}</p></noscript>
            <form id="key-form" novalidate>
            <fieldset>
            <legend>{E("keyLegend")}</legend>
            <div id="key-entry">
            <div class="field" id="f-apiKey-field">
            <label for="f-apiKey">{E("key")}</label>
            <p class="hint" id="f-apiKey-hint">{E("keyHint")}</p>
            <p class="error" id="f-apiKey-error" hidden></p>
            <input id="f-apiKey" type="password" autocomplete="off" aria-describedby="f-apiKey-hint f-apiKey-error">
            </div>
            <button type="submit" id="show-referrals">{E("show")}</button>
            </div>
            <div id="key-saved" hidden>
            <p>{E("keySaved")}</p>
            <button type="button" id="change-key">{E("changeKey")}</button>
            </div>
            </fieldset>
            </form>
            <p id="inbox-status" role="status" aria-live="polite"></p>
            <div id="inbox" hidden>
            <p><button type="button" id="refresh">{E("refresh")}</button></p>
            <section aria-labelledby="open-title">
            <h2 id="open-title" tabindex="-1">{E("openTitle")}</h2>
            <p class="muted" id="no-open" hidden>{E("noOpen")}</p>
            <ul class="referrals" id="open-referrals" hidden></ul>
            </section>
            <section aria-labelledby="closed-title">
            <h2 id="closed-title">{E("closedTitle")}</h2>
            <p class="muted" id="no-closed" hidden>{E("noClosed")}</p>
            <ul class="referrals" id="closed-referrals" hidden></ul>
            </section>
            </div>
            <p class="contact" id="city-contact">{WebPage.Encode(contact)} <a href="mailto:{WebPage.Encode(profile.Contact.Email)}">{WebPage.Encode(profile.Contact.Email)}</a>, {WebPage.Encode(profile.Contact.Phone)}</p>
            </main>
            <footer><a href="{AccessibilityStatementPage.Href(lang)}">{WebPage.Encode(AccessibilityStatementPage.LinkText(lang))}</a></footer>
            </body>
            </html>
            """;
    }
}
