using System.Globalization;
using System.Text;
using Helsingborg.Http;
using Helsingborg.Partners;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Intake;

/// <summary>
/// <c>GET /intake</c>, the partner form, and <c>POST /intake</c>, its submit: the form's script (Web/Assets/intake.js)
/// keeps the partner key in sessionStorage, posts the form with it as <c>X-Api-Key</c>, and shows the HTML
/// receipt this answers, or the field errors of the problem in the form's error summary.
/// Swedish by default, English with <c>?lang=en</c>. Nothing submitted is ever written back into a page.
/// </summary>
public sealed class IntakePage(IntakeHandler intake, Partners.CityProfile profile)
{
    static readonly string Script = WebPage.Asset("intake.js");
    static readonly string Style = WebPage.Asset("intake.css");
    static readonly string Policy = WebPage.ContentSecurityPolicy([Script], [Style]);

    public Task<IResult> FormAsync(ApiCall call)
    {
        Texts t = Texts.For(call.Request);
        return Task.FromResult(WebPage.Html(call.Request.HttpContext, Form(t, profile), Policy));
    }

    /// <summary>The browser's submit: a 202 HTML receipt with the case reference, else the same problem as the API.</summary>
    public async Task<IResult> SubmitAsync(ApiCall call)
    {
        (IntakeHandler.Receipt? receipt, IResult? problem) = await intake.AcceptAsync(call);
        if (receipt is null)
        {
            return problem!;
        }

        Texts t = Texts.For(call.Request);
        return WebPage.Html(call.Request.HttpContext, ReceiptPage(t, receipt, profile), Policy, StatusCodes.Status202Accepted);
    }

    static string Form(Texts t, Partners.CityProfile profile)
    {
        var html = new StringBuilder();
        Head(html, t, t["title"]);
        html.Append(CultureInfo.InvariantCulture, $"""
            <main id="main">
            <h1>{E(t["title"])}</h1>
            <p>{E(t["intro"])}</p>
            <p class="lang"><a href="/intake?lang={t.Other}" lang="{t.Other}" hreflang="{t.Other}">{E(t["otherLanguage"])}</a></p>
            <noscript><p class="warning">{E(t["noscript"])}</p></noscript>
            <form id="intake-form" method="post" action="/intake?lang={t.Lang}" novalidate
              data-msg-summary="{E(t["errorSummary"])}" data-msg-invalid-key="{E(t["invalidKey"])}" data-msg-forbidden="{E(t["forbiddenKey"])}"
              data-msg-too-large="{E(t["tooLarge"])}" data-msg-failed="{E(t["failed"])}" data-msg-unknown="{E(t["unknownError"])}"
              data-msg-sending="{E(t["sending"])}" data-msg-busy="{E(t["busy"])}">
            <div id="error-summary" class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title" hidden>
            <h2 id="error-summary-title">{E(t["errorSummary"])}</h2>
            <ul id="error-list"></ul>
            </div>
            <fieldset id="key-section">
            <legend>{E(t["keyLegend"])}</legend>
            <div class="field" id="key-entry">
            <label for="f-apiKey">{E(t["key"])}</label>
            <p class="hint" id="f-apiKey-hint">{E(t["keyHint"])}</p>
            <input id="f-apiKey" type="password" autocomplete="off" aria-describedby="f-apiKey-hint" data-error="{E(t["keyError"])}">
            </div>
            <div id="key-saved" hidden>
            <p>{E(t["keySaved"])}</p>
            <button type="button" id="change-key">{E(t["changeKey"])}</button>
            </div>
            </fieldset>
            <fieldset>
            <legend>{E(t["whatLegend"])}</legend>
            """);

        Select(html, t, "municipality", required: true, [("", t["choose"]), .. profile.Municipalities.Select(m => (m.Code, m.Name))]);
        Input(html, t, "observedAt", "datetime-local", required: true);
        Radios(html, t, "placeType", required: true, KebabCase.Names<PlaceType>());
        Input(html, t, "location", "text", max: 200);
        Radios(html, t, "suspicion", required: true, KebabCase.Names<Suspicion>());
        TextArea(html, t, "description", IntakeValidator.MaxDescription);
        Radios(html, t, "policeNotified", required: true, ["true", "false"]);
        Input(html, t, "policeReference", "text", max: 50);
        html.Append(CultureInfo.InvariantCulture, $"""
            </fieldset>
            <fieldset>
            <legend>{E(t["personLegend"])}</legend>
            <p class="hint">{E(t["personHint"])}</p>
            """);
        Input(html, t, "person.alias", "text", max: 100);
        Input(html, t, "person.estimatedAge", "number", extra: """min="0" max="120" inputmode="numeric" """);
        Select(html, t, "person.gender", required: false, [("", t["notKnown"]), .. KebabCase.Names<Gender>().Select(g => (g, t["gender." + g]))]);
        Input(html, t, "person.languages", "text", max: 40);
        Input(html, t, "person.citizenship", "text", max: 20);
        Input(html, t, "person.contact", "text", max: 200);
        Radios(html, t, "person.isMinor", required: false, ["true", "false", ""]);
        html.Append(CultureInfo.InvariantCulture, $"""
            </fieldset>
            <fieldset>
            <legend>{E(t["wishesLegend"])}</legend>
            """);
        (string, string)[] yesNo = [("", t["notKnown"]), ("yes", t["yes"]), ("no", t["no"]), ("unknown", t["unknown"])];
        Select(html, t, "wantsSupport", required: false, yesNo);
        Select(html, t, "wantsAuthorityContact", required: false, yesNo);
        Input(html, t, "reporterContact", "text", max: 200);
        html.Append(CultureInfo.InvariantCulture, $"""
            </fieldset>
            <p id="form-status" role="status" aria-live="polite"></p>
            <button type="submit" id="submit">{E(t["submit"])}</button>
            </form>
            <p id="referrals-link">{E(t["referrals"])} <a href="/referrals{(t.Lang == "en" ? "?lang=en" : string.Empty)}">{E(t["referralsLink"])}</a></p>
            {Contact(t, profile)}
            </main>
            {Footer(t)}
            <script>{Script}</script>
            </body>
            </html>
            """);
        return html.ToString();
    }

