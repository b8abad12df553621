using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// A case that lives long on the local engine (issue 10, a): 200 events and 200 timer-driven follow-up cycles in
/// long-term support, continuing as new every few steps. Every event is applied exactly once, and no execution's
/// history grows past 100 events.
/// </summary>
public sealed class LongRunningCaseTests(ITestOutputHelper output)
{
    const int Events = 200;
    const int FollowUpCycles = 200;

    [Fact]
    [Trait("Category", "Soak")]
    public async Task A_case_through_200_events_and_200_follow_up_cycles_applies_each_event_once_with_short_histories()
    {
        var history = new HistoryCounter();
        await using TestHost host = await TestHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["CasePolicy:ShortTermFollowUpInterval"] = "00:00:00.500",
                ["CasePolicy:LongTermFollowUpInterval"] = "00:00:00.500",
                ["CasePolicy:JointPlanDueAfter"] = "01:00:00",
            },
            history: history);
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.RecordAsync(caseId, new { type = "plan-agreed" });
        await host.RecordAsync(caseId, new { type = "long-term-started" });

        // Back to back: each event answered before the next is sent, none waited for.
        for (int i = 0; i < Events; i++)
        {
            await host.RecordAsync(caseId, i % 2 == 0 ? new { type = "support-conversation" } : new { type = "support-given", kind = "material" });
        }

        JsonElement applied = await host.WaitForCaseAsync(
            caseId,
            c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() == Events / 2
                 && c.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("material", out JsonElement given) && given.GetInt32() == Events / 2,
            "every event to be applied",
            TimeSpan.FromMinutes(5));
        Assert.Equal("long-term-support", applied.GetProperty("phase").GetString());

        // Follow-up cycles driven by the timer alone.
        int cycles = 0;
        await Poll.UntilAsync(async () =>
        {
            // Paged: more than one page of reminders by the end.
            List<JsonElement> reminders = await host.ListAllAsync("api/reminders", $"status=all&kind=follow-up&caseId={caseId}");
            cycles = reminders.Count(r => r.GetProperty("caseId").GetString() == caseId);
            return cycles >= FollowUpCycles;
        }, TimeSpan.FromMinutes(6), $"{FollowUpCycles} follow-up cycles");

        JsonElement final = await host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal(Events / 2, final.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        Assert.Equal(Events / 2, final.GetProperty("counts").GetProperty("supportGiven").GetProperty("material").GetInt32());
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        string[] types = timeline.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(Events / 2, types.Count(t => t == "support-conversation"));
        Assert.Equal(Events / 2, types.Count(t => t == "support-given"));
        Assert.DoesNotContain(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("refused").GetBoolean());

        IReadOnlyDictionary<string, int> executions = history.Executions(caseId);
        int largest = executions.Values.Max();
        output.WriteLine($"{Events} events and {cycles} follow-up cycles: {executions.Count} executions, largest history {largest} events (StepsPerExecution {new CasePolicy().StepsPerExecution})");
        Assert.True(executions.Count > (Events + FollowUpCycles) / new CasePolicy().StepsPerExecution / 2, $"only {executions.Count} executions: the case did not continue as new");
        Assert.InRange(largest, 1, 100);
    }
}
