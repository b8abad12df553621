using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// Under production clocks, with the worker's MaximumTimerInterval (and so the case's own cap) at seconds, an idle case
/// keeps every execution under 100 history events and its deadline still fires at its time (issue 20, g).
/// </summary>
[StartEarly]
public sealed class CappedTimerTests
{
    [Fact]
    public async Task An_idle_case_waiting_on_capped_timers_keeps_every_execution_short_and_its_deadline_fires_at_its_time()
    {
        var history = new HistoryCounter();
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["CasePolicy:MaxTimerWait"] = "00:00:02" }, history: history);
        string caseId = await host.CaseInShortTermSupportAsync();

        // A reflection period whose end warning (5 days before its end, the production policy) falls due in 40 s.
        DateTimeOffset warningAt = DateTimeOffset.UtcNow.AddSeconds(40);
        DateTimeOffset to = warningAt.AddDays(5);
        await host.RecordAsync(caseId, new { type = "reflection-period-granted", from = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), to = to.ToString("O") });

        JsonElement warning = default;
        await Poll.UntilAsync(async () =>
        {
            warning = (await host.ListAllAsync("api/reminders", $"caseId={caseId}&status=all")).FirstOrDefault(r => r.GetProperty("kind").GetString() == "reflection-period-ending");
            return warning.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(120), "the reflection-period warning");
        DateTimeOffset seenAt = DateTimeOffset.UtcNow;

        Assert.InRange(warning.GetProperty("dueAt").GetDateTimeOffset(), to.AddDays(-5).AddSeconds(-1), to.AddDays(-5).AddSeconds(1));
        // The provider may deliver a timer's message a moment early; the reminder is still due at its time.
        Assert.True(seenAt >= warningAt.AddSeconds(-2), $"the warning fired {(warningAt - seenAt).TotalSeconds:0.0} s before its time");
        IReadOnlyDictionary<string, int> executions = history.Executions(caseId);
        Assert.True(executions.Count > 3, $"the case waited on capped timers but continued as new only {executions.Count - 1} times");
        Assert.InRange(executions.Values.Max(), 1, 100);
    }
}
