using System.Net;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// An event sent before its case's orchestration has started is refused with 503, not accepted: the Azure Storage
/// provider discards an event it takes in before the instance's ExecutionStarted (a start message dequeued before the
/// instance row existed is put back with a delay), so a 202 there could be an event never applied.
/// </summary>
public sealed class EventBeforeStartTests
{
    /// <summary>The inbox number of the last event the orchestration has taken in, from its custom status (none before its first status).</summary>
    static long EventsTaken(OrchestrationMetadata? instance) =>
        instance?.SerializedCustomStatus is { } json && JsonDocument.Parse(json).RootElement is { ValueKind: JsonValueKind.Object } status
            ? status.GetProperty("applied").GetInt64()
            : 0;

    [Fact]
    public async Task An_event_before_the_orchestration_starts_is_refused_with_503_and_accepted_once_it_runs()
    {
        // A host whose durable engine does not run until the test starts it: the start message waits in the queue.
        await using TestHost host = await TestHost.StartAsync(services: s =>
        {
            ServiceDescriptor engine = s.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "EngineLifetime");
            s.Remove(engine);
        });
        var worker = host.Services.GetRequiredService<TaskHubWorker>();
        try
        {
            string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
            object contact = new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", interpreterNeeded = true };

            using (HttpResponseMessage early = await host.PostEventAsync(caseId, contact))
            {
                string body = await early.Content.ReadAsStringAsync();
                Assert.True(early.StatusCode == HttpStatusCode.ServiceUnavailable, $"event answered {(int)early.StatusCode}: {body}");
                Assert.Equal("application/problem+json", early.Content.Headers.ContentType?.MediaType);
                Assert.True(early.Headers.RetryAfter?.Delta > TimeSpan.Zero, "a 503 says when to try again");
                Assert.DoesNotContain(caseId, body);
            }

            await host.Services.GetRequiredService<AzureStorageOrchestrationService>().CreateIfNotExistsAsync();
            await worker.StartAsync();
            await host.RecordAsync(caseId, contact);
            await host.WaitForPhaseAsync(caseId, "short-term-support");

            // The refused request sent nothing: the orchestration took in exactly the one accepted event (its status
            // moves on just after the projection the phase is read from).
            var durable = host.Services.GetRequiredService<DurableTaskClient>();
            await Poll.UntilAsync(async () => EventsTaken(await durable.GetInstanceAsync(caseId)) >= 1, TimeSpan.FromSeconds(30), "the orchestration's status to count the event");
            Assert.Equal(1, EventsTaken(await durable.GetInstanceAsync(caseId)));
            JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
            Assert.Equal(["intake", "contact-made"], timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!));
        }
        finally
        {
            await worker.StopAsync(isForced: true);
        }
    }

    /// <summary>
    /// The race seen under load, made certain: the provider writes an orchestration's start message before its
    /// instance row, and the engine puts a start message it dequeues before that row exists back with a delay
    /// ("Abandoning [ExecutionStarted]", 2 s the first time). Here every write to the Instances table is slowed by a
    /// second, so each case's start is put back and its intake answers only when the row exists. An event sent right
    /// then reached the engine alone, which discarded it ("Discarding 1 dequeued history event(s): No such instance")
    /// after a 202; now the endpoint waits for the start, and every event is applied.
    /// </summary>
    [Fact]
    public async Task An_event_sent_while_the_start_message_is_put_back_is_applied()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Durable:MaxQueuePollingInterval"] = "00:00:00.250" }, services: s =>
        {
            s.Remove(s.Single(d => d.ServiceType == typeof(AzureStorageOrchestrationService)));
            s.AddSingleton(sp =>
            {
                AzureStorageOrchestrationServiceSettings settings = Helsingborg.LocalHost.DurableEngine.Settings(sp.GetRequiredService<IConfiguration>(), connection, sp.GetRequiredService<ILoggerFactory>());
                var tables = new Azure.Data.Tables.TableClientOptions();
                tables.AddPolicy(new SlowInstanceWrites(), Azure.Core.HttpPipelinePosition.PerCall);
                settings.StorageAccountClientProvider = new StorageAccountClientProvider(
                    StorageServiceClientProvider.ForBlob(connection),
                    StorageServiceClientProvider.ForQueue(connection),
                    StorageServiceClientProvider.ForTable(connection, tables));
                return new AzureStorageOrchestrationService(settings);
            });
        });
        object contact = new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", interpreterNeeded = true };
        string[] cases = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
            await host.RecordAsync(caseId, contact);
            return caseId;
        }));

        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        try
        {
            await Poll.UntilAsync(async () =>
            {
                foreach (string caseId in cases)
                {
                    if (EventsTaken(await durable.GetInstanceAsync(caseId)) != 1)
                    {
                        return false;
                    }
                }

                return true;
            }, TimeSpan.FromSeconds(60), "every case's orchestration to take in its event");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException(e.Message + "\n" + string.Join("\n", host.Logs.Lines.Where(l => l.Contains("Discarding") || l.Contains("Abandoning"))), e);
        }

        Assert.Contains(host.Logs.Lines, l => l.Contains("Abandoning") && l.Contains("ExecutionStarted"));
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("Discarding", StringComparison.Ordinal));
    }

    /// <summary>
    /// A storage outage cut off the status write of a turn whose history was saved: the instance row still says pending
    /// while the orchestration runs and waits for events (seen after a 60 s storage freeze, where the case then refused
    /// every event with 503; the provider writes the status again only when the execution ends or continues as new). The
    /// case's own timeline shows that its orchestration opened it: every event is accepted and applied.
    /// </summary>
    [Fact]
    public async Task An_event_to_an_opened_case_whose_instance_row_still_says_pending_is_accepted_and_applied()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        await using TestHost host = await TestHost.StartAsync();
        string caseId = await host.SubmitIntakeAsync(Intakes.Valid());
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        await Poll.UntilAsync(async () => await durable.GetInstanceAsync(caseId) is { RuntimeStatus: OrchestrationRuntimeStatus.Running, SerializedCustomStatus: not null }, TimeSpan.FromSeconds(30), "the case opened by its orchestration");

        // The lost status write: the row says pending again, as the provider wrote it when the start was sent.
        // Written with the row's ETag, and again whenever the engine wrote it in between (its last checkpoint may still be
        // on the way), until the row says pending and the engine has not touched it between two reads.
        var instances = new Azure.Data.Tables.TableClient(connection, host.HubName + "Instances");
        Azure.ETag? settled = null;
        await Poll.UntilAsync(async () =>
        {
            Azure.Data.Tables.TableEntity row = (await instances.GetEntityAsync<Azure.Data.Tables.TableEntity>(caseId, string.Empty)).Value;
            if (row.GetString("RuntimeStatus") == "Pending")
            {
                bool quiet = settled == row.ETag;
                settled = row.ETag;
                return quiet;
            }

            row["RuntimeStatus"] = "Pending";
            try
            {
                await instances.UpdateEntityAsync(row, row.ETag, Azure.Data.Tables.TableUpdateMode.Merge);
            }
            catch (Azure.RequestFailedException e) when (e.Status == 412)
            {
            }

            return false;
        }, TimeSpan.FromSeconds(30), "the instance row written back to pending");
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await durable.GetInstanceAsync(caseId))?.RuntimeStatus);

        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes" });
        await host.WaitForPhaseAsync(caseId, "short-term-support");
        await host.RecordAsync(caseId, new { type = "support-conversation" });
        await host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("supportConversations").GetInt32() == 1, "the next event applied too");
        Assert.Contains(host.Logs.Lines, l => l.Contains("says pending, but its orchestration opened the case", StringComparison.Ordinal));
    }

    /// <summary>Holds every write to the task hub's Instances table for a second before it goes out.</summary>
    sealed class SlowInstanceWrites : Azure.Core.Pipeline.HttpPipelinePolicy
    {
        static readonly TimeSpan Hold = TimeSpan.FromSeconds(1);

        public override void Process(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(Azure.Core.HttpMessage message, ReadOnlyMemory<Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
        {
            if (message.Request.Method != Azure.Core.RequestMethod.Get && message.Request.Uri.Path.Contains("Instances", StringComparison.Ordinal))
            {
                await Task.Delay(Hold, message.CancellationToken);
            }

            await ProcessNextAsync(message, pipeline);
        }
    }
}
