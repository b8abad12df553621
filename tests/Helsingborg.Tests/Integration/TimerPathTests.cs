using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>Paths driven by durable timers, with the policy shrunk to seconds (issue 3, path b).</summary>
public sealed class TimerPathTests
{
    [Fact]
    public async Task Without_contact_reminders_escalate_the_case_closes_and_completes_without_evaluation()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CasePolicy:FirstContactReminderInterval"] = "00:00:02",
            ["CasePolicy:FirstContactEscalateAfterReminders"] = "3",
            ["CasePolicy:FirstContactGiveUpAfter"] = "00:00:09",
            ["CasePolicy:EvaluationDueAfter"] = "00:00:02",
            ["CasePolicy:EvaluationGiveUpAfter"] = "00:00:05",
        });
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());

        JsonElement closed = await host.WaitForPhaseAsync(caseId, "closed", TimeSpan.FromSeconds(60));
        Assert.Equal("no-contact", closed.GetProperty("closeReason").GetString());
        JsonElement completed = await host.WaitForPhaseAsync(caseId, "completed", TimeSpan.FromSeconds(60));
        Assert.Equal("missing", completed.GetProperty("evaluationOutcome").GetString());

        JsonElement reminders = await host.GetJsonAsync($"api/reminders?status=all&caseId={caseId}");
        var mine = reminders.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("caseId").GetString() == caseId).ToList();
        var firstContact = mine.Where(r => r.GetProperty("kind").GetString() == "first-contact").OrderBy(r => r.GetProperty("dueAt").GetString()).ToList();
        Assert.True(firstContact.Count >= 3, $"expected at least 3 first-contact reminders, got {firstContact.Count}");
        Assert.False(firstContact[0].GetProperty("escalated").GetBoolean());
        Assert.False(firstContact[1].GetProperty("escalated").GetBoolean());
        Assert.True(firstContact[2].GetProperty("escalated").GetBoolean());
        Assert.Single(mine, r => r.GetProperty("kind").GetString() == "evaluation-due");
        Assert.Equal(firstContact.Count, firstContact.Select(r => r.GetProperty("dueAt").GetString()).Distinct().Count());

        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "case-closed" && i.GetProperty("by").GetString() == "system");
    }
}
