using System.Text.Json;
using System.Text.Json.Nodes;
using Helsingborg.Http;
using Helsingborg.Reminders;

namespace Helsingborg.Tests.Contract;

/// <summary>The schemas generated from named types are strict enough to catch a changed answer; no storage, no host.</summary>
public sealed class GeneratedSchemaTests
{
    static bool Valid(string schema, string json)
    {
        using JsonDocument instance = JsonDocument.Parse(json);
        return OpenApiContract.Compile(OpenApiContract.Document["components"]!["schemas"]![schema]!).Evaluate(instance.RootElement).IsValid;
    }

    const string Reminder = """{"reminderId":"c.follow-up.1","caseId":"c","kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null}""";

    [Fact]
    public void A_reminder_page_as_the_handler_sends_it_validates()
    {
        Assert.True(Valid(nameof(ReminderPage), $$"""{"items":[{{Reminder}}],"next":null}"""), OpenApiContract.Document["components"]!["schemas"]![nameof(ReminderPage)]!.ToJsonString());
        Assert.True(Valid(nameof(ReminderPage), $$"""{"items":[],"next":"abc"}"""));
    }

    [Theory]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"kind":"no-such-kind","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null}],"next":null}""")]
    [InlineData("""{"items":[{"reminderId":"x","caseId":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":"no","acknowledgedAt":null}],"next":null}""")]
    [InlineData("""{"items":[{"caseId":null,"kind":"follow-up","dueAt":"2026-01-01T00:00:00Z","organisation":null,"escalated":false,"acknowledgedAt":null}],"next":null}""")]
    [InlineData("""{"items":null,"next":null}""")]
    [InlineData("""{"items":[],"next":5}""")]
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
}
