using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// What fails after an event is accepted costs time, never the event (issue 20, b and c): a raise that fails, a host that
/// stops between storing and raising; a case whose every step fails for five minutes is <see cref="InboxFaultSoakTests"/>.
/// </summary>
[StartEarly]
public sealed class InboxFaultTests
{
    internal static async Task AcceptedAsync(TestHost host, string caseId, object body)
    {
        using HttpResponseMessage response = await host.PostEventAsync(caseId, body);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{JsonSerializer.Serialize(body)} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    internal static async Task<string[]> TimelineTypesAsync(TestHost host, string caseId) =>
        [.. (await host.GetJsonAsync($"api/cases/{caseId}/timeline")).GetProperty("items").EnumerateArray()
            .Where(e => !e.GetProperty("refused").GetBoolean())
            .Select(e => e.GetProperty("type").GetString()!)];

    [Fact]
    public async Task Events_whose_raise_failed_are_applied_once_in_order_and_later_events_are_answered_as_without_the_fault()
    {
        var faults = new Faults();
        await using TestHost host = await TestHost.StartAsync(services: faults.AddTo);
        string caseId = await host.CaseInShortTermSupportAsync();

        faults.FailRaises = true;
        await AcceptedAsync(host, caseId, new { type = "support-conversation" });
        await AcceptedAsync(host, caseId, new { type = "support-given", kind = "accommodation" });
        await AcceptedAsync(host, caseId, new { type = "long-term-started" });

        // Refused against the case with its accepted events, as if they had been applied: the same answer as without the fault.
        using (HttpResponseMessage again = await host.PostEventAsync(caseId, new { type = "long-term-started" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Equal("long-term-support", JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("phase").GetString());
        }

        faults.FailRaises = false;
        JsonElement moved = await host.WaitForPhaseAsync(caseId, "long-term-support", TimeSpan.FromSeconds(90));
        Assert.Equal(1, moved.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        Assert.Equal(["intake", "contact-made", "support-conversation", "support-given", "long-term-started"], await TimelineTypesAsync(host, caseId));

        // A later event on the case goes as on any other.
        await AcceptedAsync(host, caseId, new { type = "support-conversation" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() == 2, "the later conversation");
    }

    [Fact]
    public async Task Events_stored_by_a_host_that_stopped_before_raising_them_are_applied_once_in_order_within_60_s_of_the_restart()
    {
        var faults = new Faults();
        string hub = "t" + Guid.NewGuid().ToString("N")[..12];
        string caseId;
        await using (TestHost first = await TestHost.StartAsync(hubName: hub, services: faults.AddTo))
        {
            caseId = await first.CaseInShortTermSupportAsync();
            faults.FailRaises = true;
            await AcceptedAsync(first, caseId, new { type = "support-conversation" });
            await AcceptedAsync(first, caseId, new { type = "long-term-started" });
        }

        await using TestHost second = await TestHost.StartAsync(hubName: hub);
        DateTimeOffset restarted = DateTimeOffset.UtcNow;
        JsonElement moved = await second.WaitForPhaseAsync(caseId, "long-term-support", TimeSpan.FromSeconds(60));
        Assert.InRange(DateTimeOffset.UtcNow - restarted, TimeSpan.Zero, TimeSpan.FromSeconds(60));
        Assert.Equal(1, moved.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        Assert.Equal(["intake", "contact-made", "support-conversation", "long-term-started"], await TimelineTypesAsync(second, caseId));
    }
}
