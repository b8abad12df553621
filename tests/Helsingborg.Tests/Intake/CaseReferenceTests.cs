using System.Net;
using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// A host whose city numbers its cases with a prefix of its own, so that the counter of the year is this host's alone
/// in the test run's shared storage and its numbers can be asserted exactly.
/// </summary>
public sealed class CaseReferenceHost : IAsyncLifetime
{
    public string Prefix { get; } = new(Enumerable.Range(0, 8).Select(_ => (char)('A' + Random.Shared.Next(26))).ToArray());

    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["City:CaseReferencePrefix"] = Prefix,
        ["RateLimits:IntakePerMinute"] = "0",
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Case numbers: given at intake, counting up within the year, once per intake however it is retried, and found by <c>?reference=</c>.</summary>
public sealed class CaseReferenceTests(CaseReferenceHost fixture) : IClassFixture<CaseReferenceHost>
{
    TestHost Host => fixture.Host;

    static int Year => CaseReference.YearOf(DateTimeOffset.UtcNow);

    async Task<(string CaseId, string Reference, HttpResponseMessage Response)> SubmitAsync(string? idempotencyKey = null, object? intake = null)
    {
        // A keyed intake answered 503 (its deadline passed on a loaded machine) is sent again with its key after
        // Retry-After, as the API tells a partner to: the key binds the case and its number, so nothing is doubled.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpResponseMessage response;
        string body;
        while (true)
        {
            HttpRequestMessage request = Host.Request(HttpMethod.Post, "api/intake", TestHost.PartnerKey, intake ?? Intakes.Valid());
            if (idempotencyKey is not null)
            {
                request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
            }

            response = await Host.Client.SendAsync(request);
            body = await response.Content.ReadAsStringAsync();
            if (idempotencyKey is null || response.StatusCode != HttpStatusCode.ServiceUnavailable || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
        }

        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"intake answered {(int)response.StatusCode}: {body}");
        JsonElement receipt = JsonDocument.Parse(body).RootElement;
        return (receipt.GetProperty("caseId").GetString()!, receipt.GetProperty("reference").GetString()!, response);
    }

    static long NumberOf(string reference)
    {
        Assert.True(CaseReference.TryParse(reference, out CaseReference read), $"{reference} is not a case reference");
        return read.Number;
    }

    async Task<JsonElement> FindAsync(string reference, string key = TestHost.CoordinatorKey) =>
        (await Host.GetJsonAsync($"api/cases?reference={Uri.EscapeDataString(reference)}", key)).GetProperty("items");

    [Fact]
    public async Task Fifty_intakes_at_once_get_fifty_distinct_consecutive_references_and_a_retry_gets_its_own_again()
    {
        (string CaseId, string Reference, HttpResponseMessage _)[] opened = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => SubmitAsync("burst-" + i + "-" + Guid.NewGuid().ToString("N"))));

        Assert.Equal(50, opened.Select(o => o.CaseId).Distinct().Count());
        Assert.All(opened, o => Assert.StartsWith($"{fixture.Prefix}-{Year}-", o.Reference, StringComparison.Ordinal));
        long[] numbers = [.. opened.Select(o => NumberOf(o.Reference)).Order()];
        Assert.Equal(50, numbers.Distinct().Count());
        Assert.Equal(numbers[0] + 49, numbers[^1]);

        // The same intake again with its key: the same case and reference; the next intake takes the next number.
        string key = "retried-" + Guid.NewGuid().ToString("N");
        (string caseId, string reference, _) = await SubmitAsync(key);
        (string againId, string againReference, HttpResponseMessage again) = await SubmitAsync(key);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal((caseId, reference), (againId, againReference));
        (_, string next, _) = await SubmitAsync();
        Assert.Equal(NumberOf(reference) + 1, NumberOf(next));

