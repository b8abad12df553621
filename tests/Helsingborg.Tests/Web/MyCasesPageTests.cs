using System.Text.Json;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Web;

/// <summary>
/// "Mina ärenden" in a real browser (issue 22, item 2): Anna takes a case with a handover note and sees it, with its
/// reminder first, where the dashboard opens; she hands it over to Erik, whose "Mina ärenden" then holds it; Erik releases
/// it to the unassigned cases. Every state is checked with axe, in Swedish.
/// </summary>
[Collection(PagesCollection.Name)]
public sealed class MyCasesPageTests(PagesHost fixture)
{
    static async Task SignInAsync(IPage page, string key)
    {
        await page.Locator("#api-key").WaitForAsync();
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#signin-submit");
    }

    static ILocator Row(IPage page, string caseId) => page.Locator($"#case-rows tr[data-case=\"{caseId}\"]");

    static async Task OpenMyCasesAsync(IPage page)
    {
        await page.GotoAsync("/");
        await page.Locator("#view-myCases[aria-current=page]").WaitForAsync();
        await page.Locator("#case-rows tr[data-case], #no-cases").First.WaitForAsync();
        await page.WaitForFunctionAsync("() => !document.getElementById('reminders').textContent.includes('…')");
    }

    [Fact]
    public async Task A_coordinator_takes_a_case_finds_it_in_her_cases_with_its_reminders_first_and_hands_it_over()
    {
        string caseId = await fixture.Host.SubmitIntakeAsync(Intakes.Valid(policeNotified: false, municipality: "bjuv"));
        await fixture.Host.WaitForCaseAsync(caseId, c => c.GetProperty("openReminders").GetArrayLength() > 0 && c.GetProperty("allowed").GetArrayLength() > 0, "the case and its call-police reminder");
        string handover = "Vill helst bli kontaktad på förmiddagen.";

        await using BrowserSession browser = await Browser.OpenAsync(fixture.BaseAddress, 390, 900);
        IPage page = browser.Page;
        await page.GotoAsync($"/#/case/{caseId}");
        await SignInAsync(page, TestHost.AnnaKey);
        await page.Locator("#case-worker[data-worker=\"\"]").WaitForAsync();
        await page.AssertNoAxeViolationsAsync("a case no one holds");

        await page.FillAsync("#worker-note", handover);
        await page.ClickAsync("#assign-me");
        await page.Locator($"#case-worker[data-worker=\"{TestHost.AnnaKey}\"]").WaitForAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#worker-status")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#case-worker")).ToContainTextAsync(TestHost.AnnaName);
        await Assertions.Expect(page.Locator("#timeline")).ToContainTextAsync(handover);
        await page.AssertNoAxeViolationsAsync("a case I hold");

        // The dashboard opens on my cases: my reminders first, then my cases, each naming me.
        await OpenMyCasesAsync(page);
        await Row(page, caseId).WaitForAsync();
        await Assertions.Expect(Row(page, caseId)).ToContainTextAsync(TestHost.AnnaName);
        ILocator reminder = page.Locator($"#reminders a[href=\"#/case/{caseId}\"]");
        await reminder.WaitForAsync();
        Assert.True(await page.EvaluateAsync<bool>(
            "() => !!(document.getElementById('reminders').compareDocumentPosition(document.getElementById('case-rows')) & Node.DOCUMENT_POSITION_FOLLOWING)"),
            "my reminders do not come before my cases");
        await page.AssertNoAxeViolationsAsync("my cases with a case and its reminder");

        await page.GotoAsync($"/#/case/{caseId}");
        await page.Locator("#worker-colleague").WaitForAsync();
        await page.SelectOptionAsync("#worker-colleague", TestHost.ErikKey);
        await page.ClickAsync("#hand-over");
        await page.Locator($"#case-worker[data-worker=\"{TestHost.ErikKey}\"]").WaitForAsync(new() { Timeout = 30_000 });

        await OpenMyCasesAsync(page);
        Assert.Equal(0, await Row(page, caseId).CountAsync());

        // Erik, of the same organisation, finds it as his.
        await page.ClickAsync("#sign-out");
        await SignInAsync(page, TestHost.ErikKey);
        await OpenMyCasesAsync(page);
        await Assertions.Expect(Row(page, caseId)).ToContainTextAsync(TestHost.ErikName);

        await page.ClickAsync($"#case-rows a[href=\"#/case/{caseId}\"]");
        await page.Locator("#release").WaitForAsync();
        await page.ClickAsync("#release");
        await page.Locator("#case-worker[data-worker=\"\"]").WaitForAsync(new() { Timeout = 30_000 });

        // The header's link loads the dashboard anew (on my cases): only then is its view link the new page's.
        await page.ClickAsync("#nav-cases");
        await page.WaitForURLAsync(url => !url.Contains("#/case/", StringComparison.Ordinal));
        await page.Locator("#view-myCases[aria-current=page]").WaitForAsync();
        await page.ClickAsync("#view-unassigned");
        await page.Locator("#view-unassigned[aria-current=page]").WaitForAsync();
        // The list is paged, and in a full run the shared host holds many unassigned cases: the next page is asked for
        // until the released case is on the list.
        await Poll.UntilAsync(async () =>
        {
            if (await Row(page, caseId).CountAsync() > 0)
            {
                return true;
            }

            ILocator more = page.Locator("#more");
            if (await more.IsVisibleAsync())
            {
                await more.ClickAsync();
            }

            return false;
        }, TimeSpan.FromSeconds(60), "the released case on the unassigned list");
        await page.AssertNoAxeViolationsAsync("the unassigned cases holding the released case");

        JsonElement timeline = await fixture.Host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("note").GetString() == handover);
        Assert.Empty(browser.Errors);
    }
}
