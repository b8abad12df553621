using System.Text.Json;
using Azure.Core.Serialization;
using Helsingborg;
using Helsingborg.Functions;
using Helsingborg.LocalHost;
using Helsingborg.Lifecycle;
using Helsingborg.Timeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>
/// The payloads of the case orchestration written by one host read the same in the other (issue 10, f): the
/// Functions worker's serializer as the Functions app configures it, against the local engine's data converter as
/// the local host registers it. No storage is started.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DurablePayloadTests
{
    static readonly ObjectSerializer Functions = FunctionsSerializer();
    static readonly JsonDataConverter Local = LocalConverter();

    static ObjectSerializer FunctionsSerializer()
    {
        var services = new ServiceCollection();
        services.AddDurablePayloads();
        return services.BuildServiceProvider().GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer!;
    }

    static JsonDataConverter LocalConverter()
    {
        var services = new ServiceCollection();
        services.AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddDurableEngine(new ConfigurationBuilder().Build(), "UseDevelopmentStorage=true");
        return services.BuildServiceProvider().GetRequiredService<JsonDataConverter>();
    }

    /// <summary>A state with every kind of value it carries: enums, dates, counts, dictionaries, event ids.</summary>
    static CaseState RichState()
    {
        DateTimeOffset t = CaseScenario.T0;
        return CaseScenario.Open(minor: false, policeNotified: false)
            .Then<ContactAttempted>(t.AddMinutes(1), e => e with { Channel = ContactChannel.Sms })
            .Then<ContactMade>(t.AddMinutes(2), e => e with { InterpreterNeeded = true })
            .Then(CaseEventType.SupportGiven, t.AddMinutes(3))
            .Then<SupportGiven>(t.AddMinutes(4), e => e with { Kind = SupportKind.CounsellingLegal })
            .Then(CaseEventType.PlanAgreed, t.AddMinutes(5))
            .Then(CaseEventType.ResidencePermitGranted, t.AddMinutes(6))
            .Then(CaseEventType.SharingConsentGiven, t.AddMinutes(6))
            .Then<ReferralSent>(t.AddMinutes(6), e => e with { EventId = "e_ref" })
            .Then(CaseEventType.ReturnRequested, t.AddMinutes(7)) with { Applied = 7 };
    }

    /// <summary>An event with a payload of every kind of value: a profile choice, a list of enums, an optional enum, a date, a note flag.</summary>
    static CaseEvent RichEvent() => CaseScenario.Valid<SharingConsentGiven>(CaseScenario.T0) with { HasNote = true, Fields = [SharedField.Alias, SharedField.Need] };

    /// <summary>One event of every type, as the events endpoint and the referral answers raise them.</summary>
    public static TheoryData<CaseEventType> EveryEventType() => new(Enum.GetValues<CaseEventType>());

    public static TheoryData<string, object> Payloads()
    {
        CaseState state = RichState();
        var facts = new IntakeFacts("c_test", "helsingborg", "hotel-group", CaseScenario.T0, PoliceNotified: false, Minor: true);
        return new TheoryData<string, object>
        {
            { "orchestration input at intake", CaseInput.Start(facts, new CasePolicy { StepsPerExecution = 3, FirstContactReminderInterval = TimeSpan.FromSeconds(3) }) },
            { "orchestration input after continue-as-new", CaseInput.Continue(state, [RichEvent()]) },
            { "the case-event payload", CaseOrchestration.EventPayload(RichEvent()) },
            { "the orchestration's output", new CaseSummary("c_test", Phase.Completed, CloseReason.Returned, EvaluationOutcome.Helped, CaseScenario.T0, CaseScenario.T0.AddDays(90), 2, 5, 3) },
            { "the custom status", CaseStatus.Of(state) },
            {
                "the activity input",
                new CaseStep(state, Erase: true, [new TimelineEntry("c_test", "e1", CaseScenario.T0, "case-closed", "social-services", Refused: true, HasNote: true, "Not allowed.")],
                    [new ReminderDue(ReminderKind.FollowUp, CaseScenario.T0.AddDays(7), Escalated: true, "social-services"), new ReminderDue(ReminderKind.ReferralDue, CaseScenario.T0.AddDays(12), false, "victim-support", "e_ref")], Project: true)
            },
        };
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void A_payload_the_Functions_worker_writes_reads_the_same_in_the_local_engine_and_back(string what, object payload)
    {
        Type type = payload.GetType();
        string fromFunctions = Functions.Serialize(payload, type).ToString();
        string fromLocal = Local.Serialize(payload)!;

        Assert.True(fromFunctions == fromLocal, $"{what}: the hosts write different JSON\n{fromFunctions}\n{fromLocal}");
        object readLocally = Local.Deserialize(fromFunctions, type)!;
        object readInFunctions = Functions.Deserialize(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(fromLocal)), type, CancellationToken.None)!;
        Assert.Equal(fromFunctions, Local.Serialize(readLocally));
        Assert.Equal(fromLocal, Functions.Serialize(readInFunctions, type).ToString());

        // Nothing dropped on the way: the JSON names every non-null member of the payload.
        using JsonDocument doc = JsonDocument.Parse(fromFunctions);
        foreach (var property in type.GetProperties().Where(p => type != typeof(JsonElement) && p.GetIndexParameters().Length == 0 && p.GetValue(payload) is not null && p.Name != nameof(CaseStep.IsEmpty) && p.Name != nameof(CaseEvent.Type)))
        {
            Assert.True(doc.RootElement.TryGetProperty(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out _) || doc.RootElement.TryGetProperty(property.Name.ToLowerInvariant(), out _),
                $"{what}: {property.Name} is missing from {fromFunctions}");
        }
    }

    [Theory]
    [MemberData(nameof(EveryEventType))]
    public void Every_event_record_is_raised_by_one_host_and_read_by_the_other_as_itself(CaseEventType type)
    {
        CaseEvent e = CaseScenario.Valid(type, CaseScenario.T0) with { HasNote = true };
        JsonElement raised = CaseOrchestration.EventPayload(e);
        string fromFunctions = Functions.Serialize(raised, raised.GetType()).ToString();
        string fromLocal = Local.Serialize(raised)!;

        Assert.Equal(fromFunctions, fromLocal);
        Assert.StartsWith($$"""{"type":"{{KebabCase.Name(type)}}",""", fromFunctions, StringComparison.Ordinal);
        var readLocally = (CaseEvent)Local.Deserialize(fromFunctions, typeof(CaseEvent))!;
        var readInFunctions = (CaseEvent)Functions.Deserialize(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(fromLocal)), typeof(CaseEvent), CancellationToken.None)!;
        Assert.Equal(e.GetType(), readLocally.GetType());
        Assert.Equal(fromFunctions, Local.Serialize(CaseOrchestration.EventPayload(readLocally)));
        Assert.Equal(fromFunctions, Functions.Serialize(CaseOrchestration.EventPayload(readInFunctions), typeof(JsonElement)).ToString());
        Assert.Equal((type, e.EventId, e.At, e.By, true), (readLocally.Type, readLocally.EventId, readLocally.At, readLocally.By, readLocally.HasNote));
    }

    [Fact]
    public void The_state_carried_across_continue_as_new_keeps_every_value()
    {
        CaseState state = RichState();
        string written = Functions.Serialize(CaseInput.Continue(state), typeof(CaseInput)).ToString();
        CaseInput read = (CaseInput)Local.Deserialize(written, typeof(CaseInput))!;

        Assert.Equal(state.ToJson(), read.State!.ToJson());
        Assert.Equal(2, read.State.SupportGiven.Count);
        Assert.Equal(7, read.State.Applied);
        Assert.Equal(("e_ref", ReferralStatus.Sent), (read.State.Referrals.Single().Id, read.State.Referrals.Single().Status));
        Assert.Equal([SharedField.Alias, SharedField.Need], read.State.Consents.Single().Fields);
        Assert.Equal(Phase.ReturnAssistance, read.State.Phase);
    }
}
