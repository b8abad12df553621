using System.Net;
using System.Text.Json;
using Helsingborg.DataProtection;
using Helsingborg.Intake;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Retention;

/// <summary>
/// Real cases run to completion; consent withdrawal and the retention sweep erase and purge them, and the
/// statistics stay exactly as they were. The cases are in Örkelljunga, which no other test uses, so the
/// municipality's row is theirs alone.
/// </summary>
[Collection(RetentionSweeps.Name)]
public sealed class RetentionTests(SweepingHost fixture)
{
    const string Municipality = "orkelljunga";
    readonly TestHost host = fixture.Host;

    async Task<string> FiguresAsync()
    {
        string today = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd");
        JsonElement report = await host.GetJsonAsync($"api/statistics?from={DateTimeOffset.UtcNow.AddDays(-40):yyyy-MM-dd}&to={today}&groupBy=municipality");
        return report.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("group").GetString() == Municipality).GetRawText();
    }

    [Fact]
    public async Task Consent_withdrawal_and_the_retention_sweep_erase_and_purge_completed_cases_and_leave_the_figures_and_running_cases_alone()
    {
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var vault = host.Services.GetRequiredService<CaseVault>();

        // A: helped and completed. C: closed, then consent withdrawn, then evaluated. B: still in first contact. A and C are
        // led by the Salvation Army on the person's consent (a public task's record is culled later: PublicTaskRetentionTests).
        const string key = TestHost.SalvationArmyKey;
        string a = await host.SubmitIntakeAsync(Intakes.Valid(municipality: Municipality));
        string b = await host.SubmitIntakeAsync(Intakes.Valid(municipality: Municipality));
        string c = await host.SubmitIntakeAsync(Intakes.Valid(municipality: Municipality));
        foreach (string id in new[] { a, c })
        {
            await host.WaitForPhaseAsync(id, "first-contact");
            await host.RecordAsync(id, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" });
            await host.WaitForPhaseAsync(id, "short-term-support", key: key);
        }

        await host.RecordAsync(a, new { type = "support-conversation" }, key);
        await host.RecordAsync(a, new { type = "support-conversation" }, key);
        await host.RecordAsync(a, new { type = "support-given", kind = "accommodation" }, key);
        await host.WaitForCaseAsync(a, x => x.GetProperty("counts").GetProperty("supportConversations").GetInt32() == 2
            && x.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("accommodation", out _), "support to count", key: key);
        await host.RecordAsync(a, new { type = "case-closed", reason = "stable" }, key);
        await host.WaitForPhaseAsync(a, "closed", key: key);
        await host.RecordAsync(a, new { type = "evaluation-recorded", outcome = "helped" }, key);
        await host.WaitForPhaseAsync(a, "completed", key: key);

        await host.RecordAsync(c, new { type = "support-given", kind = "medical" }, key);
        await host.WaitForCaseAsync(c, x => x.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("medical", out _), "support to count", key: key);
        await host.RecordAsync(c, new { type = "case-closed", reason = "moved" }, key);
        await host.WaitForPhaseAsync(c, "closed", key: key);

        string before = await FiguresAsync();
        JsonElement figures = JsonDocument.Parse(before).RootElement;
        Assert.Equal(3, figures.GetProperty("incidentsReported").GetInt64());
        Assert.Equal(3, figures.GetProperty("personsDocumented").GetInt64());
        Assert.Equal(2, figures.GetProperty("supportConversations").GetInt64());
        Assert.Equal(2, figures.GetProperty("supportGiven").GetInt64());
        Assert.Equal(1, figures.GetProperty("casesClosedByReason").GetProperty("stable").GetInt64());
        Assert.Equal(1, figures.GetProperty("casesClosedByReason").GetProperty("moved").GetInt64());

        await host.RecordAsync(c, new { type = "consent-withdrawn" }, key);
        await host.WaitForCaseAsync(c, x => x.GetProperty("erased").GetBoolean(), "consent withdrawal to erase", key: key);
        Assert.Null(await vault.GetAsync(c, IntakePersonalData.VaultField));
        Assert.Equal(before, await FiguresAsync());

        await host.RecordAsync(c, new { type = "evaluation-recorded", outcome = "unknown" }, key);
        await host.WaitForPhaseAsync(c, "completed", key: key);
        Assert.NotNull(await vault.GetAsync(a, IntakePersonalData.VaultField));
        Assert.NotNull(await durable.GetInstanceAsync(a));

        using (HttpResponseMessage coordinator = await host.SendAsync(HttpMethod.Post, "api/admin/retention/run", TestHost.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, coordinator.StatusCode);
        }

        // The orchestrations finish their last step after the read model shows the phase.
        using (var finished = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
        {
            await durable.WaitForInstanceCompletionAsync(a, finished.Token);
            await durable.WaitForInstanceCompletionAsync(c, finished.Token);
        }

        // Both completed cases are older than the two seconds kept once the clock passes them.
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage run = await host.SendAsync(HttpMethod.Post, "api/admin/retention/run", TestHost.AdminKey);
            Assert.Equal(HttpStatusCode.OK, run.StatusCode);
            return await durable.GetInstanceAsync(a) is null && await durable.GetInstanceAsync(c) is null;
        }, TimeSpan.FromSeconds(60), "the sweep to purge both completed cases");

        Assert.Null(await vault.GetAsync(a, IntakePersonalData.VaultField));
        Assert.Null(await vault.GetKeyAsync(a));
        JsonElement purged = await host.GetJsonAsync($"api/cases/{a}", key);
        Assert.True(purged.GetProperty("erased").GetBoolean());
        Assert.Equal(JsonValueKind.Null, purged.GetProperty("person").ValueKind);
        Assert.Equal("completed", purged.GetProperty("phase").GetString());

        // The running case is untouched.
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await durable.GetInstanceAsync(b))!.RuntimeStatus);
        Assert.NotNull(await vault.GetAsync(b, IntakePersonalData.VaultField));
        Assert.Equal("Maria", (await host.GetJsonAsync($"api/cases/{b}")).GetProperty("person").GetProperty("alias").GetString());

        Assert.Equal(before, await FiguresAsync());

        // Idempotent: a second sweep finds nothing more of these cases to do and changes nothing.
        using HttpResponseMessage again = await host.SendAsync(HttpMethod.Post, "api/admin/retention/run", TestHost.AdminKey);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(before, await FiguresAsync());
        Assert.NotNull(await vault.GetAsync(b, IntakePersonalData.VaultField));
    }
}
