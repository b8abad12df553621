using System.Text;
using Azure.Core.Serialization;
using Google.Protobuf;
using Helsingborg.Functions;
using Helsingborg.Lifecycle;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Grpc;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using P = Microsoft.DurableTask.Protobuf;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// Runs a recorded execution through <see cref="GrpcOrchestrationRunner.LoadAndRun(string, ITaskOrchestrator, IServiceProvider?)"/>,
/// the entry point through which the Functions isolated worker runs an orchestrator in Azure, with the Functions app's
/// own serializer: episode by episode, as the engine would hand it over, each episode's actions compared with the
/// actions the history recorded for it. An episode runs from one <c>OrchestratorStarted</c> to the next; the
/// orchestrator gets the earlier episodes as past events and the episode's <c>OrchestratorStarted</c> and what it
/// received (start, task results, timers fired, events raised) as new events.
/// </summary>
public static partial class GrpcReplay
{
    [System.Text.RegularExpressions.GeneratedRegex("\"rules\":\\d+")]
    private static partial System.Text.RegularExpressions.Regex RulesNumber();

    static readonly IServiceProvider Services = FunctionsServices();

    /// <summary>Fails with every episode that failed or gave other actions than <paramref name="execution"/> recorded.</summary>
    /// <param name="next">The execution that followed, when <paramref name="execution"/> continued as new: its first episode holds the events carried over.</param>
    public static void AssertReplays(CorpusFile execution, CorpusFile? next)
    {
        ArgumentNullException.ThrowIfNull(execution);
        IReadOnlyList<string> problems = Check(execution, next);
        Assert.True(problems.Count == 0, $"{execution.FileName} ({execution.InstanceId}) does not replay through the gRPC runner:\n{string.Join("\n", problems)}");
    }

    public static IReadOnlyList<string> Check(CorpusFile execution, CorpusFile? next)
    {
        ArgumentNullException.ThrowIfNull(execution);
        IReadOnlyList<P.HistoryEvent>? carried = next is null ? null : Episodes(next.Events)[0].Received;
        var problems = new List<string>();
        var past = new List<P.HistoryEvent>();
        List<Episode> episodes = Episodes(execution.Events);
        for (int i = 0; i < episodes.Count; i++)
        {
            Episode episode = episodes[i];
            var request = new P.OrchestratorRequest { InstanceId = execution.InstanceId, ExecutionId = execution.ExecutionId, PastEvents = { past }, NewEvents = { episode.Received } };
            string answer = GrpcOrchestrationRunner.LoadAndRun(request.ToByteString().ToBase64(), new CaseOrchestration(), Services);
            P.OrchestratorResponse response = P.OrchestratorResponse.Parser.ParseFrom(ByteString.FromBase64(answer));

            string where = $"episode {i} (history events {past.Count}..{past.Count + episode.All.Count - 1})";
            if (response.Actions.FirstOrDefault(a => a.CompleteOrchestration?.OrchestrationStatus == P.OrchestrationStatus.Failed) is { } failed)
            {
                P.TaskFailureDetails? failure = failed.CompleteOrchestration.FailureDetails;
                problems.Add($"{where} failed: {failure?.ErrorType}: {failure?.ErrorMessage}");
            }
            else
            {
                string[] expected = [.. episode.Actions.Select(e => Describe(e, carried))];
                string[] actual = [.. response.Actions.Select(Describe)];
                if (!expected.SequenceEqual(actual))
                {
                    problems.Add($"{where} recorded\n    {string.Join("\n    ", expected)}\n  but the gRPC runner gave\n    {string.Join("\n    ", actual)}");
                }
            }

            past.AddRange(episode.All);
        }

        return problems;
    }

    /// <summary>The events of one episode: all of them, what the orchestrator received, what it did.</summary>
    sealed record Episode(List<P.HistoryEvent> All, List<P.HistoryEvent> Received, List<P.HistoryEvent> Actions);

    static List<Episode> Episodes(IReadOnlyList<P.HistoryEvent> events)
    {
        var episodes = new List<Episode>();
        foreach (P.HistoryEvent e in events)
        {
            if (episodes.Count == 0 || e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.OrchestratorStarted)
            {
                episodes.Add(new([], [], []));
            }

            Episode episode = episodes[^1];
            episode.All.Add(e);
            switch (e.EventTypeCase)
            {
                case P.HistoryEvent.EventTypeOneofCase.TaskScheduled:
                case P.HistoryEvent.EventTypeOneofCase.TimerCreated:
                case P.HistoryEvent.EventTypeOneofCase.EventSent:
                case P.HistoryEvent.EventTypeOneofCase.SubOrchestrationInstanceCreated:
                case P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted:
                case P.HistoryEvent.EventTypeOneofCase.ContinueAsNew:
                    episode.Actions.Add(e);
                    break;
                case P.HistoryEvent.EventTypeOneofCase.OrchestratorCompleted:
                    break;
                default:
                    episode.Received.Add(e);
                    break;
            }
        }

        return episodes;
    }

