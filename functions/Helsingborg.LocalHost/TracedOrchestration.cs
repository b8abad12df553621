using System.Diagnostics;
using DurableTask.Core;
using Helsingborg.Telemetry;

namespace Helsingborg.LocalHost;

/// <summary>
/// One span per orchestration turn in the local engine, as the Functions worker has one per orchestrator invocation.
/// DurableTask.Core exports its orchestration span only when the orchestration completes (for a case, months later);
/// this span, its child in the same trace, shows each turn as it happens: it starts when the dispatcher runs the
/// orchestrator (replay included) and ends when the turn's custom status is taken, which the executor does once at
/// the end of every turn. Tagged with the case id only.
/// </summary>
internal sealed class TracedOrchestration(TaskOrchestration inner, string name) : TaskOrchestration
{
    Activity? turn;

    public override Task<string> Execute(OrchestrationContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        turn = AppTelemetry.Source.StartActivity($"orchestration turn {name}", ActivityKind.Internal);
        turn?.SetTag(AppTelemetry.Tags.CaseId, context.OrchestrationInstance.InstanceId);
        try
        {
            return inner.Execute(context, input);
        }
        catch
        {
            End(ActivityStatusCode.Error);
            throw;
        }
    }

    public override void RaiseEvent(OrchestrationContext context, string name, string input) => inner.RaiseEvent(context, name, input);

    public override string GetStatus()
    {
        try
        {
            return inner.GetStatus();
        }
        finally
        {
            End(ActivityStatusCode.Unset);
        }
    }

    void End(ActivityStatusCode status)
    {
        if (turn is not null)
        {
            turn.SetStatus(status);
            turn.Dispose();
            turn = null;
        }
    }
}
