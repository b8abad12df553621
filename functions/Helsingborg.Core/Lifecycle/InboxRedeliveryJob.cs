using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Lifecycle;

/// <summary>
/// Raises again what a case has not taken in: for every case with events stored in its inbox beyond the number its
/// orchestration has applied, for longer than <see cref="SettleFor"/>, the next event is raised (one is enough: after
/// its step the orchestration learns the inbox's head and pulls the rest). This is what makes a lost raise, or a host
/// killed between the store and the raise, cost only time. Cases with nothing left are taken off the list.
/// </summary>
public sealed partial class InboxRedeliveryJob(CaseInbox inbox, ILogger<InboxRedeliveryJob> logger)
{
    public const string Name = "InboxRedelivery";

    /// <summary>Every 30 seconds (NCRONTAB with seconds).</summary>
    public const string Schedule = "*/30 * * * * *";

    /// <summary>How long an accepted event may take to be applied before it is raised again: requests answer within 8 s.</summary>
    public static readonly TimeSpan SettleFor = TimeSpan.FromSeconds(20);

    /// <summary>Returns how many events it raised again.</summary>
    public async Task<int> RunAsync(DurableTaskClient durable, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(durable);
        int raised = 0;
        await foreach ((string caseId, DateTimeOffset touchedAt, Azure.ETag tag) in inbox.OutstandingAsync(cancellationToken))
        {
            if (now - touchedAt < SettleFor)
            {
                continue;
            }

            OrchestrationMetadata? instance = await durable.GetInstanceAsync(caseId, getInputsAndOutputs: true, cancellationToken);
            if (instance is null || instance.RuntimeStatus is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated or OrchestrationRuntimeStatus.Pending)
            {
                // Resumed by an administrator with its inbox (or not yet started): nothing to raise now.
                continue;
            }

            long head = await inbox.HeadAsync(caseId, cancellationToken);
            CaseStatus? status = StoppedCases.Status(instance);
            if (instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed || (status is not null && status.Applied >= head))
            {
                await inbox.SettleAsync(caseId, tag, cancellationToken);
                continue;
            }

            if (status is null || status.StalledSince is not null || await inbox.GetAsync(caseId, status.Applied + 1, cancellationToken) is not { } next)
            {
                continue;
            }

            await durable.RaiseEventAsync(caseId, CaseOrchestration.EventName, CaseOrchestration.EventPayload(next), cancellationToken);
            raised++;
        }

        if (raised > 0)
        {
            LogRaised(logger, raised);
        }

        return raised;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Raised {Count} accepted events again that their cases had not taken in")]
    static partial void LogRaised(ILogger logger, int count);
}
