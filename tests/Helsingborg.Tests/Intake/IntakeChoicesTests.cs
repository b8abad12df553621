using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Web;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// The partner form's languages and citizenship chosen by name, as a reporter who does not know ISO codes does: a
/// combobox (WAI-ARIA pattern) driven by the keyboard alone at a phone's width, checked with axe in each state, that
/// sends the same codes as before; without script the fields are plain lists. The receipt shows Swedish time.
/// </summary>
[Collection(IntakeHostCollection.Name)]
public sealed class IntakeChoicesTests(IntakeHost fixture)
{
    TestHost Host => fixture.Host;

    [Fact]
    public async Task Without_script_languages_and_citizenship_are_plain_lists_of_names_that_send_codes()
    {
        string sv = await Host.Client.GetStringAsync("intake");
        string en = await Host.Client.GetStringAsync("intake?lang=en");

        Assert.Matches("<select id=\"f-person-languages\" name=\"person.languages\" multiple", sv);
        Assert.Matches("<select id=\"f-person-citizenship\" name=\"person.citizenship\" multiple", sv);
        Assert.Contains("<option value=\"ro\">rumänska</option>", sv);
        Assert.Contains("<option value=\"RO\">Rumänien</option>", sv);
        Assert.Contains("<option value=\"ro\">Romanian</option>", en);
        Assert.Contains("<option value=\"RO\">Romania</option>", en);
        Assert.DoesNotContain("Språkkoder", sv);
        Assert.DoesNotContain("ISO", sv);
    }

    [Theory]
    [InlineData("sv", "Språk", "rumänska", "svenska", "Medborgarskap", "Rumänien")]
    [InlineData("en", "Languages", "Romanian", "Swedish", "Citizenship", "Romania")]
    public async Task A_reporter_chooses_languages_and_citizenship_by_name_with_the_keyboard_alone_at_390px_and_the_case_has_the_codes(
        string lang, string languagesLabel, string romanian, string swedish, string citizenshipLabel, string romania)
    {
        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!, 390, 844);
        IPage page = browser.Page;
        await page.GotoAsync($"intake?lang={lang}");
        ILocator languages = page.GetByRole(AriaRole.Combobox, new() { Name = languagesLabel, Exact = true });
        ILocator citizenship = page.GetByRole(AriaRole.Combobox, new() { Name = citizenshipLabel, Exact = true });
        await Assertions.Expect(languages).ToBeVisibleAsync();
        Assert.False(await page.Locator("#f-person-languages-select").IsVisibleAsync(), "the plain list is still shown beside the combobox");
        await page.AssertNoAxeViolationsAsync($"the intake form with its comboboxes ({lang}, 390 px)");

        await FillRequiredFieldsAsync(page);

