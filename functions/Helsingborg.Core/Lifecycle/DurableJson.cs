using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Helsingborg.Lifecycle;

/// <summary>
/// How orchestration inputs, outputs, event payloads and custom status are written, in both hosts: the Functions
/// worker's serializer is set to these options (its Durable extension converts payloads with it), and the local
/// engine's data converter uses them too, so a payload written by one host reads the same in the other.
/// </summary>
public static class DurableJson
{
    /// <summary>
    /// Web defaults: camelCase names, case-insensitive reading. Enums carry their own kebab-case converters. The resolver is
    /// the default one, named so that the event reader and the schema can read the records' metadata before anything is written.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
}
