namespace Helsingborg.Partners;

/// <summary>The network's organisations and Familjen Helsingborg's municipalities (glossary.md).</summary>
public static class PartnerIds
{
    public static readonly IReadOnlyList<string> All =
    [
        "police", "social-services", "salvation-army", "helsingborgshem", "womens-shelter", "hotel-group",
        "victim-support", "security-guards", "city", "social-emergency", "outreach",
    ];

    public static bool IsKnown(string id) => All.Contains(id, StringComparer.Ordinal);
}

public static class Municipalities
{
    /// <summary>Code → display name (display names keep å, ä, ö).</summary>
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["bjuv"] = "Bjuv",
        ["bastad"] = "Båstad",
        ["helsingborg"] = "Helsingborg",
        ["hoganas"] = "Höganäs",
        ["klippan"] = "Klippan",
        ["landskrona"] = "Landskrona",
        ["perstorp"] = "Perstorp",
        ["svalov"] = "Svalöv",
        ["astorp"] = "Åstorp",
        ["angelholm"] = "Ängelholm",
        ["orkelljunga"] = "Örkelljunga",
    };

    public static bool IsKnown(string code) => All.ContainsKey(code);
}
