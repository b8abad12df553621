using System.Net;
using System.Text.Json;
using Helsingborg.Http;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace Helsingborg.Tests.Access;

/// <summary>
/// Overload (issue 12, 4): intakes per key, on both intake routes together, and failed authentications per client
/// address are limited; over a limit the answer is 429 problem+json with Retry-After, and other keys go on.
/// </summary>
public sealed class RateLimitTests
{
    const string HousingPartnerKey = "demo-partner-housing";

    [Fact]
    public void A_key_gets_its_minutes_allowance_at_once_then_one_more_each_refill_and_other_keys_keep_theirs()
    {
        using var limits = new RateLimits(Options.Create(new RateLimitOptions { IntakePerMinute = 3, FailedAuthPerMinute = 2 }));

        Assert.All(Enumerable.Range(0, 3), _ => Assert.Null(limits.Intake("hotel")));
        TimeSpan? wait = limits.Intake("hotel");
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.Null(limits.Intake("housing"));

        Assert.Null(limits.Authentication("192.0.2.1"));
        Assert.Null(limits.FailedAuthentication("192.0.2.1"));
        Assert.Null(limits.FailedAuthentication("192.0.2.1"));
        Assert.NotNull(limits.Authentication("192.0.2.1"));
        Assert.NotNull(limits.FailedAuthentication("192.0.2.1"));
        Assert.Null(limits.Authentication("192.0.2.2"));
    }

    /// <summary>
    /// The bucket refills a fraction of a token every 100 ms: an address over its limit stays refused until a whole token
    /// is back, not from the next tick on (checked over half a second, five ticks; a lease of no permits let it through).
    /// </summary>
    [Fact]
    public async Task An_address_over_its_limit_stays_refused_while_its_bucket_refills_by_fractions()
    {
        using var limits = new RateLimits(Options.Create(new RateLimitOptions { FailedAuthPerMinute = 1 }));
        Assert.Null(limits.FailedAuthentication("192.0.2.1"));
        Assert.NotNull(limits.FailedAuthentication("192.0.2.1"));

        DateTime until = DateTime.UtcNow.AddMilliseconds(500);
        int checks = 0;
        while (DateTime.UtcNow < until)
        {
            TimeSpan? wait = limits.Authentication("192.0.2.1");
            Assert.True(wait is { } w && w > TimeSpan.Zero, $"the address was let through {checks} checks after its limit");
            checks++;
            await Task.Delay(10);
        }

        Assert.Null(limits.Authentication("192.0.2.2"));
    }

    [Fact]
    public void Zero_switches_a_limit_off()
    {
        using var limits = new RateLimits(Options.Create(new RateLimitOptions { IntakePerMinute = 0, FailedAuthPerMinute = 0 }));

        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Null(limits.Intake("hotel")));
        Assert.All(Enumerable.Range(0, 1000), _ => Assert.Null(limits.FailedAuthentication("192.0.2.1")));
    }

    [Fact]
    public async Task Intakes_over_the_limit_answer_429_with_Retry_After_on_both_routes_and_another_key_is_unaffected()
    {
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:IntakePerMinute"] = "4" });

        // The API and the form share the key's allowance.
        await AcceptedAsync(host, "api/intake", TestHost.PartnerKey);
        await AcceptedAsync(host, "intake", TestHost.PartnerKey);
        await AcceptedAsync(host, "api/intake", TestHost.PartnerKey);
        await AcceptedAsync(host, "intake", TestHost.PartnerKey);

        foreach (string route in new[] { "api/intake", "intake" })
        {
            using HttpResponseMessage refused = await host.Client.SendAsync(IntakeRequest(route, TestHost.PartnerKey));
            await AssertTooManyAsync(refused, "Too many intakes from this key.");
        }

        await AcceptedAsync(host, "api/intake", HousingPartnerKey);
        await AcceptedAsync(host, "intake", HousingPartnerKey);

        // Only intake is limited: the coordinator reads on.
        using HttpResponseMessage list = await host.SendAsync(HttpMethod.Get, "api/cases", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public async Task An_address_with_too_many_failed_authentications_gets_429_with_Retry_After_for_any_key_until_it_waits()
    {
        // One a minute: the bucket refills one token a minute, so the steps below have a whole minute before the address
        // may try again, also on a loaded machine (at 3 a minute a token came back after 20 s, and the valid key went
        // through). How many failures the allowance takes is the unit test's above.
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["RateLimits:FailedAuthPerMinute"] = "1" });

        using HttpResponseMessage wrong = await host.SendAsync(HttpMethod.Get, "api/cases", "not-a-key-0");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        using HttpResponseMessage guessing = await host.SendAsync(HttpMethod.Get, "api/cases", "not-a-key-1");
        await AssertTooManyAsync(guessing, "Too many failed authentications from this address.");
        using HttpResponseMessage none = await host.SendAsync(HttpMethod.Post, "api/intake", null, Intakes.Valid());
        await AssertTooManyAsync(none, "Too many failed authentications from this address.");

        // Over the limit the address is refused whatever it sends, so guessing gains nothing; pages need no key.
        using HttpResponseMessage valid = await host.SendAsync(HttpMethod.Get, "api/cases", TestHost.CoordinatorKey);
        await AssertTooManyAsync(valid, "Too many failed authentications from this address.");
        using HttpResponseMessage form = await host.Client.GetAsync("intake");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        using HttpResponseMessage health = await host.Client.GetAsync("api/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    static async Task AssertTooManyAsync(HttpResponseMessage response, string title)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        TimeSpan? retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter is { TotalSeconds: >= 1 and <= 60 }, $"Retry-After: {response.Headers.RetryAfter}");
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.RootElement.GetProperty("title").GetString());
    }

    static async Task AcceptedAsync(TestHost host, string route, string key)
    {
        using HttpResponseMessage response = await host.Client.SendAsync(IntakeRequest(route, key));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{route} answered {(int)response.StatusCode}: {body}");
    }

    /// <summary>The JSON intake for the API, the form's fields for the form's route.</summary>
    static HttpRequestMessage IntakeRequest(string route, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route)
        {
            Content = route == "intake"
                ? new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["municipality"] = "helsingborg",
                    ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    ["placeType"] = "hotel",
                    ["suspicion"] = "trafficking",
                    ["description"] = "Rate limit test.",
                    ["policeNotified"] = "true",
                })
                : System.Net.Http.Json.JsonContent.Create(Intakes.Valid()),
        };
        request.Headers.Add("X-Api-Key", key);
        return request;
    }
}
