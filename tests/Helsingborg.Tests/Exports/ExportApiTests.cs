using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Helsingborg.Exports;
using Helsingborg.Lifecycle;
using Helsingborg.Statistics;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Tests.Lifecycle;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Exports;

/// <summary>
/// The known cases of <see cref="ExportSeed"/> counted through the store the intake uses, and their statistics, plus
/// one case of the same year counted in the statistics only (as one registered before the export), written once to
/// the shared host's store.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ExportApiTests(SharedHost fixture) : IAsyncLifetime
{
    const string Year = "from=2011-01-01&to=2011-12-31";
    TestHost Host => fixture.Host;

    IReadOnlyList<string> caseIds = [];

    public async Task InitializeAsync() => caseIds = await fixture.OnceAsync(nameof(ExportApiTests), SeedAsync);

    public Task DisposeAsync() => Task.CompletedTask;

    static async Task<IReadOnlyList<string>> SeedAsync(TestHost host)
    {
        var facts = host.Services.GetRequiredService<ExportFactsStore>();
        var statistics = host.Services.GetRequiredService<StatisticsStore>();
        var caseIds = new List<string>();
        foreach (ExportCase c in ExportSeed.Known)
        {
            string caseId = Cases.CaseIds.New();
            var at = new DateTimeOffset(c.Year, c.Month, 15, 12, 0, 0, TimeSpan.Zero);
            await facts.AddAsync(caseId, at, c.Facts);
            await statistics.SetAsync(caseId, at, "hotel-group", "bjuv", CaseFigures.FromIntake(c.Facts.PersonDocumented, null));
            caseIds.Add(caseId);
        }

        await statistics.SetAsync(Cases.CaseIds.New(), new DateTimeOffset(ExportSeed.Year, 12, 1, 8, 0, 0, TimeSpan.Zero), "hotel-group", "bjuv", CaseFigures.FromIntake(true, null));
        return caseIds;
    }

    static IEnumerable<JsonElement> Records(JsonElement export) => export.GetProperty("records").EnumerateArray();

    static string QuasiIdentifiers(JsonElement record) =>
        string.Join('|', ExportRecord.QuasiIdentifierColumns.Select(c => record.GetProperty(c).GetRawText()));

    [Fact]
    public async Task The_export_of_a_year_codes_every_case_to_htcds_and_protects_its_small_groups()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{Year}", TestHost.StatisticsKey);
        string body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        JsonElement export = JsonDocument.Parse(body).RootElement;

        Assert.Equal(("2011-01-01", "2011-12-31", "HTCDS 2.0", 5), (export.GetProperty("from").GetString(), export.GetProperty("to").GetString(), export.GetProperty("standard").GetString(), export.GetProperty("minGroupSize").GetInt32()));
        Assert.Equal((13, 10, 5, 3, 1), (export.GetProperty("cases").GetInt32(), export.GetProperty("exported").GetInt32(), export.GetProperty("generalised").GetInt32(),
            export.GetProperty("suppressed").GetInt32(), export.GetProperty("casesWithoutFacts").GetInt32()));
        Assert.Equal(ExportRecord.QuasiIdentifierColumns, export.GetProperty("quasiIdentifiers").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(10, Records(export).Count());
        Assert.All(Records(export), r => Assert.Equal(ExportRecord.Columns, r.EnumerateObject().Select(p => p.Name)));
        Assert.All(Records(export).GroupBy(QuasiIdentifiers), g => Assert.True(g.Count() >= 5, $"{g.Key} occurs {g.Count()} times"));

        JsonElement closed = Records(export).First(r => r.GetProperty("reasonForCaseClosure").GetString() == "stable");
        Assert.Equal(
            """{"registrationYear":2011,"registrationMonth":3,"ageBroad":"18--20","majorityStatus":"Adult","gender":"Feminine","citizenship":"RO","suspicion":"both","traffickingStatus":"PossibleVictimOfTrafficking","typeOfExploitation":"SexualExploitation","referralSource":"ngo","referringOrganisationType":"NGO","personDocumented":true,"supportGiven":["accommodation","medical"],"supportPlanTypes":["Health","SocialCare"],"caseStatus":"Closed","reasonForCaseClosure":"stable","returned":false,"personGroup":null}""",
            closed.GetRawText());
        Assert.Equal(5, Records(export).Count(r => r.GetProperty("citizenship").GetString() == "NG" && r.GetProperty("registrationMonth").ValueKind == JsonValueKind.Null));

        // Nothing that points back to a case: no id, no day.
        Assert.DoesNotContain(caseIds, id => body.Contains(id, StringComparison.Ordinal));
        Assert.DoesNotContain("caseId", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("2011-03-15", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_of_some_months_exports_the_cases_registered_in_them()
    {
        JsonElement march = await Host.GetJsonAsync("api/exports/cases?from=2011-03-01&to=2011-03-31", TestHost.AdminKey);
        Assert.Equal((5, 5, 0, 0), (march.GetProperty("cases").GetInt32(), march.GetProperty("exported").GetInt32(), march.GetProperty("generalised").GetInt32(), march.GetProperty("suppressed").GetInt32()));
        Assert.All(Records(march), r => Assert.Equal(3, r.GetProperty("registrationMonth").GetInt32()));

        JsonElement summer = await Host.GetJsonAsync("api/exports/cases?from=2011-04-01&to=2011-08-31", TestHost.StatisticsKey);
        Assert.Equal((5, 5, 5, 0), (summer.GetProperty("cases").GetInt32(), summer.GetProperty("exported").GetInt32(), summer.GetProperty("generalised").GetInt32(), summer.GetProperty("suppressed").GetInt32()));
        Assert.All(Records(summer), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("registrationMonth").ValueKind));

        JsonElement empty = await Host.GetJsonAsync("api/exports/cases?from=2011-09-01&to=2011-11-30", TestHost.StatisticsKey);
        Assert.Equal((3, 0, 3), (empty.GetProperty("cases").GetInt32(), empty.GetProperty("exported").GetInt32(), empty.GetProperty("suppressed").GetInt32()));
    }

    [Fact]
    public async Task The_csv_opens_in_swedish_excel_and_carries_its_counts_in_headers()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{Year}&format=csv", TestHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(["13"], response.Headers.GetValues("Export-Cases"));
        Assert.Equal(["10"], response.Headers.GetValues("Export-Exported"));
        Assert.Equal(["5"], response.Headers.GetValues("Export-Generalised"));
        Assert.Equal(["3"], response.Headers.GetValues("Export-Suppressed"));
        Assert.Equal(["5"], response.Headers.GetValues("Export-Min-Group-Size"));
        Assert.Equal(["1"], response.Headers.GetValues("Export-Cases-Without-Facts"));

        byte[] bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        string[] lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal(string.Join(';', ExportRecord.Columns), lines[0]);
        Assert.Equal(12, lines.Length);
        Assert.Contains("2011;3;18--20;Adult;Feminine;RO;both;PossibleVictimOfTrafficking;SexualExploitation;ngo;NGO;true;accommodation,medical;Health,SocialCare;Closed;stable;false;", lines);
    }

    [Fact]
    public async Task Only_the_statistics_and_admin_roles_may_export()
    {
        using (HttpResponseMessage anonymous = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{Year}", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        foreach (string key in new[] { TestHost.PartnerKey, TestHost.CoordinatorKey, TestHost.SalvationArmyKey, "demo-partner-housing" })
        {
            using HttpResponseMessage refused = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{Year}", key);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("records", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (string key in new[] { TestHost.StatisticsKey, TestHost.AdminKey })
        {
            using HttpResponseMessage allowed = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{Year}", key);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
    }

    [Theory]
    [InlineData("from=2011-13-01", "from")]
    [InlineData("from=yesterday&to=2011-12-31", "from")]
    [InlineData("from=2011-03-15&to=2011-12-31", "from")]
    [InlineData("from=2011-01-01&to=2011-02-30", "to")]
    [InlineData("from=2011-01-01&to=2011-03-30", "to")]
    [InlineData("from=2011-05-01&to=2011-04-30", "to")]
    [InlineData("from=2011-01-01&to=2031-12-31", "to")]
    [InlineData("from=1999-01-01&to=1999-12-31", "from")]
    [InlineData("from=2011-01-01&to=2011-12-31&format=xml", "format")]
    [InlineData("from=2011-01-01&to=2011-12-31&format=%3Cscript%3E", "format")]
    public async Task Bad_parameters_are_refused_by_field(string query, string field)
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{query}", TestHost.StatisticsKey);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.DoesNotContain("<script>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("yesterday", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_is_counted_once_follows_its_outcome_and_loses_its_link_at_erasure_while_its_facts_stay_counted()
    {
        var store = Host.Services.GetRequiredService<ExportFactsStore>();
        var opened = new DateTimeOffset(2012, 1, 10, 9, 0, 0, TimeSpan.Zero);
        string caseId = Cases.CaseIds.New();
        CaseState state = CaseDecider.Open(new IntakeFacts(caseId, "bjuv", "hotel-group", opened, true, false), TestProfiles.HelsingborgPolicy).State;
        CaseFacts facts = ExportSeed.Facts(citizenship: "TV");

        await store.AddAsync(caseId, opened, facts.WithOutcome(state));
        await store.AddAsync(caseId, opened, facts.WithOutcome(state));
        async Task<string> Counted() => Assert.Single(await store.ReadAsync("2012-01", "2012-01")).Facts.Key;
        Assert.Equal("v1|ngo|both|1|18--20|female|TV|active|-|0|-", await Counted());
        Assert.True(await store.IsLinkedAsync(caseId, opened));

        // Led by the Salvation Army on the person's consent, so that withdrawal erases.
        state = state.Then(CaseEventType.ContactMade, opened.AddDays(1))
            .Then<LeadChanged>(opened.AddDays(1).AddHours(1), e => e with { Lead = "salvation-army" })
            .Then<SupportGiven>(opened.AddDays(2), e => e with { Kind = SupportKind.Material });
        await store.ProjectAsync(state);
        await store.ProjectAsync(state);
        Assert.Equal("v1|ngo|both|1|18--20|female|TV|active|-|0|material", await Counted());

        state = state.Then(CaseEventType.ConsentWithdrawn, opened.AddDays(3));
        await store.ProjectAsync(state);
        Assert.Equal("v1|ngo|both|1|18--20|female|TV|closed|consent-withdrawn|0|material", await Counted());
        Assert.False(await store.IsLinkedAsync(caseId, opened));

        // Nothing brings the link back or counts the case again: a repeated step, a repeated intake, retention.
        await store.ProjectAsync(state.Then(CaseEventType.EvaluationRecorded, opened.AddDays(4)));
        await store.AddAsync(caseId, opened, facts.WithOutcome(state));
        await store.UnlinkAsync(caseId, opened);
        Assert.Equal("v1|ngo|both|1|18--20|female|TV|closed|consent-withdrawn|0|material", await Counted());
        Assert.False(await store.IsLinkedAsync(caseId, opened));

        // What is left of the case in the month is its marker, without data, and a pool without its id.
        TableClient table = Host.Services.GetRequiredService<CaseStorage>().Table(CaseStorage.ExportFactsTable);
        List<TableEntity> rows = [.. table.Query<TableEntity>(e => e.PartitionKey == "2012-01")];
        Assert.Equal([ExportFactsStore.MarkerRowKey(caseId), ExportFactsStore.PoolPrefix], rows.Select(r => r.RowKey.StartsWith(ExportFactsStore.PoolPrefix, StringComparison.Ordinal) ? ExportFactsStore.PoolPrefix : r.RowKey).Order());
        Assert.DoesNotContain(rows, r => r.RowKey.StartsWith(ExportFactsStore.PoolPrefix, StringComparison.Ordinal) && r.Any(p => p.Value?.ToString()?.Contains(caseId, StringComparison.Ordinal) == true));
        Assert.Empty(rows.Single(r => r.RowKey == ExportFactsStore.MarkerRowKey(caseId)).Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag"]));
    }
}
