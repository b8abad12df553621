using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Web;

/// <summary>
/// One look in a real browser (issue 22, item 5): a button looks and shows focus the same on the partner form, the
/// statistics page and the dashboard; a key kept in the tab's session brings its links into every page's header, the
/// statement's too, and the header's sign-out forgets it.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class OneLookBrowserTests(PagesHost fixture)
{
    /// <summary>The computed look of the focused element: its focus ring and its button face.</summary>
    const string LookScript = """
        () => {
          const s = getComputedStyle(document.activeElement);
          return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow,
                  s.backgroundColor, s.color, s.borderTopWidth, s.borderTopColor, s.borderTopLeftRadius,
                  s.paddingTop, s.paddingLeft, s.fontWeight, s.fontSize].join(' | ');
        }
        """;

    static async Task<string> FocusedLookAsync(IPage page, string selector)
    {
        ILocator button = page.Locator(selector);
        await button.WaitForAsync();
        await page.Keyboard.PressAsync("Shift"); // focus by keyboard, so :focus-visible applies
        await button.FocusAsync();
        Assert.True(await page.EvaluateAsync<bool>("s => document.activeElement.matches(s + ':focus-visible')", selector), $"{selector} has no visible focus");
        return await page.EvaluateAsync<string>(LookScript);
    }

    [Fact]
    public async Task A_focused_button_looks_the_same_on_the_form_the_statistics_page_and_the_dashboard()
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;

        await page.GotoAsync("intake");
        string form = await FocusedLookAsync(page, "#submit");
        await page.GotoAsync("statistics");
        string statistics = await FocusedLookAsync(page, "#key-form button[type=submit]");
        await page.GotoAsync("/");
        string dashboard = await FocusedLookAsync(page, "#signin-submit");

        Assert.StartsWith("solid | 3px", form, StringComparison.Ordinal);
        Assert.Equal(form, statistics);
        Assert.Equal(form, dashboard);
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_key_kept_in_the_tab_brings_its_links_into_every_header_until_signed_out()
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, 390, 900);
        IPage page = browser.Page;

        await page.GotoAsync("statistics");
        await Assertions.Expect(page.Locator("#nav-intake")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-statistics")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#sign-out")).ToBeHiddenAsync();

        await page.FillAsync("#api-key", TestHost.StatisticsKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await Assertions.Expect(page.Locator("#nav-statistics")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-statistics")).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.Locator("#nav-cases")).ToBeHiddenAsync();

        // The statement has no script of its own: the header's shows the key's links there too, in English.
        await page.GotoAsync("accessibility?lang=en");
        await Assertions.Expect(page.Locator("#nav-statistics")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#nav-statistics")).ToHaveTextAsync("Statistics");
        await Assertions.Expect(page.Locator("#nav-referrals")).ToBeHiddenAsync();
        await page.AssertNoAxeViolationsAsync("the statement with a statistics key's navigation");

        await page.ClickAsync("#sign-out");
        await Assertions.Expect(page.Locator("#sign-out")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#nav-statistics")).ToBeHiddenAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('helsingborg.apiKey')"));
        Assert.Empty(browser.Errors);
    }
}
