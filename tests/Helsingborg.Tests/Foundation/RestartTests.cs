using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Foundation;

public sealed class RestartTests
{
    [Fact]
    public async Task A_durable_timer_set_before_a_restart_fires_after_it()
    {
        var settings = new Dictionary<string, string?>
        {
            ["CasePolicy:FirstContactReminderInterval"] = "00:00:08",
        };
        string hub = "restart" + Guid.NewGuid().ToString("N")[..8];
        string caseId;
        await using (TestHost first = await TestHost.StartAsync(settings, hub))
        {
            caseId = await first.SubmitIntakeAsync(Intakes.Valid());
            JsonElement opened = await first.WaitForPhaseAsync(caseId, "first-contact");
            Assert.DoesNotContain(opened.GetProperty("openReminders").EnumerateArray(), r => r.GetProperty("kind").GetString() == "first-contact");
        }

        // The first host is gone; a new one over the same Azurite and task hub takes the case up.
        await using TestHost second = await TestHost.StartAsync(settings, hub);
        JsonElement reminded = await second.WaitForCaseAsync(
            caseId,
            c => c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == "first-contact"),
            "the first-contact reminder after the restart",
            TimeSpan.FromSeconds(60));
        Assert.Equal("first-contact", reminded.GetProperty("phase").GetString());
    }
}
