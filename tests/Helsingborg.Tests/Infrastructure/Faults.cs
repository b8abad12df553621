using Azure.Data.Tables;
using Azure.Storage.Blobs;
using DurableTask.AzureStorage;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Lifecycle;
using Helsingborg.LocalHost;
using Helsingborg.Reminders;
using Helsingborg.Storage;
using Helsingborg.Timeline;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// Faults a test switches on and off in a host's services: every raise of an event fails (after the event is stored),
/// or every case step fails (its activity cannot reach storage). Nothing in the product knows of them.
/// </summary>
public sealed class Faults
{
    public volatile bool FailRaises;
    public volatile bool FailSteps;

    /// <summary>Adds the faults to a host's services (TestHost.StartAsync's <c>services</c>).</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<DurableTaskClient>(sp => new FaultyClient(
            new LocalDurableTaskClient(sp.GetRequiredService<AzureStorageOrchestrationService>(), sp.GetRequiredService<JsonDataConverter>()), this));

        // Storage nobody answers on: an activity built on it fails as a storage outage does.
        var unreachable = new CaseStorage(
            new TableServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"), new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])), new TableClientOptions { Retry = { MaxRetries = 0 } }),
            new BlobServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1")));
        services.AddTransient(sp => new ApplyCaseStep(
            sp.GetRequiredService<CaseProjectionStore>(), sp.GetRequiredService<TimelineStore>(), sp.GetRequiredService<ReminderStore>(),
            sp.GetRequiredService<Helsingborg.Referrals.ReferralStore>(), sp.GetRequiredService<Helsingborg.Persons.PersonLinkStore>(), sp.GetRequiredService<CaseVault>(),
            FailSteps ? new CaseInbox(unreachable) : sp.GetRequiredService<CaseInbox>(),
            sp.GetRequiredService<Helsingborg.Reminders.UrgentPushOutbox>(), sp.GetRequiredService<TimeProvider>()));
    }

    /// <summary>The host's client, whose raises fail while <see cref="FailRaises"/> is on.</summary>
    sealed class FaultyClient(DurableTaskClient inner, Faults faults) : DurableTaskClient("faulty")
    {
        public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) =>
            faults.FailRaises ? Task.FromException(new InvalidOperationException("The raise failed (injected).")) : inner.RaiseEventAsync(instanceId, eventName, eventPayload, cancellation);

        public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default) =>
            inner.ScheduleNewOrchestrationInstanceAsync(orchestratorName, input, options, cancellation);

        public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default) =>
            inner.TerminateInstanceAsync(instanceId, options, cancellation);

        public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            inner.SuspendInstanceAsync(instanceId, reason, cancellation);

        public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
            inner.ResumeInstanceAsync(instanceId, reason, cancellation);

        public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);

        public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null) => inner.GetAllInstancesAsync(filter);

        public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.WaitForInstanceStartAsync(instanceId, getInputsAndOutputs, cancellation);

        public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) =>
            inner.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs, cancellation);

        public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) =>
            inner.PurgeInstanceAsync(instanceId, options, cancellation);

        public override ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
