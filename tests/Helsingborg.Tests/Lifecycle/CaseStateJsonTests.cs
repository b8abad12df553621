using System.Text.Json;
using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>The state survives ContinueAsNew and releases: JSON round trips, a literal version-1 state loads, and it stays small.</summary>
[Trait("Category", "Unit")]
public sealed class CaseStateJsonTests
{
    private static readonly JsonSerializerOptions DefaultOptions = new();

    private static CaseState RichState() => InState("short-term-support", minor: true)
        .Then<SupportGiven>(T0.AddDays(1), e => e with { Kind = SupportKind.CounsellingLegal })
        .Then<ResidencePermitGranted>(T0.AddDays(1), e => e with { Until = T0.AddDays(200) })
        .Then(CaseEventType.ReflectionPeriodGranted, T0.AddDays(1))
        .Then(CaseEventType.PlanAgreed, T0.AddDays(2))
        .Then(CaseEventType.ReturnRequested, T0.AddDays(3))
        .Then(CaseEventType.IomApplicationSubmitted, T0.AddDays(4));

    [Fact]
    public void Case_state_round_trips_through_its_own_json()
    {
        var state = CaseDecider.OnDeadline(RichState(), T0.AddDays(40)).State;

        var json = state.ToJson();
        var loaded = CaseState.FromJson(json);

        Assert.Equal(json, loaded.ToJson());
        Assert.Equal(state.SupportGiven, loaded.SupportGiven);
        Assert.Equal(state.LastFired, loaded.LastFired);
        Assert.Equal(state.Applied, loaded.Applied);
        Assert.Equal(state.Policy, loaded.Policy);
        Assert.Equal(CaseDecider.PendingDeadlines(state), CaseDecider.PendingDeadlines(loaded));
    }

    [Fact]
    public void Case_state_round_trips_with_default_serializer_options()
    {
        var state = RichState();

        var json = JsonSerializer.Serialize(state, DefaultOptions);
        var loaded = JsonSerializer.Deserialize<CaseState>(json, DefaultOptions)!;

        Assert.Equal(json, JsonSerializer.Serialize(loaded, DefaultOptions));
        Assert.Equal(CaseDecider.NextDeadline(state), CaseDecider.NextDeadline(loaded));
    }

    [Fact]
    public void Case_state_json_writes_enums_and_dictionary_keys_in_kebab_case()
    {
        var json = RichState().ToJson();

        Assert.Contains("\"phase\":\"return-assistance\"", json, StringComparison.Ordinal);
        Assert.Contains("\"step\":\"awaiting-decision\"", json, StringComparison.Ordinal);
        Assert.Contains("\"returnFrom\":\"short-term-support\"", json, StringComparison.Ordinal);
        Assert.Contains("\"lead\":\"social-services\"", json, StringComparison.Ordinal);
        Assert.Contains("\"counselling-legal\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"protection-assessment\"", json, StringComparison.Ordinal);
        Assert.Contains("\"firstContactReminderInterval\":\"2.00:00:00\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_of_schema_version_1_loads()
    {
        const string Version1 = """
            {
              "schemaVersion": 1,
              "caseId": "c_01JD2K8Q7M3X9V4T6B5N0R1W2Y",
              "municipality": "landskrona",
              "reportedBy": "hotel-group",
              "openedAt": "2026-03-02T08:00:00+00:00",
              "minor": false,
              "policeNotified": false,
              "policy": {
                "firstContactReminderInterval": "2.00:00:00",
                "firstContactEscalateAfterReminders": 3,
                "firstContactGiveUpAfter": "30.00:00:00",
                "shortTermFollowUpInterval": "7.00:00:00",
                "longTermFollowUpInterval": "30.00:00:00",
                "jointPlanDueAfter": "14.00:00:00",
                "planReviewInterval": "90.00:00:00",
                "reflectionPeriod": "30.00:00:00",
                "reflectionEndWarningBefore": "5.00:00:00",
                "permitEndWarningBefore": "14.00:00:00",
                "returnApplicationDueAfter": "7.00:00:00",
                "iomDecisionChaseInterval": "14.00:00:00",
                "reintegrationFollowUpAfter": "90.00:00:00",
                "evaluationDueAfter": "90.00:00:00",
                "evaluationGiveUpAfter": "365.00:00:00"
              },
              "phase": "long-term-support",
              "step": null,
              "returnFrom": null,
              "lead": "salvation-army",
              "contactMadeAt": "2026-03-03T10:15:00+00:00",
              "interpreterNeeded": true,
              "closedAt": null,
              "closeReason": null,
              "completedAt": null,
              "reintegrationOutcome": null,
              "evaluationOutcome": null,
              "erased": false,
              "contactAttempts": 2,
              "supportConversations": 5,
              "supportGiven": { "accommodation": 1, "contact-person": 3 },
              "firstContactReminders": 0,
              "followUpAnchor": "2026-04-01T09:00:00+00:00",
              "planAgreed": true,
              "nextPlanReviewAt": "2026-06-15T09:00:00+00:00",
              "reflectionPeriodEnds": null,
              "residencePermitEnds": "2026-04-20T00:00:00+00:00",
              "returnRequestedAt": null,
              "nextIomChaseAt": null,
              "departureDate": null,
              "departedAt": null,
              "lastFired": { "call-police": "2026-03-02T08:00:00+00:00", "follow-up": "2026-03-24T10:15:00+00:00" },
              "recentEventIds": ["e1", "e2", "e3"]
            }
            """;

        var state = CaseState.FromJson(Version1);

        Assert.Equal((Phase.LongTermSupport, "salvation-army", "landskrona"), (state.Phase, state.Lead, state.Municipality));
        Assert.Equal(3, state.SupportGiven[SupportKind.ContactPerson]);
        Assert.Equal(new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero), CaseDecider.NextDeadline(state));
        Assert.Equal(
            [new ReminderDue(ReminderKind.PermitEnding, new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero), false, "salvation-army")],
            CaseDecider.OnDeadline(state, new DateTimeOffset(2026, 4, 6, 0, 0, 0, TimeSpan.Zero)).Reminders);
    }

