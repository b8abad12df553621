using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Integration;

/// <summary>One local host for the lifecycle paths that are driven by events.</summary>
public sealed class EventDrivenHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["CasePolicy:EvaluationDueAfter"] = "00:00:02",
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Cases run through their lifecycle on the durable engine, through HTTP (issue 3, paths a, c, d, e).</summary>
public sealed class CasePathTests(EventDrivenHost fixture) : IClassFixture<EventDrivenHost>
{
    readonly TestHost host = fixture.Host;

    static bool HasReminder(JsonElement c, string kind) =>
        c.GetProperty("openReminders").EnumerateArray().Any(r => r.GetProperty("kind").GetString() == kind);

    static string Step(JsonElement c) => c.GetProperty("step").ValueKind == JsonValueKind.Null ? string.Empty : c.GetProperty("step").GetString()!;

    [Fact]
    public async Task A_case_goes_from_intake_through_return_to_completion()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        await host.WaitForPhaseAsync(caseId, "first-contact");

        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", interpreterNeeded = true });
        JsonElement c = await host.WaitForPhaseAsync(caseId, "short-term-support");
        Assert.Equal("social-services", c.GetProperty("lead").GetString());

        await host.RecordAsync(caseId, new { type = "support-given", kind = "accommodation" });
        await host.WaitForCaseAsync(caseId, x => x.GetProperty("counts").GetProperty("supportGiven").TryGetProperty("accommodation", out _), "support given to count");
        await host.RecordAsync(caseId, new { type = "long-term-started" });
        await host.WaitForPhaseAsync(caseId, "long-term-support");
        await host.RecordAsync(caseId, new { type = "return-requested" });
        c = await host.WaitForPhaseAsync(caseId, "return-assistance");
        Assert.Equal("preparing", Step(c));

        await host.RecordAsync(caseId, new { type = "iom-application-submitted" });
        await host.WaitForCaseAsync(caseId, x => Step(x) == "awaiting-decision", "awaiting the IOM decision");
        await host.RecordAsync(caseId, new { type = "iom-decision", approved = true });
        await host.WaitForCaseAsync(caseId, x => Step(x) == "approved", "the approval");
        string departure = DateTimeOffset.UtcNow.AddDays(10).ToString("yyyy-MM-dd");
        await host.RecordAsync(caseId, new { type = "departure-scheduled", date = departure });
        await host.WaitForCaseAsync(caseId, x => Step(x) == "departure-scheduled", "the scheduled departure");
        await host.RecordAsync(caseId, new { type = "departed" });
        await host.WaitForCaseAsync(caseId, x => Step(x) == "departed", "the departure");
        await host.RecordAsync(caseId, new { type = "reintegration-followed-up", outcome = "good" });
        c = await host.WaitForPhaseAsync(caseId, "closed");
        Assert.Equal("returned", c.GetProperty("closeReason").GetString());

        await host.RecordAsync(caseId, new { type = "evaluation-recorded", outcome = "helped" });
        c = await host.WaitForPhaseAsync(caseId, "completed");
        Assert.Equal("helped", c.GetProperty("evaluationOutcome").GetString());

