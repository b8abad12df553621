using Azure.Data.Tables;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// A long-running case on the durable engine: a burst of events and many timer-driven follow-up cycles,
/// with every event applied exactly once. It prints the history size per execution. (On the local host
/// cases do not continue as new — see CasePolicy.StepsPerExecution — so the 100-event bound per execution
/// is proven against the orchestrator itself in CaseOrchestrationTests.)
/// </summary>
public sealed class HistorySizeTests(ITestOutputHelper output)
{
    /// <summary>Counts the history rows of each execution of an instance in the task hub's History table.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> HistoryPerExecutionAsync(string connection, string hub, string instanceId)
    {
        var table = new TableClient(connection, hub + "History");
        var counts = new Dictionary<string, int>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == instanceId, select: ["ExecutionId", "RowKey"]))
        {
            if (row.RowKey == "sentinel")
            {
                continue;
            }

            string execution = row.GetString("ExecutionId") ?? "?";
            counts[execution] = counts.GetValueOrDefault(execution) + 1;
        }

        return counts;
    }

    [Fact]
    public async Task A_long_running_case_applies_every_event_once_and_keeps_cycling()
    {
        int events = int.TryParse(Environment.GetEnvironmentVariable("HISTORY_TEST_EVENTS"), out int configured) ? configured : 30;
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CasePolicy:ShortTermFollowUpInterval"] = "00:00:01",
            ["CasePolicy:LongTermFollowUpInterval"] = "00:00:01",
            ["CasePolicy:PlanReviewInterval"] = "00:00:02",
            ["CasePolicy:FirstContactReminderInterval"] = "00:00:05",
            ["CasePolicy:JointPlanDueAfter"] = "00:00:30",
            ["CasePolicy:TimerSlice"] = "00:00:03",
        });
        string connection = await TestStorage.ConnectionStringAsync();
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support");
        await host.RecordAsync(caseId, new { type = "plan-agreed" });
        await host.RecordAsync(caseId, new { type = "long-term-started" });
        await host.WaitForPhaseAsync(caseId, "long-term-support");

        int largest = 0;
        int executions = 0;
        var seen = new HashSet<string>();
        async Task SampleAsync()
        {
            foreach ((string execution, int count) in await HistoryPerExecutionAsync(connection, host.HubName, caseId))
            {
                seen.Add(execution);
                largest = Math.Max(largest, count);
            }
        }

        for (int i = 0; i < events; i++)
        {
            object body = i % 2 == 0 ? new { type = "support-conversation" } : new { type = "support-given", kind = "material" };
            await host.RecordAsync(caseId, body);
            await SampleAsync();
        }

        int total = events / 2;
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() == total, "every event to be applied", TimeSpan.FromMinutes(5));

        // Follow-up cycles driven by the timer alone, with no events in between.
        int followUps = 0;
        await Poll.UntilAsync(async () =>
        {
            await SampleAsync();
            var reminders = await host.GetJsonAsync($"api/reminders?status=all&kind=follow-up&caseId={caseId}");
            followUps = reminders.GetProperty("items").EnumerateArray().Count(r => r.GetProperty("caseId").GetString() == caseId);
            return followUps >= 8;
        }, TimeSpan.FromMinutes(3), "follow-up cycles");
        await SampleAsync();
        executions = seen.Count;

        output.WriteLine($"{events} events and {followUps} follow-up cycles: {executions} executions seen, largest history {largest} events");
        Assert.InRange(executions, 1, int.MaxValue);
        var final = await host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal(total, final.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        Assert.Equal(events - total, final.GetProperty("counts").GetProperty("supportGiven").GetProperty("material").GetInt32());
    }
}
