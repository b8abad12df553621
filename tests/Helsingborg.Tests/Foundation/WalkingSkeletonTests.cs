using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Foundation;

[Collection(SharedHostCollection.Name)]
public sealed class WalkingSkeletonTests(SharedHost fixture)
{
    readonly TestHost host = fixture.Host;

    [Fact]
    public async Task Health_answers_ok_without_a_key()
    {
        JsonElement health = await host.GetJsonAsync("api/health", key: null!);
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Intake_from_a_partner_opens_a_case_in_first_contact()
    {
        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, "api/intake", TestHost.PartnerKey, Intakes.Valid());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        JsonElement receipt = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string caseId = receipt.GetProperty("caseId").GetString()!;
        Assert.Matches("^c_[0-9a-z]{26}$", caseId);
        Assert.True(receipt.TryGetProperty("receivedAt", out _));

        JsonElement found = await host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("first-contact", found.GetProperty("phase").GetString());
        Assert.Equal("hotel-group", found.GetProperty("reportedBy").GetString());
        Assert.Equal("Maria", found.GetProperty("person").GetProperty("alias").GetString());
    }

    [Fact]
    public async Task Reading_a_case_needs_a_coordinator_key()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());

        using HttpResponseMessage partner = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", TestHost.PartnerKey);
        using HttpResponseMessage anonymous = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", null);
        using HttpResponseMessage unknown = await host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", "not-a-key");

        Assert.Equal(HttpStatusCode.Forbidden, partner.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("application/problem+json", partner.Content.Headers.ContentType?.MediaType);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_unknown_case_answers_404_as_problem_json()
    {
        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Get, "api/cases/c_00000000000000000000000000", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_orchestration_reports_its_phase_as_custom_status()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        var client = (Microsoft.DurableTask.Client.DurableTaskClient)host.Services.GetService(typeof(Microsoft.DurableTask.Client.DurableTaskClient))!;
        string? status = null;
        await Poll.UntilAsync(async () =>
        {
            status = (await client.GetInstanceAsync(caseId, getInputsAndOutputs: true))?.SerializedCustomStatus;
            // Before the orchestrator's first turn is saved the status may be absent or the JSON literal null.
            return status is not null && status.TrimStart().StartsWith('{');
        }, TimeSpan.FromSeconds(30), "the orchestration's custom status");
        using JsonDocument doc = JsonDocument.Parse(status!);
        Assert.Equal("first-contact", doc.RootElement.GetProperty("phase").GetString());
        // What a monitor needs and the count of events taken in; not whether the person is a minor (README, "Custom status").
        Assert.Equal(["phase", "step", "lead", "nextDueAt", "applied"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.DoesNotContain("Maria", status);
    }
}