        var durable = (Microsoft.DurableTask.Client.DurableTaskClient)host.Services.GetService(typeof(Microsoft.DurableTask.Client.DurableTaskClient))!;
        var instance = await durable.WaitForInstanceCompletionAsync(caseId, getInputsAndOutputs: true);
        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        Assert.Contains("returned", instance.SerializedOutput);
        Assert.DoesNotContain("Maria", instance.SerializedOutput);

        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
        string[] types = timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!).ToArray();
        Assert.Equal(
            ["intake", "contact-made", "support-given", "long-term-started", "return-requested", "iom-application-submitted", "iom-decision", "departure-scheduled", "departed", "reintegration-followed-up", "evaluation-recorded"],
            types);
    }

    [Fact]
    public async Task Consent_withdrawn_in_long_term_support_of_a_case_led_on_consent_closes_the_case_and_erases_its_personal_data()
    {
        // The person declines the authorities: the Salvation Army leads, on the person's consent.
        const string key = TestHost.SalvationArmyKey;
        string caseId = await host.CaseInShortTermSupportAsync(wantsAuthorityContact: "no", readKey: key);
        await host.RecordAsync(caseId, new { type = "support-conversation", note = "talked about housing" }, key);
        await host.RecordAsync(caseId, new { type = "long-term-started" }, key);
        await host.WaitForPhaseAsync(caseId, "long-term-support", key: key);
        Assert.Equal("Maria", (await host.GetJsonAsync($"api/cases/{caseId}", key)).GetProperty("person").GetProperty("alias").GetString());

        await host.RecordAsync(caseId, new { type = "consent-withdrawn" }, key);
        JsonElement c = await host.WaitForCaseAsync(caseId, x => x.GetProperty("erased").GetBoolean(), "the erasure", key: key);
        Assert.Equal("consent", c.GetProperty("legalBasis").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("cullAfter").ValueKind);
        Assert.Equal("closed", c.GetProperty("phase").GetString());
        Assert.Equal("consent-withdrawn", c.GetProperty("closeReason").GetString());
        Assert.Equal(JsonValueKind.Null, c.GetProperty("person").ValueKind);
        Assert.Equal(JsonValueKind.Null, c.GetProperty("incident").GetProperty("description").ValueKind);
        Assert.Equal(1, c.GetProperty("counts").GetProperty("supportConversations").GetInt32());

        var vault = (Helsingborg.DataProtection.CaseVault)host.Services.GetService(typeof(Helsingborg.DataProtection.CaseVault))!;
        Assert.Null(await vault.GetKeyAsync(caseId));
        JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline", key);
        Assert.All(timeline.GetProperty("items").EnumerateArray(), i => Assert.True(!i.TryGetProperty("note", out var n) || n.ValueKind == JsonValueKind.Null));
        Assert.Equal("erased", timeline.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "consent-withdrawn").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_rejected_iom_application_returns_the_case_to_the_support_phase_it_came_from()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support");
        await host.RecordAsync(caseId, new { type = "return-requested" });
        await host.WaitForPhaseAsync(caseId, "return-assistance");
        await host.RecordAsync(caseId, new { type = "iom-application-submitted" });
        await host.WaitForCaseAsync(caseId, x => Step(x) == "awaiting-decision", "awaiting the decision");

        await host.RecordAsync(caseId, new { type = "iom-decision", approved = false });
        JsonElement c = await host.WaitForPhaseAsync(caseId, "short-term-support");
        Assert.Equal(JsonValueKind.Null, c.GetProperty("step").ValueKind);
    }

    [Fact]
    public async Task A_minor_gets_the_protection_assessment_a_fixed_lead_and_no_return_without_best_interest_assessment()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(minor: true));
        JsonElement c = await host.WaitForCaseAsync(caseId, x => HasReminder(x, "protection-assessment"), "the protection-assessment reminder");
        Assert.True(c.GetProperty("minor").GetBoolean());
        JsonElement protection = c.GetProperty("openReminders").EnumerateArray().First(r => r.GetProperty("kind").GetString() == "protection-assessment");
        Assert.Equal("social-services", protection.GetProperty("organisation").GetString());

        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" });
        c = await host.WaitForPhaseAsync(caseId, "short-term-support");
        Assert.Equal("social-services", c.GetProperty("lead").GetString());

        using HttpResponseMessage leadChange = await host.PostEventAsync(caseId, new { type = "lead-changed", lead = "salvation-army" });
        Assert.Equal(HttpStatusCode.Conflict, leadChange.StatusCode);
        using HttpResponseMessage returnWithout = await host.PostEventAsync(caseId, new { type = "return-requested" });
        Assert.Equal(HttpStatusCode.Conflict, returnWithout.StatusCode);
        JsonElement problem = JsonDocument.Parse(await returnWithout.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("short-term-support", problem.GetProperty("phase").GetString());
        Assert.Contains("return-requested", problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));

        await host.RecordAsync(caseId, new { type = "return-requested", bestInterestAssessed = true });
        await host.WaitForPhaseAsync(caseId, "return-assistance");
    }

    [Fact]
    public async Task An_event_not_allowed_in_the_phase_is_refused_with_the_phase_and_what_is_allowed()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        using HttpResponseMessage response = await host.PostEventAsync(caseId, new { type = "long-term-started" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("first-contact", problem.GetProperty("phase").GetString());
        Assert.Contains("contact-made", problem.GetProperty("allowed").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task An_invalid_event_body_is_a_400_naming_the_fields()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        using HttpResponseMessage response = await host.PostEventAsync(caseId, new { type = "contact-made", wantsSupport = "perhaps-SECRETVALUE", extra = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        JsonElement errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty("wantsSupport", out _));
        Assert.True(errors.TryGetProperty("extra", out _));
        Assert.DoesNotContain("SECRETVALUE", body);
    }

    [Theory]
    [InlineData("""{ "type": "party", "at": "2026-03-02T08:00:00Z" }""")]
    [InlineData("""{ "type": "referral-sent", "organisation": "nobody", "kind": ["medical"], "due": "soon", "lead": "x", "colour": "red" }""")]
    [InlineData("""{ "type": "referral-accepted", "referralId": "e_1" }""")]
    public async Task An_unknown_type_or_a_malformed_payload_answers_the_problem_the_reader_gives(string body)
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        using HttpResponseMessage response = await host.SendAsync(HttpMethod.Post, $"api/cases/{caseId}/events", TestHost.CoordinatorKey, JsonDocument.Parse(body).RootElement);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Helsingborg.Lifecycle.ParseResult direct = Helsingborg.Lifecycle.CaseEventParser.Parse(JsonDocument.Parse(body).RootElement, "e_test", "social-services", DateTimeOffset.UtcNow, TestProfiles.Helsingborg);
        Assert.Equal(JsonSerializer.Serialize(direct.Errors.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary()), JsonSerializer.Serialize(problem.GetProperty("errors").EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(m => m.GetString()).ToArray())));
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Events_for_an_unknown_case_answer_404()
    {
        using HttpResponseMessage response = await host.PostEventAsync("c_00000000000000000000000000", new { type = "contact-made", wantsSupport = "yes" });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Reminders_can_be_listed_by_kind_and_acknowledged_once()
    {
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid(policeNotified: false));
        await host.WaitForCaseAsync(caseId, x => HasReminder(x, "call-police"), "the call-police reminder");
        JsonElement list = await host.GetJsonAsync($"api/reminders?status=open&kind=call-police&caseId={caseId}");
        JsonElement reminder = list.GetProperty("items").EnumerateArray().First(r => r.GetProperty("caseId").GetString() == caseId);
        string id = reminder.GetProperty("reminderId").GetString()!;

        using HttpResponseMessage first = await host.SendAsync(HttpMethod.Post, $"api/reminders/{id}/acknowledge", TestHost.CoordinatorKey);
        using HttpResponseMessage second = await host.SendAsync(HttpMethod.Post, $"api/reminders/{id}/acknowledge", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        string at1 = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("acknowledgedAt").GetString()!;
        string at2 = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement.GetProperty("acknowledgedAt").GetString()!;
        Assert.Equal(at1, at2);

        JsonElement acknowledged = await host.GetJsonAsync($"api/reminders?status=acknowledged&caseId={caseId}");
        Assert.Contains(acknowledged.GetProperty("items").EnumerateArray(), r => r.GetProperty("reminderId").GetString() == id);
        JsonElement open = await host.GetJsonAsync($"api/reminders?status=open&caseId={caseId}");
        Assert.DoesNotContain(open.GetProperty("items").EnumerateArray(), r => r.GetProperty("reminderId").GetString() == id);
    }
}
