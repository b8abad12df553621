using System.Diagnostics;
using System.Net;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Helsingborg.Tests.Operations;

/// <summary>
/// Issue 12, item 1: one intake, the orchestration turns it causes and their activities are one trace; the app's
/// metrics count what happened; and nothing a person wrote reaches the exported telemetry (data-protection.md rule 7).
/// </summary>
public sealed class TelemetryTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task One_intake_its_orchestration_turns_and_activities_share_a_trace_are_counted_and_export_no_canary()
    {
        var canaries = Intakes.Canaries.New();
        var exported = new ExportedTelemetry();
        await using TestHost host = await TestHost.StartAsync(services: exported.AddTo);

        string caseId = await host.SubmitIntakeAsync(canaries.Intake());
        await host.WaitForPhaseAsync(caseId, "first-contact");
        using (HttpResponseMessage refused = await host.PostEventAsync(caseId, new { type = "long-term-started", note = canaries.Note }))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        string fileName = $"{canaries.Name} statement.txt";
        using (HttpRequestMessage upload = host.Request(HttpMethod.Post, $"api/cases/{caseId}/documents", TestHost.CoordinatorKey))
        {
            upload.Content = new StringContent($"Statement by {canaries.Name}, {canaries.Phone}.", System.Text.Encoding.UTF8, "text/plain");
            upload.Headers.Add("X-File-Name", fileName);
            using HttpResponseMessage uploaded = await host.Client.SendAsync(upload);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        await host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "yes", note = canaries.Note });
        await host.WaitForPhaseAsync(caseId, "short-term-support");

        // The intake's span, named by its route template, carries the case; its trace is the case's.
        Activity intake = await WaitForAsync(exported, spans => spans.FirstOrDefault(s =>
            s.Source.Name == AppTelemetry.Name && s.DisplayName == "POST /api/intake" && (s.GetTagItem(AppTelemetry.Tags.CaseId) as string) == caseId), "the intake's span");
        Assert.Equal("/api/intake", intake.GetTagItem(AppTelemetry.Tags.HttpRoute));
        Assert.Equal(202, intake.GetTagItem(AppTelemetry.Tags.HttpStatus));
        Assert.Equal("hotel-group", intake.GetTagItem(AppTelemetry.Tags.Partner));
        ActivityTraceId trace = intake.TraceId;

        // Two turns of the orchestration (the opening one and the one that took the contact in), each applying its
        // step through the activity, and the storage calls of the intake: all in the intake's trace. (DurableTask.Core's
        // own orchestration span is exported when the orchestration completes; the turns are its children.)
        IReadOnlyList<Activity> inTrace = await WaitForAsync(exported, spans =>
        {
            var found = spans.Where(s => s.TraceId == trace).ToList();
            int turns = found.Count(s => s.DisplayName == "orchestration turn CaseOrchestration" && (s.GetTagItem(AppTelemetry.Tags.CaseId) as string) == caseId);
            int activities = found.Count(s => IsDurable(s, "activity") && s.Kind == ActivityKind.Server
                && (s.GetTagItem("durabletask.task.name") as string) == "ApplyCaseStep" && (s.GetTagItem("durabletask.task.instance_id") as string) == caseId);
            return turns >= 2 && activities >= 2 ? found : null;
        }, "two orchestration turns and two activities in the intake's trace");
        Assert.True(inTrace.Any(s => s.Source.Name == "Azure.Data.Tables.TableClient"), string.Join(", ", inTrace.Select(s => $"{s.Source.Name}:{s.DisplayName}:{s.Kind}:{s.GetTagItem("az.namespace")}").Distinct()));
        Assert.Contains(inTrace, s => IsDurable(s, "activity") && s.Kind == ActivityKind.Client);

        // The event was posted in a trace of its own, named by its route template; the case's turn is in the intake's.
        Assert.Contains(exported.Spans, s => s.DisplayName == "POST /api/cases/{caseId}/events" && s.TraceId != trace
            && (s.GetTagItem(AppTelemetry.Tags.CaseId) as string) == caseId && (int?)s.GetTagItem(AppTelemetry.Tags.HttpStatus) == 409);

        // Metrics (other hosts in this process count too, so each is at least what this case did).
        await host.Services.GetRequiredService<Reminders.DailyDigestJob>().RunAsync(DateTimeOffset.UtcNow);
        IReadOnlyList<MetricSnapshot> metrics = exported.Metrics(host.Services);
        Assert.True(ExportedTelemetry.Counted(metrics, "helsingborg.cases.opened", (AppTelemetry.Tags.Partner, "hotel-group"), (AppTelemetry.Tags.Municipality, "landskrona")) >= 1);
        Assert.True(ExportedTelemetry.Counted(metrics, "helsingborg.case_events", (AppTelemetry.Tags.EventType, "contact-made"), (AppTelemetry.Tags.Refused, false)) >= 1);
        Assert.True(ExportedTelemetry.Counted(metrics, "helsingborg.case_events", (AppTelemetry.Tags.EventType, "long-term-started"), (AppTelemetry.Tags.RefusedBy, "api")) >= 1);
        Assert.True(ExportedTelemetry.Counted(metrics, "helsingborg.reminders.created", (AppTelemetry.Tags.ReminderKind, "call-police")) >= 1);
        Assert.Contains(ExportedTelemetry.Points(metrics, "helsingborg.intake.duration", (AppTelemetry.Tags.Route, "SubmitIntake"), (AppTelemetry.Tags.HttpStatus, 202)), p => p.GetHistogramCount() >= 1);
        Assert.Contains(ExportedTelemetry.Points(metrics, "helsingborg.reminders.overdue", (AppTelemetry.Tags.Organisation, "social-services")), p => p.GetGaugeLastValueLong() >= 0);

        // The canary scan of everything exported: spans, metrics and logs.
        var texts = exported.AllText(host.Services).ToList();
        Assert.True(texts.Count > 100, $"only {texts.Count} texts exported");
        Assert.Contains(texts, t => t.Contains(caseId, StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => canaries.All.Append(fileName).Any(c => t.Contains(c, StringComparison.OrdinalIgnoreCase)));
        Assert.DoesNotContain(texts, t => t.Contains(TestHost.PartnerKey, StringComparison.Ordinal) || t.Contains(TestHost.CoordinatorKey, StringComparison.Ordinal));
        Assert.Contains(texts, t => t == "http.route=/api/cases/{caseId}/documents");
    }

    static bool IsDurable(Activity span, string type) =>
        span.Source.Name == "DurableTask.Core" && (span.GetTagItem("durabletask.type") as string) == type;

    static async Task<T> WaitForAsync<T>(ExportedTelemetry exported, Func<IReadOnlyList<Activity>, T?> find, string what) where T : class
    {
        T? found = null;
        try
        {
            await Poll.UntilAsync(() => Task.FromResult((found = find(exported.Spans)) is not null), Deadline, what);
        }
        catch (TimeoutException e)
        {
            string seen = string.Join("\n", exported.Spans.GroupBy(s => $"{s.Source.Name} {s.DisplayName} {s.Kind}").Select(g => $"{g.Count()} x {g.Key}"));
            throw new TimeoutException($"{e.Message} Exported:\n{seen}", e);
        }

        return found!;
    }
}
