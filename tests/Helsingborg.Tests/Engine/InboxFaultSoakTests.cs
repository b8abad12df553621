using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;
using static Helsingborg.Tests.Engine.InboxFaultTests;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// A case whose every step fails for five minutes (issue 20, c): a class of its own, so that its five minutes of waiting
/// run beside the rest of the suite from the start (<see cref="Infrastructure.LongestFirst"/>) rather than after the
/// other inbox faults.
/// </summary>
public sealed class InboxFaultSoakTests
{
    [Fact]
    [Trait("Category", "Soak")]
    public async Task A_case_whose_steps_fail_for_5_minutes_is_listed_stalled_meanwhile_and_goes_on_by_itself_with_every_event_applied_once()
    {
        var faults = new Faults();
        await using TestHost host = await TestHost.StartAsync(services: faults.AddTo, waitsMostly: true);
        string caseId = await host.CaseInShortTermSupportAsync();

        faults.FailSteps = true;
        DateTimeOffset failingSince = DateTimeOffset.UtcNow;
        await AcceptedAsync(host, caseId, new { type = "support-conversation" });
        await AcceptedAsync(host, caseId, new { type = "support-conversation" });

        int seen = 0;
        while (DateTimeOffset.UtcNow - failingSince < TimeSpan.FromMinutes(5))
        {
            await Poll.UntilAsync(async () => await StalledAsync(host, caseId) is { } stalled && stalled.GetProperty("status").GetString() == "stalled", TimeSpan.FromSeconds(90), "the case listed as stalled");
            using HttpResponseMessage readiness = await host.SendAsync(HttpMethod.Get, "api/admin/readiness", TestHost.AdminKey);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
            Assert.Contains("cases.stopped: 1", JsonDocument.Parse(await readiness.Content.ReadAsStringAsync()).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
            seen++;
            await Task.Delay(TimeSpan.FromSeconds(20));
        }

        faults.FailSteps = false;
        await Poll.UntilAsync(async () => await StalledAsync(host, caseId) is null, TimeSpan.FromMinutes(3), "the case to go on by itself");
        await AcceptedAsync(host, caseId, new { type = "long-term-started" });
        JsonElement moved = await host.WaitForPhaseAsync(caseId, "long-term-support", TimeSpan.FromSeconds(60));
        Assert.Equal(2, moved.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        Assert.Equal(2, (await TimelineTypesAsync(host, caseId)).Count(t => t == "support-conversation"));
        Assert.True(seen >= 5, $"the stalled case was seen {seen} times in 5 minutes");
    }

    static async Task<JsonElement?> StalledAsync(TestHost host, string caseId)
    {
        JsonElement list = await host.GetJsonAsync("api/admin/cases/stalled", TestHost.AdminKey);
        return list.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("caseId").GetString() == caseId).Cast<JsonElement?>().FirstOrDefault();
    }
}
