using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helsingborg.Outreach;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Tests.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Outreach;

/// <summary>
/// The outreach page in a real browser: a coordinator follows the Thursday reminder to it and records a session; a
/// partner reporting during that session names it in the form; the statistics count the report as made during
/// outreach. The partner is the intake host's own organisation, so its statistics row holds only this test's report.
/// </summary>
[Collection(IntakeHostCollection.Name)]
public sealed class OutreachPageTests(IntakeHost fixture)
{
    TestHost Host => fixture.Host;

    [Fact]
    public async Task A_coordinator_records_a_session_from_the_reminder_a_partner_names_it_and_the_statistics_count_the_report()
    {
        // The reminder of the last session Thursday (created once per day; an earlier run's may be there already).
        var job = Host.Services.GetRequiredService<OutreachReminderJob>();
        string parity = Host.Services.GetRequiredService<IOptionsMonitor<OutreachOptions>>().CurrentValue.WeekParity;
        DateOnly thursday = DateOnly.FromDateTime(DateTime.UtcNow);
        while (!OutreachReminderJob.IsSessionDay(thursday, parity))
        {
            thursday = thursday.AddDays(-1);
        }

        await job.RunAsync(new DateTimeOffset(thursday.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero));

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync("/");
        await page.FillAsync("#api-key", TestHost.CoordinatorKey);
        await page.ClickAsync("#signin-submit");
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Uppsökande arbete" })).ToHaveAttributeAsync("href", "/outreach");
        ILocator toOutreach = page.GetByRole(AriaRole.Link, new() { Name = "Registrera uppsökstillfället" }).First;
        await toOutreach.ClickAsync();
        await page.WaitForURLAsync("**/outreach");
        await page.Locator("#session-list, #no-sessions").First.WaitForAsync();

        string today = LocalTime.FormatDate(DateTimeOffset.UtcNow);
        Assert.Equal(today, await page.InputValueAsync("#o-heldOn"));
        await page.GetByLabel("Uppsök på gatan").CheckAsync();
        await page.GetByLabel("Testpartner").CheckAsync();
        await page.FillAsync("#o-adsReviewed", "12");
        await page.FillAsync("#o-contactsAttempted", "5");
        await page.FillAsync("#o-responses", "2");
        await page.FillAsync("#o-supportAccepted", "1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Spara uppsökstillfället" }).ClickAsync();
        await Assertions.Expect(page.Locator("#form-status")).ToHaveTextAsync("Uppsökstillfället är sparat.");
        ILocator row = page.Locator("#session-list tbody tr", new() { HasText = "Testpartner" }).First;
        await Assertions.Expect(row).ToContainTextAsync("Uppsök på gatan");
        string sessionId = (await row.GetAttributeAsync("data-session"))!;
        Assert.Matches("^o_[0-9a-z]{26}$", sessionId);

