using System.Net;
using System.Text;
using System.Text.Json;
using Helsingborg.Outreach;
using Helsingborg.Reminders;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Statistics;

/// <summary>The known 2019 figures of <see cref="StatisticsSeed"/>, written once to the shared host's store.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class StatisticsApiTests(SharedHost fixture) : IAsyncLifetime
{
    const string Year = "from=2019-01-01&to=2019-12-31";
    TestHost Host => fixture.Host;

    public Task InitializeAsync() => fixture.OnceAsync(nameof(StatisticsApiTests), async host =>
    {
        await StatisticsSeed.SeedAsync(host.Services, 2019);
        return true;
    });

    public Task DisposeAsync() => Task.CompletedTask;

    static JsonElement Group(JsonElement report, string group) =>
        report.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("group").GetString() == group);

    static long N(JsonElement row, string field) => row.GetProperty(field).GetInt64();

    [Fact]
    public async Task Figures_by_month_add_up_the_known_cases_and_sessions()
    {
        JsonElement report = await Host.GetJsonAsync($"api/statistics?{Year}&groupBy=month");
        Assert.Equal(12, report.GetProperty("items").GetArrayLength());

        JsonElement january = Group(report, "2019-01");
        Assert.Equal(2, N(january, "incidentsReported"));
        Assert.Equal(1, N(january, "personsDocumented"));
        Assert.Equal(3, N(january, "supportConversations"));
        Assert.Equal(3, N(january, "supportGiven"));
        Assert.Equal(2, january.GetProperty("supportGivenByKind").GetProperty("accommodation").GetInt64());
        Assert.Equal(1, january.GetProperty("supportGivenByKind").GetProperty("medical").GetInt64());
        Assert.Equal(1, N(january, "outreachSessions"));
        Assert.Equal(40, N(january, "adsReviewed"));
        Assert.Equal(10, N(january, "contactsAttempted"));
        Assert.Equal(2, N(january, "supportAccepted"));
        Assert.Equal(1, january.GetProperty("casesClosedByReason").GetProperty("stable").GetInt64());
        Assert.Equal(0, N(january, "returns"));

        JsonElement february = Group(report, "2019-02");
        Assert.Equal(1, N(february, "returns"));
        Assert.Equal(1, february.GetProperty("casesClosedByReason").GetProperty("returned").GetInt64());
        Assert.Equal(1, N(february, "outreachIntakes"));
        Assert.Equal(5, N(Group(report, "2019-04"), "supportConversations"));
        Assert.Equal(30, N(Group(report, "2019-05"), "adsReviewed"));
        Assert.Equal(0, N(Group(report, "2019-12"), "incidentsReported"));

        JsonElement total = report.GetProperty("total");
        Assert.Equal(4, N(total, "incidentsReported"));
        Assert.Equal(3, N(total, "personsDocumented"));
        Assert.Equal(9, N(total, "supportConversations"));
        Assert.Equal(2, N(total, "outreachSessions"));
    }

    [Fact]
    public async Task Figures_by_quarter_partner_and_municipality_regroup_the_same_facts()
    {
        JsonElement quarters = await Host.GetJsonAsync($"api/statistics?{Year}&groupBy=quarter");
        Assert.Equal(["2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4"], quarters.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("group").GetString()));
        Assert.Equal(3, N(Group(quarters, "2019-Q1"), "incidentsReported"));
        Assert.Equal(4, N(Group(quarters, "2019-Q1"), "supportGiven"));
        Assert.Equal(1, N(Group(quarters, "2019-Q2"), "incidentsReported"));
        Assert.Equal(1, N(Group(quarters, "2019-Q2"), "outreachSessions"));

        JsonElement partners = await Host.GetJsonAsync($"api/statistics?{Year}&groupBy=partner");
        // Outreach is an activity, not a partner: its sessions form their own row, and a report made during one is its partner's.
        Assert.Equal(["hotel-group", "outreach", "police", "salvation-army"], partners.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("group").GetString()));
        Assert.Equal(0, N(Group(partners, "outreach"), "incidentsReported"));
        Assert.Equal(1, N(Group(partners, "salvation-army"), "incidentsReported"));
        Assert.Equal(1, N(Group(partners, "salvation-army"), "outreachIntakes"));
        Assert.Equal(1, N(Group(partners, "hotel-group"), "outreachIntakes"));
        Assert.Equal(2, N(Group(partners, "hotel-group"), "incidentsReported"));
        Assert.Equal(4, N(Group(partners, "hotel-group"), "supportConversations"));
        Assert.Equal(1, N(Group(partners, "police"), "incidentsReported"));
        Assert.Equal(0, N(Group(partners, "police"), "personsDocumented"));
        Assert.Equal(2, N(Group(partners, "outreach"), "outreachSessions"));
        Assert.Equal(70, N(Group(partners, "outreach"), "adsReviewed"));
        Assert.Equal(16, N(Group(partners, "outreach"), "contactsAttempted"));
        Assert.Equal(3, N(Group(partners, "outreach"), "supportAccepted"));

        JsonElement municipalities = await Host.GetJsonAsync($"api/statistics?{Year}&groupBy=municipality");
        Assert.Equal(["helsingborg", "landskrona", "outreach"], municipalities.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("group").GetString()));
        Assert.Equal(8, N(Group(municipalities, "helsingborg"), "supportConversations"));
        Assert.Equal(2, N(Group(municipalities, "landskrona"), "incidentsReported"));
        Assert.Equal(1, N(Group(municipalities, "landskrona"), "returns"));
    }

    [Fact]
    public async Task A_period_that_starts_and_ends_inside_months_counts_only_the_days_inside()
    {
        JsonElement report = await Host.GetJsonAsync("api/statistics?from=2019-01-15&to=2019-02-10&groupBy=month");
        Assert.Equal(1, N(Group(report, "2019-01"), "incidentsReported"));
        Assert.Equal(0, N(Group(report, "2019-01"), "personsDocumented"));
        Assert.Equal(1, N(Group(report, "2019-01"), "outreachSessions"));
        Assert.Equal(1, N(Group(report, "2019-02"), "incidentsReported"));
    }

    [Fact]
    public async Task The_statistics_role_sees_small_numbers_suppressed_and_coordinators_see_them()
    {
        JsonElement statistics = await Host.GetJsonAsync($"api/statistics?{Year}&groupBy=month", TestHost.StatisticsKey);
        JsonElement january = Group(statistics, "2019-01");
        Assert.Equal(5, statistics.GetProperty("suppressedBelow").GetInt32());
        Assert.Equal("<5", january.GetProperty("incidentsReported").GetString());
        Assert.Equal("<5", january.GetProperty("supportGivenByKind").GetProperty("accommodation").GetString());
        Assert.Equal(40, N(january, "adsReviewed"));
        Assert.Equal(0, N(Group(statistics, "2019-03"), "incidentsReported"));
        Assert.Equal(5, N(Group(statistics, "2019-04"), "supportConversations"));

        JsonElement coordinator = await Host.GetJsonAsync($"api/statistics?{Year}&groupBy=month");
        Assert.Equal(2, N(Group(coordinator, "2019-01"), "incidentsReported"));
    }

    [Fact]
    public async Task The_csv_export_suppresses_small_numbers_for_every_role_and_opens_in_swedish_excel()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/statistics?{Year}&groupBy=partner&format=csv", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.ToString());
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        string[] lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.StartsWith("samverkanspart;incidentrapporter;", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("Helsingborg hotellgrupp;<5;<5;<5;<5;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Frälsningsarmén;<5;<5;5;", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Internetuppsök (aktivitet);0;0;0;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Statistics_refuse_partners_and_bad_parameters_by_field()
    {
        using HttpResponseMessage partner = await Host.SendAsync(HttpMethod.Get, "api/statistics", TestHost.PartnerKey);
        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);
        using HttpResponseMessage bad = await Host.SendAsync(HttpMethod.Get, "api/statistics?from=2019-13-01&groupBy=week&format=xml", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        JsonElement errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("from", out _));
        Assert.True(errors.TryGetProperty("groupBy", out _));
        Assert.True(errors.TryGetProperty("format", out _));
    }

    [Fact]
    public async Task An_outreach_session_is_recorded_listed_and_named_by_an_intake()
    {
        string heldOn = DateTimeOffset.UtcNow.AddDays(-3).ToString("yyyy-MM-dd");
        using HttpResponseMessage created = await Host.SendAsync(HttpMethod.Post, "api/outreach-sessions", TestHost.CoordinatorKey,
            new { heldOn, adsReviewed = 25, contactsAttempted = 8, responses = 3, supportAccepted = 1, participants = new[] { "salvation-army", "city" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        string sessionId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("sessionId").GetString()!;

        JsonElement list = await Host.GetJsonAsync($"api/outreach-sessions?from={heldOn}&to={heldOn}");
        JsonElement item = list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("sessionId").GetString() == sessionId);
        Assert.Equal(25, item.GetProperty("adsReviewed").GetInt32());
        Assert.Equal(["salvation-army", "city"], item.GetProperty("participants").EnumerateArray().Select(p => p.GetString()));

        using HttpResponseMessage statisticsRole = await Host.SendAsync(HttpMethod.Post, "api/outreach-sessions", TestHost.StatisticsKey, new { heldOn });
        Assert.Equal(HttpStatusCode.Forbidden, statisticsRole.StatusCode);

        var intake = JsonSerializer.SerializeToNode(Intakes.Valid(municipality: "perstorp"))!.AsObject();
        intake["outreachSessionId"] = "o_" + new string('0', 26);
        using HttpResponseMessage unknown = await Host.SendAsync(HttpMethod.Post, "api/intake", TestHost.PartnerKey, intake);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("outreachSessionId", await unknown.Content.ReadAsStringAsync());

        intake["outreachSessionId"] = sessionId;
        string caseId = await Host.SubmitIntakeAsync(intake);
        JsonElement found = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal(sessionId, found.GetProperty("incident").GetProperty("outreachSessionId").GetString());
        // The report made during outreach is the reporting partner's, linked to the session.
        Assert.Equal("hotel-group", found.GetProperty("reportedBy").GetString());
    }

    [Fact]
    public async Task The_outreach_reminder_is_created_once_on_thursdays_of_the_configured_week_parity()
    {
        var job = Host.Services.GetRequiredService<OutreachReminderJob>();
        var reminders = Host.Services.GetRequiredService<ReminderStore>();
        var evenThursday = new DateTimeOffset(2019, 11, 28, 7, 0, 0, TimeSpan.Zero); // ISO week 48
        var oddThursday = new DateTimeOffset(2019, 11, 21, 7, 0, 0, TimeSpan.Zero);  // ISO week 47

        Assert.True(await job.RunAsync(evenThursday));
        Assert.False(await job.RunAsync(evenThursday.AddMinutes(1)));
        Assert.False(await job.RunAsync(oddThursday));

        Reminder? created = await reminders.GetAsync(ReminderStore.IdOf(ReminderStore.OutreachPartition, ReminderKind.OutreachSession, evenThursday));
        Assert.NotNull(created);
        Assert.Null(created.CaseId);
        Assert.Null(created.Organisation);
        Assert.Null(await reminders.GetAsync(ReminderStore.IdOf(ReminderStore.OutreachPartition, ReminderKind.OutreachSession, oddThursday)));
    }

    [Fact]
    public async Task The_statistics_page_draws_the_monthly_charts_for_the_known_figures()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "statistics", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.Contains("<html lang=\"sv\">", await response.Content.ReadAsStringAsync());

        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync("statistics?from=2019-01-01&to=2019-12-31");
        await page.FillAsync("#api-key", TestHost.StatisticsKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await page.WaitForSelectorAsync("body[data-loaded=\"true\"]", new() { Timeout = 20_000 });

        Assert.Equal(4, await page.Locator("svg.chart").CountAsync());
        foreach (string figure in new[] { "incidentsReported", "personsDocumented", "supportConversations", "supportGiven" })
        {
            Assert.Equal(12, await page.Locator($"#chart-{figure} rect.bar").CountAsync());
        }

        string[] incidents = await page.Locator("#chart-incidentsReported rect.bar").EvaluateAllAsync<string[]>("rs => rs.map(r => r.getAttribute('data-value'))");
        Assert.Equal(["<5", "<5", "0", "<5", "0", "0", "0", "0", "0", "0", "0", "0"], incidents);
        Assert.Equal("5", await page.Locator("#chart-supportConversations rect.bar[data-group=\"2019-04\"]").GetAttributeAsync("data-value"));
        Assert.Equal("jan 19", await page.Locator("#chart-incidentsReported text.label").First.TextContentAsync());
        Assert.Equal(12, await page.Locator("#outreach tbody tr").CountAsync());

        // The key lives in sessionStorage: a reload draws again without asking.
        await page.ReloadAsync();
        await page.WaitForSelectorAsync("body[data-loaded=\"true\"]", new() { Timeout = 20_000 });

        // The CSV is fetched with the key and handed to the browser as a download.
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#csv"));
        // Bytes, not text: a reader drops the byte order mark, and a culture-aware StartsWith ignores it.
        using (var bytes = new MemoryStream())
        {
            await (await download.CreateReadStreamAsync())!.CopyToAsync(bytes);
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes.ToArray()[..3]);
        }

        await page.GotoAsync("statistics?lang=en");
        Assert.Equal("Statistics", await page.Locator("h1").TextContentAsync());
        Assert.Empty(browser.Errors);
    }
}
