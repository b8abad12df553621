using System.Text.Json;
using System.Text.Json.Nodes;
using Helsingborg.Http;
using Helsingborg.Reminders;

namespace Helsingborg.Tests.Contract;

/// <summary>The schemas generated from named types are strict enough to catch a changed answer; no storage, no host.</summary>
[Trait("Category", "Unit")]
public sealed class GeneratedSchemaTests
{
    static bool Valid(string schema, string json)
    {
        using JsonDocument instance = JsonDocument.Parse(json);
        return OpenApiContract.Compile(OpenApiContract.Document["components"]!["schemas"]![schema]!).Evaluate(instance.RootElement).IsValid;
    }

    const string Reminder = """{"reminderId":"c.follow-up.1","caseId":"c","reference":"HBG-2026-0001","kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null,"push":null,"notifiedAt":null,"notified":[]}""";

    [Fact]
    public void A_reminder_page_as_the_handler_sends_it_validates()
    {
        Assert.True(Valid(nameof(ReminderPage), $$"""{"items":[{{Reminder}}],"next":null}"""), OpenApiContract.Document["components"]!["schemas"]![nameof(ReminderPage)]!.ToJsonString());
        Assert.True(Valid(nameof(ReminderPage), $$"""{"items":[],"next":"abc"}"""));
        Assert.True(Valid(nameof(ReminderPage), """{"items":[{"reminderId":"c.child-protection.1","caseId":"c","reference":"HBG-2026-0001","kind":"child-protection","dueAt":"2026-01-01T00:00:00Z","organisation":"o","escalated":true,"acknowledgedAt":null,"push":"sent","notifiedAt":"2026-01-01T00:00:10Z","notified":["o","p"]}],"next":null}"""));
    }

    [Theory]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"reference":null,"kind":"no-such-kind","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null,"push":null,"notifiedAt":null,"notified":[]}],"next":null}""")]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"reference":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":"no","acknowledgedAt":null,"push":null,"notifiedAt":null,"notified":[]}],"next":null}""")]
    [InlineData("""{"items":[{"caseId":null,"reference":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null,"push":null,"notifiedAt":null,"notified":[]}],"next":null}""")]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"reference":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null,"push":"delivered","notifiedAt":null,"notified":[]}],"next":null}""")]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"reference":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null}],"next":null}""")]
    [InlineData("""{"items":[{"reminderId":"x","caseId":"c","reference":42,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null,"push":null,"notifiedAt":null,"notified":[]}],"next":null}""")]
    [InlineData("""{"items":null,"next":null}""")]
    [InlineData("""{"items":[],"next":5}""")]
    [InlineData("""{"items":[],"next":null,"total":3}""")]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"reference":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null,"push":null,"notifiedAt":null,"notified":[],"note":"x"}],"next":null}""")]
    public void A_changed_answer_does_not_validate(string json) => Assert.False(Valid(nameof(ReminderPage), json));

    [Fact]
    public void Every_schema_of_the_document_compiles_and_nested_types_are_references()
    {
        foreach ((string name, JsonNode? schema) in OpenApiContract.Document["components"]!["schemas"]!.AsObject())
        {
            _ = OpenApiContract.Compile(schema!);
        }

        Assert.Equal("#/components/schemas/" + nameof(ReminderResponse), OpenApiContract.Document["components"]!["schemas"]![nameof(ReminderPage)]!["properties"]!["items"]!["items"]!["$ref"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"caseId":"c","type":"contact-attempted","acceptedAt":"2026-01-01T00:00:00Z"}""", true)]
    [InlineData("""{"caseId":"c","type":"contact-attempted","acceptedAt":"2026-01-01T00:00:00Z","by":"x"}""", false)]
    [InlineData("""{"caseId":"c","type":"contact-attempted","acceptedOn":"2026-01-01T00:00:00Z"}""", false)]
    [InlineData("""{"caseId":"c","type":"no-such-event","acceptedAt":"2026-01-01T00:00:00Z"}""", false)]
    public void A_record_is_the_whole_answer_so_an_extra_or_renamed_field_fails(string json, bool valid) =>
        Assert.Equal(valid, Valid(nameof(Helsingborg.Lifecycle.EventAccepted), json));

    [Theory]
    [InlineData("""{"title":"Not found.","status":404,"type":"about:blank","traceId":"x"}""", "ProblemBody", true)]
    [InlineData("""{"title":"Not valid.","status":400,"errors":{"heldOn":["Required."]}}""", "ValidationProblemBody", true)]
    [InlineData("""{"title":"Not valid.","status":400}""", "ValidationProblemBody", false)]
    [InlineData("""{"title":"Refused.","status":409,"phase":"first-contact","step":null,"allowed":["contact-attempted"]}""", "RefusalProblemBody", true)]
    [InlineData("""{"title":"Refused.","status":409,"phase":"first-contact","allowed":["contact-attempted"]}""", "RefusalProblemBody", false)]
    public void Problems_are_declared_once_and_checked(string json, string schema, bool valid) => Assert.Equal(valid, Valid(schema, json));
}
