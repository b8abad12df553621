using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Reminders;
using Helsingborg.Timeline;
using Microsoft.DurableTask;

namespace Helsingborg.Lifecycle;

/// <summary>The reminders a step created, for one case.</summary>
public sealed record ReminderBatch(string CaseId, IReadOnlyList<ReminderDue> Reminders);

/// <summary>
/// The case orchestration's effects. Each activity is idempotent by a natural key, so a retry or a
/// replay never makes a second reminder, timeline entry or count. Inputs carry ids, enums, dates and
/// counts only. Both hosts register exactly the methods listed in <see cref="Names"/>.
/// </summary>
public sealed class CaseActivities(CaseProjectionStore projections, TimelineStore timeline, ReminderStore reminders, CaseVault vault)
{
    public static readonly IReadOnlyList<string> Names = [nameof(ProjectCase), nameof(AppendTimeline), nameof(CreateReminders), nameof(EraseCase)];

    /// <summary>The retry policy of every activity call.</summary>
    public static readonly TaskOptions Retry = TaskOptions.FromRetryPolicy(new RetryPolicy(
        maxNumberOfAttempts: 6, firstRetryInterval: TimeSpan.FromSeconds(2), backoffCoefficient: 2, maxRetryInterval: TimeSpan.FromMinutes(1)));

    public Task ProjectCase(CaseState state) => projections.ProjectAsync(state);

    public Task AppendTimeline(TimelineEntry entry) => timeline.AppendAsync(entry);

    public async Task CreateReminders(ReminderBatch batch)
    {
        foreach (ReminderDue due in batch.Reminders)
        {
            await reminders.CreateAsync(batch.CaseId, due.Kind, due.DueAt, due.Organisation is { } lead ? KebabCase.Name(lead) : null, due.Escalated);
        }
    }

    public Task EraseCase(string caseId) => vault.EraseAsync(caseId);

    /// <summary>Runs a decision's effects: erasure first, then timeline, reminders and projection side by side.</summary>
    internal static async Task RunEffectsAsync(TaskOrchestrationContext context, CaseState? before, Decision decision, TimelineEntry? entry)
    {
        CaseState state = decision.State;
        if (decision.EraseNow)
        {
            await context.CallActivityAsync(nameof(EraseCase), state.CaseId, Retry);
        }

        var effects = new List<Task>(3);
        if (entry is not null)
        {
            effects.Add(context.CallActivityAsync(nameof(AppendTimeline), entry, Retry));
        }

        if (decision.Reminders.Count > 0)
        {
            effects.Add(context.CallActivityAsync(nameof(CreateReminders), new ReminderBatch(state.CaseId, decision.Reminders), Retry));
        }

        if (before is null || before.ToJson() != state.ToJson())
        {
            effects.Add(context.CallActivityAsync(nameof(ProjectCase), state, Retry));
        }

        await Task.WhenAll(effects);
    }
}
