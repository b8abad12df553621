using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helsingborg;

/// <summary>
/// Writes and reads an enum as the kebab-case string the API and the orchestration state use
/// ("first-contact", "short-term-support"), and refuses numbers, so a stored value never depends
/// on the order of the enum's members.
/// </summary>
public sealed class KebabCaseEnumConverter<T> : JsonStringEnumConverter<T>
    where T : struct, Enum
{
    public KebabCaseEnumConverter()
        : base(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false)
    {
    }
}
