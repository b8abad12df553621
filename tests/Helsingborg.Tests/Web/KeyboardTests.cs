using System.Text.Json;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Web;

/// <summary>
/// The form and the case page with the keyboard alone (WCAG 2.1.1), focus visible at every stop (2.4.7) and
/// moved where the user continues after each answer (2.4.3): no mouse, no filling of fields by script.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class KeyboardTests(PagesHost fixture)
{
    /// <summary>
    /// Where focus is and whether a sighted keyboard user can see it: an outline of 2px or more (the pages' own focus
    /// style; the browser's default ring is thinner), or the highlighted part of a date field, inside the window.
    /// </summary>
    sealed class Focus
    {
        public string What { get; set; } = string.Empty;

        public bool Visible { get; set; }

        public string Outline { get; set; } = string.Empty;
    }

    const string FocusScript = """
        () => {
          const e = document.activeElement;
          if (!e || e === document.body) return { what: 'the page itself', visible: false, outline: '' };
          const s = getComputedStyle(e);
          const r = e.getBoundingClientRect();
          const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
          // Chromium highlights the focused part of a date field itself; reached by Tab, the field may not match :focus.
          const nativeDate = /^(date|datetime-local|time)$/.test(e.type) && document.hasFocus();
          const inView = r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
          return { what: `${e.tagName.toLowerCase()}#${e.id} "${(e.labels?.[0]?.textContent || e.textContent || '').trim().slice(0, 40)}"`, visible: (outlined || nativeDate) && inView, outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` };
        }
        """;

    static async Task<Focus> FocusedAsync(IPage page) => await page.EvaluateAsync<Focus>(FocusScript);

    static async Task AssertFocusVisibleAsync(IPage page, string? on = null)
    {
        Focus focus = await FocusedAsync(page);
        Assert.True(focus.Visible, $"focus on {focus.What} cannot be seen (outline: {focus.Outline})");
        if (on is not null)
        {
            Assert.True(await page.EvaluateAsync<bool>("s => document.activeElement.matches(s)", on), $"focus is on {focus.What}, not {on}");
        }
    }

    /// <summary>Presses Tab until <paramref name="selector"/> has focus, checking at every stop that focus can be seen.</summary>
    static async Task TabToAsync(IPage page, string selector, int atMost = 40)
    {
        var stops = new List<string>();
        for (int i = 0; i < atMost; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            await AssertFocusVisibleAsync(page);
            if (await page.EvaluateAsync<bool>("s => document.activeElement.matches(s)", selector))
            {
                return;
            }

            stops.Add((await FocusedAsync(page)).What);
        }

        Assert.Fail($"{atMost} presses of Tab did not reach {selector}; focus went {string.Join(" → ", stops)}");
    }

    /// <summary>Presses a key on a select until it shows <paramref name="value"/> (arrow keys change a closed select's choice).</summary>
    static async Task ChooseAsync(IPage page, string select, string value, string key = "ArrowDown", int atMost = 30)
    {
        for (int i = 0; i < atMost && await page.InputValueAsync(select) != value; i++)
        {
            await page.Keyboard.PressAsync(key);
        }

        Assert.Equal(value, await page.InputValueAsync(select));
    }

    [Fact]
    public async Task A_partner_fills_in_and_sends_the_intake_form_with_the_keyboard_alone()
    {
        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;
        await page.GotoAsync("intake");

        // The skip link comes first, then the form; an empty submit moves focus to the error summary.
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page, "a.skip");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, "#submit", atMost: 80);
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusVisibleAsync(page, "#error-summary");

        // The summary's link takes the user to the field.
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page, "#error-list a[href=\"#f-apiKey\"]");
        await page.Keyboard.PressAsync("Enter");
        await AssertFocusVisibleAsync(page, "#f-apiKey");
        await page.Keyboard.TypeAsync(TestHost.PartnerKey);

        await TabToAsync(page, "#f-municipality");
        await page.Keyboard.TypeAsync("Hel");
        Assert.Equal("helsingborg", await page.InputValueAsync("#f-municipality"));

        // Date and time with the arrow keys in each part of the field, whatever order the browser's language puts them
        // in: an empty part steps to its first value (January, the 1st, 00 or 1 o'clock) and the year to this year's.
        await TabToAsync(page, "#f-observedAt");
        for (int part = 0; part < 6 && await page.InputValueAsync("#f-observedAt") == string.Empty; part++)
        {
            await page.Keyboard.PressAsync("ArrowUp");
            await page.Keyboard.PressAsync("ArrowRight");
        }

        Assert.StartsWith($"{DateTime.Now.Year}-01-01T", await page.InputValueAsync("#f-observedAt"));

        await TabToAsync(page, "input[name=placeType]");
        await page.Keyboard.PressAsync("Space");
        Assert.True(await page.IsCheckedAsync("#f-placeType"), "Space did not choose the first place type");
        await TabToAsync(page, "#f-location");
        await page.Keyboard.TypeAsync("Rum 214");
        await TabToAsync(page, "input[name=suspicion]");
        await page.Keyboard.PressAsync("ArrowDown");
        Assert.True(await page.IsCheckedAsync("#f-suspicion-prostitution"), "the arrow key did not move to the second suspicion");
        await TabToAsync(page, "#f-description");
        await page.Keyboard.TypeAsync("En kvinna följdes av en man som höll hennes pass.");
        await TabToAsync(page, "input[name=policeNotified]");
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.True(await page.IsCheckedAsync("#f-policeNotified-false"), "the arrow key did not choose No");
        await TabToAsync(page, "#f-person-alias");
        await page.Keyboard.TypeAsync("Tangentbord");

        await TabToAsync(page, "#submit");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#case-reference").WaitForAsync();
        await AssertFocusVisibleAsync(page, "#receipt-title");

        string caseId = (await page.Locator("#case-reference").GetAttributeAsync("data-case-id"))!;
        JsonElement found = await fixture.Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("Tangentbord", found.GetProperty("person").GetProperty("alias").GetString());
        Assert.Equal("prostitution", found.GetProperty("incident").GetProperty("suspicion").GetString());
        Assert.False(found.GetProperty("incident").GetProperty("policeNotified").GetBoolean());

        // The next stop after the receipt's heading is its own link.
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page, "#report-another");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_coordinator_signs_in_and_records_an_event_on_a_case_with_the_keyboard_alone()
    {
        string caseId = await fixture.Host.SubmitIntakeAsync(Intakes.Valid(municipality: "klippan"));
        await fixture.Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case to be projected");

        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;
        await page.GotoAsync($"/#/case/{caseId}");

        // The sign-in puts focus in the key field; Enter sends it and focus moves to the case's heading.
        await page.Locator("#api-key").WaitForAsync();
        await AssertFocusVisibleAsync(page, "#api-key");
        await page.Keyboard.TypeAsync(TestHost.CoordinatorKey);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#case-phase[data-phase=\"first-contact\"]").WaitForAsync();
        await AssertFocusVisibleAsync(page, "h1");

        await TabToAsync(page, "#event-type");
        await ChooseAsync(page, "#event-type", "contact-made");
        await TabToAsync(page, "#event-wantsSupport");
        await ChooseAsync(page, "#event-wantsSupport", "yes");
        await TabToAsync(page, "#event-wantsAuthorityContact");
        await ChooseAsync(page, "#event-wantsAuthorityContact", "yes");
        await TabToAsync(page, "#event-note");
        await page.Keyboard.TypeAsync("Träffades på härbärget.");
        await TabToAsync(page, "#event-submit");
        var posted = new List<string>();
        page.Request += (_, r) => { if (r.Method == "POST") { posted.Add(r.Url + " " + r.PostData); } };
        await page.Keyboard.PressAsync("Enter");

        // The page is drawn again once the case has moved; focus is on the message that says so.
        try
        {
            await page.Locator("#case-phase[data-phase=\"short-term-support\"]").WaitForAsync(new() { Timeout = 30_000 });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nthe page says: {await page.Locator("#event-status").TextContentAsync()}; posted {string.Join(" | ", posted)}; errors: {string.Join(" | ", browser.Errors)}", e);
        }

        await Assertions.Expect(page.Locator("#event-status")).ToBeFocusedAsync();
        await AssertFocusVisibleAsync(page, "#event-status");

        JsonElement after = await fixture.Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("short-term-support", after.GetProperty("phase").GetString());
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_partner_accepts_completes_and_declines_referrals_in_the_inbox_with_the_keyboard_alone()
    {
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(fixture.Host);
        string first = referred.ReferralId;
        string second = await ReferralSetup.ReferAgainAsync(fixture.Host, referred.CaseId);

        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress);
        IPage page = browser.Page;
        await page.GotoAsync("referrals");

        // The skip link comes first; Enter in the key field shows the referrals and focus moves to their heading.
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page, "a.skip");
        await page.Keyboard.PressAsync("Enter");
        await TabToAsync(page, "#f-apiKey");
        await page.Keyboard.TypeAsync(ReferralSetup.ReceiverKey);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator($"li[data-referral=\"{first}\"]").WaitForAsync();
        await AssertFocusVisibleAsync(page, "#open-title");

        // Decline the newest: the reason with the arrow keys, then the button; the referral leaves the list to handle, and
        // focus goes back to that list's heading.
        await TabToAsync(page, $"li[data-referral=\"{second}\"] select", atMost: 80);
        await ChooseAsync(page, $"li[data-referral=\"{second}\"] select", "not-eligible");
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page, $"li[data-referral=\"{second}\"] button.decline");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator($"#closed-referrals li[data-referral=\"{second}\"][data-status=\"declined\"]").WaitForAsync();
        await AssertFocusVisibleAsync(page, "#open-title");

        // Accept: focus stays on the referral, and its next step is the next stop; completing it ends it.
        await TabToAsync(page, $"li[data-referral=\"{first}\"] button.accept", atMost: 80);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator($"li[data-referral=\"{first}\"][data-status=\"accepted\"]").WaitForAsync();
        await AssertFocusVisibleAsync(page, $"#r-{first}");
        await page.Keyboard.PressAsync("Tab");
        await AssertFocusVisibleAsync(page, $"li[data-referral=\"{first}\"] button.complete");
        await page.Keyboard.PressAsync("Enter");
        await page.Locator($"#closed-referrals li[data-referral=\"{first}\"][data-status=\"completed\"]").WaitForAsync();
        await AssertFocusVisibleAsync(page, "#open-title");

        await fixture.Host.WaitForCaseAsync(referred.CaseId, c => c.GetProperty("referrals").EnumerateArray().Select(r => r.GetProperty("status").GetString()).SequenceEqual(["completed", "declined"]), "both answers on the case");
        JsonElement after = await fixture.Host.GetJsonAsync($"api/cases/{referred.CaseId}");
        Assert.Equal("not-eligible", after.GetProperty("referrals")[1].GetProperty("declineReason").GetString());
        Assert.Empty(browser.Errors);
    }
}
