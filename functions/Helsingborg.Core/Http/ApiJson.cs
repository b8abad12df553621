using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Helsingborg.Http;

/// <summary>
/// The API's JSON conventions: camelCase names; enums in kebab-case (by attribute on each enum). The resolver is named,
/// so that metadata can be read (<c>GetTypeInfo</c>: the outreach body's fields, the OpenAPI schemas) before anything
/// has been serialized; without it that depends on which request came first.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };
}
