using System.Net;
using System.Text.Json;
using Azure.Data.Tables;
using DurableTask.Core;
using Helsingborg.Health;
using Helsingborg.Outreach;
using Helsingborg.Retention;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Operations;

/// <summary>
/// Issue 12, item 2: <c>GET /api/admin/readiness</c> tells an operator what to act on — a stopped engine, a job that
/// stopped running — with 503, while <c>GET /api/health</c> stays cheap and says nothing more to the public.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class ReadinessTests(SharedHost fixture)
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_stopped_engine_is_reported_not_dispatching_with_503_while_health_tells_the_public_nothing()
    {
        var telemetry = new ExportedTelemetry();
        await using TestHost host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Readiness:EngineStallAfter"] = "00:00:03" }, services: telemetry.AddTo);

        JsonElement ready = await ReadinessAsync(host, HttpStatusCode.OK);
        Assert.Equal("ready", ready.GetProperty("status").GetString());
        Assert.Empty(ready.GetProperty("problems").EnumerateArray());
        foreach (string service in new[] { "tables", "queues", "blobs" })
        {
            Assert.True(ready.GetProperty("storage").GetProperty(service).GetProperty("ok").GetBoolean(), service);
        }

        Assert.True(ready.GetProperty("engine").GetProperty("dispatching").GetBoolean());
        Assert.Equal(["DailyDigest", "InboxRedelivery", "OutreachReminder", "RetentionSweep", "UrgentPushes"], ready.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("name").GetString()).Order());

        // Only admins see it; the public health answer stays one word.
        using (HttpResponseMessage coordinator = await host.SendAsync(HttpMethod.Get, "api/admin/readiness", TestHost.CoordinatorKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, coordinator.StatusCode);
        }

        using (HttpResponseMessage anonymous = await host.SendAsync(HttpMethod.Get, "api/admin/readiness", null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (HttpResponseMessage health = await host.SendAsync(HttpMethod.Get, "api/health", null))
        {
            Assert.Equal("{\"status\":\"ok\"}", await health.Content.ReadAsStringAsync());
        }

        // The engine stops; an intake is still stored and answered, but its orchestration's message waits.
        await host.Services.GetRequiredService<TaskHubWorker>().StopAsync(isForced: true);
        await host.SubmitIntakeAsync(Intakes.Valid());

        JsonElement stalled = default;
        await Poll.UntilAsync(async () =>
        {
            using HttpResponseMessage response = await host.SendAsync(HttpMethod.Get, "api/admin/readiness", TestHost.AdminKey);
            stalled = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, Deadline, "readiness to report the stopped engine");
        JsonElement engine = stalled.GetProperty("engine");
        Assert.Equal("not-ready", stalled.GetProperty("status").GetString());
        Assert.Equal(["engine"], stalled.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.False(engine.GetProperty("ok").GetBoolean());
        Assert.False(engine.GetProperty("dispatching").GetBoolean());
        Assert.True(engine.GetProperty("waitingMessages").GetInt32() >= 1);
        Assert.True(engine.GetProperty("oldestWaitingMessageAgeSeconds").GetDouble() > 3);
        Assert.True(stalled.GetProperty("storage").GetProperty("queues").GetProperty("ok").GetBoolean());

        // The monitor's gauges say the same without anyone calling the view: what an alert watches.
        await host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ReadinessMonitor>().Single().ObserveAsync(CancellationToken.None);
        var metrics = telemetry.Metrics(host.Services);
        Assert.Contains(ExportedTelemetry.Points(metrics, "helsingborg.engine.oldest_waiting_age", ("helsingborg.task_hub", host.HubName)), p => p.GetGaugeLastValueDouble() > 3);
        Assert.Contains(ExportedTelemetry.Points(metrics, "helsingborg.jobs.late", ("helsingborg.job", "DailyDigest")), p => p.GetGaugeLastValueLong() == 0);
    }

    [Fact]
    public async Task A_job_that_stopped_running_is_reported_late_until_its_timer_runs_it_again()
    {
        TestHost host = fixture.Host;
        CaseStorage storage = host.Services.GetRequiredService<CaseStorage>();
        JobRuns runs = host.Services.GetRequiredService<JobRuns>();
        DateTimeOffset now = DateTimeOffset.UtcNow;

        // The retention sweep last succeeded three days ago and failed since: it has stopped doing its work.
        await runs.WatchAsync();
        await storage.Table(CaseStorage.JobRunsTable).UpsertEntityAsync(new TableEntity(runs.Partition, RetentionSweep.Name)
        {
            ["WatchedSince"] = now.AddDays(-30),
            ["LastSuccessAt"] = now.AddDays(-3),
            ["LastFailureAt"] = now.AddDays(-2),
            ["LastFailure"] = typeof(TimeoutException).FullName,
        }, TableUpdateMode.Replace);

        JsonElement late = await ReadinessAsync(host, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(["jobs.RetentionSweep"], late.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        JsonElement sweep = Job(late, RetentionSweep.Name);
        Assert.False(sweep.GetProperty("ok").GetBoolean());
        Assert.Equal("System.TimeoutException", sweep.GetProperty("lastFailure").GetString());
        Assert.True(sweep.GetProperty("lastDueAt").GetDateTimeOffset() > sweep.GetProperty("lastSuccessAt").GetDateTimeOffset());
        Assert.True(Job(late, OutreachReminderJob.Name).GetProperty("ok").GetBoolean());

        // The Functions app's timer trigger runs it (the local host's scheduled job goes through the same JobRuns).
        var timers = new Functions.TimerFunctions(
            host.Services.GetRequiredService<OutreachReminderJob>(), host.Services.GetRequiredService<RetentionSweep>(), host.Services.GetRequiredService<Helsingborg.Lifecycle.InboxRedeliveryJob>(),
            host.Services.GetRequiredService<Helsingborg.Reminders.UrgentPushJob>(), runs, TimeProvider.System);
        await timers.SweepRetention(null!, host.Services.GetRequiredService<DurableTaskClient>(), CancellationToken.None);

        JsonElement ready = await ReadinessAsync(host, HttpStatusCode.OK);
        sweep = Job(ready, RetentionSweep.Name);
        Assert.True(sweep.GetProperty("ok").GetBoolean());
        Assert.True(sweep.GetProperty("lastSuccessAt").GetDateTimeOffset() >= now);
    }

    [Fact]
    public void A_job_is_late_once_an_occurrence_and_its_grace_passed_without_a_success()
    {
        var digest = new JobRecord("DailyDigest", "0 0 6 * * *", WatchedSince: At("2026-03-01T00:00:00Z"), LastSuccessAt: At("2026-03-09T06:00:04Z"), null, null);
        TimeSpan grace = TimeSpan.FromHours(1);

        Assert.False(JobRuns.IsLate(digest, At("2026-03-10T06:59:00Z"), grace, out DateTimeOffset due));
        Assert.Equal(At("2026-03-09T06:00:00Z"), due);
        Assert.True(JobRuns.IsLate(digest, At("2026-03-10T07:01:00Z"), grace, out due));
        Assert.Equal(At("2026-03-10T06:00:00Z"), due);
        Assert.False(JobRuns.IsLate(digest with { LastSuccessAt = At("2026-03-10T06:00:02Z") }, At("2026-03-10T07:01:00Z"), grace, out _));

        // Never succeeded: late only for occurrences after the app began to watch it.
        var fresh = digest with { WatchedSince = At("2026-03-10T06:30:00Z"), LastSuccessAt = null };
        Assert.False(JobRuns.IsLate(fresh, At("2026-03-10T08:00:00Z"), grace, out _));
        Assert.True(JobRuns.IsLate(fresh, At("2026-03-11T07:01:00Z"), grace, out _));

        // Weekly: the outreach reminder is late a week after its last Thursday.
        var outreach = digest with { Name = OutreachReminderJob.Name, Schedule = "0 0 7 * * Thu", LastSuccessAt = At("2026-03-05T07:00:05Z") };
        Assert.False(JobRuns.IsLate(outreach, At("2026-03-11T12:00:00Z"), grace, out due));
        Assert.Equal(At("2026-03-05T07:00:00Z"), due);
        Assert.True(JobRuns.IsLate(outreach, At("2026-03-12T08:01:00Z"), grace, out due));
        Assert.Equal(At("2026-03-12T07:00:00Z"), due);
    }

    [Fact]
    public void A_timer_message_waits_from_its_fire_time_not_from_its_insertion()
    {
        Assert.Equal(At("2026-03-10T06:00:00Z"), TaskHubProbe.FireAt("{\"TaskMessage\":{\"Event\":{\"$type\":\"DurableTask.Core.History.TimerFiredEvent, DurableTask.Core\",\"FireAt\":\"2026-03-10T06:00:00Z\",\"TimerId\":3}}}"));
        Assert.Null(TaskHubProbe.FireAt("{\"TaskMessage\":{\"Event\":{\"$type\":\"DurableTask.Core.History.EventRaisedEvent, DurableTask.Core\",\"Name\":\"case-event\"}}}"));
    }

    static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    static JsonElement Job(JsonElement readiness, string name) =>
        readiness.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("name").GetString() == name);

    static async Task<JsonElement> ReadinessAsync(TestHost host, HttpStatusCode expected)
    {
        JsonElement body = default;
        HttpStatusCode status = default;
        try
        {
            await Poll.UntilAsync(async () =>
            {
                using HttpResponseMessage response = await host.SendAsync(HttpMethod.Get, "api/admin/readiness", TestHost.AdminKey);
                status = response.StatusCode;
                Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
                body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                return status == expected;
            }, Deadline, $"readiness to answer {(int)expected}");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Last answer {(int)status}: {body}", e);
        }

        return body;
    }
}
