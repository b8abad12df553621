using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

namespace Helsingborg.Intake;

/// <summary>
/// Turns an <c>application/x-www-form-urlencoded</c> intake into the JSON shape the validator reads:
/// <c>person.alias</c> becomes a nested field, booleans come as true/false/on, lists as commas, and
/// empty fields are left out. A field that appears twice is kept as a list so the validator refuses it.
/// </summary>
public static class IntakeForm
{
    static readonly string[] Booleans = ["policeNotified", "person.isMinor"];
    static readonly string[] Numbers = ["person.estimatedAge"];
    static readonly string[] Lists = ["person.languages", "person.citizenship"];

    public static JsonDocument? ToJson(byte[] body)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        var root = new JsonObject();
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in QueryHelpers.ParseQuery(text))
        {
            if (name.Length == 0 || values.Count == 0 || values.All(string.IsNullOrEmpty))
            {
                continue;
            }

            JsonNode? value = values.Count > 1
                ? new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())
                : Convert(name, values[0]!);
            string[] path = name.Split('.', 2);
            if (path.Length == 2)
            {
                if (root[path[0]] is not JsonObject nested)
                {
                    nested = new JsonObject();
                    root[path[0]] = nested;
                }

                nested[path[1]] = value;
            }
            else
            {
                root[name] = value;
            }
        }

        return JsonDocument.Parse(root.ToJsonString());
    }

    static JsonNode? Convert(string name, string value)
    {
        if (Booleans.Contains(name))
        {
            return value switch
            {
                "true" or "on" or "yes" => JsonValue.Create(true),
                "false" or "off" or "no" => JsonValue.Create(false),
                _ => JsonValue.Create(value),
            };
        }

        if (Numbers.Contains(name))
        {
            return int.TryParse(value, out int number) ? JsonValue.Create(number) : JsonValue.Create(value);
        }

        if (Lists.Contains(name))
        {
            return new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
        }

        return JsonValue.Create(value);
    }
}
