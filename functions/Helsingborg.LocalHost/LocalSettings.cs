using System.Text.Json;

namespace Helsingborg.LocalHost;

/// <summary>
/// Reads <c>local.settings.json</c> the way <c>func</c> does (falling back to
/// <c>local.settings.sample.json</c>), so one file configures both hosts. Its <c>Values</c> become
/// configuration with <c>__</c> read as the section separator; environment variables still win.
/// </summary>
public static class LocalSettings
{
    public static string? Find(string startDirectory)
    {
        for (DirectoryInfo? dir = new(startDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (string name in new[] { "local.settings.json", "local.settings.sample.json" })
            {
                string path = Path.Combine(dir.FullName, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    public static Dictionary<string, string?> Read(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (doc.RootElement.TryGetProperty("Values", out JsonElement section))
        {
            foreach (JsonProperty property in section.EnumerateObject())
            {
                values[property.Name.Replace("__", ":", StringComparison.Ordinal)] =
                    property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.GetRawText();
            }
        }

        return values;
    }
}
