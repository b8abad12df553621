using DurableTask.AzureStorage;
using DurableTask.Core;
using Helsingborg.Lifecycle;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;

namespace Helsingborg.LocalHost;

/// <summary>
/// The durable engine of the local host: the parts Durable Functions runs in Azure, in one process.
/// DurableTask.Core's own dispatcher (<see cref="TaskHubWorker"/>) over the Azure Storage provider on Azurite runs
/// the orchestrator and activity classes of Core, wrapped by the SDK's <see cref="DurableTaskShimFactory"/>, as the
/// isolated worker does; <see cref="LocalDurableTaskClient"/> starts and queries them. Payloads go through the same
/// System.Text.Json options as the Functions worker's (<see cref="DurableJson"/>).
/// </summary>
public static partial class DurableEngine
{
    /// <summary>The orchestrators and activities this host registers; a test compares them with the Functions app.</summary>
    public static readonly IReadOnlyList<string> Orchestrators = [CaseOrchestration.Name];

    public static readonly IReadOnlyList<string> Activities = [nameof(ApplyCaseStep), nameof(ReadCaseInbox)];

    public static void AddDurableEngine(this IServiceCollection services, IConfiguration configuration, string connectionString)
    {
        services.AddSingleton(sp => new AzureStorageOrchestrationService(Settings(configuration, connectionString, sp.GetRequiredService<ILoggerFactory>())));
        services.AddSingleton(new JsonDataConverter(DurableJson.Options));
        services.AddSingleton<DurableTaskClient>(sp => new LocalDurableTaskClient(sp.GetRequiredService<AzureStorageOrchestrationService>(), sp.GetRequiredService<JsonDataConverter>()));
        services.AddSingleton(sp => CreateWorker(sp));
        services.AddHostedService<EngineLifetime>();
    }

