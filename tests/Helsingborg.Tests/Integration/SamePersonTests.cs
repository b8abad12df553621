using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using Helsingborg.Cases;
using Helsingborg.Lifecycle;
using Helsingborg.Persons;
using Helsingborg.Statistics;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// One person, many reports (issue 23, parts 2 and 3): coordinators link reports of one person, the case pages list each
/// other, the statistics count the person once, unlinking restores the persons, and a merge closes one report as merged.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class SamePersonTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static string[] Group(JsonElement c) => [.. c.GetProperty("samePerson").EnumerateArray().Select(r => r.GetProperty("caseId").GetString()!)];

    async Task<(string CaseId, string Reference)> ReportAsync(bool policeNotified = true)
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid(policeNotified: policeNotified));
        await Host.WaitForStartedAsync(caseId);
        JsonElement c = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("reference").ValueKind == JsonValueKind.String, "the case's reference");
        return (caseId, c.GetProperty("reference").GetString()!);
    }

    [Fact]
    public async Task Three_reports_of_one_person_linked_list_each_other_and_a_merge_closes_one_as_merged_with_its_reminders_done_and_referrals_cancelled()
    {
        // A: not yet told to the police (its call-police reminder is open) and referred to housing; B and C plain reports.
        (string a, _) = await ReportAsync(policeNotified: false);
        await Host.WaitForCaseAsync(a, c => c.GetProperty("openReminders").GetArrayLength() > 0, "the call-police reminder");
        await Host.RecordAsync(a, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await Host.RecordAsync(a, new { type = "sharing-consent-given", organisation = ReferralSetup.Receiver, fields = new[] { "alias", "need" }, purpose = "accommodation" });
        await Host.RecordAsync(a, new { type = "referral-sent", organisation = ReferralSetup.Receiver, kind = "accommodation", due = DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'") });
        await Host.WaitForCaseAsync(a, c => c.GetProperty("referrals").GetArrayLength() == 1, "the referral on A");
        (string b, string bReference) = await ReportAsync();
        (string c, string cReference) = await ReportAsync();

        // A–B by B's reference, B–C by C's reference: one group of three, through B.
        await Host.RecordAsync(a, new { type = "same-person-as", reference = bReference, note = "Same alias and phone as the report from the hotel." });
        await Host.RecordAsync(b, new { type = "same-person-as", reference = cReference });
        JsonElement caseA = await Host.WaitForCaseAsync(a, x => Group(x).Length == 2, "A to list B and C");
        JsonElement caseC = await Host.WaitForCaseAsync(c, x => Group(x).Length == 2, "C to list A and B");

        Assert.Equal(new[] { b, c }.Order(StringComparer.Ordinal), Group(caseA).Order(StringComparer.Ordinal));
        JsonElement listedB = caseA.GetProperty("samePerson").EnumerateArray().Single(r => r.GetProperty("caseId").GetString() == b);
        Assert.Equal(bReference, listedB.GetProperty("reference").GetString());
        Assert.Equal("hotel-group", listedB.GetProperty("reportedBy").GetString());
        Assert.Equal("first-contact", listedB.GetProperty("phase").GetString());
        Assert.True(listedB.GetProperty("linked").GetBoolean());
        Assert.False(caseA.GetProperty("samePerson").EnumerateArray().Single(r => r.GetProperty("caseId").GetString() == c).GetProperty("linked").GetBoolean());
        Assert.Contains(a, Group(caseC));
        Assert.Contains(b, Group(caseC));

        // Linking again, unlinking a link that is not direct, merging into a case outside the group: 409.
        using (HttpResponseMessage again = await Host.PostEventAsync(a, new { type = "same-person-as", reference = b }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        using (HttpResponseMessage indirect = await Host.PostEventAsync(a, new { type = "same-person-unlinked", reference = cReference }))
        {
            Assert.Equal(HttpStatusCode.Conflict, indirect.StatusCode);
        }

        (string stranger, string strangerReference) = await ReportAsync();
        using (HttpResponseMessage outside = await Host.PostEventAsync(a, new { type = "merged-into", reference = strangerReference }))
        {
            Assert.Equal(HttpStatusCode.Conflict, outside.StatusCode);
        }

        // A merges into C: it completes as merged, its call-police reminder is done and its referral cancelled.
        await Host.RecordAsync(a, new { type = "merged-into", reference = cReference });
        JsonElement merged = await Host.WaitForPhaseAsync(a, "completed");

        Assert.Equal("merged", merged.GetProperty("closeReason").GetString());
        Assert.Equal(c, merged.GetProperty("mergedInto").GetString());
        Assert.Equal(0, merged.GetProperty("openReminders").GetArrayLength());
        Assert.Equal("cancelled", merged.GetProperty("referrals")[0].GetProperty("status").GetString());
        Assert.Null(merged.GetProperty("evaluationOutcome").GetString());
        Assert.Empty(await Host.ListAllAsync("api/reminders", $"caseId={a}&status=open", TestHost.CoordinatorKey));
        JsonElement timeline = await Host.GetJsonAsync($"api/cases/{a}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "same-person-as" && i.GetProperty("note").GetString()!.StartsWith("Same alias", StringComparison.Ordinal));
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "merged-into" && !i.GetProperty("refused").GetBoolean());
        JsonElement survivor = await Host.GetJsonAsync($"api/cases/{c}");
        Assert.Equal("first-contact", survivor.GetProperty("phase").GetString());
        Assert.Contains(survivor.GetProperty("samePerson").EnumerateArray(), r => r.GetProperty("caseId").GetString() == a && r.GetProperty("closeReason").GetString() == "merged");

        // B–C removed: C stands alone, A and B stay one person.
        await Host.RecordAsync(c, new { type = "same-person-unlinked", reference = bReference });
        await Host.WaitForCaseAsync(c, x => Group(x).Length == 0, "C to stand alone");
        Assert.Equal([a], Group(await Host.GetJsonAsync($"api/cases/{b}")));
        Assert.Empty(Group(await Host.GetJsonAsync($"api/cases/{stranger}")));
    }

    [Fact]
    public async Task A_coordinator_who_may_not_see_a_case_cannot_link_to_it_and_learns_nothing_of_it()
    {
        (string hidden, string hiddenReference) = await ReportAsync();
        await Host.RecordAsync(hidden, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" });
        await Host.WaitForCaseAsync(hidden, c => c.GetProperty("lead").GetString() == "salvation-army", "the case led without the authorities", key: TestHost.SalvationArmyKey);
        (string mine, _) = await ReportAsync();

        using HttpResponseMessage hiddenCase = await Host.PostEventAsync(mine, new { type = "same-person-as", reference = hiddenReference });
        using HttpResponseMessage noCase = await Host.PostEventAsync(mine, new { type = "same-person-as", reference = "HBG-1999-9999" });
        using HttpResponseMessage itself = await Host.PostEventAsync(mine, new { type = "same-person-as", reference = mine });

        Assert.True(hiddenCase.StatusCode == HttpStatusCode.UnprocessableEntity, $"{(int)hiddenCase.StatusCode}: {await hiddenCase.Content.ReadAsStringAsync()}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noCase.StatusCode);
        static async Task<string> Errors(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").GetRawText();
        Assert.Equal(await Errors(noCase), await Errors(hiddenCase));
        Assert.Equal("application/problem+json", hiddenCase.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, itself.StatusCode);

        // The organisation that leads it may link it, and the case page of the coordinator who may not see it lists nothing of it.
        await Host.RecordAsync(hidden, new { type = "same-person-as", reference = mine }, TestHost.SalvationArmyKey);
        await Host.WaitForCaseAsync(mine, c => Group(c).Length == 1, "the link on the visible case", key: TestHost.SalvationArmyKey);
        Assert.Empty(Group(await Host.GetJsonAsync($"api/cases/{mine}")));
    }

    [Fact]
    public async Task Statistics_count_three_linked_reports_as_three_incidents_and_one_person_in_the_month_of_the_first_and_unlinking_restores_three()
    {
        var opened = new DateTimeOffset(2016, 5, 10, 9, 0, 0, TimeSpan.Zero);
        string municipality = "helsingborg";
        string[] cases = [
            await SeedReportAsync(municipality, opened),
            await SeedReportAsync(municipality, opened.AddDays(3)),
            await SeedReportAsync(municipality, opened.AddDays(40)),
        ];
        var links = fixture.Get<PersonLinkStore>();
        CaseState first = (await fixture.Get<CaseProjectionStore>().GetAsync(cases[0]))!.State!;
        CaseState second = (await fixture.Get<CaseProjectionStore>().GetAsync(cases[1]))!.State!;
        const string Period = "from=2016-01-01&to=2016-12-31&groupBy=month";
        try
        {
            JsonElement apart = await Host.GetJsonAsync($"api/statistics?{Period}");
            Assert.Equal(2, N(apart, "2016-05", "personsDocumented"));
            Assert.Equal(1, N(apart, "2016-06", "personsDocumented"));

            await links.ApplyAsync(first, [new PersonLinkChange(cases[1], Linked: true)]);
            await links.ApplyAsync(second, [new PersonLinkChange(cases[2], Linked: true)]);
            JsonElement linked = await Host.GetJsonAsync($"api/statistics?{Period}");

            Assert.Equal(3, linked.GetProperty("total").GetProperty("incidentsReported").GetInt64());
            Assert.Equal(1, linked.GetProperty("total").GetProperty("personsDocumented").GetInt64());
            Assert.Equal(1, N(linked, "2016-05", "personsDocumented"));
            Assert.Equal(0, N(linked, "2016-06", "personsDocumented"));
            Assert.Equal(1, N(linked, "2016-06", "incidentsReported"));

            // June alone: its report belongs to a person first reported in May, counted there.
            JsonElement june = await Host.GetJsonAsync("api/statistics?from=2016-06-01&to=2016-06-30&groupBy=month");
            Assert.Equal(0, june.GetProperty("total").GetProperty("personsDocumented").GetInt64());

            using HttpResponseMessage csv = await Host.SendAsync(HttpMethod.Get, $"api/statistics?{Period}&format=csv", TestHost.CoordinatorKey);
            string[] lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n");
            Assert.EndsWith(";anmärkning", lines[0], StringComparison.Ordinal);
            Assert.Contains("räknas en gång", lines[^2], StringComparison.Ordinal);

            await links.ApplyAsync(second, [new PersonLinkChange(cases[2], Linked: false)]);
            await links.ApplyAsync(first, [new PersonLinkChange(cases[1], Linked: false)]);
            JsonElement unlinked = await Host.GetJsonAsync($"api/statistics?{Period}");
            Assert.Equal(3, unlinked.GetProperty("total").GetProperty("personsDocumented").GetInt64());
        }
        finally
        {
            await links.ApplyAsync(first, [new PersonLinkChange(cases[1], Linked: false)]);
            await links.ApplyAsync(second, [new PersonLinkChange(cases[2], Linked: false)]);
            foreach ((string caseId, DateTimeOffset at) in cases.Zip([opened, opened.AddDays(3), opened.AddDays(40)]))
            {
                await fixture.Get<StatisticsStore>().SetAsync(caseId, at, "hotel-group", municipality, new Dictionary<string, long> { [CaseFigures.Incidents] = 0, [CaseFigures.Persons] = 0 });
            }
        }

        static long N(JsonElement report, string month, string figure) =>
            report.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("group").GetString() == month).GetProperty(figure).GetInt64();
    }

    /// <summary>A report of a described person in the year the test keeps to itself: its projection and its intake's persons counter.</summary>
    async Task<string> SeedReportAsync(string municipality, DateTimeOffset openedAt)
    {
        string caseId = await fixture.SeedAsync(municipality, openedAt);
        TableClient cases = fixture.Get<CaseStorage>().Table(CaseStorage.CasesTable);
        await cases.UpsertEntityAsync(new TableEntity(caseId, CaseProjectionStore.RowKey(caseId)) { ["PersonDocumented"] = true }, TableUpdateMode.Merge);
        await fixture.Get<StatisticsStore>().SetAsync(caseId, openedAt, "hotel-group", municipality, new Dictionary<string, long> { [CaseFigures.Persons] = 1 });
        return caseId;
    }
}
