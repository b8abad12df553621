using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Referrals;
using Helsingborg.Statistics;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Helsingborg.Tests.Statistics;

/// <summary>The referral figures computed from the known set of <see cref="ReferralFiguresSeed"/>, without a host.</summary>
public sealed class ReferralReportTests
{
    const string Shelter = "womens-shelter";
    const string Housing = "helsingborgshem";
    const string Gone = "figures-gone";

    static readonly ReferralTable Known = ReferralReport.Build(
        ReferralFiguresSeed.Rows(Shelter, Housing, Gone).Where(r => r.SentAt.Year == ReferralFiguresSeed.Year),
        TestProfiles.Helsingborg);

    static ReferralFigures Item(string organisation, SupportKind kind) => Known.Items.Single(i => i.Organisation == organisation && i.Kind == kind);

    static ReferralFigures Organisation(string organisation) => Known.Organisations.Single(o => o.Organisation == organisation);

    static (long Sent, long Accepted, long Declined, long Completed, long Expired, long Cancelled, long Awaiting) Counts(ReferralFigures f) =>
        (f.Sent, f.Accepted, f.Declined, f.Completed, f.Expired, f.Cancelled, f.AwaitingAnswer);

    [Fact]
    public void Figures_by_organisation_and_kind_count_each_status_of_a_known_set()
    {
        Assert.Equal([(Housing, SupportKind.Accommodation), (Shelter, SupportKind.Accommodation), (Shelter, SupportKind.Psychological), (Gone, SupportKind.Other)],
            Known.Items.Select(i => (i.Organisation, i.Kind!.Value)));
        Assert.Equal([Housing, Shelter, Gone], Known.Organisations.Select(o => o.Organisation));
        Assert.All(Known.Organisations.Append(Known.Total), o => Assert.Null(o.Kind));

        Assert.Equal((6, 2, 1, 1, 2, 1, 1), Counts(Item(Shelter, SupportKind.Psychological)));
        Assert.Equal((2, 2, 0, 1, 0, 0, 0), Counts(Item(Shelter, SupportKind.Accommodation)));
        Assert.Equal((8, 4, 1, 2, 2, 1, 1), Counts(Organisation(Shelter)));
        Assert.Equal((5, 0, 5, 0, 0, 0, 0), Counts(Item(Housing, SupportKind.Accommodation)));
        Assert.Equal((1, 0, 0, 0, 0, 0, 1), Counts(Item(Gone, SupportKind.Other)));
        Assert.Equal((14, 4, 6, 2, 2, 1, 2), Counts(Known.Total));
        Assert.Equal(ReferralReport.Total, Known.Total.Organisation);
    }

    [Fact]
    public void The_median_answer_time_is_over_answered_referrals_and_the_shares_are_of_those_sent()
    {
        // Answered after 10, 30 and 2 hours; the expired, awaiting and cancelled ones were never answered.
        Assert.Equal(TimeSpan.FromHours(10), Item(Shelter, SupportKind.Psychological).MedianAnswerTime);
        Assert.Equal(TimeSpan.FromHours(6), Item(Shelter, SupportKind.Accommodation).MedianAnswerTime);
        Assert.Equal(TimeSpan.FromHours(8), Organisation(Shelter).MedianAnswerTime);
        Assert.Equal(TimeSpan.FromHours(3), Item(Housing, SupportKind.Accommodation).MedianAnswerTime);
        Assert.Null(Item(Gone, SupportKind.Other).MedianAnswerTime);
        Assert.Equal(TimeSpan.FromHours(4), Known.Total.MedianAnswerTime);

        Assert.Equal(1.0 / 6, Item(Shelter, SupportKind.Psychological).DeclinedShare);
        Assert.Equal(2.0 / 6, Item(Shelter, SupportKind.Psychological).ExpiredShare);
        Assert.Equal(1.0, Item(Housing, SupportKind.Accommodation).DeclinedShare);
        Assert.Equal(0.0, Item(Housing, SupportKind.Accommodation).ExpiredShare);
        Assert.Equal(6.0 / 14, Known.Total.DeclinedShare);
        Assert.Null(ReferralReport.Figures("x", null, []).DeclinedShare);
    }

