using System.Net;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// Events across continue-as-new on the local engine (issue 10, b and e): a storm of concurrent events is applied
/// exactly once, and a whole lifecycle posted back to back is accepted and applied in order.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class EventOrderTests(SharedHost fixture, ITestOutputHelper output)
{
    readonly TestHost host = fixture.Host;
    readonly HistoryCounter history = fixture.History;

    [Fact]
    [Trait("Category", "Soak")]
    public async Task A_storm_of_500_events_from_16_senders_is_applied_exactly_once_across_continue_as_new()
    {
        const int senders = 16;
        const int total = 500;
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.RecordAsync(caseId, new { type = "long-term-started" });

        // Each event with an Idempotency-Key of its own. A 503 (storage slower than the route's 8 s deadline, on a
        // loaded machine) is sent again with the same key after its Retry-After, as the API tells a client to do, and
        // the event must still be applied once.
        int next = -1;
        int resent = 0;
        var answers = new List<HttpStatusCode>[senders];
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async sender =>
        {
            answers[sender] = [];
            int n;
            while ((n = Interlocked.Increment(ref next)) < total)
            {
                string key = $"storm-{caseId}-{n}";
                for (int attempt = 1; ; attempt++)
                {
                    using HttpRequestMessage request = host.Request(HttpMethod.Post, $"api/cases/{caseId}/events", TestHost.CoordinatorKey, new { type = "support-conversation" });
                    request.Headers.Add("Idempotency-Key", key);
                    using HttpResponseMessage response = await host.Client.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable && attempt < 5)
                    {
                        Assert.NotNull(response.Headers.RetryAfter?.Delta);
                        Interlocked.Increment(ref resent);
                        await Task.Delay(response.Headers.RetryAfter!.Delta!.Value);
                        continue;
                    }

                    answers[sender].Add(response.StatusCode);
                    break;
                }
            }
        }));
        Assert.All(answers.SelectMany(a => a), status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(total, answers.Sum(a => a.Count));

        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() >= total, "every event to be applied", TimeSpan.FromMinutes(5));
        JsonElement final = await host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal(total, final.GetProperty("counts").GetProperty("supportConversations").GetInt32());
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        Assert.Equal(total, timeline.GetProperty("items").EnumerateArray().Count(e => e.GetProperty("type").GetString() == "support-conversation" && !e.GetProperty("refused").GetBoolean()));

        IReadOnlyDictionary<string, int> executions = history.Executions(caseId);
        output.WriteLine($"{total} events from {senders} senders ({resent} sent again after a 503): applied {total}, {executions.Count} executions, largest history {executions.Values.Max()} events");
        Assert.True(executions.Count > 1, "the case never continued as new");
        Assert.InRange(executions.Values.Max(), 1, 100);
    }

    [Fact]
    public async Task The_30_events_of_a_whole_lifecycle_posted_back_to_back_are_all_accepted_and_applied_in_order()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        string soon = DateTimeOffset.UtcNow.AddDays(20).ToString("O");
        string later = DateTimeOffset.UtcNow.AddDays(200).ToString("O");
        object[] lifecycle =
        [
            new { type = "contact-attempted", channel = "phone" },
            new { type = "contact-attempted", channel = "sms" },
            new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", interpreterNeeded = true },
            new { type = "support-conversation" },
            new { type = "support-conversation" },
            new { type = "support-given", kind = "accommodation" },
            new { type = "plan-agreed" },
            new { type = "reflection-period-granted", from = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("O"), to = soon },
            new { type = "residence-permit-granted", until = later },
            new { type = "support-given", kind = "interpretation" },
            new { type = "long-term-started" },
            new { type = "support-conversation" },
            new { type = "lead-changed", lead = "social-services" },
            new { type = "support-given", kind = "medical" },
            new { type = "return-requested" },
            new { type = "iom-application-submitted" },
            new { type = "iom-decision", approved = false },
            new { type = "support-conversation" },
            new { type = "return-requested" },
            new { type = "support-given", kind = "counselling-legal" },
            new { type = "iom-application-submitted" },
            new { type = "support-conversation" },
            new { type = "iom-decision", approved = true },
            new { type = "departure-scheduled", date = soon },
            new { type = "support-given", kind = "material" },
            new { type = "departed" },
            new { type = "support-conversation" },
            new { type = "reintegration-followed-up", outcome = "good" },
            new { type = "consent-withdrawn" },
            new { type = "evaluation-recorded", outcome = "helped" },
        ];
        Assert.Equal(30, lifecycle.Length);

        foreach (object e in lifecycle)
        {
            using HttpResponseMessage response = await host.PostEventAsync(caseId, e);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{JsonSerializer.Serialize(e)} answered {(int)response.StatusCode}: {body}");
        }

        JsonElement final = await host.WaitForPhaseAsync(caseId, "completed");
        Assert.Equal("returned", final.GetProperty("closeReason").GetString());
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        JsonElement[] entries = timeline.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("type").GetString() != "intake").ToArray();
        Assert.DoesNotContain(entries, e => e.GetProperty("refused").GetBoolean());
        Assert.Equal(
            lifecycle.Select(e => JsonSerializer.SerializeToElement(e).GetProperty("type").GetString()),
            entries.OrderBy(e => e.GetProperty("at").GetDateTimeOffset()).Select(e => e.GetProperty("type").GetString()));
    }
}
