using Helsingborg.Lifecycle;
using P = Microsoft.DurableTask.Protobuf;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// The replay corpus (issue 20, item 4; README, "Replay corpus"): every recorded execution of a case orchestration,
/// replayed through the Functions worker's gRPC runner with the orchestration as built now, gives, episode by episode,
/// the actions it recorded. A change that fails here would fail the cases that are open when it is released. No host,
/// no storage.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CorpusReplayTests
{
    static readonly Lazy<IReadOnlyList<CorpusFile>> Corpus = new(CorpusFile.ReadAll);

    public static TheoryData<string> Files() => new(Corpus.Value.Select(f => f.FileName));

    [Theory]
    [MemberData(nameof(Files))]
    public void A_recorded_execution_gives_the_same_actions_through_the_grpc_runner(string file)
    {
        CorpusFile execution = Corpus.Value.Single(f => f.FileName == file);
        GrpcReplay.AssertReplays(execution, Corpus.Value.SingleOrDefault(f => f.Rules == execution.Rules && f.Scenario == execution.Scenario && f.Execution == execution.Execution + 1));
    }

    /// <summary>The current rules' folder holds every scenario; a folder of earlier rules, kept for executions still open under them, whole chains.</summary>
    [Fact]
    public void The_corpus_holds_every_scenario_as_a_whole_chain_of_executions()
    {
        Assert.True(Corpus.Value.Any(f => f.Rules == CaseRules.Current), $"The replay corpus has no histories of the current rules ({CorpusFile.RulesFolder(CaseRules.Current)}): record them (README, \"Replay corpus\").");
        foreach (IGrouping<int, CorpusFile> rules in Corpus.Value.GroupBy(f => f.Rules))
        {
            IEnumerable<CorpusScenario> scenarios = rules.Key == CaseRules.Current
                ? CorpusScenario.All
                : CorpusScenario.All.Where(s => rules.Any(f => f.Scenario == s.Name));
            Assert.All(scenarios, scenario =>
            {
                CorpusFile[] executions = [.. rules.Where(f => f.Scenario == scenario.Name)];
                Assert.True(executions.Length > 0, $"The replay corpus has no {scenario.Name} scenario under rules {rules.Key}: record it (README, \"Replay corpus\").");
                Assert.Equal(Enumerable.Range(0, executions.Length), executions.Select(e => e.Execution));
                Assert.All(executions[..^1], e => Assert.NotNull(e.Events.LastOrDefault(h => h.ContinueAsNew is not null)));
                Assert.Equal(P.OrchestrationStatus.Completed, executions[^1].Events.Last(h => h.ExecutionCompleted is not null).ExecutionCompleted.OrchestrationStatus);
                Assert.True(scenario.IsShownBy(executions), $"The {scenario.Name} scenario of the replay corpus (rules {rules.Key}) shows no {scenario.Shows}: record it again.");
            });
        }
    }

    [Fact]
    public void The_corpus_takes_in_every_event_type()
    {
        HashSet<string> raised = CorpusScenario.RaisedTypes([.. Corpus.Value.Where(f => f.Rules == CaseRules.Current)]);
        string[] missing = [.. CaseEvents.All.Select(e => KebabCase.Name(e.Type)).Where(type => !raised.Contains(type))];
        Assert.True(missing.Length == 0, $"No history of the replay corpus under the current rules takes in {string.Join(", ", missing)}: add a scenario that does.");
    }
}
