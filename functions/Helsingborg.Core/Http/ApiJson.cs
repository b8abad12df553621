using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helsingborg.Http;

/// <summary>The API's JSON conventions: camelCase names; enums in kebab-case (by attribute on each enum).</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}
