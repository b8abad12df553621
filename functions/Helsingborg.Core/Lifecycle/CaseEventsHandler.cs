using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Timeline;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Lifecycle;

/// <summary>
/// <c>POST /api/cases/{caseId}/events</c>: validates the event, refuses it with 409 when the case's
/// current phase does not allow it, seals its note in the vault and hands the orchestration only the
/// anonymous event. The orchestration checks again and records a late refusal in the timeline.
/// </summary>
public sealed class CaseEventsHandler(CaseReadHandler cases, CaseVault vault, AccessLog accessLog, TimeProvider clock)
{
    public async Task<IResult> PostAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await cases.FindAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        (JsonDocument? document, IResult? problem) = await RequestBody.ReadJsonAsync(call.Request, call.Aborted);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            DateTimeOffset now = clock.GetUtcNow();
            string eventId = "e_" + Guid.NewGuid().ToString("N");
            ParseResult parsed = CaseEventParser.Parse(document.RootElement, eventId, call.Authenticated.Organisation, now);
            if (parsed.Event is not { } caseEvent)
            {
                return Problems.Validation(parsed.Errors);
            }

            if (row.State is not { } state)
            {
                return Problems.Conflict("The case is still being opened; try again in a moment.");
            }

            if (CaseDecider.Check(state, caseEvent) is { } refusal)
            {
                return Problems.Conflict(refusal.Reason, new Dictionary<string, object?>
                {
                    ["phase"] = refusal.Phase,
                    ["step"] = state.Step,
                    ["allowed"] = refusal.Allowed,
                });
            }

            if (parsed.Note is { Length: > 0 } note)
            {
                await vault.PutAsync(row.CaseId, TimelineEntry.NoteField(eventId), note, call.Aborted);
                caseEvent = caseEvent with { HasNote = true };
            }

            await call.Durable.RaiseEventAsync(row.CaseId, CaseOrchestration.EventName, CaseSignal.Of(caseEvent), call.Aborted);
            await accessLog.AppendAsync(call.Authenticated, row.CaseId, "write-event", call.Aborted);
            return Results.Json(new { caseId = row.CaseId, type = caseEvent.Type, acceptedAt = now }, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
    }
}
