using System.Text.Json;
using P = Microsoft.DurableTask.Protobuf;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// A scenario the replay corpus must hold, and what its histories must show so that the corpus covers what open
/// cases hold. <see cref="CorpusReplayTests"/> checks the committed corpus; <see cref="ReplayRecorderTests"/> checks a
/// recording before it writes it (which batches reach a case is up to the engine's timing).
/// </summary>
public sealed record CorpusScenario(string Name, string Shows, Func<IReadOnlyList<CorpusFile>, bool> IsShownBy)
{
    public static readonly CorpusScenario Timers = new("timers", "timers firing across continue-as-new",
        e => e.Count > 1 && Events(e).Count(h => h.TimerFired is not null) >= 5);

    public static readonly CorpusScenario ReturnPath = new("return-path", "a case returned and completed",
        e => e[^1].Events.Any(h => h.ExecutionCompleted?.Result?.Contains("\"closeReason\":\"returned\"", StringComparison.Ordinal) == true));

    public static readonly CorpusScenario Referral = new("referral", "a referral accepted and completed, one declined, the consent withdrawn",
        e => new[] { "referral-accepted", "referral-completed", "referral-declined", "sharing-consent-withdrawn" }.All(RaisedTypes(e).Contains));

    public static readonly CorpusScenario Erasure = new("erasure", "a step that erases the case",
        e => Events(e).Any(h => h.TaskScheduled?.Input?.Contains("\"erase\":true", StringComparison.Ordinal) == true));

    public static readonly CorpusScenario Refusal = new("refusal", "an event the orchestration refused",
        e => Events(e).Any(h => h.TaskScheduled?.Input?.Contains("\"refused\":true", StringComparison.Ordinal) == true));

    public static readonly CorpusScenario CarriedEvents = new(
        "carried-events",
        "events carried into the next execution, in its input or in the same batch as its start (events the execution already holds are taken in before it continues as new, so none is forwarded)",
        e => e.Count > 1
            && (Events(e).Any(h => h.ContinueAsNew?.Input?.Contains("\"pending\":[", StringComparison.Ordinal) == true)
                || e.Skip(1).Any(x => x.Events.TakeWhile(h => h.OrchestratorCompleted is null).Any(h => h.EventRaised is not null))));

    public static readonly CorpusScenario TimerEventRace = new("timer-event-race", "a timer fired and an event raised reaching the case together",
        e => e.Any(x => Episodes(x.Events).Any(episode => episode.Any(h => h.TimerFired is not null) && episode.Any(h => h.EventRaised is not null))));

    public static readonly CorpusScenario ChildClocks = new("child-clocks", "a minor's statutory clocks, one escalated, every decision, and the police informed",
        e => new[] { "police-informed", "protection-assessed", "no-investigation", "investigation-opened", "investigation-closed" }.All(RaisedTypes(e).Contains)
            && Events(e).Any(h => h.TaskScheduled?.Input?.Contains("{\"kind\":\"protection-assessment\",", StringComparison.Ordinal) == true
                && h.TaskScheduled.Input.Contains("\"escalated\":true", StringComparison.Ordinal)));

    public static readonly CorpusScenario SamePerson = new("same-person", "a report linked to another as one person, unlinked, linked again, and merged into it",
        e => new[] { "same-person-as", "same-person-unlinked", "merged-into" }.All(RaisedTypes(e).Contains)
            && e[^1].Events.Any(h => h.ExecutionCompleted?.Result?.Contains("\"closeReason\":\"merged\"", StringComparison.Ordinal) == true));

    public static readonly CorpusScenario Transfer = new("transfer", "a transfer declined, one escalated to both sides and accepted",
        e => new[] { "transfer-requested", "transfer-declined", "transfer-accepted" }.All(RaisedTypes(e).Contains)
            && Events(e).Any(h => h.TaskScheduled?.Input?.Contains("{\"kind\":\"transfer-due\",", StringComparison.Ordinal) == true
                && h.TaskScheduled.Input.Contains("\"escalated\":true", StringComparison.Ordinal)));

    public static readonly IReadOnlyList<CorpusScenario> All = [Timers, ReturnPath, Referral, Erasure, Refusal, CarriedEvents, TimerEventRace, ChildClocks, SamePerson, Transfer];

    /// <summary>The types of the case events the executions took in.</summary>
    public static HashSet<string> RaisedTypes(IEnumerable<CorpusFile> executions) =>
        [.. Events(executions).Where(h => h.EventRaised is not null).Select(h => JsonDocument.Parse(h.EventRaised.Input).RootElement.GetProperty("type").GetString()!)];

    static IEnumerable<P.HistoryEvent> Events(IEnumerable<CorpusFile> executions) => executions.SelectMany(x => x.Events);

    static IEnumerable<List<P.HistoryEvent>> Episodes(IEnumerable<P.HistoryEvent> events)
    {
        List<P.HistoryEvent> episode = [];
        foreach (P.HistoryEvent e in events)
        {
            if (e.OrchestratorStarted is not null && episode.Count > 0)
            {
                yield return episode;
                episode = [];
            }

            episode.Add(e);
        }

        yield return episode;
    }
}
