using System.Text.Json;

namespace Helsingborg;

/// <summary>Enum values as the API writes them ("short-term-support").</summary>
public static class KebabCase
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name);

    public static bool TryParse<T>(string text, out T value) where T : struct, Enum
    {
        foreach (T candidate in Enum.GetValues<T>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
