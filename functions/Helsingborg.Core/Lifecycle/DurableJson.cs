using System.Reflection;
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
    /// the default one, named so that the event reader and the schema can read the records' metadata before anything is written;
    /// it leaves out a policy setting marked <see cref="OmittedWhenDefaultAttribute"/> while it has its default.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitAddedDefaults } },
    };

    static void OmitAddedDefaults(JsonTypeInfo info)
    {
        if (info.Type != typeof(CasePolicy))
        {
            return;
        }

        var defaults = new CasePolicy();
        foreach (JsonPropertyInfo property in info.Properties)
        {
            if (property.AttributeProvider is PropertyInfo member && member.IsDefined(typeof(OmittedWhenDefaultAttribute)))
            {
                object? fallback = member.GetValue(defaults);
                property.ShouldSerialize = (_, value) => !Equals(value, fallback);
            }
        }
    }
}
