using DurableTask.Core;
using DurableTask.Core.History;
using Google.Protobuf.WellKnownTypes;
using P = Microsoft.DurableTask.Protobuf;

namespace Helsingborg.Tests.Replay;

/// <summary>
/// DurableTask.Core's history events, as the local engine keeps them, in the protobuf form the Functions isolated
/// worker receives them in (the inverse of the SDK's <c>ProtoUtils.ConvertHistoryEvent</c>). Trace contexts are left
/// out: they steer tracing, not the orchestration.
/// </summary>
public static class HistoryProto
{
    public static P.HistoryEvent From(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var proto = new P.HistoryEvent { EventId = e.EventId, Timestamp = Utc(e.Timestamp) };
        switch (e)
        {
            case ExecutionStartedEvent started:
                proto.ExecutionStarted = new P.ExecutionStartedEvent
                {
                    Name = started.Name ?? string.Empty,
                    Version = started.Version,
                    Input = started.Input,
                    OrchestrationInstance = new P.OrchestrationInstance
                    {
                        InstanceId = started.OrchestrationInstance.InstanceId ?? string.Empty,
                        ExecutionId = started.OrchestrationInstance.ExecutionId,
                    },
                    ScheduledStartTimestamp = started.ScheduledStartTime is { } at ? Utc(at) : null,
                };
                if (started.ParentInstance is not null)
                {
                    throw new NotSupportedException("The case orchestration is never a sub-orchestration.");
                }

                proto.ExecutionStarted.Tags.Add(started.Tags ?? new Dictionary<string, string>());
                break;
            case ContinueAsNewEvent continued:
                proto.ContinueAsNew = new P.ContinueAsNewEvent { Input = continued.Result };
                break;
            case ExecutionCompletedEvent completed:
                proto.ExecutionCompleted = new P.ExecutionCompletedEvent
                {
                    OrchestrationStatus = (P.OrchestrationStatus)completed.OrchestrationStatus,
                    Result = completed.Result,
                    FailureDetails = Failure(completed.FailureDetails),
                };
                break;
            case ExecutionTerminatedEvent terminated:
                proto.ExecutionTerminated = new P.ExecutionTerminatedEvent { Input = terminated.Input };
                break;
            case OrchestratorStartedEvent:
                proto.OrchestratorStarted = new P.OrchestratorStartedEvent();
                break;
            case OrchestratorCompletedEvent:
                proto.OrchestratorCompleted = new P.OrchestratorCompletedEvent();
                break;
            case TaskScheduledEvent scheduled:
                proto.TaskScheduled = new P.TaskScheduledEvent { Name = scheduled.Name ?? string.Empty, Version = scheduled.Version, Input = scheduled.Input };
                proto.TaskScheduled.Tags.Add(scheduled.Tags ?? new Dictionary<string, string>());
                break;
            case TaskCompletedEvent taskCompleted:
                proto.TaskCompleted = new P.TaskCompletedEvent { TaskScheduledId = taskCompleted.TaskScheduledId, Result = taskCompleted.Result };
                break;
            case TaskFailedEvent taskFailed:
                proto.TaskFailed = new P.TaskFailedEvent
                {
                    TaskScheduledId = taskFailed.TaskScheduledId,
                    FailureDetails = Failure(taskFailed.FailureDetails) ?? new P.TaskFailureDetails { ErrorMessage = taskFailed.Reason ?? string.Empty },
                };
                break;
            case TimerCreatedEvent timerCreated:
                proto.TimerCreated = new P.TimerCreatedEvent { FireAt = Utc(timerCreated.FireAt) };
                break;
            case TimerFiredEvent timerFired:
                proto.TimerFired = new P.TimerFiredEvent { FireAt = Utc(timerFired.FireAt), TimerId = timerFired.TimerId };
                break;
            case EventRaisedEvent raised:
                proto.EventRaised = new P.EventRaisedEvent { Name = raised.Name ?? string.Empty, Input = raised.Input };
                break;
            case EventSentEvent sent:
                proto.EventSent = new P.EventSentEvent { InstanceId = sent.InstanceId ?? string.Empty, Name = sent.Name ?? string.Empty, Input = sent.Input };
                break;
            case GenericEvent generic:
                proto.GenericEvent = new P.GenericEvent { Data = generic.Data };
                break;
            default:
                throw new NotSupportedException($"The case orchestration's history holds no {e.EventType} event; add it here when it does.");
        }

        return proto;
    }

    static P.TaskFailureDetails? Failure(FailureDetails? failure) => failure is null ? null : new P.TaskFailureDetails
    {
        ErrorType = failure.ErrorType ?? string.Empty,
        ErrorMessage = failure.ErrorMessage ?? string.Empty,
        StackTrace = failure.StackTrace,
        InnerFailure = Failure(failure.InnerFailure),
        IsNonRetriable = failure.IsNonRetriable,
    };

    /// <summary>Protobuf holds UTC only; the provider reads its times back without a kind.</summary>
    static Timestamp Utc(DateTime time) => Timestamp.FromDateTime(time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    });
}
