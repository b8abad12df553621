using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Helsingborg.Lifecycle;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Hosting;

namespace Helsingborg.LocalHost;

/// <summary>
/// The durable engine of the local host: the Azure Storage provider that Durable Functions itself uses
/// (on Azurite), served over gRPC by <see cref="TaskHubGrpcServer"/> to a Microsoft.DurableTask worker
/// and client in the same process. The worker id is fixed, so a restarted host takes its partitions back
/// at once and a case goes on where it was.
/// </summary>
public static class DurableEngine
{
    /// <summary>The orchestrators and activities this host registers; a test compares them with the Functions app.</summary>
    public static readonly IReadOnlyList<string> Orchestrators = [CaseOrchestration.Name];

    public static IReadOnlyList<string> Activities => CaseActivities.Names;

    public static void AddDurableEngine(this IServiceCollection services, IConfiguration configuration, string connectionString, int grpcPort)
    {
        services.AddSingleton(sp => new AzureStorageOrchestrationService(new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = configuration["Durable:HubName"] ?? "HelsingborgCases",
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            WorkerId = configuration["Durable:WorkerId"] ?? "localhost",
            PartitionCount = int.TryParse(configuration["Durable:PartitionCount"], out int partitions) ? partitions : 4,
            MaxQueuePollingInterval = TimeSpan.TryParse(configuration["Durable:MaxQueuePollingInterval"], System.Globalization.CultureInfo.InvariantCulture, out TimeSpan polling) ? polling : TimeSpan.FromSeconds(1),
            UseAppLease = false,
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }));
        services.AddSingleton(sp => new StartedOnceOrchestrationService(sp.GetRequiredService<AzureStorageOrchestrationService>()));
        services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<StartedOnceOrchestrationService>());
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<AzureStorageOrchestrationService>());
        services.AddHostedService<TaskHubLifetime>();
        services.AddGrpc();
        services.AddSingleton<TaskHubGrpcServer>();

        // Two channels: the worker starts before Kestrel listens and backs off while it retries; the
        // client's channel must not share that back-off, or the first requests would fail as unavailable.
        var address = new Uri($"http://127.0.0.1:{grpcPort}");
        var channels = new GrpcChannels(GrpcChannel.ForAddress(address), GrpcChannel.ForAddress(address));
        services.AddSingleton(channels);
        services.AddDurableTaskWorker(builder =>
        {
            builder.UseGrpc(channels.Worker);
            builder.AddTasks(Register);
        });
        services.AddDurableTaskClient(builder =>
        {
            builder.UseGrpc(channels.Client);
            builder.RegisterDirectly();
        });
    }

    static void Register(DurableTaskRegistry tasks)
    {
        tasks.AddOrchestratorFunc<CaseInput, CaseSummary?>(CaseOrchestration.Name, (context, input) => CaseOrchestration.RunAsync(context, input));
        tasks.AddActivity(nameof(CaseActivities.ProjectCase), sp => Activity<CaseState>(sp, (a, input) => a.ProjectCase(input)));
        tasks.AddActivity(nameof(CaseActivities.AppendTimeline), sp => Activity<TimelineEntry>(sp, (a, input) => a.AppendTimeline(input)));
        tasks.AddActivity(nameof(CaseActivities.CreateReminders), sp => Activity<ReminderBatch>(sp, (a, input) => a.CreateReminders(input)));
        tasks.AddActivity(nameof(CaseActivities.EraseCase), sp => Activity<string>(sp, (a, input) => a.EraseCase(input)));
    }

    static DelegateActivity<TInput> Activity<TInput>(IServiceProvider services, Func<CaseActivities, TInput, Task> run) =>
        new(input => run(services.GetRequiredService<CaseActivities>(), input));

    sealed record GrpcChannels(GrpcChannel Worker, GrpcChannel Client) : IDisposable
    {
        public void Dispose()
        {
            Worker.Dispose();
            Client.Dispose();
        }
    }

    /// <summary>
    /// Creates the task hub's queues and tables before the dispatchers start; when the host stops, stops the
    /// provider first and then the worker, before any hosted service stops. The provider first: while the
    /// worker is still connected, so the control-queue messages it holds in memory (a timer that just fired,
    /// say) are processed or released — stopped after the worker had gone, they would stay invisible for the
    /// queue's visibility timeout and a restarted host would not see them for minutes. The worker next: its
    /// open gRPC stream would otherwise hold Kestrel, which stops before it, until the host's shutdown timeout.
    /// </summary>
    sealed class TaskHubLifetime(AzureStorageOrchestrationService service, StartedOnceOrchestrationService dispatched, IServiceProvider services) : IHostedLifecycleService
    {
        public Task StartAsync(CancellationToken cancellationToken) => service.CreateIfNotExistsAsync();

        public async Task StoppingAsync(CancellationToken cancellationToken)
        {
            await dispatched.StopAsync(isForced: false).WaitAsync(cancellationToken);
            foreach (DurableTaskWorker worker in services.GetServices<IHostedService>().OfType<DurableTaskWorker>())
            {
                await worker.StopAsync(cancellationToken);
            }
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    sealed class DelegateActivity<TInput>(Func<TInput, Task> run) : Microsoft.DurableTask.TaskActivity<TInput, bool>
    {
        public override async Task<bool> RunAsync(TaskActivityContext context, TInput input)
        {
            await run(input);
            return true;
        }
    }
}