    [Theory]
    [InlineData(new double[] { }, null)]
    [InlineData(new double[] { 5 }, 5.0)]
    [InlineData(new double[] { 30, 1, 2 }, 2.0)]
    [InlineData(new double[] { 8, 1, 4, 30 }, 6.0)]
    public void The_median_is_the_middle_value_or_the_mean_of_the_middle_two(double[] hours, double? expected) =>
        Assert.Equal(expected, ReferralReport.Median([.. hours.Select(TimeSpan.FromHours)])?.TotalHours);

    [Fact]
    public void A_median_or_share_is_left_out_when_a_count_it_comes_from_is_suppressed()
    {
        ReferralFigures psychological = Item(Shelter, SupportKind.Psychological);
        Assert.Null(ReferralReport.ShowMedianHours(psychological, 5));
        Assert.Equal(10.0, ReferralReport.ShowMedianHours(psychological, 0));
        Assert.Null(ReferralReport.ShowShare(psychological.DeclinedShare, psychological.Declined, psychological.Sent, 5));
        Assert.Equal(0.1667, ReferralReport.ShowShare(psychological.DeclinedShare, psychological.Declined, psychological.Sent, 0));

        // Accepted 4 and declined 1 are small, but the median is taken over five answers.
        Assert.Equal(8.0, ReferralReport.ShowMedianHours(Organisation(Shelter), 5));
        ReferralFigures housing = Item(Housing, SupportKind.Accommodation);
        Assert.Equal(1.0, ReferralReport.ShowShare(housing.DeclinedShare, housing.Declined, housing.Sent, 5));
        Assert.Equal(0.0, ReferralReport.ShowShare(housing.ExpiredShare, housing.Expired, housing.Sent, 5));
        ReferralFigures accommodation = Item(Shelter, SupportKind.Accommodation);
        Assert.Null(ReferralReport.ShowShare(accommodation.ExpiredShare, accommodation.Expired, accommodation.Sent, 5));
    }

    [Fact]
    public void The_referral_csv_is_utf8_with_bom_semicolons_and_crlf_names_organisations_by_the_profile_and_suppresses_small_numbers()
    {
        byte[] csv = StatisticsCsv.WriteReferrals(Known, 5, english: false, TestProfiles.Helsingborg);

        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        string text = Encoding.UTF8.GetString(csv[3..]);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        string[] lines = text.Split("\r\n");
        Assert.Equal(
        [
            "mottagande organisation;insats;skickade;accepterade;avböjda;slutförda;utgångna;avbrutna;väntar på svar;median svarstid (timmar);andel avböjda (%);andel utgångna (%)",
            "Helsingborgshem;Boende;5;0;5;0;0;0;0;3,0;100,0;0,0",
            "Helsingborgshem;Alla insatser;5;0;5;0;0;0;0;3,0;100,0;0,0",
            "Helsingborgs Kvinnojour;Boende;<5;<5;0;<5;0;0;0;;;",
            "Helsingborgs Kvinnojour;Psykologiskt stöd;6;<5;<5;<5;<5;<5;<5;;;",
            "Helsingborgs Kvinnojour;Alla insatser;8;<5;<5;<5;<5;<5;<5;8,0;;",
            "figures-gone;Annat stöd;<5;0;0;0;0;0;<5;;;",
            "figures-gone;Alla insatser;<5;0;0;0;0;0;<5;;;",
            "Totalt;Alla insatser;14;<5;6;<5;<5;<5;<5;4,0;42,9;",
            string.Empty,
        ], lines);

        string english = Encoding.UTF8.GetString(StatisticsCsv.WriteReferrals(Known, 0, english: true, TestProfiles.Helsingborg)[3..]);
        Assert.StartsWith("organisation;kind;sent;accepted;declined;completed;expired;cancelled;awaitingAnswer;medianAnswerHours;declinedPercent;expiredPercent\r\n", english, StringComparison.Ordinal);
        Assert.Contains("\r\nHelsingborg women's shelter;Psychological support;6;2;1;1;2;1;1;10,0;16,7;33,3\r\n", english, StringComparison.Ordinal);
        Assert.EndsWith("\r\nTotal;All kinds;14;4;6;2;2;1;2;4,0;42,9;14,3\r\n", english, StringComparison.Ordinal);
    }
}

