using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// A case whose instance was terminated by force is seen, refuses events with 503 and makes readiness not-ready; resumed
/// by an administrator, it applies every accepted event once and its next deadline fires (issue 20, d).
/// </summary>
public sealed class ResumeTests
{
    [Fact]
    public async Task A_terminated_case_is_listed_and_refuses_events_and_after_resume_applies_every_accepted_event_once_and_its_deadline_fires()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["CasePolicy:ShortTermFollowUpInterval"] = "00:00:20" });
        string caseId = await host.CaseInShortTermSupportAsync();
        await host.RecordAsync(caseId, new { type = "support-conversation" });
        await host.RecordAsync(caseId, new { type = "support-conversation" });

        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        await durable.TerminateInstanceAsync(caseId);
        await Poll.UntilAsync(async () => (await durable.GetInstanceAsync(caseId))?.RuntimeStatus == OrchestrationRuntimeStatus.Terminated, TimeSpan.FromSeconds(30), "the case terminated");

        JsonElement listed = (await host.GetJsonAsync("api/admin/cases/stalled", TestHost.AdminKey)).GetProperty("items").EnumerateArray().Single(i => i.GetProperty("caseId").GetString() == caseId);
        Assert.Equal("terminated", listed.GetProperty("status").GetString());
        using (HttpResponseMessage refused = await host.PostEventAsync(caseId, new { type = "support-conversation" }))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        using (HttpResponseMessage readiness = await host.SendAsync(HttpMethod.Get, "api/admin/readiness", TestHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
            Assert.Contains("cases.stopped: 1", JsonDocument.Parse(await readiness.Content.ReadAsStringAsync()).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        }

        using (HttpResponseMessage resumed = await host.SendAsync(HttpMethod.Post, $"api/admin/cases/{caseId}/resume", TestHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        }

        using (HttpResponseMessage twice = await host.SendAsync(HttpMethod.Post, $"api/admin/cases/{caseId}/resume", TestHost.AdminKey))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        }

        // Accepted again once it runs; every accepted event once, and the follow-up deadline fires on the resumed case.
        await host.RecordAsync(caseId, new { type = "support-conversation" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() >= 3, "every accepted conversation");
        await Poll.UntilAsync(async () => (await host.ListAllAsync("api/reminders", $"caseId={caseId}&status=all")).Any(r => r.GetProperty("kind").GetString() == "follow-up"), TimeSpan.FromSeconds(90), "the follow-up reminder after the resume");
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Equal(3, timeline.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "support-conversation" && !e.GetProperty("refused").GetBoolean()));
        Assert.DoesNotContain((await host.GetJsonAsync("api/admin/cases/stalled", TestHost.AdminKey)).GetProperty("items").EnumerateArray(), i => i.GetProperty("caseId").GetString() == caseId);
    }
}
