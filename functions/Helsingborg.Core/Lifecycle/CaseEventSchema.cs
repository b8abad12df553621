using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The JSON Schema of the bodies of <c>POST /api/cases/{caseId}/events</c>, generated from the event records
/// (<see cref="CaseEvent"/>) by <see cref="JsonSchemaExporter"/> and made into a clean <c>oneOf</c>, one object per event
/// type a coordinator records, its <c>type</c> a <c>const</c>. Titles are in the page's language
/// (<see cref="CaseEventTexts"/>); values that come from the city profile (lead, organisation) are listed from it; what
/// a form needs that a type cannot say is in <c>x-</c> keywords from <see cref="FormHintAttribute"/>. The dashboard
/// builds its event form from it, and the OpenAPI document includes it.
/// </summary>
public static class CaseEventSchema
{
    public static JsonObject Build(Partners.CityProfile profile, bool english)
    {
        ArgumentNullException.ThrowIfNull(profile);
        JsonNode exported = JsonSchemaExporter.GetJsonSchemaAsNode(DurableJson.Options, typeof(CaseEvent), new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var body = new HashSet<string>([CaseEventParser.TypeField, .. CaseEventParser.CommonFields.Select(p => p.Name)], StringComparer.Ordinal);
        var variants = new JsonArray();
        foreach (JsonNode? variant in exported["anyOf"]!.AsArray())
        {
            JsonObject exportedProperties = variant!["properties"]!.AsObject();
            string name = exportedProperties[CaseEventParser.TypeField]!["const"]!.GetValue<string>();
            (CaseEventType type, Type record) = CaseEvents.All.Single(r => KebabCase.Name(r.Type) == name);
            if (CaseEvents.IsPartnerAnswer(record))
            {
                continue;
            }

            var properties = new JsonObject { [CaseEventParser.TypeField] = new JsonObject { ["const"] = name } };
            foreach (JsonPropertyInfo member in CaseEventParser.CommonFields.Concat(CaseEventParser.PayloadOf(record)))
            {
                properties[member.Name] = Field(member, exportedProperties[member.Name]!, profile, english);
                if (member.Name == CaseEventParser.CommonFields[0].Name)
                {
                    properties[CaseEventParser.NoteField] = new JsonObject
                    {
                        ["type"] = "string",
                        ["maxLength"] = CaseEventParser.MaxNoteLength,
                        ["title"] = CaseEventTexts.NoteLabel(type, english),
                    };
                }
            }

            // Required as the exporter read it from the records, less what the server sets and `at` (the request's time by default).
            var required = new JsonArray(CaseEventParser.TypeField);
            foreach (string field in variant["required"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [])
            {
                if (!body.Contains(field) && properties.ContainsKey(field))
                {
                    required.Add(field);
                }
            }

            variants.Add(new JsonObject
            {
                ["title"] = CaseEventTexts.Label(type, english),
                ["type"] = "object",
                ["properties"] = properties,
                ["required"] = required,
                ["additionalProperties"] = false,
            });
        }

        return new JsonObject
        {
            ["title"] = english ? "An event recorded on a case" : "En händelse i ett ärende",
            ["oneOf"] = variants,
        };
    }

    /// <summary>One field: its JSON type from the exporter, its values in words, its title and its form hints.</summary>
    static JsonObject Field(JsonPropertyInfo member, JsonNode exported, Partners.CityProfile profile, bool english)
    {
        Type type = CaseEventParser.ItemType(member.PropertyType);
        JsonObject schema;
        if (CaseEventParser.IsList(member.PropertyType))
        {
            var length = member.AttributeProvider?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.LengthAttribute), inherit: false)
                .Cast<System.ComponentModel.DataAnnotations.LengthAttribute>().SingleOrDefault();
            schema = new JsonObject
            {
                ["type"] = "array",
                ["items"] = Choices(type, CaseEventParser.AllowedNames(member), english),
                ["uniqueItems"] = true,
            };
            if (length is not null)
            {
                schema["minItems"] = length.MinimumLength;
                schema["maxItems"] = length.MaximumLength;
            }
        }
        else if (type.IsEnum)
        {
            schema = Choices(type, CaseEventParser.AllowedNames(member), english);
        }
        else if (CaseEventParser.ProfileValues(member, profile) is { } ids)
        {
            schema = new JsonObject
            {
                ["type"] = "string",
                ["oneOf"] = new JsonArray([.. ids.Select(id => (JsonNode)new JsonObject
                {
                    ["const"] = id,
                    ["title"] = profile.Organisations.FirstOrDefault(o => o.Id == id)?.Name(english) ?? profile.MunicipalityName(id) ?? id,
                })]),
            };
        }
        else if (type == typeof(DateTimeOffset) && member.Name != CaseEventParser.CommonFields[0].Name)
        {
            // A payload date is a calendar date (midnight UTC) or a date and time with offset.
            schema = new JsonObject { ["type"] = "string", ["anyOf"] = new JsonArray(new JsonObject { ["format"] = "date" }, new JsonObject { ["format"] = "date-time" }) };
        }
        else
        {
            schema = exported.DeepClone().AsObject();
            if (schema["type"] is JsonArray types)
            {
                // Null is absent: the field is left out instead.
                schema["type"] = types.Select(t => t!.GetValue<string>()).First(t => t != "null");
            }
        }

        schema["title"] = CaseEventTexts.FieldLabel(member.Name, english);
        foreach (FormHintAttribute hint in member.AttributeProvider?.GetCustomAttributes(typeof(FormHintAttribute), inherit: false).Cast<FormHintAttribute>() ?? [])
        {
            schema["x-" + hint.Name] = true;
        }

        return schema;
    }

    /// <summary>The allowed values of an enum, each a <c>const</c> with its title.</summary>
    static JsonObject Choices(Type enumType, IReadOnlyList<string> allowed, bool english) => new()
    {
        ["type"] = "string",
        ["oneOf"] = new JsonArray([.. Enum.GetValues(enumType).Cast<Enum>()
            .Select(v => (Name: System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()), Value: v))
            .Where(v => allowed.Contains(v.Name, StringComparer.Ordinal))
            .Select(v => (JsonNode)new JsonObject { ["const"] = v.Name, ["title"] = CaseEventTexts.Label(v.Value, english) })]),
    };
}
