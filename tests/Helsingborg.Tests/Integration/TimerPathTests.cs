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
            ["CasePolicy:FirstContactReminderInterval"] = "00:00:01",
            ["CasePolicy:FirstContactEscalateAfterReminders"] = "3",
            ["CasePolicy:FirstContactGiveUpAfter"] = "00:00:04.500",
            ["CasePolicy:EvaluationDueAfter"] = "00:00:01",
            ["CasePolicy:EvaluationGiveUpAfter"] = "00:00:02.500",
        });
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());

        JsonElement closed = await host.WaitForPhaseAsync(caseId, "closed", TimeSpan.FromSeconds(60));
        Assert.Equal("no-contact", closed.GetProperty("closeReason").GetString());
        JsonElement completed = await host.WaitForPhaseAsync(caseId, "completed", TimeSpan.FromSeconds(60));
        Assert.Equal("missing", completed.GetProperty("evaluationOutcome").GetString());

        JsonElement reminders = await host.GetJsonAsync($"api/reminders?status=all&caseId={caseId}");
        var mine = reminders.GetProperty("items").EnumerateArray().Where(r => r.GetProperty("caseId").GetString() == caseId).ToList();
        var firstContact = mine.Where(r => r.GetProperty("kind").GetString() == "first-contact").ToList();
        Assert.NotEmpty(firstContact);

        // The third occurrence (3 s after opening) and every later one is escalated; a timer that fires late
        // may fold missed occurrences into one, so the rule is checked by due time, not by count.
        DateTimeOffset opened = DateTimeOffset.Parse(closed.GetProperty("openedAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(firstContact, r =>
        {
            DateTimeOffset due = DateTimeOffset.Parse(r.GetProperty("dueAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(due >= opened.AddSeconds(3), r.GetProperty("escalated").GetBoolean());
        });
        Assert.Contains(firstContact, r => r.GetProperty("escalated").GetBoolean());
        Assert.Single(mine, r => r.GetProperty("kind").GetString() == "evaluation-due");
        Assert.Equal(firstContact.Count, firstContact.Select(r => r.GetProperty("dueAt").GetString()).Distinct().Count());

        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "case-closed" && i.GetProperty("by").GetString() == "system");
    }
}
