using System.Globalization;
using System.Text.RegularExpressions;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// The partner form when the app cannot take a report just now (issue 12, 3 and 4): a 503 (storage did not answer in
/// time) or a 429 (the key's intake limit) shows a plain "try again shortly" in the page's language, what was written
/// stays, and the next submit carries the same Idempotency-Key, so a report half stored before a 503 is finished
/// rather than opened twice.
/// </summary>
public sealed class IntakeFormBusyTests
{
    [Fact]
    public async Task A_503_and_a_429_say_try_again_shortly_in_Swedish_and_English_and_the_retry_sends_the_same_idempotency_key()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:IntakePerMinute"] = "1" });
        await using BrowserSession browser = await Browser.OpenAsync(host.Client.BaseAddress!);
        IPage page = browser.Page;

        // The browser plays storage's 503 for the first submit; the app answers the others.
        var keys = new List<string>();
        bool storageDown = true;
        await page.RouteAsync(url => new Uri(url).AbsolutePath == "/intake", async route =>
        {
            if (route.Request.Method != "POST")
            {
                await route.ContinueAsync();
                return;
            }

            keys.Add(route.Request.Headers["idempotency-key"]);
            if (!storageDown)
            {
                await route.ContinueAsync();
                return;
            }

            storageDown = false;
            await route.FulfillAsync(new()
            {
                Status = 503,
                ContentType = "application/problem+json",
                Headers = new Dictionary<string, string> { ["Retry-After"] = "10" },
                Body = """{"type":"about:blank","title":"Storage did not answer in time.","status":503}""",
            });
        });

        await page.GotoAsync("intake");
        const string text = "En kvinna följdes av en man som höll hennes pass.";
        await page.GetByLabel("Din organisations partnernyckel").FillAsync(TestHost.PartnerKey);
        await page.GetByLabel("Kommun").SelectOptionAsync("helsingborg");
        await page.GetByLabel("När såg du det?").FillAsync(DateTime.Now.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("Hotell").CheckAsync();
        await page.GetByLabel("Människohandel").CheckAsync();
        await page.GetByLabel("Beskriv vad du såg").FillAsync(text);
        await page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("Är polisen informerad") }).GetByLabel("Nej").CheckAsync();
        ILocator send = page.GetByRole(AriaRole.Button, new() { Name = "Skicka rapporten" });
        await send.ClickAsync();

        ILocator summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToBeVisibleAsync();
        Assert.Contains("Försök igen om en liten stund", await summary.InnerTextAsync());
        Assert.Equal(text, await page.GetByLabel("Beskriv vad du såg").InputValueAsync());

        await send.ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("rapporten är mottagen") }).WaitForAsync();
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);

        // The key's one intake a minute is used: the app itself answers 429.
        await page.GotoAsync("intake?lang=en");
        await page.GetByLabel("Describe what you saw").FillAsync("A second report.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the report" }).ClickAsync();
        await Assertions.Expect(summary).ToBeVisibleAsync();
        Assert.Contains("Try again in a little while", await summary.InnerTextAsync());
        Assert.Equal("A second report.", await page.GetByLabel("Describe what you saw").InputValueAsync());
        Assert.Equal(3, keys.Count);
        Assert.Empty(browser.Errors);
    }
}