/// <summary>
/// A host whose city profile has two receiving organisations of its own (so no other test's referrals mix in) and a
/// partner key for one of them, with the known referrals of <see cref="ReferralFiguresSeed"/> written to its store.
/// </summary>
public sealed class ReferralFiguresHost : IAsyncLifetime
{
    public const string Shelter = "figures-shelter";
    public const string Housing = "figures-housing";
    public const string Gone = "figures-gone";
    public const string ShelterKey = "figures-shelter-partner-key";

    public TestHost Host { get; private set; } = null!;

    public IReadOnlyList<ReferralRow> Seeded { get; } = ReferralFiguresSeed.Rows(Shelter, Housing, Gone);

    public async Task InitializeAsync()
    {
        Host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            // Indices past the profile's own organisations and the sample's keys: the binder appends them.
            ["City:Organisations:90:Id"] = Shelter,
            ["City:Organisations:90:NameSv"] = "Figurjouren",
            ["City:Organisations:90:NameEn"] = "The figures shelter",
            ["City:Organisations:90:Roles:0"] = "partner",
            ["City:Organisations:91:Id"] = Housing,
            ["City:Organisations:91:NameSv"] = "Figurbostäder",
            ["City:Organisations:91:NameEn"] = "Figures housing",
            ["City:Organisations:91:Roles:0"] = "partner",
            ["ApiKeys:90:Id"] = ShelterKey,
            ["ApiKeys:90:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ShelterKey))),
            ["ApiKeys:90:Organisation"] = Shelter,
            ["ApiKeys:90:Roles:0"] = "partner",
        });
        await ReferralFiguresSeed.WriteAsync(Host.Services, Seeded);
    }

    public async Task DisposeAsync()
    {
        await ReferralFiguresSeed.DeleteAsync(Host.Services, Seeded);
        await Host.DisposeAsync();
    }
}

/// <summary>Issue 14, item 5: the referral figures through <c>GET /api/statistics?view=referrals</c>, its CSV and the statistics page.</summary>
public sealed class ReferralFiguresApiTests(ReferralFiguresHost fixture) : IClassFixture<ReferralFiguresHost>
{
    const string Year = "from=2013-01-01&to=2013-12-31";
    const string Shelter = ReferralFiguresHost.Shelter;
    const string Housing = ReferralFiguresHost.Housing;

    TestHost Host => fixture.Host;

