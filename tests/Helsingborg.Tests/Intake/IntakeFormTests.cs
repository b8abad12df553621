using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Web;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Intake;

/// <summary>GET /intake and POST /intake: the partner form and its HTML receipt, over HTTP and in Chromium.</summary>
[Collection(IntakeHostCollection.Name)]
public sealed class IntakeFormTests(IntakeHost fixture)
{
    TestHost Host => fixture.Host;

    async Task<(HttpResponseMessage Response, string Html)> GetPageAsync(string path)
    {
        HttpResponseMessage response = await Host.Client.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_form_is_Swedish_by_default_and_English_with_lang_en()
    {
        (HttpResponseMessage swedish, string sv) = await GetPageAsync("intake");
        (_, string en) = await GetPageAsync("intake?lang=en");

        Assert.Equal(HttpStatusCode.OK, swedish.StatusCode);
        Assert.Equal("text/html", swedish.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"sv\">", sv);
        Assert.Contains("Skicka rapporten", sv);
        Assert.Contains("<html lang=\"en\">", en);
        Assert.Contains("Send the report", en);
    }

    [Fact]
    public async Task The_form_tells_the_reporter_to_call_112_in_acute_danger_and_the_police_on_114_14_otherwise_in_both_languages()
    {
        (_, string sv) = await GetPageAsync("intake");
        (_, string en) = await GetPageAsync("intake?lang=en");

        Assert.Contains("akut fara: ring 112", sv, StringComparison.Ordinal);
        Assert.Contains("ring polisen på 114 14", sv, StringComparison.Ordinal);
        Assert.Contains("immediate danger: call 112", en, StringComparison.Ordinal);
        Assert.Contains("call the police on 114 14", en, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_form_control_has_a_label_or_a_legend_and_the_form_has_an_error_summary()
    {
        (_, string html) = await GetPageAsync("intake");

        var ids = Regex.Matches(html, "<(?:input|select|textarea)[^>]* id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count > 20, "the form has its fields");
        foreach (string id in ids)
        {
            Assert.Contains($"<label for=\"{id}\">", html);
        }

        Assert.Equal(Regex.Matches(html, "<fieldset").Count, Regex.Matches(html, "<legend>").Count);
        Assert.Contains("id=\"error-summary\"", html);
        Assert.Contains("role=\"alert\"", html);
    }

    [Fact]
    public async Task The_page_loads_nothing_from_outside_the_app_under_a_strict_policy()
    {
        (HttpResponseMessage response, string html) = await GetPageAsync("intake");

        Assert.Equal(WebPage.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.StartsWith("default-src 'none';", WebPage.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe-inline", WebPage.ContentSecurityPolicy);
        Assert.DoesNotContain("unsafe-eval", WebPage.ContentSecurityPolicy);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);

        // The form's script and style are the app's own files; no inline script or style.
        Assert.Equal(["<script type=\"module\" src=\"/dashboard/site.js\">", "<script type=\"module\" src=\"/dashboard/intake.js\">"], Regex.Matches(html, "<script[^>]*>").Select(m => m.Value));
        Assert.Equal(["<link rel=\"stylesheet\" href=\"/dashboard/site.css\">", "<link rel=\"stylesheet\" href=\"/dashboard/intake.css\" />"], Regex.Matches(html, "<link rel=\"stylesheet\"[^>]*>").Select(m => m.Value));
        Assert.DoesNotContain("<style", html);
        Assert.DoesNotContain(" style=\"", html);
    }

    [Fact]
    public async Task A_form_submit_without_a_partner_key_is_refused()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["municipality"] = "helsingborg" });
        HttpResponseMessage response = await Host.Client.PostAsync("intake", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_form_submit_answers_an_html_receipt_with_the_case_reference_and_errors_as_problem_json()
    {
        var fields = new Dictionary<string, string>
        {
            ["municipality"] = "bjuv",
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["placeType"] = "online",
            ["suspicion"] = "unclear",
            ["description"] = "An advert that looked like coercion.",
            ["policeNotified"] = "true",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "intake?lang=en") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Api-Key", TestHost.PartnerKey);
        HttpResponseMessage response = await Host.Client.SendAsync(request);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Match receipt = Regex.Match(html, "id=\"case-reference\" data-case-id=\"(c_[0-9a-z]{26})\">(HBG-[0-9]{4}-[0-9]{4,})<");
        Assert.True(receipt.Success, "the receipt shows no case reference");
        string caseId = receipt.Groups[1].Value;
        JsonElement opened = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("bjuv", opened.GetProperty("municipality").GetString());
        Assert.Equal(receipt.Groups[2].Value, opened.GetProperty("reference").GetString());

        fields["description"] = "Marker" + Guid.NewGuid().ToString("N") + new string('x', 4001);
        var invalid = new HttpRequestMessage(HttpMethod.Post, "intake") { Content = new FormUrlEncodedContent(fields) };
        invalid.Headers.Add("X-Api-Key", TestHost.PartnerKey);
        HttpResponseMessage refused = await Host.Client.SendAsync(invalid);
        string problem = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(problem).RootElement.GetProperty("errors").TryGetProperty("description", out _));
        Assert.DoesNotContain("Marker", problem);
    }

    [Fact]
    public async Task A_partner_fills_in_the_form_in_a_real_browser_and_the_receipt_names_the_case()
    {
        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        var external = new List<string>();
        page.Request += (_, r) => { if (!r.Url.StartsWith(Host.Client.BaseAddress!.ToString(), StringComparison.Ordinal)) { external.Add(r.Url); } };

        await page.GotoAsync("intake");
        Assert.Equal("sv", await page.Locator("html").GetAttributeAsync("lang"));

        // An empty submit: the error summary appears, takes focus and names the key.
        ILocator send = page.GetByRole(AriaRole.Button, new() { Name = "Skicka rapporten" });
        await send.PressAsync("Enter");
        ILocator summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        Assert.Matches("(?i)partnernyckeln", await summary.InnerTextAsync());

        await page.GetByLabel("Din organisations partnernyckel").FillAsync(TestHost.PartnerKey);
        await send.PressAsync("Enter");
        await page.Locator("#error-list a[href=\"#f-description\"]").WaitForAsync();
        IReadOnlyList<string> errors = await page.Locator("#error-list li").AllInnerTextsAsync();
        Assert.Contains(errors, e => e.Contains("Beskriv vad du såg"));
        Assert.Equal("error-summary", await page.EvaluateAsync<string>("() => document.activeElement && document.activeElement.id"));

        // Filled in by the labels the partner reads.
        await page.GetByLabel("Kommun").SelectOptionAsync("helsingborg");
        await page.GetByLabel("När såg du det?").FillAsync(DateTime.Now.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByLabel("Hotell").CheckAsync();
        await page.GetByLabel("Plats", new() { Exact = true }).FillAsync("Rum 214");
        await page.GetByLabel("Människohandel").CheckAsync();
        await page.GetByLabel("Beskriv vad du såg").FillAsync("En kvinna, cirka 20, följdes av en man som höll hennes pass.");
        await page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("Är polisen informerad") }).GetByLabel("Nej").CheckAsync();
        await page.GetByLabel("Namn eller alias").FillAsync("Testperson");
        await page.GetByLabel("Uppskattad ålder").FillAsync("20");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Språk", Exact = true }).PressSequentiallyAsync("rumänska");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Språk", Exact = true }).PressSequentiallyAsync("engelska");
        await page.Keyboard.PressAsync("Enter");
        await page.GetByLabel("Dina kontaktuppgifter").FillAsync("nattportier");
        await send.PressAsync("Enter");

        await page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("rapporten är mottagen") }).WaitForAsync();
        Assert.Matches("^HBG-[0-9]{4}-[0-9]{4,}$", (await page.Locator("#case-reference").InnerTextAsync()).Trim());
        string caseId = (await page.Locator("#case-reference").GetAttributeAsync("data-case-id"))!;
        Assert.Matches("^c_[0-9a-z]{26}$", caseId);

        // Another report in the same session: the key is not asked for again.
        await page.GetByRole(AriaRole.Link, new() { Name = "Rapportera något mer" }).ClickAsync();
        await send.WaitForAsync();
        // The form's script (a module, run after the page is parsed) hides the key field when the session has a key.
        await Assertions.Expect(page.GetByLabel("Din organisations partnernyckel")).ToBeHiddenAsync();

        await page.GotoAsync("intake?lang=en");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).WaitForAsync();

        Assert.Empty(external);
        Assert.Empty(browser.Errors);
        JsonElement found = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("hotel-group", found.GetProperty("reportedBy").GetString());
        Assert.Equal("helsingborg", found.GetProperty("municipality").GetString());
        Assert.Equal("Testperson", found.GetProperty("person").GetProperty("alias").GetString());
        Assert.Equal(["ro", "en"], found.GetProperty("person").GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("first-contact", found.GetProperty("phase").GetString());
    }
}
