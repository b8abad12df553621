using System.Text.Json;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Foundation;

public sealed class RestartTests
{
    [Fact]
    public async Task A_durable_timer_set_before_a_restart_fires_after_it()
    {
        var settings = new Dictionary<string, string?>
        {
            // Long enough for the first host to stop before the timer is due, which the test checks.
            ["CasePolicy:FirstContactReminderInterval"] = "00:00:15",
        };
        string hub = "restart" + Guid.NewGuid().ToString("N")[..8];
        string caseId;
        await using (TestHost first = await TestHost.StartAsync(settings, hub))
        {
            caseId = await first.SubmitIntakeAsync(Intakes.Valid());

            // The orchestration has run its first step and now waits on its durable timer.
            var durable = first.Services.GetRequiredService<DurableTaskClient>();
            await Poll.UntilAsync(async () =>
            {
                OrchestrationMetadata? instance = await durable.GetInstanceAsync(caseId, getInputsAndOutputs: true);
                return instance is { RuntimeStatus: OrchestrationRuntimeStatus.Running, SerializedCustomStatus: { } status }
                    && JsonDocument.Parse(status).RootElement is { ValueKind: JsonValueKind.Object } custom
                    && custom.GetProperty("nextDueAt").ValueKind == JsonValueKind.String;
            }, TimeSpan.FromSeconds(60), "the orchestration to wait on its timer");
            JsonElement opened = await first.GetJsonAsync($"api/cases/{caseId}");
            Assert.DoesNotContain(opened.GetProperty("openReminders").EnumerateArray(), r => r.GetProperty("kind").GetString() == "first-contact");
        }

        // The first host is gone before the timer is due; a new one over the same Azurite and task hub takes the case up.
        DateTimeOffset stopped = DateTimeOffset.UtcNow;
        await using TestHost second = await TestHost.StartAsync(settings, hub);
        JsonElement reminded = await second.WaitForCaseAsync(
            caseId,
            c => c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == "first-contact"),
            "the first-contact reminder after the restart");
        Assert.Equal("first-contact", reminded.GetProperty("phase").GetString());
        JsonElement reminder = reminded.GetProperty("openReminders").EnumerateArray().First(r => r.GetProperty("kind").GetString() == "first-contact");
        Assert.True(reminder.GetProperty("dueAt").GetDateTimeOffset() > stopped, $"the timer was due at {reminder.GetProperty("dueAt")}, before the first host stopped at {stopped:O}");
    }
}
