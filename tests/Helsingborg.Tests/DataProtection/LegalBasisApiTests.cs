using System.Text.Json;
using Helsingborg.DataProtection;
using Helsingborg.Intake;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.DataProtection;

/// <summary>
/// What <c>consent-withdrawn</c> does depends on the legal basis of the case's lead (issue 21, item 2): social services
/// process as a public task and keep the record until its culling date; the Salvation Army helps on consent and erases.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class LegalBasisApiTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static string? Text(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetString();

    [Fact]
    public async Task Consent_withdrawn_on_a_social_services_case_closes_the_support_and_every_sharing_and_keeps_the_record_readable_until_its_culling_date()
    {
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(Host);
        string caseId = referred.CaseId;
        Assert.Equal("public-task", Text(await Host.GetJsonAsync($"api/cases/{caseId}"), "legalBasis"));

        await Host.RecordAsync(caseId, new { type = "consent-withdrawn" });

        // The receiving partner loses the referral the moment the withdrawal is accepted.
        Assert.Null(await ReferralSetup.InboxItemAsync(Host, referred.ReferralId));
        JsonElement c = await Host.WaitForCaseAsync(caseId, x => Text(x, "closeReason") == "consent-withdrawn", "the support closed by the withdrawal");
        Assert.Equal("closed", Text(c, "phase"));
        Assert.False(c.GetProperty("erased").GetBoolean());
        Assert.All(c.GetProperty("referrals").EnumerateArray(), r => Assert.Equal("cancelled", Text(r, "status")));
        Assert.All(c.GetProperty("consents").EnumerateArray(), s => Assert.Equal(JsonValueKind.String, s.GetProperty("withdrawnAt").ValueKind));
        DateTimeOffset withdrawnAt = c.GetProperty("consentWithdrawnAt").GetDateTimeOffset();
        Assert.Equal(withdrawnAt.AddYears(5), c.GetProperty("cullAfter").GetDateTimeOffset());

        // The person's data stays readable to the coordinator, and the read is logged.
        Assert.Equal(referred.Alias, c.GetProperty("person").GetProperty("alias").GetString());
        Assert.NotNull(await Host.Services.GetRequiredService<CaseVault>().GetAsync(caseId, IntakePersonalData.VaultField));
        DateTimeOffset before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Host.GetJsonAsync($"api/cases/{caseId}");
        JsonElement log = await Host.GetJsonAsync($"api/access-log?caseId={caseId}&from={Uri.EscapeDataString(before.ToString("O"))}", TestHost.AdminKey);
        Assert.Contains(log.GetProperty("items").EnumerateArray(), e => Text(e, "action") == "read-case" && Text(e, "organisation") == "social-services");

        JsonElement timeline = await Host.GetJsonAsync($"api/cases/{caseId}/timeline");
        JsonElement entry = timeline.GetProperty("items").EnumerateArray().Single(i => Text(i, "type") == "consent-withdrawn");
        Assert.Equal("record-kept", Text(entry, "outcome"));
    }

    [Fact]
    public async Task Consent_withdrawn_on_a_salvation_army_case_erases_it_and_the_canary_scan_finds_nothing()
    {
        const string key = TestHost.SalvationArmyKey;
        var canaries = Intakes.Canaries.New();
        string caseId = await Host.CaseInShortTermSupportAsync(canaries.Intake(), wantsAuthorityContact: "no", readKey: key);
        await Host.RecordAsync(caseId, new { type = "support-conversation", note = canaries.Note }, key);
        await Host.WaitForCaseAsync(caseId, x => x.GetProperty("counts").GetProperty("supportConversations").GetInt32() == 1, "the conversation counted", key: key);
        Assert.Equal("consent", Text(await Host.GetJsonAsync($"api/cases/{caseId}", key), "legalBasis"));

        await Host.RecordAsync(caseId, new { type = "consent-withdrawn" }, key);

        JsonElement c = await Host.WaitForCaseAsync(caseId, x => x.GetProperty("erased").GetBoolean(), "the erasure", key: key);
        Assert.Equal(("closed", "consent-withdrawn"), (Text(c, "phase"), Text(c, "closeReason")));
        Assert.Equal(JsonValueKind.Null, c.GetProperty("person").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("cullAfter").ValueKind);
        Assert.Null(await Host.Services.GetRequiredService<CaseVault>().GetKeyAsync(caseId));
        JsonElement timeline = await Host.GetJsonAsync($"api/cases/{caseId}/timeline", key);
        Assert.Equal("erased", Text(timeline.GetProperty("items").EnumerateArray().Single(i => Text(i, "type") == "consent-withdrawn"), "outcome"));
        Assert.Empty(await StorageScan.FindAsync(await TestStorage.ConnectionStringAsync(), canaries.All));
        Assert.DoesNotContain(Host.Logs.Lines, line => canaries.All.Any(v => line.Contains(v, StringComparison.OrdinalIgnoreCase)));
    }
}
