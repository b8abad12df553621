using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.DataProtection;

/// <summary>data-protection.md rule 7: canary values never appear in plain text in storage, logs or exported telemetry.</summary>
public sealed class CanaryTests
{
    [Fact]
    public async Task Canary_values_appear_nowhere_in_storage_or_logs_after_a_case_runs()
    {
        var canaries = Intakes.Canaries.New();
        var telemetry = new Operations.ExportedTelemetry();
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["CasePolicy:ShortTermFollowUpInterval"] = "00:00:02",
        }, services: telemetry.AddTo);
        string caseId = await host.SubmitIntakeAsync(canaries.Intake());
        await host.WaitForPhaseAsync(caseId, "first-contact");
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", note = canaries.Note });
        await host.WaitForPhaseAsync(caseId, "short-term-support");
        await host.RecordAsync(caseId, new { type = "support-given", kind = "medical", note = canaries.Note + " again" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("medical", out _), "support given to count");
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == "follow-up"), "a follow-up reminder");

        // The API itself shows the data to a coordinator: proof the canaries went in.
        var found = await host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal(canaries.Name, found.GetProperty("person").GetProperty("alias").GetString());
        var timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Contains(timeline.GetProperty("items").EnumerateArray(), i => i.TryGetProperty("note", out var n) && n.GetString() == canaries.Note);

        IReadOnlyList<string> hits = await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), canaries.All);
        Assert.Empty(hits);
        Assert.DoesNotContain(host.Logs.Lines, line => canaries.All.Any(c => line.Contains(c, StringComparison.OrdinalIgnoreCase)));
        var exported = telemetry.AllText(host.Services).ToList();
        Assert.Contains(exported, t => t.Contains(caseId, StringComparison.Ordinal));
        Assert.DoesNotContain(exported, t => canaries.All.Any(c => t.Contains(c, StringComparison.OrdinalIgnoreCase)));
    }
}
