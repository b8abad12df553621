using DurableTask.Core;

namespace Helsingborg.LocalHost;

/// <summary>
/// The orchestration service as the gRPC sidecar's dispatcher sees it. The sidecar starts the service
/// only once a worker connects, but stops it whenever the host stops; the Azure Storage provider throws
/// (and, from the sidecar's async-void handler, crashes the process) when stopped without having been
/// started. This wrapper makes stop a no-op until start ran, and tells when the dispatcher is running.
/// Once stopped (the host stops the provider first, see <c>DurableEngine.TaskHubLifetime</c>), a fetch waits
/// out its receive timeout and finds nothing: the stopped provider would throw at once, and the sidecar's
/// dispatch loops, which run until the host disposes them, would spin on that exception at full CPU.
/// </summary>
internal sealed class StartedOnceOrchestrationService(IOrchestrationService inner) : IOrchestrationService
{
    readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the dispatcher has started the service (a worker is connected).</summary>
    public Task Started => started.Task;

    public int TaskOrchestrationDispatcherCount => inner.TaskOrchestrationDispatcherCount;

    public int MaxConcurrentTaskOrchestrationWorkItems => inner.MaxConcurrentTaskOrchestrationWorkItems;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => inner.EventBehaviourForContinueAsNew;

    public int TaskActivityDispatcherCount => inner.TaskActivityDispatcherCount;

    public int MaxConcurrentTaskActivityWorkItems => inner.MaxConcurrentTaskActivityWorkItems;

    public async Task StartAsync()
    {
        await inner.StartAsync();
        started.TrySetResult();
    }

    int stopped;

    public Task StopAsync() => StopAsync(isForced: false);

    /// <summary>Stops the provider once: a no-op before it started or after it stopped.</summary>
    public Task StopAsync(bool isForced) =>
        started.Task.IsCompleted && Interlocked.Exchange(ref stopped, 1) == 0 ? inner.StopAsync(isForced) : Task.CompletedTask;

    public Task CreateAsync() => inner.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => inner.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => inner.CreateIfNotExistsAsync();

    public Task DeleteAsync() => inner.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => inner.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => inner.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => inner.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => inner.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        Volatile.Read(ref stopped) == 1 ? NothingAfter<TaskOrchestrationWorkItem>(receiveTimeout) : inner.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken);

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => inner.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState) =>
        inner.CompleteTaskOrchestrationWorkItemAsync(workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.AbandonTaskOrchestrationWorkItemAsync(workItem);

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem) => inner.ReleaseTaskOrchestrationWorkItemAsync(workItem);

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken) =>
        Volatile.Read(ref stopped) == 1 ? NothingAfter<TaskActivityWorkItem>(receiveTimeout) : inner.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken);

    /// <summary>
    /// A stopped provider's fetch: a pause, then nothing. The pause ignores the token, which the sidecar has
    /// usually cancelled by then while its loop still runs; it is short, so the host's stop is not held up.
    /// </summary>
    static async Task<T> NothingAfter<T>(TimeSpan receiveTimeout)
        where T : class
    {
        await Task.Delay(receiveTimeout > TimeSpan.Zero && receiveTimeout < TimeSpan.FromSeconds(1) ? receiveTimeout : TimeSpan.FromSeconds(1));
        return null!;
    }

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => inner.RenewTaskActivityWorkItemLockAsync(workItem);

    public Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage) => inner.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);

    public Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem) => inner.AbandonTaskActivityWorkItemAsync(workItem);
}
