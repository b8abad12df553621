using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;

namespace Helsingborg.Http;

/// <summary>
/// Schemas generated from the API's named answer types with <see cref="JsonSchemaExporter"/> and the app's JSON
/// options (<see cref="ApiJson.Options"/>), so a schema cannot drift from what the handler sends. Each named type of
/// the app becomes one entry of <c>components.schemas</c> under its type name, referenced with <c>$ref</c> wherever it
/// appears inside another; enums are their kebab-case names; a record's object admits no member it does not declare.
/// JSON Schema 2020-12, as OpenAPI 3.1 takes it.
/// </summary>
public static class OpenApiTypes
{
    static readonly JsonSerializerOptions Options = new(ApiJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>The name of <paramref name="type"/>'s entry in <c>components.schemas</c>.</summary>
    public static string NameOf(Type type) => type.Name;

    /// <summary>A <c>$ref</c> to <paramref name="type"/>'s schema.</summary>
    public static JsonObject Ref(Type type) => new() { ["$ref"] = "#/components/schemas/" + NameOf(type) };

    /// <summary>The schemas of <paramref name="roots"/> and of every named type they contain, by name.</summary>
    public static IReadOnlyDictionary<string, JsonNode> SchemasOf(IEnumerable<Type> roots)
    {
        var schemas = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out Type? type))
        {
            if (schemas.ContainsKey(NameOf(type)))
            {
                continue;
            }

            schemas[NameOf(type)] = SchemaOf(type, pending.Enqueue);
        }

        return schemas;
    }

    static JsonNode SchemaOf(Type root, Action<Type> referenced) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(Options, root, new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, schema) =>
            {
                Type type = context.TypeInfo.Type;
                Type? underlying = Nullable.GetUnderlyingType(type);
                if (context.Path.Length == 0 && Declared(type) is { } declared)
                {
                    return declared;
                }

                if ((underlying ?? type).IsEnum)
                {
                    return EnumSchema(underlying ?? type, nullable: underlying is not null || IsNullable(schema));
                }

                if (context.Path.Length == 0)
                {
                    return Closed(schema);
                }

                if (!IsNamed(type))
                {
                    return schema;
                }

                referenced(type);
                JsonObject reference = Ref(type);
                return IsNullable(schema) ? new JsonObject { ["oneOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
            },
        });

    /// <summary>
    /// A record's object schema admits no other member: the record is the whole answer, so an extra or renamed field is
    /// a change of the contract and fails validation.
    /// </summary>
    static JsonNode Closed(JsonNode schema)
    {
        if (schema is JsonObject { } o && o.ContainsKey("properties") && !o.ContainsKey("additionalProperties"))
        {
            o["additionalProperties"] = false;
        }

        return schema;
    }

    /// <summary>The schema a type with its own converter declares (<see cref="IJsonSchemaDeclared"/>), else null.</summary>
    static JsonNode? Declared(Type type) =>
        type.IsAssignableTo(typeof(IJsonSchemaDeclared)) ? (JsonNode?)type.GetProperty(nameof(IJsonSchemaDeclared.JsonSchema))!.GetValue(null) : null;

    /// <summary>The app's own records and classes get a component; strings, numbers, lists and dictionaries are inline.</summary>
    static bool IsNamed(Type type) =>
        type.Namespace?.StartsWith("Helsingborg", StringComparison.Ordinal) == true && !type.IsEnum && (type.IsClass || (type.IsValueType && !type.IsPrimitive && Nullable.GetUnderlyingType(type) is null));

    static bool IsNullable(JsonNode schema) =>
        schema is JsonObject { } o && o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    public static JsonObject EnumSchema(Type type, bool nullable)
    {
        var names = Enum.GetNames(type).Select(n => (JsonNode?)JsonNamingPolicy.KebabCaseLower.ConvertName(n)).ToList();
        if (nullable)
        {
            names.Add(null);
        }

        return new JsonObject
        {
            ["type"] = nullable ? new JsonArray("string", "null") : "string",
            ["enum"] = new JsonArray([.. names]),
        };
    }
}

/// <summary>A type written by its own converter, which the exporter cannot see into, declares its JSON Schema.</summary>
public interface IJsonSchemaDeclared
{
    static abstract JsonObject JsonSchema { get; }
}