    static string ReceiptPage(Texts t, IntakeHandler.Receipt receipt, Partners.CityProfile profile)
    {
        var html = new StringBuilder();
        Head(html, t, t["receiptTitle"]);
        string received = receipt.ReceivedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        html.Append(CultureInfo.InvariantCulture, $"""
            <main id="main">
            <h1 id="receipt-title" tabindex="-1">{E(t["receiptTitle"])}</h1>
            <p>{E(t["receiptReference"])}</p>
            <p class="reference"><strong id="case-reference">{E(receipt.CaseId)}</strong></p>
            <p>{E(t["receiptReceived"])} <time datetime="{received}">{received.Replace('T', ' ')}</time></p>
            <p>{E(t["receiptNext"])}</p>
            <p><a id="report-another" href="/intake?lang={t.Lang}">{E(t["reportAnother"])}</a></p>
            {Contact(t, profile)}
            </main>
            {Footer(t)}
            </body>
            </html>
            """);
        return html.ToString();
    }

    static void Head(StringBuilder html, Texts t, string title) =>
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="{t.Lang}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>{E(title)} – {E(t["app"])}</title>
            <style>{Style}</style>
            </head>
            <body>
            <a class="skip" href="#main">{E(t["skip"])}</a>

            """);

    /// <summary>How to reach the network (the city profile's contact texts), on the form and the receipt.</summary>
    static string Contact(Texts t, Partners.CityProfile profile) =>
        $"""<p class="contact" id="city-contact">{E(string.Format(CultureInfo.InvariantCulture, t["contact"], profile.Name))} <a href="mailto:{E(profile.Contact.Email)}">{E(profile.Contact.Email)}</a>, {E(profile.Contact.Phone)}</p>""";

    /// <summary>The link to the accessibility statement that every page has.</summary>
    static string Footer(Texts t) => $"<footer><a href=\"{AccessibilityStatementPage.Href(t.Lang)}\">{E(AccessibilityStatementPage.LinkText(t.Lang))}</a></footer>";

    static string Id(string field) => "f-" + field.Replace('.', '-');

    static void Open(StringBuilder html, Texts t, string field, bool required, string? tag = "label")
    {
        string id = Id(field);
        string label = E(t[field]) + (required ? $" <span class=\"required\">({E(t["required"])})</span>" : string.Empty);
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"field\" id=\"{id}-field\">\n<{tag} for=\"{id}\">{label}</{tag}>\n");
        if (t.Has(field + ".hint"))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\" id=\"{id}-hint\">{E(t[field + ".hint"])}</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" id=\"{id}-error\" hidden></p>\n");
    }

    static string Describe(Texts t, string field) =>
        $"aria-describedby=\"{(t.Has(field + ".hint") ? Id(field) + "-hint " : string.Empty)}{Id(field)}-error\" data-error=\"{E(t[field + ".error"])}\"";

    static void Input(StringBuilder html, Texts t, string field, string type, bool required = false, int max = 0, string extra = "")
    {
        Open(html, t, field, required);
        string length = max > 0 ? $" maxlength=\"{max}\"" : string.Empty;
        string requiredAttribute = required ? " required aria-required=\"true\"" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<input id=\"{Id(field)}\" name=\"{field}\" type=\"{type}\"{length}{requiredAttribute} autocomplete=\"off\" {extra}{Describe(t, field)}>\n</div>\n");
    }

    static void TextArea(StringBuilder html, Texts t, string field, int max)
    {
        Open(html, t, field, required: true);
        html.Append(CultureInfo.InvariantCulture, $"<textarea id=\"{Id(field)}\" name=\"{field}\" rows=\"6\" maxlength=\"{max}\" required aria-required=\"true\" {Describe(t, field)}></textarea>\n</div>\n");
    }

    static void Select(StringBuilder html, Texts t, string field, bool required, IEnumerable<(string Value, string Text)> options)
    {
        Open(html, t, field, required);
        string requiredAttribute = required ? " required aria-required=\"true\"" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<select id=\"{Id(field)}\" name=\"{field}\"{requiredAttribute} {Describe(t, field)}>\n");
        foreach ((string value, string text) in options)
        {
            html.Append(CultureInfo.InvariantCulture, $"<option value=\"{E(value)}\">{E(text)}</option>\n");
        }

        html.Append("</select>\n</div>\n");
    }

    /// <summary>A radio group: a fieldset whose legend is the question; the first radio carries the group's id.</summary>
    static void Radios(StringBuilder html, Texts t, string field, bool required, IEnumerable<string> values)
    {
        string id = Id(field);
        string requiredText = required ? $" <span class=\"required\">({E(t["required"])})</span>" : string.Empty;
        string hint = t.Has(field + ".hint") ? $"<p class=\"hint\" id=\"{id}-hint\">{E(t[field + ".hint"])}</p>\n" : string.Empty;
        html.Append(CultureInfo.InvariantCulture, $"<fieldset class=\"field radios\" id=\"{id}-field\" {Describe(t, field)}>\n<legend>{E(t[field])}{requiredText}</legend>\n{hint}<p class=\"error\" id=\"{id}-error\" hidden></p>\n");
        bool first = true;
        foreach (string value in values)
        {
            string optionId = first ? id : $"{id}-{(value.Length == 0 ? "unknown" : value)}";
            string requiredAttribute = required && first ? " required" : string.Empty;
            html.Append(CultureInfo.InvariantCulture, $"<div class=\"radio\"><input type=\"radio\" id=\"{optionId}\" name=\"{field}\" value=\"{E(value)}\"{requiredAttribute}><label for=\"{optionId}\">{E(t[$"{field}={value}"])}</label></div>\n");
            first = false;
        }

        html.Append("</fieldset>\n");
    }

    static string E(string text) => WebPage.Encode(text);

    /// <summary>The page's words in Swedish and English.</summary>
    sealed class Texts
    {
        readonly IReadOnlyDictionary<string, string> words;

        Texts(string lang, IReadOnlyDictionary<string, string> words)
        {
            Lang = lang;
            this.words = words;
        }

        public string Lang { get; }

        public string Other => Lang == "sv" ? "en" : "sv";

        public string this[string key] => words.TryGetValue(key, out string? text) ? text : key;

        public bool Has(string key) => words.ContainsKey(key);

        public static Texts For(HttpRequest request) =>
            string.Equals(request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase) ? English : Swedish;

        static readonly Texts Swedish = new("sv", IntakePageTexts.Swedish);
        static readonly Texts English = new("en", IntakePageTexts.English);
    }
}