        // From the field before, by Tab: typing the name and Enter chooses it.
        await page.FocusAsync("#f-person-gender");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(languages).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(romanian[..4]);
        await Assertions.Expect(languages).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.Locator("#f-person-languages-listbox [role=option]").First).ToHaveTextAsync(romanian);
        await page.AssertNoAxeViolationsAsync($"the language list open ({lang}, 390 px)");
        await page.Keyboard.TypeAsync(romanian[4..]);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Chosen(page, "languages")).ToHaveTextAsync([romanian]);
        await Assertions.Expect(languages).ToBeFocusedAsync();
        await Assertions.Expect(languages).ToHaveValueAsync(string.Empty);
        await Assertions.Expect(languages).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.Locator("#f-person-languages-field [role=status]")).ToContainTextAsync(romanian);

        // Down and Enter choose from the list; a second name is added; the chosen ones' buttons remove them.
        await page.Keyboard.TypeAsync(swedish);
        await page.Keyboard.PressAsync("ArrowDown");
        string active = (await languages.GetAttributeAsync("aria-activedescendant"))!;
        Assert.Equal("f-person-languages-option-sv", active);
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal(["ro", "sv"], await page.EvalOnSelectorAllAsync<string[]>("#f-person-languages-select option:checked", "os => os.map(o => o.value)"));
        await page.Keyboard.TypeAsync("zzzq");
        await Assertions.Expect(page.Locator("#f-person-languages-listbox .none")).ToBeVisibleAsync();
        await page.AssertNoAxeViolationsAsync($"the language list matching nothing ({lang}, 390 px)");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(languages).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(languages).ToHaveValueAsync(string.Empty);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("#f-person-languages-field .chosen li[data-code=sv] button")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(languages).ToBeFocusedAsync();
        await Assertions.Expect(Chosen(page, "languages")).ToHaveTextAsync([romanian]);

        // Citizenship likewise, by Tab past the one chosen language's button.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(citizenship).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(romania);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Chosen(page, "citizenship")).ToHaveTextAsync([romania]);
        await page.AssertNoAxeViolationsAsync($"the form with languages and citizenship chosen ({lang}, 390 px)");

        // Enter in the empty combobox sends the form, as in any text field.
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#receipt-title")).ToBeFocusedAsync();
        await page.AssertNoAxeViolationsAsync($"the receipt ({lang}, 390 px)");
        Assert.Empty(browser.Errors);

        string caseId = (await page.Locator("#case-reference").GetAttributeAsync("data-case-id"))!;
        JsonElement person = (await Host.GetJsonAsync($"api/cases/{caseId}")).GetProperty("person");
        Assert.Equal(["ro"], person.GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["RO"], person.GetProperty("citizenship").EnumerateArray().Select(e => e.GetString()));

        // The receipt's time is the Swedish clock's, the instant in its datetime attribute.
        ILocator received = page.Locator("main time");
        DateTimeOffset instant = DateTimeOffset.Parse((await received.GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(LocalTime.Format(instant), (await received.InnerTextAsync()).Trim());
        Assert.DoesNotContain("UTC", await page.Locator("main").InnerTextAsync());
    }

    [Fact]
    public async Task The_chosen_count_stops_at_the_validator_s_limit_and_says_so()
    {
        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!, 390, 844);
        IPage page = browser.Page;
        await page.GotoAsync("intake");
        await page.FocusAsync("#f-person-citizenship");
        string[] countries = ["Rumänien", "Bulgarien", "Ungern", "Polen", "Nigeria", "Thailand"];
        foreach (string country in countries)
        {
            await page.Keyboard.TypeAsync(country);
            await page.Keyboard.PressAsync("Enter");
        }

        // In the order chosen: the first citizenship is the one the national export counts.
        await Assertions.Expect(Chosen(page, "citizenship")).ToHaveTextAsync(countries[..5]);
        Assert.Equal(["RO", "BG", "HU", "PL", "NG"], await page.EvalOnSelectorAllAsync<string[]>("#f-person-citizenship-select option:checked", "os => os.map(o => o.value)"));
        await Assertions.Expect(page.Locator("#f-person-citizenship-field [role=status]")).ToHaveTextAsync("Du kan välja högst 5 länder.");
        await page.AssertNoAxeViolationsAsync("the citizenship at its limit (sv, 390 px)");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task The_pages_clock_is_the_servers_across_the_summer_time_changes()
    {
        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync("intake");
        string[] instants = ["2026-03-29T00:59:00Z", "2026-03-29T01:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z", "2026-12-07T23:30:00Z"];

        string[] shown = await page.EvaluateAsync<string[]>(
            "async instants => { const m = await import('/dashboard/dom.js'); return instants.flatMap(i => [m.localTime(i), m.localDate(i)]); }", instants);

        Assert.Equal(instants.SelectMany(i => { var t = DateTimeOffset.Parse(i, System.Globalization.CultureInfo.InvariantCulture); return new[] { LocalTime.Format(t), LocalTime.FormatDate(t) }; }), shown);
    }

    static ILocator Chosen(IPage page, string field) => page.Locator($"#f-person-{field}-field .chosen li > span");

    static async Task FillRequiredFieldsAsync(IPage page)
    {
        await page.FillAsync("#f-apiKey", TestHost.PartnerKey);
        await page.SelectOptionAsync("#f-municipality", "bjuv");
        await page.FillAsync("#f-observedAt", DateTime.Now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await page.CheckAsync("#f-placeType");
        await page.CheckAsync("#f-suspicion");
        await page.FillAsync("#f-description", "Choices test report.");
        await page.CheckAsync("#f-policeNotified-false");
    }
}