    static JsonElement Item(JsonElement report, string organisation, string kind) =>
        report.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("organisation").GetString() == organisation && i.GetProperty("kind").GetString() == kind);

    static JsonElement OrganisationRow(JsonElement report, string organisation) =>
        report.GetProperty("organisations").EnumerateArray().Single(i => i.GetProperty("organisation").GetString() == organisation);

    static string[] Counts(JsonElement row) =>
        [.. new[] { "sent", "accepted", "declined", "completed", "expired", "cancelled", "awaitingAnswer" }.Select(f => row.GetProperty(f).ToString())];

    [Fact]
    public async Task Referral_figures_are_the_known_referrals_by_receiving_organisation_and_kind_named_by_the_city_profile()
    {
        JsonElement report = await Host.GetJsonAsync($"api/statistics?view=referrals&{Year}");

        Assert.Equal("referrals", report.GetProperty("view").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("suppressedBelow").ValueKind);
        Assert.Equal([(Shelter, "accommodation"), (Shelter, "psychological"), (Housing, "accommodation"), (ReferralFiguresHost.Gone, "other")],
            report.GetProperty("items").EnumerateArray().Select(i => (i.GetProperty("organisation").GetString()!, i.GetProperty("kind").GetString()!)));
        JsonElement psychological = Item(report, Shelter, "psychological");
        Assert.Equal(["6", "2", "1", "1", "2", "1", "1"], Counts(psychological));
        Assert.Equal("Figurjouren", psychological.GetProperty("label").GetString());
        Assert.Equal("Psykologiskt stöd", psychological.GetProperty("kindLabel").GetString());
        Assert.Equal(10.0, psychological.GetProperty("medianAnswerHours").GetDouble());
        Assert.Equal(0.1667, psychological.GetProperty("declinedShare").GetDouble());
        Assert.Equal(0.3333, psychological.GetProperty("expiredShare").GetDouble());
        Assert.Equal(6.0, Item(report, Shelter, "accommodation").GetProperty("medianAnswerHours").GetDouble());

        JsonElement shelter = OrganisationRow(report, Shelter);
        Assert.Equal(JsonValueKind.Null, shelter.GetProperty("kind").ValueKind);
        Assert.Equal(["8", "4", "1", "2", "2", "1", "1"], Counts(shelter));
        Assert.Equal(8.0, shelter.GetProperty("medianAnswerHours").GetDouble());
        Assert.Equal(1.0, OrganisationRow(report, Housing).GetProperty("declinedShare").GetDouble());
        Assert.Equal(ReferralFiguresHost.Gone, OrganisationRow(report, ReferralFiguresHost.Gone).GetProperty("label").GetString());
        Assert.Equal(JsonValueKind.Null, OrganisationRow(report, ReferralFiguresHost.Gone).GetProperty("medianAnswerHours").ValueKind);

        // The referrals sent a second before and on the first second after the year are not in it.
        JsonElement total = report.GetProperty("total");
        Assert.Equal(["14", "4", "6", "2", "2", "1", "2"], Counts(total));
        Assert.Equal(4.0, total.GetProperty("medianAnswerHours").GetDouble());
        Assert.Equal("Totalt", total.GetProperty("label").GetString());

        JsonElement english = await Host.GetJsonAsync($"api/statistics?view=referrals&{Year}&lang=en");
        Assert.Equal("The figures shelter", Item(english, Shelter, "psychological").GetProperty("label").GetString());
        Assert.Equal("Psychological support", Item(english, Shelter, "psychological").GetProperty("kindLabel").GetString());
        Assert.Equal("All kinds", english.GetProperty("total").GetProperty("kindLabel").GetString());

        JsonElement lastDay = await Host.GetJsonAsync("api/statistics?view=referrals&from=2012-12-31&to=2012-12-31");
        Assert.Equal(["1", "0", "1", "0", "0", "0", "0"], Counts(OrganisationRow(lastDay, Housing)));
    }

    [Fact]
    public async Task The_statistics_role_and_the_csv_see_small_counts_suppressed_and_no_median_or_share_that_would_give_them_away()
    {
        JsonElement report = await Host.GetJsonAsync($"api/statistics?view=referrals&{Year}", TestHost.StatisticsKey);

        Assert.Equal(5, report.GetProperty("suppressedBelow").GetInt32());
        JsonElement psychological = Item(report, Shelter, "psychological");
        Assert.Equal(["6", "<5", "<5", "<5", "<5", "<5", "<5"], Counts(psychological));
        Assert.Equal(JsonValueKind.Null, psychological.GetProperty("medianAnswerHours").ValueKind);
        Assert.Equal(JsonValueKind.Null, psychological.GetProperty("declinedShare").ValueKind);
        Assert.Equal(JsonValueKind.Null, psychological.GetProperty("expiredShare").ValueKind);
        JsonElement housing = Item(report, Housing, "accommodation");
        Assert.Equal(["5", "0", "5", "0", "0", "0", "0"], Counts(housing));
        Assert.Equal(3.0, housing.GetProperty("medianAnswerHours").GetDouble());
        Assert.Equal(1.0, housing.GetProperty("declinedShare").GetDouble());
        Assert.Equal(0.0, housing.GetProperty("expiredShare").GetDouble());

        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/statistics?view=referrals&{Year}&format=csv", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("statistik-2013-01-01-2013-12-31-referrals.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        string[] lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.StartsWith("mottagande organisation;insats;skickade;", lines[0], StringComparison.Ordinal);
        Assert.Equal(
        [
            "Figurjouren;Boende;<5;<5;0;<5;0;0;0;;;",
            "Figurjouren;Psykologiskt stöd;6;<5;<5;<5;<5;<5;<5;;;",
            "Figurjouren;Alla insatser;8;<5;<5;<5;<5;<5;<5;8,0;;",
            "Figurbostäder;Boende;5;0;5;0;0;0;0;3,0;100,0;0,0",
            "Figurbostäder;Alla insatser;5;0;5;0;0;0;0;3,0;100,0;0,0",
            "figures-gone;Annat stöd;<5;0;0;0;0;0;<5;;;",
            "figures-gone;Alla insatser;<5;0;0;0;0;0;<5;;;",
            "Totalt;Alla insatser;14;<5;6;<5;<5;<5;<5;4,0;42,9;",
            string.Empty,
        ], lines[1..]);
    }

    [Fact]
    public async Task An_unknown_view_and_a_groupBy_with_the_referrals_view_are_refused_by_field()
    {
        using HttpResponseMessage unknown = await Host.SendAsync(HttpMethod.Get, "api/statistics?view=cases", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(["view"], JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));

        using HttpResponseMessage grouped = await Host.SendAsync(HttpMethod.Get, "api/statistics?view=referrals&groupBy=month", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, grouped.StatusCode);
        Assert.Equal(["groupBy"], JsonDocument.Parse(await grouped.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));

        using HttpResponseMessage partner = await Host.SendAsync(HttpMethod.Get, "api/statistics?view=referrals", ReferralFiguresHost.ShelterKey);
        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);

        JsonElement figures = await Host.GetJsonAsync("api/statistics?view=figures&from=2013-01-01&to=2013-01-31");
        Assert.Equal("figures", figures.GetProperty("view").GetString());
        Assert.Equal("month", figures.GetProperty("groupBy").GetString());
    }

    [Fact]
    public async Task Erasing_a_case_when_the_person_withdraws_consent_leaves_its_referral_figures_and_rows_as_they_were()
    {
        // Led by the Salvation Army on the person's consent, so that withdrawal erases.
        const string key = TestHost.SalvationArmyKey;
        var canaries = Intakes.Canaries.New();
        string caseId = await Host.CaseInShortTermSupportAsync(canaries.Intake(), wantsAuthorityContact: "no", readKey: key);
        await Host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Shelter, fields = new[] { "alias", "need" } }, key);
        string completed = await ReferAsync(caseId, 1, canaries.Note, key);
        string declined = await ReferAsync(caseId, 2, canaries.Note, key);
        await AnswerAsync(completed, "accept");
        await Host.WaitForCaseAsync(caseId, c => Status(c, completed) == "accepted", "the first referral accepted", key: key);
        await AnswerAsync(completed, "complete");
        await AnswerAsync(declined, "decline", new { reason = "person-declined" });
        await Host.WaitForCaseAsync(caseId, c => Status(c, completed) == "completed" && Status(c, declined) == "declined", "both referrals answered", key: key);

        DateOnly today = DateOnly.FromDateTime(DateTime.UtcNow);
        string period = $"from={today.AddDays(-1):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        List<JsonElement> before = [];
        await Poll.UntilAsync(async () =>
        {
            before = await ShelterFiguresAsync(period);
            return before.Count == 2 && before.All(r => r.GetProperty("completed").GetInt32() == 1 && r.GetProperty("declined").GetInt32() == 1);
        }, TimeSpan.FromSeconds(60), "the answers in the figures");
        Assert.All(before, r => Assert.Equal(["2", "1", "1", "1", "0", "0", "0"], Counts(r)));
        Assert.All(before, r => Assert.Equal(JsonValueKind.Number, r.GetProperty("medianAnswerHours").ValueKind));
        var store = Host.Services.GetRequiredService<ReferralStore>();
        List<ReferralRow> rowsBefore = [.. (await store.ListAsync(Shelter)).Where(r => r.CaseId == caseId).OrderBy(r => r.ReferralId, StringComparer.Ordinal)];
        Assert.Equal(2, rowsBefore.Count);

        await Host.RecordAsync(caseId, new { type = "consent-withdrawn" }, key);
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("erased").GetBoolean(), "the case erased", key: key);

        Assert.Equal(before.Select(r => r.GetRawText()), (await ShelterFiguresAsync(period)).Select(r => r.GetRawText()));
        List<ReferralRow> rowsAfter = [.. (await store.ListAsync(Shelter)).Where(r => r.CaseId == caseId).OrderBy(r => r.ReferralId, StringComparer.Ordinal)];
        // The rows keep every figure; only the mark that the person's consent is gone (which closed the inbox at once) is new.
        Assert.Equal(rowsBefore, rowsAfter.Select(r => r with { ConsentWithdrawnAt = null }));
        Assert.All(rowsAfter, r => Assert.NotNull(r.ConsentWithdrawnAt));
        Assert.DoesNotContain(rowsAfter.Select(r => r.ToString()), row => canaries.All.Any(c => row.Contains(c, StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public async Task The_statistics_page_shows_the_referral_figures_in_a_captioned_table_in_swedish_and_english()
    {
        await using BrowserSession browser = await Browser.OpenAsync(Host.Client.BaseAddress!);
        IPage page = browser.Page;
        await page.GotoAsync($"statistics?{Year}");
        await page.FillAsync("#api-key", TestHost.StatisticsKey);
        await page.ClickAsync("#key-form button[type=submit]");
        await page.WaitForSelectorAsync("body[data-loaded=\"true\"]", new() { Timeout = 20_000 });

        await page.AssertNoAxeViolationsAsync("the statistics page with referral figures");
        Assert.Equal("Remisser per mottagande organisation och insats, skickade 2013-01-01–2013-12-31", await page.Locator("#referrals caption").TextContentAsync());
        Assert.Equal(12, await page.Locator("#referrals thead th[scope=col]").CountAsync());
        Assert.Equal(8, await page.Locator("#referrals tbody tr").CountAsync());
        Assert.Equal(2, await page.Locator("#referrals tbody tr").First.Locator("th[scope=row]").CountAsync());
        Assert.True(await page.Locator("#no-referrals").IsHiddenAsync());
        ILocator housing = page.Locator($"#referrals tr[data-organisation=\"{Housing}\"][data-kind=\"accommodation\"]");
        Assert.Equal(["Figurbostäder", "Boende"], await housing.Locator("th").AllTextContentsAsync());
        Assert.Equal("5", await housing.Locator("td[data-figure=declined]").TextContentAsync());
        Assert.Equal("3,0", await housing.Locator("td[data-figure=medianAnswerHours]").TextContentAsync());
        Assert.Equal("100,0 %", Normalised(await housing.Locator("td[data-figure=declinedShare]").TextContentAsync()));
        ILocator psychological = page.Locator($"#referrals tr[data-organisation=\"{Shelter}\"][data-kind=\"psychological\"]");
        Assert.Equal("<5", await psychological.Locator("td[data-figure=accepted]").TextContentAsync());
        Assert.Equal("–", await psychological.Locator("td[data-figure=medianAnswerHours]").TextContentAsync());
        Assert.Equal(["Totalt", "Alla insatser"], await page.Locator("#referrals tbody tr").Last.Locator("th").AllTextContentsAsync());

        // The referral CSV is fetched with the key and handed to the browser as a download of its own.
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#referrals-csv"));
        using (var bytes = new MemoryStream())
        {
            await (await download.CreateReadStreamAsync())!.CopyToAsync(bytes);
            byte[] csv = bytes.ToArray();
            Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
            string text = Encoding.UTF8.GetString(csv[3..]);
            Assert.StartsWith("mottagande organisation;", text, StringComparison.Ordinal);
            Assert.Contains("\r\nFigurbostäder;Boende;5;0;5;", text, StringComparison.Ordinal);
        }

        await page.GotoAsync($"statistics?lang=en&{Year}");
        await page.WaitForSelectorAsync("body[data-loaded=\"true\"]", new() { Timeout = 20_000 });
        await page.AssertNoAxeViolationsAsync("the statistics page with referral figures, in English");
        Assert.Equal("Referrals by receiving organisation and support kind, sent 2013-01-01–2013-12-31", await page.Locator("#referrals caption").TextContentAsync());
        Assert.Equal(["The figures shelter", "Psychological support"], await page.Locator($"#referrals tr[data-organisation=\"{Shelter}\"][data-kind=\"psychological\"] th").AllTextContentsAsync());
        Assert.Equal("100.0%", Normalised(await page.Locator($"#referrals tr[data-organisation=\"{Housing}\"][data-kind=\"accommodation\"] td[data-figure=declinedShare]").TextContentAsync()));

        await page.GotoAsync("statistics?from=2012-06-01&to=2012-06-30");
        await page.WaitForSelectorAsync("body[data-loaded=\"true\"]", new() { Timeout = 20_000 });
        Assert.True(await page.Locator("#referrals").IsHiddenAsync());
        Assert.Equal("Inga remisser skickades under perioden.", await page.Locator("#no-referrals").TextContentAsync());
        Assert.Empty(browser.Errors);
    }

    static string Normalised(string? text) => (text ?? string.Empty).Replace('\u00A0', ' ').Replace('\u202F', ' ');

    static string? Status(JsonElement caseJson, string referralId) =>
        caseJson.GetProperty("referrals").EnumerateArray().FirstOrDefault(r => r.GetProperty("referralId").GetString() == referralId) is { ValueKind: JsonValueKind.Object } r
            ? r.GetProperty("status").GetString()
            : null;

    async Task<string> ReferAsync(string caseId, int count, string note, string key = TestHost.CoordinatorKey)
    {
        await Host.RecordAsync(caseId, new { type = "referral-sent", organisation = Shelter, kind = "psychological", due = DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"), note }, key);
        JsonElement withReferral = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals").GetArrayLength() == count, $"referral {count} on the case", key: key);
        return withReferral.GetProperty("referrals")[count - 1].GetProperty("referralId").GetString()!;
    }

    async Task AnswerAsync(string referralId, string answer, object? body = null)
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/{answer}", ReferralFiguresHost.ShelterKey, body);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    /// <summary>The shelter's rows of the referral figures of a period (its kind, then all its kinds), as the API writes them.</summary>
    async Task<List<JsonElement>> ShelterFiguresAsync(string period)
    {
        JsonElement report = await Host.GetJsonAsync($"api/statistics?view=referrals&{period}");
        return [.. report.GetProperty("items").EnumerateArray().Concat(report.GetProperty("organisations").EnumerateArray())
            .Where(i => i.GetProperty("organisation").GetString() == Shelter)
            .Select(i => i.Clone())];
    }
}
