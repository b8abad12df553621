using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Helsingborg.Exports;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Exports;

/// <summary>
/// Real cases through intake and their orchestrations: erasure and retention leave the export as it was and cut the
/// cases' links to their facts; nothing personal reaches the export or its stored facts. Other tests' cases share
/// the month, so these cases are told apart by citizenships no other test uses (Tuvalu, Nauru).
/// </summary>
[Collection(Retention.RetentionSweeps.Name)]
public sealed class ExportLifecycleTests(Retention.SweepingHost fixture)
{
    TestHost Host => fixture.Host;

    ExportFactsStore Store => Host.Services.GetRequiredService<ExportFactsStore>();

    /// <summary>From the first day of last month (a run may cross a month's end) to the last day of this one.</summary>
    static string Period()
    {
        DateTime now = DateTime.UtcNow;
        var first = new DateOnly(now.Year, now.Month, 1).AddMonths(-1);
        var last = new DateOnly(now.Year, now.Month, 1).AddMonths(1).AddDays(-1);
        return $"from={first:yyyy-MM-dd}&to={last:yyyy-MM-dd}";
    }

    static object Intake(int age, string gender, string citizenship, string suspicion) => new
    {
        municipality = "klippan",
        observedAt = DateTimeOffset.UtcNow.AddHours(-2).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"),
        placeType = "apartment",
        suspicion,
        description = "Two people seen at the address at night.",
        policeNotified = true,
        person = new { estimatedAge = age, gender, citizenship = new[] { citizenship } },
    };

    async Task<List<string>> RecordsOfAsync(params string[] citizenships)
    {
        JsonElement export = await Host.GetJsonAsync($"api/exports/cases?{Period()}", TestHost.StatisticsKey);
        return [.. export.GetProperty("records").EnumerateArray().Where(r => citizenships.Contains(r.GetProperty("citizenship").GetString())).Select(r => r.GetRawText()).Order(StringComparer.Ordinal)];
    }

    async Task<DateTimeOffset> OpenedAtAsync(string caseId, string key = TestHost.CoordinatorKey) => (await Host.GetJsonAsync($"api/cases/{caseId}", key)).GetProperty("openedAt").GetDateTimeOffset();

    async Task UntilUnlinkedAsync(string caseId, string key = TestHost.CoordinatorKey)
    {
        DateTimeOffset opened = await OpenedAtAsync(caseId, key);
        await Poll.UntilAsync(async () => !await Store.IsLinkedAsync(caseId, opened), TimeSpan.FromSeconds(60), "the case's link to its export facts to be cut");
    }

    [Fact]
    public async Task Consent_withdrawal_and_the_retention_sweep_cut_the_cases_links_and_leave_the_export_unchanged()
    {
        // Led by the Salvation Army on the persons' consent: withdrawal erases, and the sweep culls two seconds after completion.
        const string key = TestHost.SalvationArmyKey;
        var durable = Host.Services.GetRequiredService<DurableTaskClient>();
        string[] helped = [await Host.SubmitIntakeAsync(Intake(37, "female", "TV", "both")), await Host.SubmitIntakeAsync(Intake(37, "female", "TV", "both"))];
        string[] moved = [await Host.SubmitIntakeAsync(Intake(52, "male", "NR", "trafficking")), await Host.SubmitIntakeAsync(Intake(52, "male", "NR", "trafficking"))];
        foreach (string id in helped.Concat(moved))
        {
            await Host.WaitForPhaseAsync(id, "first-contact", key: key);
            await Host.RecordAsync(id, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" });
            await Host.WaitForPhaseAsync(id, "short-term-support", key: key);
        }

        foreach (string id in helped)
        {
            await Host.RecordAsync(id, new { type = "support-given", kind = "accommodation" }, key);
            await Host.WaitForCaseAsync(id, c => c.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("accommodation", out _), "support to count", key: key);
            await Host.RecordAsync(id, new { type = "case-closed", reason = "stable" }, key);
            await Host.WaitForPhaseAsync(id, "closed", key: key);
            await Host.RecordAsync(id, new { type = "evaluation-recorded", outcome = "helped" }, key);
            await Host.WaitForPhaseAsync(id, "completed", key: key);
        }

        foreach (string id in moved)
        {
            await Host.RecordAsync(id, new { type = "case-closed", reason = "moved" }, key);
            await Host.WaitForPhaseAsync(id, "closed", key: key);
        }

        // The projection writes the export facts right after the case's row: wait until they show the outcome.
        List<string> before = [];
        await Poll.UntilAsync(async () =>
        {
            before = await RecordsOfAsync("TV", "NR");
            return before.Count(r => r.Contains("\"reasonForCaseClosure\":\"stable\"", StringComparison.Ordinal)) == 2
                && before.Count(r => r.Contains("\"reasonForCaseClosure\":\"moved\"", StringComparison.Ordinal)) == 2;
        }, TimeSpan.FromSeconds(60), "the export to show the four outcomes");
        Assert.Equal(4, before.Count);
        JsonElement tuvalu = JsonDocument.Parse(before.First(r => r.Contains("\"TV\"", StringComparison.Ordinal))).RootElement;
        Assert.Equal(("30--38", "Feminine", "private-sector", "Closed"), (tuvalu.GetProperty("ageBroad").GetString(), tuvalu.GetProperty("gender").GetString(),
            tuvalu.GetProperty("referralSource").GetString(), tuvalu.GetProperty("caseStatus").GetString()));
        Assert.Equal(["accommodation"], tuvalu.GetProperty("supportGiven").EnumerateArray().Select(k => k.GetString()));
        foreach (string id in helped.Concat(moved))
        {
            Assert.True(await Store.IsLinkedAsync(id, await OpenedAtAsync(id, key)));
        }

        foreach (string id in moved)
        {
            await Host.RecordAsync(id, new { type = "consent-withdrawn" }, key);
            await Host.WaitForCaseAsync(id, c => c.GetProperty("erased").GetBoolean(), "consent withdrawal to erase", key: key);
            await UntilUnlinkedAsync(id, key);
        }

        Assert.Equal(before, await RecordsOfAsync("TV", "NR"));
        Assert.True(await Store.IsLinkedAsync(helped[0], await OpenedAtAsync(helped[0], key)));

        using (var finished = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            foreach (string id in helped)
            {
                await durable.WaitForInstanceCompletionAsync(id, finished.Token);
            }
        }

        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage run = await Host.SendAsync(HttpMethod.Post, "api/admin/retention/run", TestHost.AdminKey);
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
            return await durable.GetInstanceAsync(helped[0]) is null && await durable.GetInstanceAsync(helped[1]) is null;
        }, TimeSpan.FromSeconds(60), "the sweep to purge the completed cases");

