using System.Text;
using Helsingborg.Outreach;
using Helsingborg.Statistics;

namespace Helsingborg.Tests.Statistics;

[Trait("Category", "Unit")]
public sealed class StatisticsReportTests
{
    static FigureRow Row(string month, string partner, string municipality, long incidents) =>
        new(month, partner, municipality, null, new Dictionary<string, long> { [CaseFigures.Incidents] = incidents });

    [Fact]
    public void A_period_reads_whole_months_from_month_aggregates_and_edge_months_from_day_aggregates()
    {
        var (whole, partial) = StatisticsReport.Months(new DateOnly(2025, 1, 15), new DateOnly(2025, 4, 10));
        Assert.Equal(["2025-02", "2025-03"], whole);
        Assert.Equal(2, partial.Count);
        Assert.Equal(("2025-01", 15, 31), partial[0]);
        Assert.Equal(("2025-04", 1, 10), partial[1]);
    }

    [Fact]
    public void Grouping_by_quarter_lists_every_quarter_and_adds_up_its_months()
    {
        var groups = StatisticsReport.Build(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), GroupBy.Quarter,
            [Row("2025-01", "police", "bjuv", 2), Row("2025-03", "police", "bjuv", 3), Row("2025-11", "city", "bjuv", 1)], []);
        Assert.Equal(["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"], groups.Select(g => g.Group));
        Assert.Equal([5L, 0, 0, 1], groups.Select(g => g[CaseFigures.Incidents]));
    }

    [Fact]
    public void Outreach_sessions_form_the_outreach_group_when_grouped_by_municipality()
    {
        var session = new OutreachSession("o_1", new DateOnly(2025, 2, 6), 10, 5, 2, 1, ["salvation-army", "city"], default, "t");
        var groups = StatisticsReport.Build(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31), GroupBy.Municipality, [Row("2025-01", "police", "bjuv", 2)], [session]);
        Assert.Equal(["bjuv", "outreach"], groups.Select(g => g.Group));
        Assert.Equal(10, groups[1][StatisticsReport.Ads]);
        Assert.Equal(1, groups[1][StatisticsReport.Sessions]);
    }

    [Theory]
    [InlineData(0, 5, 0L)]
    [InlineData(1, 5, "<5")]
    [InlineData(4, 5, "<5")]
    [InlineData(5, 5, 5L)]
    [InlineData(3, 0, 3L)]
    public void Counts_from_one_below_the_threshold_are_suppressed(long value, int below, object expected) =>
        Assert.Equal(expected, StatisticsReport.Show(value, below));

    [Fact]
    public void The_csv_is_utf8_with_bom_semicolons_and_crlf_with_suppressed_small_numbers()
    {
        var groups = StatisticsReport.Build(new DateOnly(2025, 1, 1), new DateOnly(2025, 2, 28), GroupBy.Month, [Row("2025-01", "police", "bjuv", 3), Row("2025-02", "police", "bjuv", 7)], []);
        byte[] csv = StatisticsCsv.Write(groups, StatisticsReport.Total(groups), GroupBy.Month, 5, english: false, Infrastructure.TestProfiles.Helsingborg);

        Assert.Equal(Encoding.UTF8.GetPreamble(), csv[..3]);
        string text = Encoding.UTF8.GetString(csv[3..]);
        string[] lines = text.Split("\r\n");
        Assert.Equal(5, lines.Length); // header, two months, total, and the empty rest after the last CRLF
        Assert.Equal(string.Empty, lines[^1]);
        Assert.DoesNotContain("\n", text.Replace("\r\n", string.Empty));
        Assert.StartsWith("månad;incidentrapporter;möjligt utsatta personer;", lines[0]);
        Assert.StartsWith("2025-01 (januari);<5;0;", lines[1]);
        Assert.StartsWith("2025-02 (februari);7;0;", lines[2]);
        Assert.StartsWith("Totalt;10;", lines[3]);
        Assert.All(lines[..^1], l => Assert.Equal(lines[0].Count(c => c == ';'), l.Count(c => c == ';')));
    }

    [Theory]
    [InlineData("2026-11-26", "even", true)]  // ISO week 48
    [InlineData("2026-11-26", "odd", false)]
    [InlineData("2026-11-19", "odd", true)]   // ISO week 47
    [InlineData("2026-11-25", "even", false)] // a Wednesday
    public void Outreach_falls_on_thursdays_of_the_configured_iso_week_parity(string day, string parity, bool expected) =>
        Assert.Equal(expected, OutreachReminderJob.IsSessionDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), parity));

    [Theory]
    [InlineData("""{"heldOn":"2026-01-08","adsReviewed":10,"contactsAttempted":5,"responses":6,"supportAccepted":1,"participants":["salvation-army"]}""", "responses")]
    [InlineData("""{"heldOn":"2026-01-08","adsReviewed":10,"contactsAttempted":5,"responses":2,"supportAccepted":3,"participants":["salvation-army"]}""", "supportAccepted")]
    [InlineData("""{"heldOn":"2026-01-08","adsReviewed":-1,"contactsAttempted":5,"responses":2,"supportAccepted":1,"participants":["salvation-army"]}""", "adsReviewed")]
    [InlineData("""{"heldOn":"2026-01-08","adsReviewed":1,"contactsAttempted":5,"responses":2,"supportAccepted":1,"participants":["Anna Andersson"]}""", "participants")]
    [InlineData("""{"heldOn":"2099-01-08","adsReviewed":1,"contactsAttempted":5,"responses":2,"supportAccepted":1,"participants":["salvation-army"]}""", "heldOn")]
    [InlineData("""{"heldOn":"2026-01-08","adsReviewed":1,"contactsAttempted":5,"responses":2,"supportAccepted":1,"participants":["salvation-army"],"names":"x"}""", "names")]
    public void An_outreach_session_with_inconsistent_figures_or_names_is_refused_by_field(string json, string field)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var (session, errors) = OutreachHandler.Validate(doc.RootElement, new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero), "k", Infrastructure.TestProfiles.Helsingborg);
        Assert.Null(session);
        Assert.Equal([field], errors.Keys);
        Assert.DoesNotContain("Anna", string.Join(" ", errors.Values.SelectMany(v => v)));
    }
}
