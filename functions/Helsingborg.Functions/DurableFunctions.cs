using Helsingborg.Lifecycle;
using Helsingborg.Timeline;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Helsingborg.Functions;

/// <summary>The case orchestrator and its activities as Durable Functions: adapters to the shared code.</summary>
public sealed class DurableFunctions(CaseActivities activities)
{
    [Function(nameof(CaseOrchestration))]
    public static Task<CaseSummary?> CaseOrchestration([OrchestrationTrigger] TaskOrchestrationContext context, CaseInput input) =>
        Lifecycle.CaseOrchestration.RunAsync(context, input);

    [Function(nameof(ProjectCase))]
    public Task ProjectCase([ActivityTrigger] CaseState state) => activities.ProjectCase(state);

    [Function(nameof(AppendTimeline))]
    public Task AppendTimeline([ActivityTrigger] TimelineEntry entry) => activities.AppendTimeline(entry);

    [Function(nameof(CreateReminders))]
    public Task CreateReminders([ActivityTrigger] ReminderBatch batch) => activities.CreateReminders(batch);

    [Function(nameof(EraseCase))]
    public Task EraseCase([ActivityTrigger] string caseId) => activities.EraseCase(caseId);
}
