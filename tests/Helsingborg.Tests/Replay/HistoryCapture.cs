using System.Collections.Concurrent;
using DurableTask.Core;
using DurableTask.Core.History;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// Every execution's whole history, taken from the local engine's dispatcher rather than from storage: the Azure
/// Storage provider never writes the episode in which an execution continues as new (DurableTask.Core completes the
/// work item with the next execution's state) and the next execution overwrites the old one's rows. A dispatcher
/// middleware keeps each execution's runtime state, to which the dispatcher appends the episode's actions after the
/// orchestrator has run; read it once the instance has completed.
/// </summary>
public sealed class HistoryCapture
{
    readonly ConcurrentDictionary<string, List<(string ExecutionId, OrchestrationRuntimeState State)>> instances = new(StringComparer.Ordinal);

    /// <summary>Adds the middleware to the host's <see cref="TaskHubWorker"/> as it is made (pass to <c>TestHost.StartAsync</c>).</summary>
    public void AddTo(IServiceCollection services)
    {
        ServiceDescriptor engine = services.Last(d => d.ServiceType == typeof(TaskHubWorker));
        services.Replace(ServiceDescriptor.Singleton(sp =>
        {
            var worker = (TaskHubWorker)engine.ImplementationFactory!(sp);
            worker.AddOrchestrationDispatcherMiddleware(async (context, next) =>
            {
                Keep(context.GetProperty<OrchestrationRuntimeState>());
                await next();
            });
            return worker;
        }));
    }

    /// <summary>The instance's executions in the order they ran, each with its history.</summary>
    public IReadOnlyList<(string ExecutionId, IReadOnlyList<HistoryEvent> Events)> Executions(string instanceId)
    {
        List<(string ExecutionId, OrchestrationRuntimeState State)> executions = instances.GetValueOrDefault(instanceId) ?? [];
        lock (executions)
        {
            return [.. executions.Select(e => (e.ExecutionId, (IReadOnlyList<HistoryEvent>)[.. e.State.Events]))];
        }
    }

    /// <summary>
    /// Keeps the fullest runtime state of each execution. A later work item's state holds all of an earlier one's, except
    /// a stale one: a work item whose state was loaded before the execution's last turns (seen once in a full run: 10
    /// events kept where storage held 26). The fuller state is kept; the test still compares it with what storage holds.
    /// </summary>
    void Keep(OrchestrationRuntimeState state)
    {
        List<(string ExecutionId, OrchestrationRuntimeState State)> executions = instances.GetOrAdd(state.OrchestrationInstance!.InstanceId, _ => []);
        lock (executions)
        {
            int known = executions.FindIndex(e => e.ExecutionId == state.OrchestrationInstance.ExecutionId);
            if (known < 0)
            {
                executions.Add((state.OrchestrationInstance.ExecutionId, state));
            }
            else if (state.Events.Count >= executions[known].State.Events.Count)
            {
                executions[known] = (state.OrchestrationInstance.ExecutionId, state);
            }
        }
    }
}
