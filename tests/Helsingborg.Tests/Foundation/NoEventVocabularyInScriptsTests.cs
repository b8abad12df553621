using System.Text.Json;
using Helsingborg.LocalHost;
using Helsingborg.Lifecycle;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// The event vocabulary is written once, in the event records (issue 13): the pages' scripts build the event form and
/// their words from what the server serves, so no script quotes an event type or a value of an event's payload.
/// </summary>
[Trait("Category", "Unit")]
public sealed class NoEventVocabularyInScriptsTests
{
    static IEnumerable<string> Words<T>() where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(v))!);

    [Fact]
    public void No_script_quotes_an_event_type_or_a_payload_value()
    {
        string[] vocabulary =
        [
            .. Words<CaseEventType>(), .. Words<SupportKind>(), .. Words<ContactChannel>(), .. Words<EvaluationOutcome>(),
            .. Words<ReintegrationOutcome>(), .. Words<DeclineReason>(),
        ];
        string assets = Path.Combine(Azurite.RepositoryRoot(), "functions", "Helsingborg.Core", "Web", "Assets");
        string[] scripts = Directory.GetFiles(assets, "*.js");
        Assert.NotEmpty(scripts);

        var hits = from script in scripts
                   let text = File.ReadAllText(script)
                   from word in vocabulary.Where(w => w is not "unknown")
                   from quote in new[] { "'", "\"", "`" }
                   where text.Contains(quote + word + quote, StringComparison.Ordinal)
                   select $"{Path.GetFileName(script)}: {quote}{word}{quote}";
        Assert.Empty(hits);
    }
}
