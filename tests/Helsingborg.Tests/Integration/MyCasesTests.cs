using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// "My cases" through the API (issue 22, item 2): two coordinators of one organisation, Anna and Erik, hold and hand over a
/// case with a handover note; the case, the lists and the reminders show who holds it; the history carries only ids.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class MyCasesTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static string? WorkerId(JsonElement item) =>
        item.GetProperty("worker") is { ValueKind: JsonValueKind.Object } worker ? worker.GetProperty("id").GetString() : null;

    async Task<bool> ListedAsync(string caseId, string assignee, string key) =>
        (await Host.ListAllAsync("api/cases", $"assignee={assignee}", key)).Any(c => c.GetProperty("caseId").GetString() == caseId);

    async Task<List<JsonElement>> RemindersAsync(string caseId, string key) =>
        await Host.ListAllAsync("api/reminders", $"caseId={caseId}&assignee=me", key);

    async Task<string> OpenCaseAsync()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid(policeNotified: false));
        await Host.WaitForStartedAsync(caseId);
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("openReminders").GetArrayLength() > 0, "the call-police reminder");
        return caseId;
    }

    [Fact]
    public async Task Two_coordinators_of_one_organisation_hold_hand_over_and_release_a_case_and_my_cases_differ_for_each()
    {
        string caseId = await OpenCaseAsync();
        string handover = "Handover canary " + Guid.NewGuid().ToString("N");
        Assert.True(await ListedAsync(caseId, "none", TestHost.ErikKey), "a new case is the organisation's unassigned case");

        await Host.RecordAsync(caseId, new { type = "worker-assigned", note = handover }, TestHost.AnnaKey);
        JsonElement held = await Host.WaitForCaseAsync(caseId, c => WorkerId(c) == TestHost.AnnaKey, "Anna to hold the case", key: TestHost.ErikKey);

        Assert.Equal(TestHost.AnnaName, held.GetProperty("worker").GetProperty("name").GetString());
        Assert.All(held.GetProperty("openReminders").EnumerateArray(), r => Assert.Equal(TestHost.AnnaKey, WorkerId(r)));
        Assert.True(await ListedAsync(caseId, "me", TestHost.AnnaKey));
        Assert.False(await ListedAsync(caseId, "me", TestHost.ErikKey));
        Assert.False(await ListedAsync(caseId, "none", TestHost.ErikKey));
        JsonElement listed = (await Host.ListAllAsync("api/cases", "assignee=me", TestHost.AnnaKey)).Single(c => c.GetProperty("caseId").GetString() == caseId);
        Assert.Equal(TestHost.AnnaName, listed.GetProperty("worker").GetProperty("name").GetString());
        List<JsonElement> annasReminders = await RemindersAsync(caseId, TestHost.AnnaKey);
        Assert.NotEmpty(annasReminders);
        Assert.All(annasReminders, r => Assert.Equal(TestHost.AnnaName, r.GetProperty("worker").GetProperty("name").GetString()));
        Assert.Empty(await RemindersAsync(caseId, TestHost.ErikKey));

        JsonElement timeline = await Host.GetJsonAsync($"api/cases/{caseId}/timeline", TestHost.ErikKey);
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "worker-assigned" && i.GetProperty("note").GetString() == handover);

        await Host.RecordAsync(caseId, new { type = "worker-assigned", worker = TestHost.ErikKey, note = "Over to you." }, TestHost.AnnaKey);
        await Host.WaitForCaseAsync(caseId, c => WorkerId(c) == TestHost.ErikKey, "Erik to hold the case");

        Assert.True(await ListedAsync(caseId, "me", TestHost.ErikKey));
        Assert.False(await ListedAsync(caseId, "me", TestHost.AnnaKey));
        JsonElement handedOver = await Host.GetJsonAsync($"api/cases/{caseId}/timeline", TestHost.AnnaKey);
        Assert.Contains(handedOver.GetProperty("items").EnumerateArray(), i => i.GetProperty("note").GetString() == "Over to you."
            && i.GetProperty("worker").GetProperty("name").GetString() == TestHost.ErikName);
        Assert.NotEmpty(await RemindersAsync(caseId, TestHost.ErikKey));
        Assert.Empty(await RemindersAsync(caseId, TestHost.AnnaKey));

        await Host.RecordAsync(caseId, new { type = "worker-released", note = "Back to the team." }, TestHost.ErikKey);
        JsonElement released = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("worker").ValueKind == JsonValueKind.Null, "the case to be released");

        Assert.All(released.GetProperty("openReminders").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("worker").ValueKind));
        Assert.True(await ListedAsync(caseId, "none", TestHost.AnnaKey));
        Assert.False(await ListedAsync(caseId, "me", TestHost.ErikKey));
        Assert.Empty(await RemindersAsync(caseId, TestHost.ErikKey));

        // The history carries the workers' ids, and their names nowhere in storage.
        string history = string.Join('\n', await StoredHistory.ReadAsync(await TestStorage.ConnectionStringAsync(), Host.HubName, caseId));
        Assert.Contains(TestHost.ErikKey, history, StringComparison.Ordinal);
        Assert.Empty(await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), [TestHost.AnnaName, TestHost.ErikName, handover]));
        Assert.DoesNotContain(Host.Logs.Lines, line => line.Contains(TestHost.AnnaName, StringComparison.Ordinal) || line.Contains(handover, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_case_cannot_be_given_to_a_coordinator_of_another_organisation_nor_to_an_unknown_id()
    {
        string caseId = await OpenCaseAsync();

        foreach (string worker in new[] { TestHost.SalvationArmyKey, "no-such-coordinator", TestHost.PartnerKey })
        {
            using HttpResponseMessage refused = await Host.PostEventAsync(caseId, new { type = "worker-assigned", worker }, TestHost.AnnaKey);
            string body = await refused.Content.ReadAsStringAsync();
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{worker}: {(int)refused.StatusCode} {body}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty("worker", out _), body);
        }

        await Host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await Host.WaitForPhaseAsync(caseId, "short-term-support");
        using HttpResponseMessage otherLead = await Host.PostEventAsync(caseId, new { type = "worker-assigned" }, TestHost.SalvationArmyKey);
        Assert.Equal(HttpStatusCode.Conflict, otherLead.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await Host.GetJsonAsync($"api/cases/{caseId}")).GetProperty("worker").ValueKind);
    }

    [Fact]
    public async Task The_workers_list_names_the_coordinators_of_the_callers_organisation_only()
    {
        JsonElement list = await Host.GetJsonAsync("api/workers", TestHost.AnnaKey);

        Assert.Equal(TestHost.AnnaKey, list.GetProperty("me").GetString());
        Dictionary<string, string?> names = list.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetString()!, i => i.GetProperty("name").GetString());
        Assert.Equal(TestHost.AnnaName, names[TestHost.AnnaKey]);
        Assert.Equal(TestHost.ErikName, names[TestHost.ErikKey]);
        Assert.DoesNotContain(TestHost.SalvationArmyKey, names.Keys);
        Assert.DoesNotContain(TestHost.PartnerKey, names.Keys);
    }

    [Fact]
    public async Task An_unknown_assignee_filter_is_a_problem_not_a_list()
    {
        foreach (string list in new[] { "api/cases", "api/reminders" })
        {
            using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"{list}?assignee=anna", TestHost.AnnaKey);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
