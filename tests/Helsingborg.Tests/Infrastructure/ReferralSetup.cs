using System.Net;
using System.Text.Json;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// A case a coordinator has referred, made through the API as a coordinator would: intake, contact made, the
/// person's consent to share with the receiving organisation (Helsingborgshem, key demo-partner-housing), and the
/// referral. Each call makes its own case with its own alias, so a test finds its referral by id among the others of
/// the run (the tables are shared).
/// </summary>
public static class ReferralSetup
{
    public const string Receiver = "helsingborgshem";
    public const string ReceiverKey = "demo-partner-housing";

    public sealed record Referred(string CaseId, string ReferralId, string Alias, string Need);

    public static async Task<Referred> ReferAsync(TestHost host, string[]? fields = null, string kind = "accommodation")
    {
        string token = Guid.NewGuid().ToString("N")[..8];
        string alias = $"Inkorg{token}";
        string need = $"Behöver ett tryggt boende ({token})";
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(person: new
        {
            alias,
            estimatedAge = 30,
            gender = "female",
            languages = new[] { "ro", "en" },
            citizenship = new[] { "RO" },
            contact = "+46 70 000 00 00",
        }));
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("phase").GetString() == "short-term-support", "the case in short-term support");
        await host.RecordAsync(caseId, new { type = "sharing-consent-given", organisation = Receiver, fields = fields ?? ["alias", "languages", "need"], purpose = kind });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("consents").GetArrayLength() == 1, "the consent on the case");

        using HttpResponseMessage sent = await host.PostEventAsync(caseId, new
        {
            type = "referral-sent",
            organisation = Receiver,
            kind,
            due = DateTimeOffset.UtcNow.AddDays(7).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'"),
            note = need,
        });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        JsonElement referred = await host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals").GetArrayLength() == 1, "the referral on the case");
        string referralId = referred.GetProperty("referrals")[0].GetProperty("referralId").GetString()!;

        // The inbox is written after the case applied the referral: wait until the receiver sees it.
        await Poll.UntilAsync(async () => (await InboxItemAsync(host, referralId)) is not null, TimeSpan.FromSeconds(60), "the referral in the receiver's inbox");
        return new Referred(caseId, referralId, alias, need);
    }

    /// <summary>Another referral on a case that already has the consent; returns its id once the receiver sees it.</summary>
    public static async Task<string> ReferAgainAsync(TestHost host, string caseId, string kind = "psychological")
    {
        int before = (await host.GetJsonAsync($"api/cases/{caseId}")).GetProperty("referrals").GetArrayLength();
        await host.RecordAsync(caseId, new { type = "referral-sent", organisation = Receiver, kind, due = DateTimeOffset.UtcNow.AddDays(3).ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'") });
        JsonElement referred = await host.WaitForCaseAsync(caseId, c => c.GetProperty("referrals").GetArrayLength() == before + 1, "the second referral on the case");
        string referralId = referred.GetProperty("referrals")[before].GetProperty("referralId").GetString()!;
        await Poll.UntilAsync(async () => (await InboxItemAsync(host, referralId)) is not null, TimeSpan.FromSeconds(60), "the second referral in the receiver's inbox");
        return referralId;
    }

    /// <summary>The receiver's answer through the API (accept, decline with a reason, complete), applied to the case.</summary>
    public static async Task AnswerAsync(TestHost host, Referred referred, string referralId, string answer, string? reason = null)
    {
        using HttpResponseMessage answered = await host.SendAsync(HttpMethod.Post, $"api/referrals/{referralId}/{answer}", ReceiverKey, reason is null ? null : new { reason });
        Assert.Equal(HttpStatusCode.Accepted, answered.StatusCode);
        string status = answer switch { "accept" => "accepted", "decline" => "declined", _ => "completed" };
        await host.WaitForCaseAsync(referred.CaseId, c => c.GetProperty("referrals").EnumerateArray().Any(r => r.GetProperty("referralId").GetString() == referralId && r.GetProperty("status").GetString() == status), $"the referral {status}");
    }

    /// <summary>The receiver's inbox entry for one referral, or null.</summary>
    public static async Task<JsonElement?> InboxItemAsync(TestHost host, string referralId)
    {
        JsonElement inbox = await host.GetJsonAsync("api/referrals", ReceiverKey);
        return inbox.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("referralId").GetString() == referralId).Cast<JsonElement?>().FirstOrDefault();
    }
}
