using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Lifecycle;

/// <summary>Why a case is not moving: a step keeps failing (stalled), or its instance failed or was terminated.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<StoppedStatus>))]
public enum StoppedStatus
{
    Stalled,
    Failed,
    Terminated,
}

/// <summary>One case that is not moving: since when, and the exception's type (nothing personal).</summary>
public sealed record StoppedCase(string CaseId, DateTimeOffset Since, StoppedStatus Status, string? Reason);

/// <summary><c>GET /api/admin/cases/stalled</c>: every case that does not move on by itself, oldest first.</summary>
public sealed record StoppedCaseList(IReadOnlyList<StoppedCase> Items);

/// <summary>
/// Finds the cases whose clocks have stopped, from the task hub itself (so it works when the app's own tables do not):
/// running instances whose custom status says a step keeps failing, and failed or terminated ones.
/// </summary>
public static class StoppedCases
{
    public static async Task<IReadOnlyList<StoppedCase>> FindAsync(DurableTaskClient durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        var found = new List<StoppedCase>();
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated],
            FetchInputsAndOutputs = true,
            PageSize = 500,
        };
        await foreach (OrchestrationMetadata instance in durable.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (instance.Name != CaseOrchestration.Name)
            {
                continue;
            }

            StoppedCase? stopped = instance.RuntimeStatus switch
            {
                OrchestrationRuntimeStatus.Failed => new StoppedCase(instance.InstanceId, instance.LastUpdatedAt, StoppedStatus.Failed, instance.FailureDetails?.ErrorType),
                OrchestrationRuntimeStatus.Terminated => new StoppedCase(instance.InstanceId, instance.LastUpdatedAt, StoppedStatus.Terminated, null),
                _ when Status(instance) is { StalledSince: { } since } status => new StoppedCase(instance.InstanceId, since, StoppedStatus.Stalled, status.StalledReason),
                _ => null,
            };
            if (stopped is not null)
            {
                found.Add(stopped);
            }
        }

        return [.. found.OrderBy(c => c.Since)];
    }

    /// <summary>The case's custom status, if it has one yet.</summary>
    public static CaseStatus? Status(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.SerializedCustomStatus is not { Length: > 0 } json)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CaseStatus>(json, DurableJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
