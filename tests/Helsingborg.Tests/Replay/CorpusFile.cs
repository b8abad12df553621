using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Helsingborg.Lifecycle;
using Helsingborg.LocalHost;
using P = Microsoft.DurableTask.Protobuf;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// One recorded execution of a case orchestration (a case's history from its start or its last continue-as-new to
/// the next): the scenario that made it, its place in the instance's chain of executions, and its history events as
/// the Functions worker receives them (protobuf JSON, one event a line), recorded under the rules of <see cref="CaseRules"/>
/// that were current then. Named <c>rules-{rules}/{scenario}.{execution:00}.json</c>: each release records the current
/// rules' folder, and the folders of earlier rules stay as long as executions under them can be open.
/// </summary>
public sealed record CorpusFile(string Scenario, int Execution, string InstanceId, string ExecutionId, IReadOnlyList<P.HistoryEvent> Events, int Rules = CaseRules.Current)
{
    public static string Folder => Path.Combine(Azurite.RepositoryRoot(), "tests", "Helsingborg.Tests", "Replay", "Corpus");

    public static string RulesFolder(int rules) => Path.Combine(Folder, $"rules-{rules}");

    public string FileName => $"rules-{Rules}/{Scenario}.{Execution:00}.json";

    /// <summary>Every file of the corpus, by rules, scenario and execution.</summary>
    public static IReadOnlyList<CorpusFile> ReadAll() =>
        Directory.Exists(Folder)
            ? [.. Directory.GetFiles(Folder, "*.json", SearchOption.AllDirectories).Select(Read)
                .OrderBy(f => f.Rules).ThenBy(f => f.Scenario, StringComparer.Ordinal).ThenBy(f => f.Execution)]
            : [];

    public static CorpusFile Read(string path)
    {
        string folder = Path.GetFileName(Path.GetDirectoryName(path))!;
        Assert.True(folder.StartsWith("rules-", StringComparison.Ordinal) && int.TryParse(folder["rules-".Length..], out _), $"{path}: corpus files belong in a rules-N folder");
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        return new CorpusFile(
            root.GetProperty("scenario").GetString()!,
            root.GetProperty("execution").GetInt32(),
            root.GetProperty("instanceId").GetString()!,
            root.GetProperty("executionId").GetString()!,
            [.. root.GetProperty("events").EnumerateArray().Select(e => JsonParser.Default.Parse<P.HistoryEvent>(e.GetRawText()))],
            int.Parse(folder["rules-".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Replaces the scenario's files in the current rules' folder with <paramref name="executions"/>.</summary>
    public static void WriteScenario(string scenario, IReadOnlyList<CorpusFile> executions)
    {
        string folder = RulesFolder(CaseRules.Current);
        Directory.CreateDirectory(folder);
        foreach (string old in Directory.GetFiles(folder, $"{scenario}.*.json"))
        {
            File.Delete(old);
        }

        foreach (CorpusFile file in executions)
        {
            File.WriteAllText(Path.Combine(Folder, file.FileName), file.ToJson());
        }
    }

    public string ToJson()
    {
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append($"  \"scenario\": {JsonSerializer.Serialize(Scenario)},\n");
        text.Append($"  \"execution\": {Execution},\n");
        text.Append($"  \"instanceId\": {JsonSerializer.Serialize(InstanceId)},\n");
        text.Append($"  \"executionId\": {JsonSerializer.Serialize(ExecutionId)},\n");
        text.Append("  \"events\": [\n    ");
        text.AppendJoin(",\n    ", Events.Select(e => JsonFormatter.Default.Format(e)));
        text.Append("\n  ]\n}\n");
        return text.ToString();
    }
}
