using System.Text.Json;
using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>The 400 rules of the event body: errors by field, wrong types never thrown, values never echoed.</summary>
[Trait("Category", "Unit")]
public sealed class CaseEventParserTests
{
    private const string Canary = "Canary-Maria-0701234567";
    private static readonly DateTimeOffset Now = T0.AddDays(3);

    /// <summary>A minimal valid body for every event type.</summary>
    private static readonly Dictionary<CaseEventType, string> MinimalBodies = new()
    {
        [CaseEventType.ContactAttempted] = """{ "type": "contact-attempted" }""",
        [CaseEventType.ContactMade] = """{ "type": "contact-made", "wantsSupport": "yes" }""",
        [CaseEventType.LeadChanged] = """{ "type": "lead-changed", "lead": "salvation-army" }""",
        [CaseEventType.SupportConversation] = """{ "type": "support-conversation" }""",
        [CaseEventType.SupportGiven] = """{ "type": "support-given", "kind": "counselling-legal" }""",
        [CaseEventType.PlanAgreed] = """{ "type": "plan-agreed" }""",
        [CaseEventType.ReflectionPeriodGranted] = """{ "type": "reflection-period-granted" }""",
        [CaseEventType.ResidencePermitGranted] = """{ "type": "residence-permit-granted", "until": "2026-09-30" }""",
        [CaseEventType.LongTermStarted] = """{ "type": "long-term-started" }""",
        [CaseEventType.ReturnRequested] = """{ "type": "return-requested" }""",
        [CaseEventType.IomApplicationSubmitted] = """{ "type": "iom-application-submitted" }""",
        [CaseEventType.IomDecision] = """{ "type": "iom-decision", "approved": false }""",
        [CaseEventType.DepartureScheduled] = """{ "type": "departure-scheduled", "date": "2026-04-01T06:30:00+02:00" }""",
        [CaseEventType.Departed] = """{ "type": "departed" }""",
        [CaseEventType.ReintegrationFollowedUp] = """{ "type": "reintegration-followed-up", "outcome": "difficult" }""",
        [CaseEventType.ReturnWithdrawn] = """{ "type": "return-withdrawn" }""",
        [CaseEventType.CaseClosed] = """{ "type": "case-closed", "reason": "moved" }""",
        [CaseEventType.ConsentWithdrawn] = """{ "type": "consent-withdrawn" }""",
        [CaseEventType.EvaluationRecorded] = """{ "type": "evaluation-recorded", "outcome": "not-helped" }""",
        [CaseEventType.SharingConsentGiven] = """{ "type": "sharing-consent-given", "organisation": "womens-shelter", "fields": ["alias", "need"] }""",
        [CaseEventType.SharingConsentWithdrawn] = """{ "type": "sharing-consent-withdrawn", "organisation": "womens-shelter" }""",
        [CaseEventType.ReferralSent] = """{ "type": "referral-sent", "organisation": "womens-shelter", "kind": "accommodation", "due": "2026-04-01" }""",
        [CaseEventType.PoliceInformed] = """{ "type": "police-informed" }""",
        [CaseEventType.WorkerAssigned] = """{ "type": "worker-assigned" }""",
        [CaseEventType.WorkerReleased] = """{ "type": "worker-released" }""",
        [CaseEventType.SamePersonAs] = """{ "type": "same-person-as", "reference": "HBG-2026-0001" }""",
        [CaseEventType.SamePersonUnlinked] = """{ "type": "same-person-unlinked", "reference": "HBG-2026-0001" }""",
        [CaseEventType.MergedInto] = """{ "type": "merged-into", "reference": "HBG-2026-0001" }""",
        [CaseEventType.TransferRequested] = """{ "type": "transfer-requested", "municipality": "landskrona" }""",
        [CaseEventType.TransferAccepted] = """{ "type": "transfer-accepted" }""",
        [CaseEventType.TransferDeclined] = """{ "type": "transfer-declined", "reason": "no-capacity" }""",
        [CaseEventType.ProtectionAssessed] = """{ "type": "protection-assessed", "date": "2026-03-02T20:00:00+01:00" }""",
        [CaseEventType.InvestigationOpened] = """{ "type": "investigation-opened", "date": "2026-03-04" }""",
        [CaseEventType.NoInvestigation] = """{ "type": "no-investigation", "date": "2026-03-04" }""",
        [CaseEventType.InvestigationClosed] = """{ "type": "investigation-closed", "date": "2026-03-05" }""",
    };