    /// <summary>
    /// The provider set up for one local worker: one partition, a fixed worker id (a restarted host takes its
    /// partition back at once), one-second polling, and short queue visibility timeouts, so that the messages a
    /// killed host had taken come back within seconds rather than Azure's five minutes (README, "Local engine").
    /// </summary>
    internal static AzureStorageOrchestrationServiceSettings Settings(IConfiguration configuration, string connectionString, ILoggerFactory loggers) => new()
    {
        TaskHubName = configuration["Durable:HubName"] ?? "HelsingborgCases",
        StorageAccountClientProvider = new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connectionString, Bounded(new Azure.Storage.Blobs.BlobClientOptions())),
            StorageServiceClientProvider.ForQueue(connectionString, Bounded(new Azure.Storage.Queues.QueueClientOptions())),
            StorageServiceClientProvider.ForTable(connectionString, Bounded(new Azure.Data.Tables.TableClientOptions()))),
        WorkerId = configuration["Durable:WorkerId"] ?? "localhost",
        PartitionCount = configuration.GetValue("Durable:PartitionCount", 1),
        MaxQueuePollingInterval = configuration.GetValue("Durable:MaxQueuePollingInterval", TimeSpan.FromSeconds(1)),
        ControlQueueVisibilityTimeout = configuration.GetValue("Durable:VisibilityTimeout", TimeSpan.FromSeconds(15)),
        WorkItemQueueVisibilityTimeout = configuration.GetValue("Durable:VisibilityTimeout", TimeSpan.FromSeconds(15)),
        UseAppLease = false,
        LoggerFactory = loggers,
    };

    /// <summary>
    /// The engine's storage calls give up on an attempt after 10 s without an answer, not the SDK's default 100 s: in a
    /// storage outage (StorageOutageTests freezes Azurite for 60 s) a call fails within a minute and the engine retries
    /// its work, instead of waiting on attempts that can outlast the outage by minutes.
    /// </summary>
    static T Bounded<T>(T options) where T : Azure.Core.ClientOptions
    {
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        return options;
    }

    static TaskHubWorker CreateWorker(IServiceProvider services)
    {
        ILoggerFactory loggers = services.GetRequiredService<ILoggerFactory>();
        // The worker splits a longer timer into pieces of this size; the case's own cap (CasePolicy.MaxTimerWait) is the same
        // setting, so a case's timers are never split.
        TimeSpan maxTimer = services.GetRequiredService<IConfiguration>().GetValue($"{CasePolicy.SectionName}:{nameof(CasePolicy.MaxTimerWait)}", new CasePolicy().MaxTimerWait);
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = services.GetRequiredService<JsonDataConverter>(), MaximumTimerInterval = maxTimer }, loggers);
        var worker = new TaskHubWorker(new ShortBackoffOrchestrationService(services.GetRequiredService<AzureStorageOrchestrationService>()), loggers)
        {
            ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails,
        };
        worker.AddTaskOrchestrations(new Creator<TaskOrchestration>(CaseOrchestration.Name, () => new TracedOrchestration(shims.CreateOrchestration(CaseOrchestration.Name, new CaseOrchestration()), CaseOrchestration.Name)));
        worker.AddTaskActivities(
            new Creator<TaskActivity>(nameof(ApplyCaseStep), () => shims.CreateActivity(nameof(ApplyCaseStep), services.GetRequiredService<ApplyCaseStep>())),
            new Creator<TaskActivity>(nameof(ReadCaseInbox), () => shims.CreateActivity(nameof(ReadCaseInbox), services.GetRequiredService<ReadCaseInbox>())));
        return worker;
    }

    /// <summary>Creates a shim per work item, as the Functions worker does per invocation.</summary>
    sealed class Creator<T> : ObjectCreator<T>
    {
        readonly Func<T> create;

        public Creator(string name, Func<T> create)
        {
            Name = name;
            Version = string.Empty;
            this.create = create;
        }

        public override T Create() => create();
    }

    /// <summary>
    /// Creates the task hub and starts the dispatcher with the host; stops it first when the host stops, so the
    /// provider releases its partition and the messages it holds before anything else goes away. The stop is bounded:
    /// the provider's partition manager retries releasing its lease for up to ten minutes, so without storage the host
    /// would never exit. After the bound the engine is left as a crash leaves it, which a restart recovers from.
    /// </summary>
    sealed partial class EngineLifetime(AzureStorageOrchestrationService service, TaskHubWorker worker, ILogger<EngineLifetime> logger) : IHostedLifecycleService
    {
        static readonly TimeSpan GracefulStop = TimeSpan.FromSeconds(3);
        static readonly TimeSpan ForcedStop = TimeSpan.FromSeconds(3);

        readonly Lazy<Task> stopping = new(() => StopEngineAsync(service, worker, logger));

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            await service.CreateIfNotExistsAsync();
            await worker.StartAsync();
        }

        /// <summary>One stop per host, however often the host is stopped (LocalApp stops it again before disposing it).</summary>
        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            try
            {
                await stopping.Value.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The host's shutdown timeout came first; the engine's own bound still logs what it leaves behind.
            }
        }

        static async Task StopEngineAsync(AzureStorageOrchestrationService service, TaskHubWorker worker, ILogger logger)
        {
            Task graceful = worker.StopAsync(isForced: false);
            if (await Within(graceful, GracefulStop))
            {
                return;
            }

            // Work items still running are left to come back after their queue's visibility timeout. Forced straight
            // on the provider: the worker's own forced stop would wait for its graceful one, behind the same lock.
            LogForcedStop(logger, GracefulStop.TotalSeconds);
            Task forced = service.StopAsync(isForced: true);
            if (!await Within(Task.WhenAny(graceful, forced), ForcedStop))
            {
                LogAbandoned(logger, (GracefulStop + ForcedStop).TotalSeconds);
            }
        }

        /// <summary>True when <paramref name="task"/> ended (however) within <paramref name="limit"/>.</summary>
        static async Task<bool> Within(Task task, TimeSpan limit)
        {
            try
            {
                await task.WaitAsync(limit);
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
#pragma warning disable CA1031 // A stop that failed has ended all the same; the host goes on stopping.
            catch (Exception)
#pragma warning restore CA1031
            {
                return true;
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(Level = LogLevel.Warning, Message = "The durable engine did not stop within {Seconds} s; stopping it forced")]
        static partial void LogForcedStop(ILogger logger, double seconds);

        [LoggerMessage(Level = LogLevel.Warning, Message = "The durable engine did not stop within {Seconds} s (storage does not answer?); its partition lease and messages are left to expire, as after a crash")]
        static partial void LogAbandoned(ILogger logger, double seconds);
    }
}