    [Fact]
    public void A_minimal_state_loads_with_defaults_for_everything_else()
    {
        var state = CaseState.FromJson("""
            { "schemaVersion": 1, "caseId": "c_1", "municipality": "bjuv", "reportedBy": "police",
              "openedAt": "2026-03-02T08:00:00Z", "phase": "first-contact", "supportGiven": null }
            """);

        Assert.Empty(state.SupportGiven);
        Assert.Equal(0, state.Applied);
        Assert.Equal(new CasePolicy(), state.Policy);
        Assert.Equal(T0.AddDays(2), CaseDecider.NextDeadline(state));
    }

    [Fact]
    public void A_state_from_a_newer_release_is_not_loaded_silently()
    {
        var json = RichState().ToJson().Replace("\"schemaVersion\":1", "\"schemaVersion\":2", StringComparison.Ordinal);

        Assert.Throws<NotSupportedException>(() => CaseState.FromJson(json));
    }

    [Fact]
    public void Enum_numbers_are_not_accepted()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Phase>("1"));
        Assert.Equal(Phase.ShortTermSupport, JsonSerializer.Deserialize<Phase>("\"short-term-support\""));
        Assert.Equal("\"partly-helped\"", JsonSerializer.Serialize(EvaluationOutcome.PartlyHelped));
    }

    [Fact]
    public void A_case_event_round_trips_as_an_external_event_payload()
    {
        var e = Valid<ContactMade>(T0) with { HasNote = true, InterpreterNeeded = false };

        var json = JsonSerializer.Serialize<CaseEvent>(e, DefaultOptions);

        Assert.Equal(e, JsonSerializer.Deserialize<CaseEvent>(json, DefaultOptions));
        Assert.Contains("\"contact-made\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Case_policy_binds_from_timespan_strings_and_defaults_to_the_spec_table()
    {
        var policy = JsonSerializer.Deserialize<CasePolicy>("""{ "FirstContactReminderInterval": "00:00:03" }""")!;
        var defaults = new CasePolicy();

        Assert.Equal(TimeSpan.FromSeconds(3), policy.FirstContactReminderInterval);
        Assert.Empty(defaults.Validate());
        Assert.Equal(
            [2, 3, 30, 7, 30, 14, 90, 30, 5, 14, 7, 14, 90, 90, 365],
            new double[]
            {
                defaults.FirstContactReminderInterval.TotalDays, defaults.FirstContactEscalateAfterReminders,
                defaults.FirstContactGiveUpAfter.TotalDays, defaults.ShortTermFollowUpInterval.TotalDays,
                defaults.LongTermFollowUpInterval.TotalDays, defaults.JointPlanDueAfter.TotalDays,
                defaults.PlanReviewInterval.TotalDays, defaults.ReflectionPeriod.TotalDays,
                defaults.ReflectionEndWarningBefore.TotalDays, defaults.PermitEndWarningBefore.TotalDays,
                defaults.ReturnApplicationDueAfter.TotalDays, defaults.IomDecisionChaseInterval.TotalDays,
                defaults.ReintegrationFollowUpAfter.TotalDays, defaults.EvaluationDueAfter.TotalDays,
                defaults.EvaluationGiveUpAfter.TotalDays,
            });
    }

    [Fact]
    public void A_case_open_for_years_keeps_a_small_state()
    {
        var state = InState("long-term-support").Then(CaseEventType.PlanAgreed, T0.AddDays(1));
        var at = T0.AddDays(2);
        for (var cycle = 0; cycle < 250; cycle++)
        {
            state = state.Then(cycle % 2 == 0
                ? new SupportConversation { EventId = Guid.NewGuid().ToString(), At = at, By = "salvation-army" }
                : new SupportGiven { EventId = Guid.NewGuid().ToString(), Kind = (SupportKind)(cycle % 10), At = at, By = "salvation-army" });
            at += state.Policy.LongTermFollowUpInterval;
            state = CaseDecider.OnDeadline(state, at).State;
            at = at.AddDays(1);
        }

        var size = state.ToJson().Length;

        Assert.Equal(125, state.SupportConversations);
        Assert.Equal(125, state.SupportGiven.Values.Sum());
        Assert.True(size < 4096, $"The state grew to {size} characters.");
    }
}
