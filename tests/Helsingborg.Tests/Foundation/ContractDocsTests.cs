using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Http;
using Helsingborg.LocalHost;
using Helsingborg.Lifecycle;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// The contract in docs/ stays true to the code (issue 13, 5): every route, event type, reminder kind and policy
/// default it names is the code's, and the code has none it leaves out. Files only: no storage, no host.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class ContractDocsTests
{
    static string Read(string relative) => File.ReadAllText(Path.Combine(Azurite.RepositoryRoot(), relative));

    static string Kebab<T>(T value) where T : struct, Enum => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(value))!;

    /// <summary>The rows of the first markdown table under a heading: each row's cells, without the header and the rule.</summary>
    static List<string[]> Table(string markdown, string heading)
    {
        int at = markdown.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"No heading \"{heading}\".");
        var rows = new List<string[]>();
        bool started = false;
        foreach (string line in markdown[(at + heading.Length + 2)..].Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                started = true;
                rows.Add([.. SplitCells(line)]);
            }
            else if (started || line.StartsWith('#'))
            {
                break;
            }
        }

        return rows.Skip(2).ToList();
    }

    /// <summary>A row's cells; <c>\|</c> inside a cell is a literal bar.</summary>
    static IEnumerable<string> SplitCells(string line) =>
        UnescapedBar().Split(line.Trim().Trim('|')).Select(c => c.Replace("\\|", "|", StringComparison.Ordinal).Trim());

    static string RouteKey(ApiRoute route) =>
        $"{route.Method} /{(route.Name == "Dashboard" ? string.Empty : route.Template)}";

    [Fact]
    public void Api_md_lists_every_route_of_the_route_table_and_no_other()
    {
        List<string> documented = [.. Table(Read("docs/api.md"), "## Routes").Select(r => r[0].Trim('`'))];
        List<string> served = [.. ApiRoutes.All.Select(RouteKey)];

        Assert.Empty(served.Except(documented));
        Assert.Empty(documented.Except(served));
        Assert.Equal(documented.Count, documented.Distinct().Count());
    }

    [Fact]
    public void Api_md_names_each_routes_roles()
    {
        Dictionary<string, string> roles = Table(Read("docs/api.md"), "## Routes").ToDictionary(r => r[0].Trim('`'), r => r[1]);
        foreach (ApiRoute route in ApiRoutes.All)
        {
            string cell = roles[RouteKey(route)];
            if (route.Anonymous)
            {
                Assert.StartsWith("anyone", cell, StringComparison.Ordinal);
            }
            else
            {
                Assert.All(route.Roles, role => Assert.Contains(role.ToString().ToLowerInvariant(), cell, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Lifecycle_md_lists_every_event_type_and_no_other()
    {
        List<string> documented = [.. Table(Read("docs/lifecycle.md"), "## Events").Select(r => r[0].Trim('`'))];
        List<string> types = [.. Enum.GetValues<CaseEventType>().Select(Kebab)];

        Assert.Equal(types, documented);
    }

    /// <summary>Each event's payload cell names exactly the fields of its record (the one definition of the payload), in backticks.</summary>
    [Fact]
    public void Lifecycle_md_names_each_event_types_payload_fields()
    {
        Dictionary<string, string> payloads = Table(Read("docs/lifecycle.md"), "## Events").ToDictionary(r => r[0].Trim('`'), r => r[1]);
        Assert.All(CaseEvents.All, pair =>
        {
            string cell = payloads[Kebab(pair.Type)];
            HashSet<string> fields = [.. CaseEventParser.PayloadOf(pair.Record).Select(p => p.Name)];
            HashSet<string> named = [.. Backticked().Matches(cell).Select(m => m.Groups[1].Value)];
            Assert.True(fields.SetEquals(named), $"{Kebab(pair.Type)}: the record has [{string.Join(", ", fields)}], lifecycle.md names [{string.Join(", ", named)}].");
        });
    }

    [Fact]
    public void Lifecycle_md_lists_every_reminder_kind()
    {
        HashSet<string> documented = [.. Table(Read("docs/lifecycle.md"), "## Timers and reminders").Select(r => r[0].Trim('`'))];
        Assert.All(Enum.GetValues<ReminderKind>().Select(Kebab), kind => Assert.Contains(kind, documented));
    }

    [Fact]
    public void Lifecycle_md_gives_every_policy_clock_its_default()
    {
        Dictionary<string, string> documented = Table(Read("docs/lifecycle.md"), "## Policy")
            .ToDictionary(r => r[0].Trim('`'), r => r[1].Trim('`'));
        var defaults = new CasePolicy();
        IEnumerable<PropertyInfo> clocks = typeof(CasePolicy).GetProperties()
            .Where(p => p.CanWrite && (p.PropertyType == typeof(TimeSpan) || p.PropertyType == typeof(int)));

        Assert.All(clocks, p =>
        {
            Assert.True(documented.TryGetValue(p.Name, out string? value), $"{p.Name} is not in lifecycle.md's policy table.");
            Assert.Equal(Convert.ToString(p.GetValue(defaults), System.Globalization.CultureInfo.InvariantCulture), value);
        });
        Assert.Equal(clocks.Count(), documented.Count);
    }

    /// <summary>
    /// host.json keeps Azure's task hub polling short (the provider's default is 30 s), and local-runtime.md's table of
    /// what the local engine sets differently gives the same interval.
    /// </summary>
    [Fact]
    public void Host_json_polls_the_task_hub_queues_at_most_every_2_s_as_local_runtime_md_says()
    {
        JsonElement provider = JsonDocument.Parse(Read("functions/Helsingborg.Functions/host.json")).RootElement
            .GetProperty("extensions").GetProperty("durableTask").GetProperty("storageProvider");
        Assert.True(provider.TryGetProperty("maxQueuePollingInterval", out JsonElement interval), "host.json's storageProvider sets no maxQueuePollingInterval.");
        TimeSpan polling = TimeSpan.Parse(interval.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromSeconds(2), polling);

        string[] row = Assert.Single(Table(Read("docs/local-runtime.md"), "## What the local engine sets differently from Azure"), r => r[0] == "queue polling");
        Assert.Contains($"at most every {polling.TotalSeconds:0} s (`maxQueuePollingInterval` in `host.json`", row[2], StringComparison.Ordinal);
    }

    /// <summary>The data-protection rules and the runtime rules name the tests that hold them: each must exist.</summary>
    [Theory]
    [InlineData("docs/data-protection.md")]
    [InlineData("docs/local-runtime.md")]
    public void Tests_the_contract_names_exist(string page)
    {
        HashSet<string> classes = [.. typeof(ContractDocsTests).Assembly.GetTypes().Select(t => t.Name)];
        List<string> named = [.. TestName().Matches(Read(page)).Select(m => m.Groups[1].Value).Distinct()];

        Assert.NotEmpty(named);
        Assert.All(named, name => Assert.Contains(name, classes));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("infra/README.md")]
    [InlineData("docs/README.md")]
    public void Nothing_points_outside_the_repository_for_the_contract(string page) =>
        Assert.DoesNotContain("shared/spec", Read(page), StringComparison.Ordinal);

    /// <summary>The README's layout section names every folder of the shared code and the repository's top level, and only folders that exist.</summary>
    [Fact]
    public void The_readme_layout_matches_the_tree()
    {
        string readme = Read("README.md");
        int start = readme.IndexOf("## Layout", StringComparison.Ordinal);
        string layout = readme[start..readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal)];
        string root = Azurite.RepositoryRoot();

        IEnumerable<string> core = Directory.GetDirectories(Path.Combine(root, "functions", "Helsingborg.Core"))
            .Select(Path.GetFileName).Where(d => d is not ("bin" or "obj"))!;
        Assert.All(core, folder => Assert.Matches(@"(^|\s)" + Regex.Escape(folder!) + "/", layout));

        foreach (Match named in LayoutPath().Matches(layout))
        {
            string path = named.Groups[1].Value;
            bool exists = Directory.Exists(Path.Combine(root, path)) || Directory.Exists(Path.Combine(root, "functions", path))
                || Directory.Exists(Path.Combine(root, "functions", "Helsingborg.Core", path));
            Assert.True(exists, $"The README's layout names {path}/, which does not exist.");
        }
    }

    [GeneratedRegex(@"(?<!\\)\|")]
    private static partial Regex UnescapedBar();

    [GeneratedRegex(@"`([a-z][A-Za-z]*)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"`([A-Z][A-Za-z]+Tests)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"(?m)^\s*([A-Za-z][\w./-]*)/\s")]
    private static partial Regex LayoutPath();
}
