using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Helsingborg.LocalHost;
using P = Microsoft.DurableTask.Protobuf;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// One recorded execution of a case orchestration (a case's history from its start or its last continue-as-new to
/// the next): the scenario that made it, its place in the instance's chain of executions, and its history events as
/// the Functions worker receives them (protobuf JSON, one event a line). Named <c>{scenario}.{execution:00}.json</c>.
/// </summary>
public sealed record CorpusFile(string Scenario, int Execution, string InstanceId, string ExecutionId, IReadOnlyList<P.HistoryEvent> Events)
{
    public static string Folder => Path.Combine(Azurite.RepositoryRoot(), "tests", "Helsingborg.Tests", "Replay", "Corpus");

    public string FileName => $"{Scenario}.{Execution:00}.json";

    /// <summary>Every file of the corpus, by scenario and execution.</summary>
    public static IReadOnlyList<CorpusFile> ReadAll() =>
        Directory.Exists(Folder)
            ? [.. Directory.GetFiles(Folder, "*.json").Select(Read).OrderBy(f => f.Scenario, StringComparer.Ordinal).ThenBy(f => f.Execution)]
            : [];

    public static CorpusFile Read(string path)
    {
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement root = json.RootElement;
        return new CorpusFile(
            root.GetProperty("scenario").GetString()!,
            root.GetProperty("execution").GetInt32(),
            root.GetProperty("instanceId").GetString()!,
            root.GetProperty("executionId").GetString()!,
            [.. root.GetProperty("events").EnumerateArray().Select(e => JsonParser.Default.Parse<P.HistoryEvent>(e.GetRawText()))]);
    }

    /// <summary>Replaces the scenario's files in the corpus folder with <paramref name="executions"/>.</summary>
    public static void WriteScenario(string scenario, IReadOnlyList<CorpusFile> executions)
    {
        Directory.CreateDirectory(Folder);
        foreach (string old in Directory.GetFiles(Folder, $"{scenario}.*.json"))
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
