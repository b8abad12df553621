using System.Globalization;
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

    static readonly string Style = WebPage.Asset("intake.css");
    static readonly string Policy = WebPage.ContentSecurityPolicy([], [Style]);

    /// <summary>The link every page shows, in the page's language.</summary>
    public static string LinkText(string lang) => lang == "en" ? "Accessibility" : "Tillgänglighet";

    /// <summary>The statement's address in a language.</summary>
    public static string Href(string lang) => lang == "en" ? "/accessibility?lang=en" : "/accessibility";

    public Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = string.Equals(call.Request.Query["lang"], "en", StringComparison.OrdinalIgnoreCase);
        return Task.FromResult(WebPage.Html(call.Request.HttpContext, Render(english), Policy));
    }

    string Render(bool english)
    {
        Partners.ContactTexts contact = profile.Contact;
        Partners.OrganisationProfile responsible = profile.Organisation(profile.Responsible)!;
        string email = E(contact.Email);
        string phone = E(contact.Phone);
        string tel = E(new string(contact.Phone.Where(c => char.IsDigit(c) || c == '+').ToArray()));
        string reviewed = Reviewed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return english ? $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>Accessibility statement – the Helsingborg model</title>
            <style>{Style}</style>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <main id="main">
            <p class="lang"><a href="/accessibility" lang="sv" hreflang="sv">På svenska</a></p>
            <h1>Accessibility statement</h1>
            <p>{E(responsible.NameEn)} is responsible for this web service of the Helsingborg model: the form partners use to report
            what they saw, the page where partner organisations answer the referrals sent to them, the coordinators' dashboard of
            cases, and the statistics page. We want as many people as possible to be
            able to use it. This statement says how the service meets the Swedish law on accessibility to digital public services
            (lagen (2018:1937) om tillgänglighet till digital offentlig service), what we know does not work, and how to tell us
            about problems so that we can fix them.</p>

            <h2>How accessible the service is</h2>
            <p>The service aims to meet level AA of the Web Content Accessibility Guidelines, WCAG 2.1. We know of no failures
            against it. It is <strong>partially compliant</strong> with the law because of the content listed below, and because
            it has not yet been reviewed by hand with screen readers.</p>

            <h2>What is not accessible</h2>
            <ul>
            <li>Documents attached to a case (PDF files and images) are made by the partners; we cannot make them accessible.</li>
            <li>In Azure, staff sign in on Microsoft Entra ID's sign-in page, which Microsoft is responsible for.</li>
            </ul>

            <h2>Report a problem</h2>
            <p>If something does not work for you, or you need the content in another way, tell us. Say which page it was and
            what happened.</p>
            <ul>
            <li>E-mail: <a href="mailto:{email}">{email}</a></li>
            <li>Phone: <a href="tel:{tel}">{phone}</a></li>
            </ul>
            <p>As a partner or coordinator you can also tell your contact at social services.</p>

            <h2>Supervision</h2>
            <p>The Agency for Digital Government (Digg) supervises the law on accessibility to digital public services. If you
            are not satisfied with how we handle what you told us, you can
            <a href="https://www.digg.se/tdosanmalan">report the lack of accessibility to Digg</a>.</p>

            <h2>How we tested the service</h2>
            <p>Every change is tested automatically in a real browser (Chromium) with axe-core against the WCAG 2.1 A and AA
            rules, in every state a user meets each page in, in Swedish and in English: the report form empty, with errors and
            its receipt; the referral inbox before a key, with its referrals and after an answer; the dashboard's sign-in, case
            list and case page with its forms, consents and referrals; the statistics page with its charts; and this page. Tests
            also fill in and send the form, answer referrals in the inbox and record an event on a case with the keyboard alone,
            checking that focus is visible all the way. Automated tests do not find every problem.</p>
            <p>The statement was last reviewed on <time datetime="{reviewed}">{reviewed}</time>.</p>
            </main>
            </body>
            </html>
            """ : $"""
            <!DOCTYPE html>
            <html lang="sv">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="referrer" content="no-referrer">
            <title>Tillgänglighetsredogörelse – Helsingborgsmodellen</title>
            <style>{Style}</style>
            </head>
            <body>
            <a class="skip" href="#main">Hoppa till innehållet</a>
            <main id="main">
            <p class="lang"><a href="/accessibility?lang=en" lang="en" hreflang="en">In English</a></p>
            <h1>Tillgänglighetsredogörelse</h1>
            <p>{E(responsible.NameSv)} står bakom den här webbtjänsten i Helsingborgsmodellen: formuläret som partnerna rapporterar
            med, sidan där partnerorganisationerna svarar på remisser till dem, samordnarnas ärendeöversikt och statistiksidan. Vi vill att så många som möjligt ska kunna använda den. Här
            beskriver vi hur tjänsten uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, vilka brister
            vi känner till och hur du kan meddela oss problem så att vi kan åtgärda dem.</p>

            <h2>Hur tillgänglig är tjänsten?</h2>
            <p>Tjänsten ska uppfylla nivå AA i Web Content Accessibility Guidelines, WCAG 2.1. Vi känner inte till några brister
            mot den. Tjänsten är <strong>delvis förenlig</strong> med lagen på grund av innehållet som beskrivs nedan, och för att
            den ännu inte har granskats manuellt med skärmläsare.</p>

            <h2>Innehåll som inte är tillgängligt</h2>
            <ul>
            <li>Dokument som bifogas ett ärende (pdf-filer och bilder) kommer från partnerna; dem kan vi inte göra tillgängliga.</li>
            <li>I Azure loggar personalen in på Microsoft Entra ID:s inloggningssida, som Microsoft ansvarar för.</li>
            </ul>

            <h2>Rapportera ett problem</h2>
            <p>Om något inte fungerar för dig, eller om du behöver innehållet på ett annat sätt, kontakta oss. Berätta vilken sida
            det gällde och vad som hände.</p>
            <ul>
            <li>E-post: <a href="mailto:{email}">{email}</a></li>
            <li>Telefon: <a href="tel:{tel}">{phone}</a></li>
            </ul>
            <p>Som partner eller samordnare kan du också meddela din kontaktperson på socialtjänsten.</p>

            <h2>Tillsyn</h2>
            <p>Myndigheten för digital förvaltning (Digg) har tillsyn över lagen om tillgänglighet till digital offentlig
            service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du
            <a href="https://www.digg.se/tdosanmalan">anmäla bristande tillgänglighet till Digg</a>.</p>

            <h2>Hur vi testat tjänsten</h2>
            <p>Varje ändring testas automatiskt i en riktig webbläsare (Chromium) med axe-core mot reglerna för WCAG 2.1 A och AA,
            i alla lägen användaren möter sidorna i, på svenska och engelska: rapportformuläret tomt, med fel och med kvittot;
            remissidan före nyckeln, med remisser och efter ett svar; ärendeöversiktens inloggning, ärendelista och ärendesida
            med sina formulär, samtycken och remisser; statistiksidan med diagram; och den här sidan. Test fyller också i och
            skickar formuläret, svarar på remisser och registrerar en händelse i ett ärende med bara tangentbordet, och
            kontrollerar att fokus syns hela vägen. Automatiska test hittar inte alla brister.</p>
            <p>Redogörelsen granskades senast <time datetime="{reviewed}">{reviewed}</time>.</p>
            </main>
            </body>
            </html>
            """;
    }

    static string E(string text) => WebPage.Encode(text);
}
