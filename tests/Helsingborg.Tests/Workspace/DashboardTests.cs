using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Workspace;

[Collection(SharedHostCollection.Name)]
public sealed class DashboardTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    [Fact]
    public async Task The_dashboard_is_served_at_the_root_in_swedish_with_a_strict_policy()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "/", null);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"sv\">", html);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task English_is_chosen_with_lang_en()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "/?lang=en", null);
        Assert.Contains("<html lang=\"en\">", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("dashboard/dashboard.js", "text/javascript")]
    [InlineData("dashboard/dashboard.css", "text/css")]
    public async Task The_assets_come_from_the_app_itself(string path, string type)
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, path, null);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("https://", text);
        Assert.DoesNotContain("innerHTML", text);
    }

    [Fact]
    public async Task An_unknown_asset_is_404()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "dashboard/secrets.json", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_a_real_browser_a_coordinator_filters_opens_a_case_and_records_contact()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid(municipality: "astorp"));
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case to be projected");

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!, width: 390, height: 844);
        IPage page = browser.Page;
        await page.GotoAsync("/");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        await page.ClickAsync("#view-allCases");
        await page.WaitForSelectorAsync("#filters");

        await page.SelectOptionAsync("#filter-municipality", "astorp");
        await page.ClickAsync("#filter-apply");
        // The unfiltered list may show the case too: wait for the list the filter asked for, not only for the case's link.
        ILocator link = page.Locator($"a.case-link[href=\"#/case/{caseId}\"]");
        IReadOnlyList<string> municipalities = [];
        await Poll.UntilAsync(
            async () =>
            {
                municipalities = await page.Locator("#case-rows tr[data-case] td:nth-child(5)").AllTextContentsAsync();
                return municipalities.Count > 0 && municipalities.All(m => m == "Åstorp") && await link.CountAsync() == 1;
            },
            TimeSpan.FromSeconds(15),
            "the list filtered to Åstorp, with the case on it");

        await link.ClickAsync();
        await page.WaitForSelectorAsync("#case-phase[data-phase=\"first-contact\"]");
        IReadOnlyList<string> offered = await page.Locator("#event-type option").EvaluateAllAsync<string[]>("os => os.map(o => o.value).filter(Boolean)");
        Assert.DoesNotContain("support-given", offered);

        await page.SelectOptionAsync("#event-type", "contact-made");
        // The payload fields are labelled in Swedish, never by their API names.
        Assert.Equal("event-wantsSupport", await page.GetByLabel("Vill ha stöd", new() { Exact = true }).GetAttributeAsync("id"));
        Assert.Contains("Ja", await page.Locator("#event-wantsSupport option").AllTextContentsAsync());
        Assert.Empty(await page.GetByLabel("wantsSupport").AllAsync());
        await page.SelectOptionAsync("#event-wantsSupport", "yes");
        await page.SelectOptionAsync("#event-wantsAuthorityContact", "yes");
        await page.ClickAsync("#event-submit");
        await page.WaitForSelectorAsync("#case-phase[data-phase=\"short-term-support\"]", new() { Timeout = 30_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "dashboard-" + caseId + ".png"), FullPage = true });

        Assert.Empty(browser.Errors);
        JsonElement after = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("short-term-support", after.GetProperty("phase").GetString());
    }

    [Fact]
    public async Task In_a_real_browser_a_coordinator_finds_a_case_by_its_number_with_the_keyboard()
    {
        using HttpResponseMessage intake = await Host.SendAsync(HttpMethod.Post, "api/intake", TestHost.PartnerKey, Intakes.Valid(municipality: "bjuv"));
        JsonElement receipt = JsonDocument.Parse(await intake.Content.ReadAsStringAsync()).RootElement;
        string caseId = receipt.GetProperty("caseId").GetString()!;
        string reference = receipt.GetProperty("reference").GetString()!;
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case to be projected");

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!, width: 390, height: 844);
        IPage page = browser.Page;
        await page.GotoAsync("/");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        await page.WaitForSelectorAsync("#find");

        // A number nobody has: said so beside the box, which keeps the focus.
        ILocator box = page.GetByLabel(new System.Text.RegularExpressions.Regex("^Ärendenummer, till exempel HBG-[0-9]{4}-0042$"));
        string unknown = reference[..reference.LastIndexOf('-')] + "-99999999";
        await box.FillAsync(unknown);
        await box.PressAsync("Enter");
        await page.WaitForSelectorAsync($"#find-status:has-text(\"{unknown}\")");
        Assert.Equal("find-reference", await page.EvaluateAsync<string>("document.activeElement.id"));

        // Its number, written in small letters, opens the case.
        await box.FillAsync(reference.ToLowerInvariant());
        await box.PressAsync("Enter");
        await page.WaitForSelectorAsync($"#case-reference:has-text(\"{reference}\")");
        Assert.EndsWith($"#/case/{caseId}", page.Url, StringComparison.Ordinal);
        Assert.Empty(browser.Errors);
    }
}