    /// <summary>A recorded action, written as <see cref="Describe(P.OrchestratorAction)"/> writes the action it records.</summary>
    static string Describe(P.HistoryEvent e, IReadOnlyList<P.HistoryEvent>? carried) => e.EventTypeCase switch
    {
        P.HistoryEvent.EventTypeOneofCase.TaskScheduled => $"#{e.EventId} call {e.TaskScheduled.Name} {e.TaskScheduled.Input}",
        P.HistoryEvent.EventTypeOneofCase.TimerCreated => $"#{e.EventId} timer {e.TimerCreated.FireAt}",
        P.HistoryEvent.EventTypeOneofCase.EventSent => $"#{e.EventId} send {e.EventSent.Name} to {e.EventSent.InstanceId} {e.EventSent.Input}",
        P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted => $"#{e.EventId} complete {e.ExecutionCompleted.OrchestrationStatus} {e.ExecutionCompleted.Result}",
        // An execution moves to the current rules at its continue-as-new (CaseRules): the recorded number is the release's.
        P.HistoryEvent.EventTypeOneofCase.ContinueAsNew => $"#{e.EventId} continue as new with {RulesNumber().Replace(e.ContinueAsNew.Input, $"\"rules\":{CaseRules.Current}")}{Carried(carried ?? [])}",
        _ => $"#{e.EventId} {e.EventTypeCase}",
    };

    static string Describe(P.OrchestratorAction a) => a.OrchestratorActionTypeCase switch
    {
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.ScheduleTask => $"#{a.Id} call {a.ScheduleTask.Name} {a.ScheduleTask.Input}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.CreateTimer => $"#{a.Id} timer {a.CreateTimer.FireAt}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.SendEvent => $"#{a.Id} send {a.SendEvent.Name} to {a.SendEvent.Instance.InstanceId} {a.SendEvent.Data}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration when a.CompleteOrchestration.OrchestrationStatus == P.OrchestrationStatus.ContinuedAsNew =>
            $"#{a.Id} continue as new with {a.CompleteOrchestration.Result}{Carried(a.CompleteOrchestration.CarryoverEvents)}",
        P.OrchestratorAction.OrchestratorActionTypeOneofCase.CompleteOrchestration => $"#{a.Id} complete {a.CompleteOrchestration.OrchestrationStatus} {a.CompleteOrchestration.Result}",
        _ => $"#{a.Id} {a.OrchestratorActionTypeCase}",
    };

    /// <summary>The events a continue-as-new hands to the next execution (they arrived after it, in the same batch).</summary>
    static string Carried(IEnumerable<P.HistoryEvent> events)
    {
        var text = new StringBuilder();
        foreach (P.HistoryEvent e in events.Where(e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.EventRaised))
        {
            text.Append($"\n      carrying {e.EventRaised.Name} {e.EventRaised.Input}");
        }

        return text.ToString();
    }

    /// <summary>The services the Functions worker hands the runner: a shim factory whose data converter is the Functions app's serializer.</summary>
    static IServiceProvider FunctionsServices()
    {
        var functions = new ServiceCollection();
        functions.AddDurablePayloads();
        ObjectSerializer serializer = functions.BuildServiceProvider().GetRequiredService<IOptions<WorkerOptions>>().Value.Serializer!;

        var services = new ServiceCollection();
        services.AddSingleton(new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = new SerializerConverter(serializer) }, NullLoggerFactory.Instance));
        return services.BuildServiceProvider();
    }

    /// <summary>The Durable extension's own bridge from the worker's serializer to a data converter (its ObjectConverterShim is internal).</summary>
    sealed class SerializerConverter(ObjectSerializer serializer) : DataConverter
    {
        public override string? Serialize(object? value) => value is null ? null : serializer.Serialize(value, value.GetType(), default).ToString();

        public override object? Deserialize(string? data, Type targetType)
        {
            if (data is null)
            {
                return null;
            }

            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(data), writable: false);
            return serializer.Deserialize(stream, targetType, default);
        }
    }
}
