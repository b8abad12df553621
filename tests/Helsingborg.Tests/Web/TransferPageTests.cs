using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Web;

/// <summary>
/// The handover on the case page in a real browser (issue 23, part 1): the leading coordinator asks Landskrona's receiver to
/// take the case over with a handover note; the receiver sees "Överlämning väntar" with the handover, takes the case over,
/// and the page shows both leads with their dates. Every state is checked with axe, in Swedish.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class TransferPageTests(PagesHost fixture)
{
    static async Task SignInAsync(IPage page, string key)
    {
        await page.Locator("#api-key").WaitForAsync();
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#signin-submit");
    }

    [Fact]
    public async Task The_lead_asks_for_a_handover_and_the_receiver_takes_the_case_over_on_the_case_page()
    {
        TestHost host = fixture.Host;
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(municipality: "landskrona"));
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("lead").GetString() == "social-services", "the default lead");
        const string handover = "Personen bor i Landskrona och vill ha stöd där.";

        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, 1280, 900);
        IPage page = browser.Page;
        await page.GotoAsync($"/#/case/{caseId}");
        await SignInAsync(page, TestHost.CoordinatorKey);
        await page.Locator("#event-type").WaitForAsync();
        await page.SelectOptionAsync("#event-type", "transfer-requested");
        await page.SelectOptionAsync("#event-municipality", "landskrona");
        await page.FillAsync("#event-note", handover);
        await page.ClickAsync("#event-submit");
        await page.Locator("#transfer").WaitForAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#transfer")).ToContainTextAsync("Överlämning väntar");
        await Assertions.Expect(page.Locator("#transfer")).ToContainTextAsync("Socialtjänsten i Landskrona");
        Assert.Equal(0, await page.Locator("#transfer-accept").CountAsync());
        await page.AssertNoAxeViolationsAsync("a handover waiting, seen by the lead");

        await page.ClickAsync("#sign-out");
        await page.GotoAsync($"/#/case/{caseId}");
        await SignInAsync(page, TestHost.LandskronaKey);
        await page.Locator("#transfer-accept").WaitForAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#case-access")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync(handover);
        await page.AssertNoAxeViolationsAsync("a handover waiting, seen by the receiver");

        await page.ClickAsync("#transfer-accept");
        await Assertions.Expect(page.Locator("#transfer")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#case-access")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("main, #app").First).ToContainTextAsync("Socialförvaltningen");
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync("Ärendet övertaget");
        await page.AssertNoAxeViolationsAsync("the case taken over");
        Assert.Empty(browser.Errors);
    }
}
