using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Web;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Web;

/// <summary>One host with a case that has a note, a reminder and a document, so the case page shows all it can.</summary>
public sealed class PagesHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public string CaseId { get; private set; } = null!;

    public Uri BaseAddress => Host.Client.BaseAddress!;

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync();
        CaseId = await Host.SubmitIntakeAsync(Intakes.Valid(municipality: "landskrona"));
        await Host.RecordAsync(CaseId, new { type = "contact-attempted", channel = "phone", note = "Ringde, inget svar." });
        using HttpRequestMessage upload = Host.Request(HttpMethod.Post, $"api/cases/{CaseId}/documents", TestHost.CoordinatorKey);
        upload.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("Vittnesmål."));
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Headers.Add("X-File-Name", "vittnesmal.txt");
        using HttpResponseMessage uploaded = await Host.Client.SendAsync(upload);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        await Host.WaitForCaseAsync(CaseId, c => c.GetProperty("counts").GetProperty("contactAttempts").GetInt32() == 1, "the event to be applied");
    }

    /// <summary>
    /// A case with consent to share with the receiving partner, one referral it declined and one still open, made once
    /// on first use: the case page shows its consents and referrals, and its event form offers the referral events.
    /// </summary>
    public Task<ReferralSetup.Referred> ReferredCaseAsync() => referred.Value;

    readonly Lazy<Task<ReferralSetup.Referred>> referred;

    public PagesHost() => referred = new(async () =>
    {
        ReferralSetup.Referred made = await ReferralSetup.ReferAsync(Host);
        await ReferralSetup.AnswerAsync(Host, made, made.ReferralId, "decline", "no-capacity");
        await ReferralSetup.ReferAgainAsync(Host, made.CaseId);
        return made;
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// WCAG 2.1 A and AA (axe-core's wcag2a, wcag2aa, wcag21a and wcag21aa rules) on every page in each state a user
/// meets it, in Swedish and English, in Chromium: the law on accessible digital public services (DOS-lagen) asks it
/// of the form, the dashboard and the statistics page.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class AccessibilityTests(PagesHost fixture)
{
    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task The_intake_form_empty_with_errors_and_its_receipt_meet_WCAG_21_AA(string lang)
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;
        await page.GotoAsync($"intake?lang={lang}");
        await page.AssertNoAxeViolationsAsync("the empty intake form");

        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await page.AssertNoAxeViolationsAsync("the intake form without a key");

        await page.FillAsync("#f-apiKey", TestHost.PartnerKey);
        await page.FillAsync("#f-person-estimatedAge", "200");
        await page.ClickAsync("#submit");
        await page.Locator("#error-list a[href=\"#f-description\"]").WaitForAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        Assert.Equal("true", await page.GetAttributeAsync("#f-description", "aria-invalid"));
        await page.AssertNoAxeViolationsAsync("the intake form with field errors");

        await page.SelectOptionAsync("#f-municipality", "bjuv");
        await page.FillAsync("#f-observedAt", DateTime.Now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.CheckAsync("#f-placeType");
        await page.CheckAsync("#f-suspicion");
        await page.FillAsync("#f-description", "Accessibility test report.");
        await page.CheckAsync("#f-policeNotified-false");
        await page.FillAsync("#f-person-estimatedAge", "30");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#receipt-title")).ToBeFocusedAsync();
        await page.AssertNoAxeViolationsAsync("the intake receipt");

        await page.ClickAsync("#report-another");
        await page.Locator("#key-saved").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the intake form with the key saved");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("sv", 1280)]
    [InlineData("en", 1280)]
    [InlineData("sv", 390)]
    public async Task The_dashboard_sign_in_case_list_with_filters_and_case_page_with_its_forms_meet_WCAG_21_AA(string lang, int width)
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, width, 900);
        IPage page = browser.Page;
        await page.GotoAsync(lang == "en" ? "/?lang=en" : "/");
        await page.Locator("#api-key").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the sign-in");

        await page.FillAsync("#api-key", TestHost.PartnerKey);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.Locator("#signin-error")).Not.ToBeEmptyAsync();
        await page.AssertNoAxeViolationsAsync("the sign-in refusing a partner's key");

        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        // The list's first page holds whatever open cases the whole test run has made (the app's tables are shared),
        // so wait for it to load, not for this fixture's case to be on it.
        await page.Locator("#case-rows tr[data-case], #no-cases").First.WaitForAsync();
        await page.WaitForFunctionAsync("() => !document.getElementById('reminders').textContent.includes('…')");
        await page.AssertNoAxeViolationsAsync("my cases");

        await page.ClickAsync("#view-unassigned");
        await page.Locator("#view-unassigned[aria-current=page]").WaitForAsync();
        await page.Locator("#case-rows tr[data-case], #no-cases").First.WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the organisation's unassigned cases");

        await page.ClickAsync("#view-allCases");
        await page.Locator("#filter-municipality").WaitForAsync();
        await page.Locator("#case-rows tr[data-case], #no-cases").First.WaitForAsync();
        await page.WaitForFunctionAsync("() => !document.getElementById('reminders').textContent.includes('…')");
        await page.AssertNoAxeViolationsAsync("the case list");

        await page.SelectOptionAsync("#filter-municipality", "landskrona");
        await page.SelectOptionAsync("#filter-phase", "first-contact");
        await page.CheckAsync("#filter-overdue");
        await page.ClickAsync("#filter-apply");
        await page.Locator("#case-rows tr[data-case], #no-cases").First.WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the case list filtered");

        await page.GotoAsync((lang == "en" ? "/?lang=en" : "/") + $"#/case/{fixture.CaseId}");
        await page.Locator("#case-phase").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("a case page");

        await page.SelectOptionAsync("#event-type", "contact-made");
        await page.Locator("#event-wantsSupport").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("a case page with the event form's fields");

        await page.SelectOptionAsync("#event-type", "contact-attempted");
        await page.ClickAsync("#event-submit");
        await Assertions.Expect(page.Locator("#event-status")).Not.ToBeEmptyAsync();
        await page.AssertNoAxeViolationsAsync("a case page with the event form's answer");
    }

    [Theory]
    [InlineData("sv", 1280)]
    [InlineData("en", 1280)]
    [InlineData("sv", 390)]
    public async Task A_case_page_with_consents_and_referrals_and_the_referral_event_fields_meets_WCAG_21_AA(string lang, int width)
    {
        ReferralSetup.Referred referred = await fixture.ReferredCaseAsync();
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, width, 900);
        IPage page = browser.Page;
        await page.GotoAsync((lang == "en" ? "/?lang=en" : "/") + $"#/case/{referred.CaseId}");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        await page.Locator("#referrals tr[data-status=\"declined\"]").WaitForAsync();
        await page.Locator("#referrals tr[data-status=\"sent\"]").WaitForAsync();
        await page.Locator("#consents tr[data-organisation]").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("a case page with consents and referrals");

        await page.SelectOptionAsync("#event-type", "sharing-consent-given");
        await page.Locator("#event-fields-group").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("a case page with the consent fields");

        await page.SelectOptionAsync("#event-type", "referral-sent");
        await page.Locator("#event-due").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("a case page with the referral fields");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("sv", 1280)]
    [InlineData("en", 1280)]
    [InlineData("sv", 390)]
    public async Task The_referral_inbox_before_a_key_with_an_error_with_its_referrals_and_after_an_answer_meets_WCAG_21_AA(string lang, int width)
    {
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(fixture.Host);
        string item = $"li[data-referral=\"{referred.ReferralId}\"]";
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, width, 900);
        IPage page = browser.Page;
        await page.GotoAsync(lang == "en" ? "referrals?lang=en" : "referrals");
        Assert.Equal(lang, await page.GetAttributeAsync("html", "lang"));
        await page.AssertNoAxeViolationsAsync("the inbox before a key");

        await page.ClickAsync("#show-referrals");
        await Assertions.Expect(page.Locator("#f-apiKey-error")).ToBeVisibleAsync();
        await page.AssertNoAxeViolationsAsync("the inbox without a key");

        await page.FillAsync("#f-apiKey", ReferralSetup.ReceiverKey);
        await page.ClickAsync("#show-referrals");
        await page.Locator($"{item}[data-status=\"sent\"]").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the inbox with its referrals");

        await page.ClickAsync($"{item} button.decline");
        await Assertions.Expect(page.Locator($"{item} select")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.AssertNoAxeViolationsAsync("the inbox with a decline without a reason");

        await page.ClickAsync($"{item} button.accept");
        await page.Locator($"{item}[data-status=\"accepted\"] button.complete").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the inbox after an answer");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task The_statistics_page_with_and_without_its_charts_meets_WCAG_21_AA(string lang)
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;
        await page.GotoAsync(lang == "en" ? "statistics?lang=en" : "statistics");
        await Assertions.Expect(page.Locator("#message")).Not.ToBeEmptyAsync();
        await page.AssertNoAxeViolationsAsync("the statistics page before a key");

        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await page.Locator("body[data-loaded=\"true\"]").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("the statistics page with its charts");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task The_accessibility_statement_meets_WCAG_21_AA(string lang)
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;
        await page.GotoAsync(lang == "en" ? "accessibility?lang=en" : "accessibility");
        Assert.Equal(lang, await page.GetAttributeAsync("html", "lang"));
        await page.AssertNoAxeViolationsAsync("the accessibility statement");
        Assert.Empty(browser.Errors);
    }

    [Theory]
    [InlineData("intake")]
    [InlineData("intake?lang=en")]
    [InlineData("")]
    [InlineData("?lang=en")]
    [InlineData("statistics")]
    [InlineData("statistics?lang=en")]
    [InlineData("referrals")]
    [InlineData("referrals?lang=en")]
    public async Task Every_page_links_to_the_accessibility_statement_in_its_own_language(string path)
    {
        using HttpResponseMessage response = await fixture.Host.Client.GetAsync(path);
        string html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        bool english = path.Contains("lang=en", StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string href = english ? "/accessibility?lang=en" : "/accessibility";
        string pattern = $"<a [^>]*href=\"{Regex.Escape(href)}\"[^>]*>{(english ? "Accessibility" : "Tillgänglighet")}</a>";
        Assert.True(Regex.IsMatch(html, pattern), $"no link to the statement in {path}: " + html[Math.Max(0, html.IndexOf("<footer", StringComparison.Ordinal))..]);
    }

    [Fact]
    public async Task The_receipt_links_to_the_accessibility_statement_too()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "intake")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["municipality"] = "bjuv",
                ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                ["placeType"] = "online",
                ["suspicion"] = "unclear",
                ["description"] = "An advert.",
                ["policeNotified"] = "false",
            }),
        };
        request.Headers.Add("X-Api-Key", TestHost.PartnerKey);
        using HttpResponseMessage response = await fixture.Host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("href=\"/accessibility\"", await response.Content.ReadAsStringAsync());
        AssertThePolicy(response);
    }

    [Theory]
    [InlineData("accessibility", "sv", "Rapportera ett problem")]
    [InlineData("accessibility?lang=en", "en", "Report a problem")]
    public async Task The_statement_says_how_to_report_a_problem_and_where_to_complain(string path, string lang, string heading)
    {
        using HttpResponseMessage response = await fixture.Host.Client.GetAsync(path);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains($"<h2>{heading}</h2>", html);
        Assert.Contains("href=\"mailto:kontaktcenter@helsingborg.se\"", html);
        Assert.Contains("href=\"tel:", html);
        Assert.Contains("https://www.digg.se/tdosanmalan", html);
        Assert.Contains("WCAG 2.1", html);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(WebPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Theory]
    [InlineData("")]
    [InlineData("?lang=en")]
    [InlineData("intake")]
    [InlineData("intake?lang=en")]
    [InlineData("referrals")]
    [InlineData("referrals?lang=en")]
    [InlineData("statistics")]
    [InlineData("statistics?lang=en")]
    [InlineData("accessibility")]
    [InlineData("accessibility?lang=en")]
    public async Task Every_html_route_answers_with_the_one_policy_and_its_headers(string path)
    {
        using HttpResponseMessage response = await fixture.Host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        AssertThePolicy(response);
    }

    static void AssertThePolicy(HttpResponseMessage response)
    {
        Assert.Equal(WebPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
