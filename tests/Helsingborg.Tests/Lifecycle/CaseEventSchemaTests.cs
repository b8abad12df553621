using System.Text.Json;
using System.Text.Json.Nodes;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>The schema of the event bodies the dashboard builds its form from: generated from the event records, complete, in words.</summary>
[Trait("Category", "Unit")]
public sealed class CaseEventSchemaTests
{
    static readonly CaseEventType[] Coordinators = [.. CaseEvents.All.Where(r => !CaseEvents.IsPartnerAnswer(r.Record)).Select(r => r.Type)];

    static Dictionary<string, JsonObject> Variants(bool english) => CaseEventSchema.Build(TestProfiles.Helsingborg, english)["oneOf"]!.AsArray()
        .Select(v => v!.AsObject()).ToDictionary(v => v["properties"]!["type"]!["const"]!.GetValue<string>());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_schema_lists_every_type_a_coordinator_records_with_its_fields(bool english)
    {
        var variants = Variants(english);

        Assert.Equal(Coordinators.Select(KebabCase.Name).Order(), variants.Keys.Order());
        foreach (var (type, record) in CaseEvents.All.Where(r => Coordinators.Contains(r.Type)))
        {
            JsonObject variant = variants[KebabCase.Name(type)];
            var payload = CaseEventParser.PayloadOf(record);
            Assert.Equal(new[] { "at", "note", "type" }.Concat(payload.Select(p => p.Name)).Order(), variant["properties"]!.AsObject().Select(p => p.Key).Order());
            Assert.Equal(new[] { "type" }.Concat(payload.Where(p => p.IsRequired).Select(p => p.Name)).Order(), variant["required"]!.AsArray().Select(n => n!.GetValue<string>()).Order());
            Assert.False(string.IsNullOrWhiteSpace(variant["title"]!.GetValue<string>()));
            Assert.All(variant["properties"]!.AsObject().Where(p => p.Key != "type"), p => Assert.False(string.IsNullOrWhiteSpace(p.Value!["title"]?.GetValue<string>()), $"{type}: {p.Key} has no title"));
            Assert.False(variant["additionalProperties"]!.GetValue<bool>());
        }
    }

    [Fact]
    public void Values_are_those_the_reader_takes_with_titles_in_the_pages_language()
    {
        var sv = Variants(english: false);
        var en = Variants(english: true);

        static string[] Values(JsonObject variant, string field) =>
            [.. variant["properties"]![field]!["oneOf"]!.AsArray().Select(o => o!["const"]!.GetValue<string>())];
        static string Title(JsonObject variant, string field, string value) =>
            variant["properties"]![field]!["oneOf"]!.AsArray().Single(o => o!["const"]!.GetValue<string>() == value)!["title"]!.GetValue<string>();

        Assert.Equal(["stable", "moved", "no-contact", "declined", "other"], Values(sv["case-closed"], "reason"));
        Assert.Equal(["helped", "partly-helped", "not-helped", "unknown"], Values(sv["evaluation-recorded"], "outcome"));
        Assert.Equal(TestProfiles.Helsingborg.Holding(Partners.OrganisationProfile.LeadRole), Values(sv["lead-changed"], "lead"));
        Assert.Equal(("Telefon", "Phone"), (Title(sv["contact-attempted"], "channel", "phone"), Title(en["contact-attempted"], "channel", "phone")));
        Assert.Equal("Namn eller alias", sv["sharing-consent-given"]["properties"]!["fields"]!["items"]!["oneOf"]![0]!["title"]!.GetValue<string>());
        Assert.Equal(("Vill ha stöd", "Kontakt etablerad"), (sv["contact-made"]["properties"]!["wantsSupport"]!["title"]!.GetValue<string>(), sv["contact-made"]["title"]!.GetValue<string>()));
    }

    [Fact]
    public void Form_hints_come_from_the_records()
    {
        JsonObject referral = Variants(english: false)["referral-sent"]["properties"]!.AsObject();

        Assert.True(referral["organisation"]!["x-consented"]!.GetValue<bool>());
        Assert.True(referral["organisation"]!["x-choose"]!.GetValue<bool>());
        Assert.True(referral["kind"]!["x-consent-purpose"]!.GetValue<bool>());
        Assert.True(referral["due"]!["x-future"]!.GetValue<bool>());
        Assert.True(referral["at"]!["x-hidden"]!.GetValue<bool>());
        Assert.Equal("Behov (delas bara om personen samtyckt till att behovet delas)", referral["note"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public void Every_value_the_dashboard_shows_has_words_in_both_languages()
    {
        foreach (bool english in new[] { false, true })
        {
            var words = Helsingborg.Language.Glossary.Block(english);
            Assert.Equal(Enum.GetValues<CaseEventType>().Select(KebabCase.Name).Order(), words["caseEventType"].Keys.Order());
            Assert.Equal(Enum.GetValues<Phase>().Length, words["phase"].Count);
            Assert.All(words.Values.SelectMany(w => w.Values), w => Assert.False(string.IsNullOrWhiteSpace(w)));
        }

        Assert.Equal("Första kontakt", Helsingborg.Language.Glossary.Block(english: false)["phase"]["first-contact"]);
        Assert.Equal("IOM decision", Helsingborg.Language.Glossary.Block(english: true)["caseEventType"]["iom-decision"]);
    }

    [Fact]
    public void The_schema_is_json_that_cannot_end_its_data_block()
    {
        string json = CaseEventSchema.Build(TestProfiles.Helsingborg, english: false).ToJsonString();

        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(json).RootElement.ValueKind);
    }
}
