using System.Net;
using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Helsingborg.Tests.Integration;

/// <summary>
/// An event sent before its case's orchestration has started is refused with 503, not accepted: the Azure Storage
/// provider discards an event it takes in before the instance's ExecutionStarted (a start message dequeued before the
/// instance row existed is put back with a delay), so a 202 there could be an event never applied.
/// </summary>
public sealed class EventBeforeStartTests
{
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

            // The refused request sent nothing: the orchestration took in exactly the one accepted event.
            var durable = host.Services.GetRequiredService<DurableTaskClient>();
            OrchestrationMetadata? instance = await durable.GetInstanceAsync(caseId);
            Assert.Equal(1, JsonDocument.Parse(instance!.SerializedCustomStatus!).RootElement.GetProperty("events").GetInt64());
            JsonElement timeline = await host.GetJsonAsync($"api/cases/{caseId}/timeline");
            Assert.Equal(["intake", "contact-made"], timeline.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!));
        }
        finally
        {
            await worker.StopAsync(isForced: true);
        }
    }
}
