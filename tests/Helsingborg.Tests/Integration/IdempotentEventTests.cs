using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// An event or a referral answer sent again with its Idempotency-Key, one after the other or at once, is applied once and
/// answered as the first time; the same key for another request is refused (issue 20, a).
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class IdempotentEventTests(SharedHost fixture)
{
    readonly TestHost host = fixture.Host;

    async Task<HttpResponseMessage> PostAsync(string path, string apiKey, string idempotencyKey, object? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", apiKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await host.Client.SendAsync(request);
    }

    [Fact]
    public async Task An_event_sent_5_times_in_a_row_and_6_times_at_once_with_one_key_is_applied_once()
    {
        string caseId = await host.CaseInShortTermSupportAsync();
        string path = $"api/cases/{caseId}/events";
        var body = new { type = "support-conversation", note = "Samtal om boende" };

        string inRow = Guid.NewGuid().ToString("N");
        var answers = new List<(HttpStatusCode Status, string? Replayed, string Body)>();
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage response = await PostAsync(path, TestHost.CoordinatorKey, inRow, body);
            answers.Add((response.StatusCode, response.Headers.TryGetValues("Idempotent-Replayed", out var r) ? r.Single() : null, await response.Content.ReadAsStringAsync()));
        }

        string atOnce = Guid.NewGuid().ToString("N");
        HttpResponseMessage[] together = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(path, TestHost.CoordinatorKey, atOnce, body)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.Status));
        Assert.Null(answers[0].Replayed);
        Assert.All(answers.Skip(1), a => Assert.Equal("true", a.Replayed));
        Assert.All(answers.Skip(1), a => Assert.Equal(answers[0].Body, a.Body));
        Assert.All(together, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(5, together.Count(r => r.Headers.Contains("Idempotent-Replayed")));

        // Two requests, two conversations: each key once, counted and in the timeline.
        JsonElement applied = await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() >= 2, "both conversations");
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Equal(2, timeline.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "support-conversation"));

        // A later event without a key is applied after everything before it: three, not more.
        await host.RecordAsync(caseId, new { type = "support-conversation" });
        JsonElement after = await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() >= 3, "the third conversation");
        Assert.Equal(3, after.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        Assert.Equal(2, applied.GetProperty("counts").GetProperty("supportConversations").GetInt32());

        // The same key with another body is refused, naming the header, and stores nothing.
        using HttpResponseMessage other = await PostAsync(path, TestHost.CoordinatorKey, inRow, new { type = "support-conversation", note = "Ett annat samtal" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Idempotency-Key", await other.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        foreach (HttpResponseMessage r in together)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task A_referral_answer_sent_again_with_its_key_is_applied_once_and_another_answer_with_the_key_is_refused()
    {
        ReferralSetup.Referred referred = await ReferralSetup.ReferAsync(host);
        string key = Guid.NewGuid().ToString("N");
        string path = $"api/referrals/{referred.ReferralId}/accept";

        HttpResponseMessage[] together = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(path, ReferralSetup.ReceiverKey, key, null)));
        using HttpResponseMessage again = await PostAsync(path, ReferralSetup.ReceiverKey, key, null);

        Assert.All(together, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await host.WaitForCaseAsync(referred.CaseId, c => c.GetProperty("referrals")[0].GetProperty("status").GetString() == "accepted", "the referral accepted");

        // Once, in the timeline, and never refused as a second acceptance would be.
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{referred.CaseId}/timeline");
        JsonElement[] accepted = [.. timeline.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("type").GetString() == "referral-accepted")];
        Assert.Single(accepted);
        Assert.False(accepted[0].GetProperty("refused").GetBoolean());

        using HttpResponseMessage complete = await PostAsync($"api/referrals/{referred.ReferralId}/complete", ReferralSetup.ReceiverKey, key, null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, complete.StatusCode);
        foreach (HttpResponseMessage r in together)
        {
            r.Dispose();
        }
    }
}
