using System.Text.RegularExpressions;
using Helsingborg.LocalHost;
using Helsingborg.Partners;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// Stad för stad (issue 15, 3): the code names no city's network. Helsingborg's organisations and municipalities live in
/// profiles/helsingborg.json only; a quoted id or a display name of them anywhere in the app's source is a fork waiting
/// to happen for the next city.
/// </summary>
[Trait("Category", "Unit")]
public sealed class NoCityInCodeTests
{
    /// <summary>
    /// Words that are both an id of the default profile and the product's own vocabulary: the internet outreach work is
    /// a feature (sessions, reminders, the statistics' outreach group) as well as Helsingborg's name for its team; and
    /// "helsingborg" names the default built-in profile (<see cref="CityProfiles.DefaultProfile"/>).
    /// </summary>
    static readonly Dictionary<string, string> Allowed = new(StringComparer.Ordinal)
    {
        ["outreach"] = "the outreach feature",
        ["helsingborg"] = "the default profile's name, in CityProfiles only",
    };

    /// <summary>Display names that are also plain words of the pages: the police and social services are named in the
    /// form's questions, and "Internetuppsök" heads the statistics of the outreach feature.</summary>
    static readonly HashSet<string> AllowedNames = new(StringComparer.Ordinal) { "Polisen", "Social services", "Internetuppsök", "Internet outreach" };

    static IEnumerable<string> SourceFiles()
    {
        string functions = Path.Combine(Azurite.RepositoryRoot(), "functions");
        string[] kinds = [".cs", ".razor", ".js", ".html", ".css", ".json", ".csproj"];
        return Directory.EnumerateFiles(functions, "*", SearchOption.AllDirectories)
            .Where(f => kinds.Contains(Path.GetExtension(f), StringComparer.Ordinal))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
    }

    /// <summary>The default profile's ids as code would quote them, and its display names.</summary>
    static IEnumerable<string> Hits(string text, bool mayNameDefaultProfile)
    {
        CityProfile profile = TestProfiles.Helsingborg;
        IEnumerable<string> ids = profile.Organisations.Select(o => o.Id).Concat(profile.Municipalities.Select(m => m.Code)).Distinct();
        foreach (string id in ids.Where(i => !Allowed.ContainsKey(i) || (i == CityProfiles.DefaultProfile && !mayNameDefaultProfile)))
        {
            // A quoted id ("salvation-army", 'bjuv') or a JavaScript property name (bjuv: 'Bjuv').
            string quoted = Regex.Escape(id);
            foreach (Match m in Regex.Matches(text, "([\"'`])" + quoted + "\\1|[{,]\\s*" + quoted + "\\s*:"))
            {
                yield return m.Value;
            }
        }

        IEnumerable<string> names = profile.Organisations.SelectMany(o => new[] { o.NameSv, o.NameEn })
            .Concat(profile.Municipalities.Select(m => m.Name))
            .Where(n => n != profile.Name && !AllowedNames.Contains(n))
            .Distinct();
        foreach (string name in names.Where(n => text.Contains(n, StringComparison.Ordinal)))
        {
            yield return name;
        }
    }

    [Fact]
    public void No_source_file_of_the_app_names_the_default_profiles_organisations_or_municipalities()
    {
        var files = SourceFiles().ToList();
        Assert.True(files.Count > 50, $"only {files.Count} source files found");

        var hits = new List<string>();
        foreach (string file in files)
        {
            string relative = Path.GetRelativePath(Azurite.RepositoryRoot(), file);
            hits.AddRange(Hits(File.ReadAllText(file), file.EndsWith("CityProfile.cs", StringComparison.Ordinal)).Select(h => $"{relative}: {h}"));
        }

        Assert.True(hits.Count == 0, "Helsingborg's network named in code:\n" + string.Join("\n", hits));
    }

    [Theory]
    [InlineData("""bool visible = lead != "salvation-army";""", "\"salvation-army\"")]
    [InlineData("""const MUNICIPALITIES = { bjuv: 'Bjuv' };""", "{ bjuv:")]
    [InlineData("""["social-emergency"] = "Socialjouren",""", "Socialjouren")]
    [InlineData("""string profile = "helsingborg";""", "\"helsingborg\"")]
    public void The_scan_finds_what_the_code_used_to_hold(string planted, string expected)
    {
        Assert.Contains(expected, Hits(planted, mayNameDefaultProfile: false));
    }

    [Fact]
    public void The_scan_leaves_the_products_own_words_alone()
    {
        Assert.Empty(Hits("""public const string OutreachPartition = "outreach"; var kind = "outreach-session";""", mayNameDefaultProfile: false));
    }
}