    /// <summary>The receiving organisation's answers, which only /api/referrals sends.</summary>
    private static readonly CaseEventType[] PartnerAnswers = [CaseEventType.ReferralAccepted, CaseEventType.ReferralDeclined, CaseEventType.ReferralCompleted];

    public static TheoryData<CaseEventType> EveryEventType() => new(Enum.GetValues<CaseEventType>().Except(PartnerAnswers));

    public static TheoryData<CaseEventType> EveryPartnerAnswer() => new(PartnerAnswers);

    [Theory]
    [MemberData(nameof(EveryPartnerAnswer))]
    public void A_coordinator_cannot_record_a_receiving_organisations_answer(CaseEventType type)
    {
        var result = Parse($$"""{ "type": "{{CaseDecider.Kebab(type)}}" }""");

        Assert.Null(result.Event);
        Assert.Contains("/api/referrals", Assert.Single(result.Errors["type"]), StringComparison.Ordinal);
    }

    [Fact]
    public void A_sharing_consent_names_a_profile_organisation_and_known_fields_only()
    {
        var result = Parse("""{ "type": "sharing-consent-given", "organisation": "nobody", "fields": ["alias", "passport"] }""");

        Assert.Null(result.Event);
        Assert.Contains("organisation", result.Errors.Keys);
        Assert.Contains("fields", result.Errors.Keys);
        Assert.All(result.Errors.Values.SelectMany(m => m), m => Assert.DoesNotContain("passport", m, StringComparison.Ordinal));
        Assert.Equal(["due", "kind"], Parse("""{ "type": "referral-sent", "organisation": "womens-shelter" }""").Errors.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(EveryEventType))]
    public void Every_event_type_parses_from_a_minimal_body(CaseEventType type)
    {
        Assert.True(MinimalBodies.TryGetValue(type, out var body), "No minimal body for this event type.");

        var result = Parse(body);

        Assert.Empty(result.Errors);
        Assert.Equal(type, result.Event!.Type);
        Assert.Equal(Now, result.Event.At);
        Assert.Equal(("ev-1", "social-services", false), (result.Event.EventId, result.Event.By, result.Event.HasNote));
    }