        foreach (string id in helped)
        {
            Assert.True((await Host.GetJsonAsync($"api/cases/{id}", key)).GetProperty("erased").GetBoolean());
            Assert.False(await Store.IsLinkedAsync(id, await OpenedAtAsync(id, key)));
        }

        Assert.Equal(before, await RecordsOfAsync("TV", "NR"));
    }

    /// <summary>
    /// Two pairs of reports linked as one person each (k is 2 on this host): every record of a pair carries its pair's
    /// pseudonym, the two pairs' differ, and no pseudonym is a case id or a reference. The key is derived from the person
    /// hints' key, so a fresh deployment needs no secret for it. Palau (PW) is no other test's citizenship.
    /// </summary>
    [Fact]
    public async Task Two_pairs_of_linked_reports_each_carry_their_own_person_group_pseudonym_in_the_export()
    {
        string[] reports = new string[4];
        for (int i = 0; i < reports.Length; i++)
        {
            reports[i] = await Host.SubmitIntakeAsync(Intake(29, "female", "PW", "trafficking"));
            await Host.WaitForPhaseAsync(reports[i], "first-contact");
        }

        await Host.RecordAsync(reports[0], new { type = "same-person-as", reference = reports[1] });
        await Host.RecordAsync(reports[2], new { type = "same-person-as", reference = reports[3] });

        List<string?> groups = [];
        await Poll.UntilAsync(async () =>
        {
            JsonElement export = await Host.GetJsonAsync($"api/exports/cases?{Period()}", TestHost.StatisticsKey);
            groups = [.. export.GetProperty("records").EnumerateArray()
                .Where(r => r.GetProperty("citizenship").GetString() == "PW")
                .Select(r => r.TryGetProperty("personGroup", out JsonElement g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null)];
            return groups.Count == 4 && groups.All(g => g is not null);
        }, TimeSpan.FromSeconds(60), "both pairs' pseudonyms on their four records");

        Assert.Equal([2, 2], groups.GroupBy(g => g).Select(g => g.Count()));
        Assert.All(groups, g => Assert.Matches("^[0-9a-f]{16}$", g));
        Assert.DoesNotContain(groups, g => reports.Any(r => r.Contains(g!, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Canary_values_reach_neither_the_export_nor_its_stored_facts()
    {
        // Two alike, so that the export shows them in detail (a group of two) rather than generalised.
        var canaries = Intakes.Canaries.New();
        string caseId = await Host.SubmitIntakeAsync(canaries.Intake());
        string twin = await Host.SubmitIntakeAsync(canaries.Intake());
        await Host.WaitForPhaseAsync(twin, "first-contact");
        await Host.WaitForPhaseAsync(caseId, "first-contact");
        await Host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", note = canaries.Note });
        await Host.WaitForPhaseAsync(caseId, "short-term-support");
        Assert.Equal(canaries.Name, (await Host.GetJsonAsync($"api/cases/{caseId}")).GetProperty("person").GetProperty("alias").GetString());

        // The case's facts are codes only: its age band, no gender or citizenship given, the hotel group's referral source.
        DateTimeOffset opened = await OpenedAtAsync(caseId);
        TableClient table = Host.Services.GetRequiredService<CaseStorage>().Table(CaseStorage.ExportFactsTable);
        TableEntity row = (await table.GetEntityAsync<TableEntity>(opened.UtcDateTime.ToString("yyyy-MM"), ExportFactsStore.CaseRowKey(caseId))).Value;
        Assert.Equal("v1|private-sector|both|1|30--38|unknown|unknown|active|-|0|-", row.GetString("Key"));
        Assert.Empty(row.Keys.Except(["PartitionKey", "RowKey", "Timestamp", "odata.etag", "Key", "Pool"]));

        foreach (string format in new[] { "json", "csv" })
        {
            using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/exports/cases?{Period()}&format={format}", TestHost.AdminKey);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains("30--38", text, StringComparison.Ordinal);
            Assert.DoesNotContain(canaries.All, c => text.Contains(c, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(caseId, text, StringComparison.Ordinal);
            Assert.DoesNotContain(twin, text, StringComparison.Ordinal);
        }

        IReadOnlyList<string> hits = await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), canaries.All);
        Assert.Empty(hits);
        Assert.DoesNotContain(Host.Logs.Lines, line => canaries.All.Any(c => line.Contains(c, StringComparison.OrdinalIgnoreCase)));
    }
}