        // The case carries its reference in its read, the list and its reminders (the intake did not notify the police).
        (string remindedId, string remindedReference, _) = await SubmitAsync(intake: Intakes.Valid(policeNotified: false));
        JsonElement c = await Host.WaitForCaseAsync(remindedId, x => x.GetProperty("openReminders").GetArrayLength() > 0, "the call-police reminder");
        Assert.Equal(remindedReference, c.GetProperty("reference").GetString());
        Assert.All(c.GetProperty("openReminders").EnumerateArray(), r => Assert.Equal(remindedReference, r.GetProperty("reference").GetString()));
        JsonElement listed = Assert.Single((await FindAsync(remindedReference)).EnumerateArray());
        Assert.Equal(remindedReference, listed.GetProperty("reference").GetString());
        List<JsonElement> reminders = await Host.ListAllAsync("api/reminders", "status=open");
        Assert.Contains(reminders, r => r.GetProperty("caseId").GetString() == remindedId && r.GetProperty("reference").GetString() == remindedReference);
    }

    [Fact]
    public async Task A_reference_finds_exactly_its_case_and_another_year_or_city_finds_nothing()
    {
        (string caseId, string reference, _) = await SubmitAsync();
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case to be projected");

        JsonElement found = Assert.Single((await FindAsync(reference)).EnumerateArray());
        Assert.Equal(caseId, found.GetProperty("caseId").GetString());
        Assert.Equal(reference, found.GetProperty("reference").GetString());
        Assert.Equal(caseId, Assert.Single((await FindAsync(reference.ToLowerInvariant())).EnumerateArray()).GetProperty("caseId").GetString());

        long number = NumberOf(reference);
        Assert.Empty((await FindAsync(new CaseReference(fixture.Prefix, Year - 1, number).ToString())).EnumerateArray());
        Assert.Empty((await FindAsync(new CaseReference(fixture.Prefix == "EXS" ? "HBG" : "EXS", Year, number).ToString())).EnumerateArray());
        Assert.Empty((await FindAsync(new CaseReference(fixture.Prefix, Year, number + 1000).ToString())).EnumerateArray());

        using HttpResponseMessage malformed = await Host.SendAsync(HttpMethod.Get, $"api/cases?reference={number}", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        using HttpResponseMessage combined = await Host.SendAsync(HttpMethod.Get, $"api/cases?reference={reference}&phase=first-contact", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, combined.StatusCode);
    }

    [Fact]
    public async Task A_reference_of_a_case_the_caller_may_not_see_finds_nothing()
    {
        // A person who declines the authorities: the case is the lead without authorities', which only it sees.
        (string caseId, string reference, _) = await SubmitAsync(intake: Intakes.Valid(wantsAuthorityContact: "no"));
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case to be projected", key: TestHost.SalvationArmyKey);

        Assert.Equal(caseId, Assert.Single((await FindAsync(reference, TestHost.SalvationArmyKey)).EnumerateArray()).GetProperty("caseId").GetString());
        Assert.Empty((await FindAsync(reference, TestHost.CoordinatorKey)).EnumerateArray());
    }

    [Fact]
    public async Task An_intake_whose_host_died_after_taking_its_number_gets_that_number_when_retried()
    {
        // The crash point in process: the first request reserved its key and took its number, then its host died
        // before the case was stored. Its retry (same key) finishes that case with that number: no second number.
        string key = "in-doubt-" + Guid.NewGuid().ToString("N");
        const string organisation = "hotel-group"; // The partner key's organisation.
        string doomed = CaseIds.New();
        DateTimeOffset receivedAt = DateTimeOffset.UtcNow;
        receivedAt = receivedAt.AddTicks(-(receivedAt.Ticks % TimeSpan.TicksPerMillisecond));
        await Host.Services.GetRequiredService<Helsingborg.Intake.IdempotencyStore>().ReserveAsync(organisation, key, doomed, receivedAt, TimeSpan.Zero, CancellationToken.None);
        CaseReference taken = await Host.Services.GetRequiredService<CaseReferenceStore>().AssignAsync(fixture.Prefix, CaseReference.YearOf(receivedAt), doomed, CancellationToken.None);
        using (HttpResponseMessage missing = await Host.SendAsync(HttpMethod.Get, $"api/cases/{doomed}", TestHost.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        (string caseId, string reference, _) = await SubmitAsync(key);

        Assert.Equal(doomed, caseId);
        Assert.Equal(taken.ToString(), reference);
        JsonElement c = await Host.WaitForCaseAsync(caseId, x => x.GetProperty("allowed").GetArrayLength() > 0, "the retried case to be projected");
        Assert.Equal(reference, c.GetProperty("reference").GetString());
        Assert.Equal(caseId, Assert.Single((await FindAsync(reference)).EnumerateArray()).GetProperty("caseId").GetString());
        (_, string next, _) = await SubmitAsync();
        Assert.Equal(taken.Number + 1, NumberOf(next));
    }
}
