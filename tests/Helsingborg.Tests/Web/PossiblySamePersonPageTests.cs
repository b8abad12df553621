using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Web;

/// <summary>The case page lists "Möjligen samma person" with links to the other cases, in the glossary's words.</summary>
[Collection(PagesCollection.Name)]
public sealed class PossiblySamePersonPageTests(PagesHost fixture)
{
    [Fact]
    public async Task A_case_page_links_the_cases_of_possibly_the_same_person()
    {
        string alias = "Kanarie" + Guid.NewGuid().ToString("N")[..10];
        object Intake() => Intakes.Valid(person: new { alias, estimatedAge = 22 });
        string first = await fixture.Host.SubmitIntakeAsync(Intake());
        string second = await fixture.Host.SubmitIntakeAsync(Intake());
        string secondReference = (await fixture.Host.GetJsonAsync($"api/cases/{second}")).GetProperty("reference").GetString()!;

        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, 1280, 900);
        IPage page = browser.Page;
        await page.GotoAsync($"/#/case/{first}");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        ILocator link = page.Locator($"#possibly-same-person a[href=\"#/case/{second}\"]");
        await link.WaitForAsync();
        await Assertions.Expect(page.Locator("#possibly-same-person h2")).ToHaveTextAsync("Möjligen samma person");
        await Assertions.Expect(page.Locator("#possibly-same-person li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#possibly-same-person li")).ToContainTextAsync("Samma alias");
        await page.AssertNoAxeViolationsAsync("a case page with possibly the same person");

        await link.ClickAsync();
        await Assertions.Expect(page.Locator("#case-reference")).ToHaveTextAsync(secondReference);
        await Assertions.Expect(page.Locator($"#possibly-same-person a[href=\"#/case/{first}\"]")).ToHaveCountAsync(1);
    }
}
