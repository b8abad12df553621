using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Referrals;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Web;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Referrals;

/// <summary>
/// The closed loop in the pages (issue 14): the receiving partner answers its referrals on <c>/referrals</c>, and the
/// coordinator records consent and referrals on the dashboard's case page and sees the answers there.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ReferralInboxTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    /// <summary>Waits for what the page should show; on a timeout, says what the page said and the script errors.</summary>
    static async Task ShowsAsync(BrowserSession browser, string selector)
    {
        try
        {
            await browser.Page.Locator(selector).First.WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException e)
        {
            string said = string.Join(" | ", await browser.Page.Locator("[role=status], .error").AllInnerTextsAsync());
            string main = await browser.Page.Locator("main").InnerTextAsync();
            throw new TimeoutException($"{e.Message}\nthe page says: {said}\nscript errors: {string.Join(" | ", browser.Errors)}\n{main[..Math.Min(main.Length, 3000)]}", e);
        }
    }

    [Theory]
    [InlineData("referrals", "sv", "Remisser till din organisation")]
    [InlineData("referrals?lang=en", "en", "Referrals to your organisation")]
    public async Task The_inbox_is_a_shell_in_its_language_under_the_dashboards_strict_policy_with_no_inline_script(string path, string lang, string title)
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(path);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<html lang=\"{lang}\">", html);
        Assert.Contains($"<h1>{title}</h1>", html);
        Assert.Equal(WebPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        // Every script is the app's own file, or a JSON data block that is not run.
        MatchCollection scripts = Regex.Matches(html, "<script([^>]*)>");
        Assert.Equal(3, scripts.Count);
        Assert.All(scripts, s => Assert.Matches("src=\"/dashboard/(referrals|site)\\.js\"|type=\"application/json\"", s.Groups[1].Value));
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.Contains("<label for=\"f-apiKey\">", html);
        Assert.Contains("role=\"status\"", html);
    }

    [Theory]
    [InlineData("dashboard/referrals.js", "text/javascript")]
    [InlineData("dashboard/referrals.css", "text/css")]
    [InlineData("dashboard/intake.css", "text/css")]
    public async Task The_inbox_assets_come_from_the_app_itself(string path, string type)
    {
        using HttpResponseMessage response = await Host.Client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("https://", text);
        Assert.DoesNotContain("innerHTML", text);
    }

    [Fact]
    public void Every_kind_status_decline_reason_shared_field_and_gender_has_its_words_in_Swedish_and_English()
    {
        IReadOnlyDictionary<string, string> swedish = ReferralsPage.Words(english: false);
        IReadOnlyDictionary<string, string> english = ReferralsPage.Words(english: true);

        Assert.All(ReferralsPage.VocabularyKeys(), key =>
        {
            Assert.True(swedish.ContainsKey(key), $"no Swedish words for {key}");
            Assert.True(english.ContainsKey(key), $"no English words for {key}");
        });
        Assert.Equal(swedish.Keys.Order(), english.Keys.Order());
        Assert.Contains("kind.counselling-legal", ReferralsPage.VocabularyKeys());
        Assert.Contains("reason.person-declined", ReferralsPage.VocabularyKeys());
    }

    [Fact]
    public async Task A_partner_signs_in_accepts_and_completes_a_referral_and_the_coordinator_sees_it_completed_on_the_case_page()
    {
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(Host);
        string item = $"li[data-referral=\"{referred.ReferralId}\"]";

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync("referrals");
        await page.FillAsync("#f-apiKey", ReferralSetup.ReceiverKey);
        await page.ClickAsync("#show-referrals");

        // The referral with what the person agreed to share, and nothing else of the person or the case.
        await ShowsAsync(browser, $"#open-referrals {item}[data-status=\"sent\"]");
        Assert.Equal(referred.Alias, await page.Locator($"{item} dd[data-field=\"alias\"]").TextContentAsync());
        Assert.Equal(referred.Need, await page.Locator($"{item} dd[data-field=\"need\"]").TextContentAsync());
        Assert.Contains("rumänska", await page.Locator($"{item} dd[data-field=\"languages\"]").TextContentAsync());
        Assert.Equal(0, await page.Locator($"{item} dd[data-field=\"contact\"]").CountAsync());
        string text = await page.Locator(item).InnerTextAsync();
        Assert.Contains("Boende", text);
        Assert.Contains("Väntar på svar", text);
        Assert.Contains(referred.ReferralId, text); // the reference the organisation's daily digest gives
        Assert.DoesNotContain(referred.CaseId, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(ReferralSetup.ReceiverKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('helsingborg.partnerKey')"));

        await page.ClickAsync($"{item} button.accept");
        await Assertions.Expect(page.Locator("#inbox-status")).ToHaveTextAsync("Ni har accepterat remissen. Markera den som slutförd när stödet är utfört.");
        await ShowsAsync(browser, $"#open-referrals {item}[data-status=\"accepted\"]");
        await Assertions.Expect(page.Locator($"#r-{referred.ReferralId}")).ToBeFocusedAsync();
        await Poll.UntilAsync(async () => (await ReferralSetup.InboxItemAsync(Host, referred.ReferralId))?.GetProperty("status").GetString() == "accepted", TimeSpan.FromSeconds(60), "the acceptance in the inbox");

        await page.ClickAsync($"{item} button.complete");
        await ShowsAsync(browser, $"#closed-referrals {item}[data-status=\"completed\"]");
        await Assertions.Expect(page.Locator("#inbox-status")).ToContainTextAsync("slutförd");
        Assert.Equal(0, await page.Locator($"{item} dd[data-field]").CountAsync());
        JsonElement done = await Host.WaitForCaseAsync(referred.CaseId, c => c.GetProperty("referrals")[0].GetProperty("status").GetString() == "completed", "the referral completed on the case");
        Assert.Equal(1, done.GetProperty("counts").GetProperty("supportGiven").GetProperty("accommodation").GetInt32());

        // The coordinator's case page shows how the organisation answered.
        await page.GotoAsync($"/#/case/{referred.CaseId}");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        string rowSelector = $"#referrals tr[data-referral=\"{referred.ReferralId}\"]";
        await ShowsAsync(browser, rowSelector);
        ILocator row = page.Locator(rowSelector);
        Assert.Equal("completed", await row.GetAttributeAsync("data-status"));
        string rowText = await row.InnerTextAsync();
        Assert.Contains("Slutförd", rowText);
        Assert.Contains("Helsingborgshem", rowText);
        Assert.Contains("Boende", rowText);
        ILocator consent = page.Locator($"#consents tr[data-organisation=\"{ReferralSetup.Receiver}\"]");
        Assert.Equal("false", await consent.GetAttributeAsync("data-withdrawn"));
        Assert.Contains("Namn eller alias, Språk, Behov", await consent.InnerTextAsync());
        Assert.Contains("Remiss slutförd", await page.Locator("#timeline").InnerTextAsync());
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_coordinator_records_consent_and_a_referral_on_the_case_page_and_sees_the_partners_decline_with_its_reason()
    {
        string caseId = await Host.CaseInShortTermSupportAsync(Intakes.Valid(municipality: "bjuv"));

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync($"/#/case/{caseId}");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        await ShowsAsync(browser, "#case-phase[data-phase=\"short-term-support\"]");

        // Without a consent in force there is nothing to refer to or withdraw; the partners' answers are never offered.
        string[] offered = await page.Locator("#event-type option").EvaluateAllAsync<string[]>("os => os.map(o => o.value).filter(Boolean)");
        Assert.Contains("sharing-consent-given", offered);
        Assert.DoesNotContain("referral-sent", offered);
        Assert.DoesNotContain("sharing-consent-withdrawn", offered);
        Assert.DoesNotContain(offered, o => o.StartsWith("referral-", StringComparison.Ordinal));

        // Nothing is chosen for the coordinator: the organisation starts empty and is required.
        await page.SelectOptionAsync("#event-type", "sharing-consent-given");
        Assert.Equal(string.Empty, await page.InputValueAsync("#event-organisation"));
        Assert.True(await page.Locator("#event-organisation").EvaluateAsync<bool>("s => s.required && !s.checkValidity()"));
        await page.SelectOptionAsync("#event-organisation", ReferralSetup.Receiver);
        Assert.Equal("event-organisation", await page.GetByLabel("Organisation", new() { Exact = true }).GetAttributeAsync("id"));
        await page.ClickAsync("#event-submit");
        await Assertions.Expect(page.Locator("#event-status")).ToHaveTextAsync("Välj minst en uppgift som får delas.");
        await page.GetByRole(AriaRole.Group, new() { Name = "Uppgifter som får delas" }).GetByLabel("Namn eller alias").CheckAsync();
        await page.CheckAsync("#event-fields-need");
        await page.SelectOptionAsync("#event-purpose", "accommodation");
        await page.ClickAsync("#event-submit");
        await ShowsAsync(browser, $"#consents tr[data-organisation=\"{ReferralSetup.Receiver}\"]");

        await page.SelectOptionAsync("#event-type", "referral-sent");
        Assert.Equal("Behov (delas bara om personen samtyckt till att behovet delas)", await page.Locator("label[for=\"event-note\"]").TextContentAsync());
        await page.SelectOptionAsync("#event-organisation", ReferralSetup.Receiver);
        Assert.Equal("accommodation", await page.InputValueAsync("#event-kind"));
        await page.FillAsync("#event-due", DateTime.Today.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.FillAsync("#event-note", "Behöver ett boende nära skolan.");
        await page.ClickAsync("#event-submit");
        await ShowsAsync(browser, "#referrals tr[data-status=\"sent\"]");

        JsonElement c = await Host.GetJsonAsync($"api/cases/{caseId}");
        JsonElement consent = c.GetProperty("consents")[0];
        Assert.Equal(ReferralSetup.Receiver, consent.GetProperty("organisation").GetString());
        Assert.Equal(["alias", "need"], consent.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!));
        Assert.Equal("accommodation", consent.GetProperty("purpose").GetString());
        JsonElement referral = c.GetProperty("referrals")[0];
        Assert.Equal("accommodation", referral.GetProperty("kind").GetString());
        string referralId = referral.GetProperty("referralId").GetString()!;

        // The receiver sees the need the coordinator wrote, and declines with a reason through the inbox.
        await Poll.UntilAsync(async () => await ReferralSetup.InboxItemAsync(Host, referralId) is not null, TimeSpan.FromSeconds(60), "the referral in the inbox");
        JsonElement shared = (await ReferralSetup.InboxItemAsync(Host, referralId))!.Value.GetProperty("shared");
        Assert.Equal("Behöver ett boende nära skolan.", shared.GetProperty("need").GetString());

        await page.GotoAsync("referrals?lang=en");
        await page.FillAsync("#f-apiKey", ReferralSetup.ReceiverKey);
        await page.ClickAsync("#show-referrals");
        string item = $"li[data-referral=\"{referralId}\"]";
        await ShowsAsync(browser, item);
        await page.ClickAsync($"{item} button.decline");
        await Assertions.Expect(page.Locator($"{item} select")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#inbox-status")).ToHaveTextAsync("Choose a reason for declining.");
        Assert.Equal("true", await page.GetAttributeAsync($"{item} select", "aria-invalid"));
        await page.SelectOptionAsync($"{item} select", "person-declined");
        await page.ClickAsync($"{item} button.decline");
        await ShowsAsync(browser, $"#closed-referrals {item}[data-status=\"declined\"]");
        Assert.Contains("The person declined", await page.Locator(item).InnerTextAsync());

        await Host.WaitForCaseAsync(caseId, x => x.GetProperty("referrals")[0].GetProperty("status").GetString() == "declined", "the decline on the case");
        await page.GotoAsync($"/?lang=en#/case/{caseId}");
        string rowSelector = $"#referrals tr[data-referral=\"{referralId}\"][data-status=\"declined\"]";
        await ShowsAsync(browser, rowSelector);
        ILocator row = page.Locator(rowSelector);
        Assert.Contains("The person declined", await row.InnerTextAsync());

        // The person withdraws the consent: the coordinator records it, and nothing is offered to refer or withdraw.
        await page.SelectOptionAsync("#event-type", "sharing-consent-withdrawn");
        await page.SelectOptionAsync("#event-organisation", ReferralSetup.Receiver);
        await page.ClickAsync("#event-submit");
        await ShowsAsync(browser, $"#consents tr[data-organisation=\"{ReferralSetup.Receiver}\"][data-withdrawn=\"true\"]");
        offered = await page.Locator("#event-type option").EvaluateAllAsync<string[]>("os => os.map(o => o.value).filter(Boolean)");
        Assert.DoesNotContain("referral-sent", offered);
        Assert.DoesNotContain("sharing-consent-withdrawn", offered);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_refused_key_is_said_in_words_and_forgotten_and_an_answer_to_a_referral_that_has_gone_refreshes_the_list()
    {
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(Host);
        string item = $"li[data-referral=\"{referred.ReferralId}\"]";

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync("referrals");
        await page.ClickAsync("#show-referrals");
        await Assertions.Expect(page.Locator("#f-apiKey")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#f-apiKey-error")).ToHaveTextAsync("Ange partnernyckeln.");

        await page.FillAsync("#f-apiKey", "not-a-key");
        await page.ClickAsync("#show-referrals");
        await Assertions.Expect(page.Locator("#f-apiKey-error")).ToHaveTextAsync("Partnernyckeln godtogs inte. Ange en giltig nyckel.");
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('helsingborg.partnerKey')"));

        await page.FillAsync("#f-apiKey", TestHost.CoordinatorKey);
        await page.ClickAsync("#show-referrals");
        await Assertions.Expect(page.Locator("#f-apiKey-error")).ToHaveTextAsync("Den här nyckeln hör inte till en partnerorganisation och kan inte visa remisser.");
        Assert.True(await page.Locator("#inbox").IsHiddenAsync());

        await page.FillAsync("#f-apiKey", ReferralSetup.ReceiverKey);
        await page.ClickAsync("#show-referrals");
        await ShowsAsync(browser, item);

        // The person withdraws consent while the page is open: the answer finds no referral, and the list is read again.
        await Host.RecordAsync(referred.CaseId, new { type = "sharing-consent-withdrawn", organisation = ReferralSetup.Receiver });
        await page.ClickAsync($"{item} button.accept");
        await Assertions.Expect(page.Locator("#inbox-status")).ToHaveTextAsync("Remissen finns inte längre hos er: personen kan ha återkallat sitt samtycke. Listan är uppdaterad.");
        Assert.Equal(0, await page.Locator(item).CountAsync());
        Assert.DoesNotContain(referred.Alias, await page.ContentAsync(), StringComparison.Ordinal);

        // Changing the key takes the list off the page.
        await page.ClickAsync("#change-key");
        Assert.True(await page.Locator("#inbox").IsHiddenAsync());
        Assert.Equal(0, await page.Locator("li.referral").CountAsync());
        Assert.Empty(browser.Errors);
    }
}