    [Fact]
    public void A_full_contact_made_body_fills_the_event_and_returns_the_note_apart()
    {
        var result = Parse("""
            { "type": "contact-made", "at": "2026-03-04T21:30:00+01:00", "note": "Met at the station.",
              "wantsSupport": "yes", "wantsAuthorityContact": "no", "interpreterNeeded": true }
            """);

        Assert.Empty(result.Errors);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 20, 30, 0, TimeSpan.Zero), result.Event!.At);
        var made = Assert.IsType<ContactMade>(result.Event);
        Assert.Equal((YesNo.Yes, YesNoUnknown.No, true, true), (made.WantsSupport, made.WantsAuthorityContact!.Value, made.InterpreterNeeded!.Value, made.HasNote));
        Assert.Equal("Met at the station.", result.Note);
        Assert.DoesNotContain("station", JsonSerializer.Serialize(result.Event), StringComparison.Ordinal);
    }

    [Fact]
    public void A_reflection_period_keeps_its_dates_and_leaves_the_default_end_to_the_decider()
    {
        var withDates = Parse("""{ "type": "reflection-period-granted", "from": "2026-03-01", "to": "2026-03-31T00:00:00Z" }""");
        var without = Parse("""{ "type": "reflection-period-granted" }""");

        var granted = Assert.IsType<ReflectionPeriodGranted>(withDates.Event);
        Assert.Equal((new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 31, 0, 0, 0, TimeSpan.Zero)), (granted.From!.Value, granted.To!.Value));
        Assert.Null(Assert.IsType<ReflectionPeriodGranted>(without.Event).To);
    }

    [Fact]
    public void Outcome_means_the_reintegration_or_the_evaluation_by_event_type()
    {
        var reintegration = Assert.IsType<ReintegrationFollowedUp>(Parse("""{ "type": "reintegration-followed-up", "outcome": "unknown" }""").Event);
        var evaluation = Assert.IsType<EvaluationRecorded>(Parse("""{ "type": "evaluation-recorded", "outcome": "unknown" }""").Event);

        Assert.Equal((ReintegrationOutcome.Unknown, EvaluationOutcome.Unknown), (reintegration.Outcome, evaluation.Outcome));
    }

    public static TheoryData<string, string> InvalidBodies() => new()
    {
        { """{ }""", "type" },
        { """{ "type": null }""", "type" },
        { """{ "type": 7 }""", "type" },
        { """{ "type": "Contact-Made" }""", "type" },
        { """{ "type": "contact_made" }""", "type" },
        { """{ "type": "support-conversation", "at": "2026-03-02T08:00:00" }""", "at" },
        { """{ "type": "support-conversation", "at": "2026-03-02" }""", "at" },
        { """{ "type": "support-conversation", "at": "yesterday" }""", "at" },
        { """{ "type": "support-conversation", "at": 1772438400 }""", "at" },
        { """{ "type": "support-conversation", "at": "2026-03-05T08:02:00Z" }""", "at" },
        { """{ "type": "support-conversation", "note": 12 }""", "note" },
        { """{ "type": "support-conversation", "name": "x" }""", "name" },
        { """{ "type": "support-conversation", "kind": "medical" }""", "kind" },
        { """{ "type": "support-conversation", "Type": "plan-agreed" }""", "Type" },
        { """{ "type": "support-conversation", "type": "plan-agreed" }""", "type" },
        { """{ "type": "contact-attempted", "channel": "fax" }""", "channel" },
        { """{ "type": "contact-made" }""", "wantsSupport" },
        { """{ "type": "contact-made", "wantsSupport": null }""", "wantsSupport" },
        { """{ "type": "contact-made", "wantsSupport": true }""", "wantsSupport" },
        { """{ "type": "contact-made", "wantsSupport": "unknown" }""", "wantsSupport" },
        { """{ "type": "contact-made", "wantsSupport": "yes", "wantsAuthorityContact": "maybe" }""", "wantsAuthorityContact" },
        { """{ "type": "contact-made", "wantsSupport": "yes", "interpreterNeeded": "yes" }""", "interpreterNeeded" },
        { """{ "type": "lead-changed" }""", "lead" },
        { """{ "type": "lead-changed", "lead": "police" }""", "lead" },
        { """{ "type": "support-given" }""", "kind" },
        { """{ "type": "support-given", "kind": ["medical"] }""", "kind" },
        { """{ "type": "reflection-period-granted", "from": "2026-03-10", "to": "2026-03-01" }""", "to" },
        { """{ "type": "reflection-period-granted", "to": "2026-03-01T00:00:00Z" }""", "to" },
        { """{ "type": "reflection-period-granted", "from": "10/03/2026" }""", "from" },
        { """{ "type": "residence-permit-granted" }""", "until" },
        { """{ "type": "residence-permit-granted", "until": {} }""", "until" },
        { """{ "type": "return-requested", "bestInterestAssessed": "true" }""", "bestInterestAssessed" },
        { """{ "type": "iom-decision" }""", "approved" },
        { """{ "type": "iom-decision", "approved": 1 }""", "approved" },
        { """{ "type": "departure-scheduled" }""", "date" },
        { """{ "type": "reintegration-followed-up" }""", "outcome" },
        { """{ "type": "reintegration-followed-up", "outcome": "helped" }""", "outcome" },
        { """{ "type": "case-closed" }""", "reason" },
        { """{ "type": "case-closed", "reason": "returned" }""", "reason" },
        { """{ "type": "case-closed", "reason": "consent-withdrawn" }""", "reason" },
        { """{ "type": "evaluation-recorded" }""", "outcome" },
        { """{ "type": "evaluation-recorded", "outcome": "missing" }""", "outcome" },
        { """{ "type": "evaluation-recorded", "outcome": "good" }""", "outcome" },
        { "[]", "body" },
        { "\"contact-made\"", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public void An_invalid_body_is_reported_by_field(string body, string field)
    {
        var result = Parse(body);

        Assert.Null(result.Event);
        Assert.Null(result.Note);
        Assert.False(result.IsValid);
        Assert.Equal([field], result.Errors.Keys);
        Assert.NotEmpty(result.Errors[field]);
    }

    [Fact]
    public void Several_errors_are_reported_together()
    {
        var result = Parse("""{ "type": "contact-made", "at": "soon", "lead": "salvation-army", "colour": "red" }""");

        Assert.Equal(["at", "colour", "lead", "wantsSupport"], result.Errors.Keys.Order());
    }

    [Fact]
    public void A_note_may_have_2000_characters_but_not_more()
    {
        var fits = Parse($$"""{ "type": "support-conversation", "note": "{{new string('a', 2000)}}" }""");
        var tooLong = Parse($$"""{ "type": "support-conversation", "note": "{{new string('a', 2001)}}" }""");

        Assert.True(fits.IsValid);
        Assert.Equal(2000, fits.Note!.Length);
        Assert.Equal(["note"], tooLong.Errors.Keys);
    }

    [Theory]
    [InlineData("""{ "type": "support-conversation", "note": null }""")]
    [InlineData("""{ "type": "support-conversation", "note": "   " }""")]
    public void An_empty_note_is_no_note(string body)
    {
        var result = Parse(body);

        Assert.Null(result.Note);
        Assert.False(result.Event!.HasNote);
    }

    [Fact]
    public void An_event_time_within_a_minute_ahead_is_accepted()
    {
        var result = Parse("""{ "type": "support-conversation", "at": "2026-03-05T08:00:59Z" }""");

        Assert.True(result.IsValid);
    }

    public static TheoryData<string> BodiesWithACanary() => new()
    {
        $$"""{ "type": "{{Canary}}" }""",
        $$"""{ "type": "contact-made", "wantsSupport": "{{Canary}}" }""",
        $$"""{ "type": "contact-attempted", "channel": "{{Canary}}" }""",
        $$"""{ "type": "support-conversation", "at": "{{Canary}}" }""",
        $$"""{ "type": "residence-permit-granted", "until": "{{Canary}}" }""",
        $$"""{ "type": "case-closed", "reason": "{{Canary}}" }""",
        $$"""{ "type": "support-conversation", "note": "{{Canary}}{{new string('x', 2000)}}" }""",
        $$"""{ "type": "iom-decision", "approved": "{{Canary}}" }""",
        $$"""{ "type": "plan-agreed", "lead": "{{Canary}}" }""",
    };

    [Theory]
    [MemberData(nameof(BodiesWithACanary))]
    public void Error_messages_never_echo_the_submitted_value(string body)
    {
        var result = Parse(body);

        Assert.NotEmpty(result.Errors);
        Assert.DoesNotContain(Canary, JsonSerializer.Serialize(result.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_event_type_lists_the_known_ones()
    {
        var message = Assert.Single(Parse("""{ "type": "party" }""").Errors["type"]);

        Assert.Contains("contact-made", message, StringComparison.Ordinal);
        Assert.Contains("evaluation-recorded", message, StringComparison.Ordinal);
        Assert.DoesNotContain("party", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parsed_event_passes_the_decider_when_the_phase_allows_it()
    {
        var state = InState("return:approved");
        var result = CaseEventParser.Parse(JsonDocument.Parse("""{ "type": "departure-scheduled", "date": "2026-04-01" }""").RootElement, "ev-9", "salvation-army", Now, Infrastructure.TestProfiles.Helsingborg);

        var decision = CaseDecider.Apply(state, result.Event!, Now);

        Assert.Null(decision.Refused);
        Assert.Equal(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero), decision.State.DepartureDate);
    }

    [Fact]
    public void A_receiving_organisations_answer_reads_its_payload_and_nothing_else()
    {
        ParseResult Answer(CaseEventType type, string? body)
        {
            using var document = body is null ? null : JsonDocument.Parse(body);
            return CaseEventParser.ParseAnswer(type, document?.RootElement.Clone(), "e_ref", "ev-2", SharingPartner, Now, Infrastructure.TestProfiles.Helsingborg);
        }

        var declined = Assert.IsType<ReferralDeclined>(Answer(CaseEventType.ReferralDeclined, """{ "reason": "person-declined" }""").Event);
        var accepted = Assert.IsType<ReferralAccepted>(Answer(CaseEventType.ReferralAccepted, null).Event);

        Assert.Equal(("e_ref", DeclineReason.PersonDeclined, SharingPartner, Now), (declined.ReferralId, declined.Reason, declined.By, declined.At));
        Assert.Equal("e_ref", accepted.ReferralId);
        Assert.Equal(["reason"], Answer(CaseEventType.ReferralDeclined, "{ }").Errors.Keys);
        Assert.Equal(["reason"], Answer(CaseEventType.ReferralDeclined, $$"""{ "reason": "{{Canary}}" }""").Errors.Keys);
        Assert.DoesNotContain(Canary, JsonSerializer.Serialize(Answer(CaseEventType.ReferralDeclined, $$"""{ "reason": "{{Canary}}" }""").Errors), StringComparison.Ordinal);
        Assert.Equal(["note", "referralId"], Answer(CaseEventType.ReferralDeclined, """{ "reason": "other", "referralId": "e_other", "note": "x" }""").Errors.Keys.Order());
        Assert.Equal(["body"], Answer(CaseEventType.ReferralDeclined, "[]").Errors.Keys);
    }

    [Fact]
    public void Allowed_and_required_fields_follow_the_records()
    {
        foreach (var (type, record) in CaseEvents.All.Where(r => !CaseEvents.IsPartnerAnswer(r.Record)))
        {
            var required = Parse($$"""{ "type": "{{KebabCase.Name(type)}}" }""").Errors.Where(e => e.Value.Contains("Required.")).Select(e => e.Key);
            Assert.Equal(CaseEventParser.PayloadOf(record).Where(p => p.IsRequired).Select(p => p.Name).Order(), required.Order());
            foreach (var other in CaseEvents.All.Where(r => r.Record != record).SelectMany(r => CaseEventParser.PayloadOf(r.Record)).Select(p => p.Name).Distinct()
                .Where(n => !CaseEventParser.PayloadOf(record).Any(p => p.Name == n)))
            {
                Assert.Contains($"Not a field of {KebabCase.Name(type)}.", Parse($$"""{ "type": "{{KebabCase.Name(type)}}", "{{other}}": "x" }""").Errors[other]);
            }
        }
    }

    private static ParseResult Parse(string body)
    {
        using var document = JsonDocument.Parse(body);
        return CaseEventParser.Parse(document.RootElement.Clone(), "ev-1", "social-services", Now, Infrastructure.TestProfiles.Helsingborg);
    }
}
