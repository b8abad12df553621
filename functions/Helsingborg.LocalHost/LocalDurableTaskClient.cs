using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using DurableTask.Core.Tracing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using CoreOrchestrationStatus = DurableTask.Core.OrchestrationStatus;
using CorePurgeResult = DurableTask.Core.PurgeResult;
using OrchestrationQuery = Microsoft.DurableTask.Client.OrchestrationQuery;
using PurgeResult = Microsoft.DurableTask.Client.PurgeResult;

namespace Helsingborg.LocalHost;

/// <summary>
/// The app's <see cref="DurableTaskClient"/> in the local host: the operations the app and its tests use, straight
/// on the provider's client interfaces. Inputs and event payloads are written with the SDK's System.Text.Json
/// <see cref="DataConverter"/>, not DTFx's Newtonsoft one, so the orchestrator reads them as in Azure.
/// The provider's calls take no cancellation token: the calls a request makes stop waiting at its token (its
/// deadline, ApiDispatcher.Deadline) while the provider's own call runs on to its end; a start or an event
/// that completes after the request gave up is there for the client's retry to find (intake's start then finds
/// the instance running).
/// </summary>
public sealed class LocalDurableTaskClient(IOrchestrationServiceClient client, DataConverter converter) : DurableTaskClient("local")
{
    /// <summary>An instance in one of these states is not replaced by a new start with its id (as in Durable Functions).</summary>
    static readonly CoreOrchestrationStatus[] Running = [CoreOrchestrationStatus.Running, CoreOrchestrationStatus.Pending, CoreOrchestrationStatus.Suspended];

    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        var instance = new OrchestrationInstance
        {
            InstanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N"),
            ExecutionId = Guid.NewGuid().ToString("N"),
        };
        var started = new ExecutionStartedEvent(-1, converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.ToString() ?? string.Empty,
            OrchestrationInstance = instance,
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
        };
        // The orchestration joins the trace of the request that starts it (an intake), as DTFx's own client does;
        // without a recorded span to join, DTFx starts a trace of its own for it.
        if (System.Diagnostics.Activity.Current is { Recorded: true, Id: { } parent } current)
        {
            started.ParentTraceContext = new DistributedTraceContext(parent, current.TraceStateString);
        }
        else
        {
            started.GenerateNewTrace = true;
        }

        await client.CreateTaskOrchestrationAsync(new TaskMessage { OrchestrationInstance = instance, Event = started }, Running).WaitAsync(cancellation);
        return instance.InstanceId;
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        return SendAsync(instanceId, new EventRaisedEvent(-1, converter.Serialize(eventPayload)) { Name = eventName }).WaitAsync(cancellation);
    }

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        return client.ForceTerminateTaskOrchestrationAsync(instanceId, converter.Serialize(options?.Output));
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason));

    public override async Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        // The Azure Storage provider answers an unknown (or purged) instance with a list holding null.
        IList<OrchestrationState?>? states = await client.GetOrchestrationStateAsync(instanceId, allExecutions: false).WaitAsync(cancellation);
        return states?.FirstOrDefault() is { } state ? Metadata(state, getInputsAndOutputs) : null;
    }

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
    {
        var queries = (IOrchestrationServiceQueryClient)client;
        return Pageable.Create(async (continuation, pageSize, cancellation) =>
        {
            var query = new global::DurableTask.Core.Query.OrchestrationQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => (CoreOrchestrationStatus)(int)s).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? OrchestrationQuery.DefaultPageSize,
                ContinuationToken = continuation ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            };
            OrchestrationQueryResult result = await queries.GetOrchestrationWithQueryAsync(query, cancellation);
            return new Page<OrchestrationMetadata>(result.OrchestrationState.Select(s => Metadata(s, query.FetchInputsAndOutputs)).ToList(), result.ContinuationToken);
        });
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            OrchestrationMetadata? instance = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (instance is not null && instance.RuntimeStatus != OrchestrationRuntimeStatus.Pending)
            {
                return instance;
            }

            await Task.Delay(PollInterval, cancellation);
        }
    }

    public override async Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        while (true)
        {
            if (await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation) is { IsCompleted: true } instance)
            {
                return instance;
            }

            await Task.Delay(PollInterval, cancellation);
        }
    }

    public override async Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        cancellation.ThrowIfCancellationRequested();
        CorePurgeResult result = await ((IOrchestrationServicePurgeClient)client).PurgeInstanceStateAsync(instanceId);
        return new PurgeResult(result.DeletedInstanceCount);
    }

    public override ValueTask DisposeAsync() => default;

    Task SendAsync(string instanceId, HistoryEvent message) =>
        client.SendTaskOrchestrationMessageAsync(new TaskMessage { OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId }, Event = message });

    OrchestrationMetadata Metadata(OrchestrationState state, bool getInputsAndOutputs) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = getInputsAndOutputs ? converter : null,
            RuntimeStatus = (OrchestrationRuntimeStatus)(int)state.OrchestrationStatus,
            CreatedAt = state.CreatedTime,
            LastUpdatedAt = state.LastUpdatedTime,
            SerializedInput = state.Input,
            SerializedOutput = state.Output,
            SerializedCustomStatus = state.Status,
            FailureDetails = FailureOf(state),
        };

    /// <summary>
    /// Why a failed instance failed. The Azure Storage provider keeps no failure details on the instance, only its output,
    /// which for a failed orchestration is the exception's type and message (<c>System.NullReferenceException: …</c>):
    /// read from there, so the stalled list names the exception's type here as it does in Azure.
    /// </summary>
    public static TaskFailureDetails? FailureOf(OrchestrationState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.FailureDetails is { } failure)
        {
            return new TaskFailureDetails(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, null, null);
        }

        if (state.OrchestrationStatus != CoreOrchestrationStatus.Failed || string.IsNullOrEmpty(state.Output))
        {
            return null;
        }

        int colon = state.Output.IndexOf(": ", StringComparison.Ordinal);
        string type = colon > 0 ? state.Output[..colon] : string.Empty;
        return type.Length > 0 && type.All(c => char.IsLetterOrDigit(c) || c is '.' or '_' or '`' or '+')
            ? new TaskFailureDetails(type, state.Output[(colon + 2)..], null, null, null)
            : new TaskFailureDetails("unknown", state.Output, null, null, null);
    }
}