        // The partner's form offers the session by its date and type.
        await page.GotoAsync("intake");
        await page.FillAsync("#f-apiKey", fixture.Key);
        await page.Keyboard.PressAsync("Tab");
        ILocator session = page.GetByLabel("Gjordes rapporten under ett uppsökstillfälle?");
        await Assertions.Expect(session).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#f-outreachSessionId option[value=\"{sessionId}\"]")).ToHaveTextAsync($"{today}, uppsök på gatan");
        await session.SelectOptionAsync(sessionId);
        await page.SelectOptionAsync("#f-municipality", "bjuv");
        await page.FillAsync("#f-observedAt", DateTime.Now.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.CheckAsync("#f-placeType-online");
        await page.CheckAsync("#f-suspicion");
        await page.FillAsync("#f-description", "Outreach page test report.");
        await page.CheckAsync("#f-policeNotified-false");
        await page.ClickAsync("#submit");
        await Assertions.Expect(page.Locator("#receipt-title")).ToBeFocusedAsync();
        string caseId = (await page.Locator("#case-reference").GetAttributeAsync("data-case-id"))!;
        Assert.Empty(browser.Errors);

        JsonElement found = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal(sessionId, found.GetProperty("incident").GetProperty("outreachSessionId").GetString());
        string day = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        long outreachIntakes = 0;
        await Poll.UntilAsync(async () =>
        {
            JsonElement partners = await Host.GetJsonAsync($"api/statistics?from={day}&to={day}&groupBy=partner");
            JsonElement? mine = partners.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(i => i!.Value.GetProperty("group").GetString() == fixture.Organisation);
            outreachIntakes = mine?.GetProperty("outreachIntakes").GetInt64() ?? 0;
            return outreachIntakes == 1;
        }, TimeSpan.FromSeconds(30), "the statistics to count the report made during outreach");
        Assert.Equal(1, outreachIntakes);
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public async Task The_outreach_page_asking_for_a_key_with_errors_and_with_its_list_meets_WCAG_21_AA_at_390px(string lang)
    {
        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!, 390, 844);
        IPage page = browser.Page;
        await page.GotoAsync(lang == "en" ? "outreach?lang=en" : "outreach");
        await Assertions.Expect(page.Locator("#api-key")).ToBeFocusedAsync();
        await page.AssertNoAxeViolationsAsync($"the outreach page asking for a key ({lang})");

        await page.Keyboard.TypeAsync(TestHost.CoordinatorKey);
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("#session-list, #no-sessions").First.WaitForAsync();
        await page.AssertNoAxeViolationsAsync($"the outreach page with its list ({lang})");

        // No organisation ticked and more responses than contacts: both named in the summary, which takes focus.
        await page.FillAsync("#o-responses", "3");
        await page.ClickAsync("#session-submit");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#o-participants-error")).ToBeVisibleAsync();
        Assert.Equal("true", await page.GetAttributeAsync("#o-responses", "aria-invalid"));
        await page.AssertNoAxeViolationsAsync($"the outreach page with errors ({lang})");
        Assert.Empty(browser.Errors);
    }

    [Fact]
    public async Task A_recording_retried_with_its_Idempotency_Key_records_one_session()
    {
        string heldOn = DateTimeOffset.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        string key = Guid.NewGuid().ToString("N");
        var body = new { heldOn, type = "internet", adsReviewed = 7, contactsAttempted = 2, responses = 1, supportAccepted = 0, participants = new[] { "salvation-army" } };

        async Task<string> RecordAsync()
        {
            using HttpRequestMessage request = Host.Request(HttpMethod.Post, "api/outreach-sessions", TestHost.CoordinatorKey);
            request.Headers.Add("Idempotency-Key", key);
            request.Content = JsonContent.Create(body);
            using HttpResponseMessage response = await Host.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetString()!;
        }

        string[] ids = await Task.WhenAll(RecordAsync(), RecordAsync(), RecordAsync());

        Assert.Single(ids.Distinct());
        JsonElement list = await Host.GetJsonAsync($"api/outreach-sessions?from={heldOn}&to={heldOn}");
        Assert.Single(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("sessionId").GetString() == ids[0]);
    }

    [Fact]
    public async Task A_partner_lists_only_the_recent_sessions_by_id_date_and_type()
    {
        string old = DateTimeOffset.UtcNow.AddDays(-30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using HttpResponseMessage created = await Host.SendAsync(HttpMethod.Post, "api/outreach-sessions", TestHost.CoordinatorKey,
            new { heldOn = old, type = "street", adsReviewed = 1, contactsAttempted = 1, responses = 0, supportAccepted = 0, participants = new[] { "salvation-army" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string oldId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetString()!;

        JsonElement recent = await Host.GetJsonAsync("api/outreach-sessions/recent", fixture.Key);
        Assert.DoesNotContain(recent.GetProperty("items").EnumerateArray(), i => i.GetProperty("sessionId").GetString() == oldId);
        Assert.All(recent.GetProperty("items").EnumerateArray(), i => Assert.Equal(["sessionId", "heldOn", "type"], i.EnumerateObject().Select(p => p.Name)));

        using HttpResponseMessage wrongType = await Host.SendAsync(HttpMethod.Post, "api/outreach-sessions", TestHost.CoordinatorKey,
            new { heldOn = old, type = "phone", adsReviewed = 1, contactsAttempted = 1, responses = 0, supportAccepted = 0, participants = new[] { "salvation-army" } });
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Contains("\"type\"", await wrongType.Content.ReadAsStringAsync());

        using HttpResponseMessage statistics = await Host.SendAsync(HttpMethod.Get, "api/outreach-sessions/recent", TestHost.StatisticsKey);
        Assert.Equal(HttpStatusCode.Forbidden, statistics.StatusCode);
    }
}
