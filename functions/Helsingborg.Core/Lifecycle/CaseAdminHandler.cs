using Helsingborg.Cases;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Lifecycle;

/// <summary>
/// An administrator's view of cases that do not move (<c>GET /api/admin/cases/stalled</c>) and the way to start one again
/// (<c>POST /api/admin/cases/{caseId}/resume</c>): a failed or terminated case restarts from its last committed state
/// (its projection) with the events of its inbox it had not applied, and its clocks are scheduled again.
/// </summary>
public sealed partial class CaseAdminHandler(CaseProjectionStore projections, CaseInbox inbox, TimeProvider clock, ILogger<CaseAdminHandler> logger)
{
    public async Task<IResult> ListStalledAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Results.Json(new StoppedCaseList(await StoppedCases.FindAsync(call.Durable, call.Aborted)), ApiJson.Options);
    }

    public async Task<IResult> ResumeAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        string caseId = call.Route("caseId");
        OrchestrationMetadata? instance = CaseIds.IsWellFormed(caseId) ? await call.Durable.GetInstanceAsync(caseId, getInputsAndOutputs: false, call.Aborted) : null;
        CaseRow? row = instance is null ? null : await projections.GetAsync(caseId, call.Aborted);
        if (instance is null || row?.State is not { } state)
        {
            return Problems.NotFound("No such case.");
        }

        if (instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated))
        {
            return Problems.Conflict($"The case's workflow is {KebabCase.Name(instance.RuntimeStatus)}: only a failed or terminated case is resumed.");
        }

        CaseInbox.Pending pending = await inbox.PendingAsync(caseId, state.Applied, call.Aborted);
        await call.Durable.ScheduleNewOrchestrationInstanceAsync(CaseOrchestration.Name, CaseInput.Continue(state, pending.Events), new StartOrchestrationOptions(caseId), call.Aborted);
        LogResumed(logger, caseId, state.Applied, pending.Events.Count);
        return Results.Json(new CaseResumed(caseId, clock.GetUtcNow(), pending.Events.Count), ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId} resumed by an administrator from event {Applied} with {Pending} accepted events to apply")]
    static partial void LogResumed(ILogger logger, string caseId, long applied, int pending);
}

/// <summary>The 202 of a resume: the case runs again, with this many accepted events still to apply.</summary>
public sealed record CaseResumed(string CaseId, DateTimeOffset ResumedAt, int PendingEvents);
