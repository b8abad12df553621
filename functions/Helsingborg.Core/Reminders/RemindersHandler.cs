using Helsingborg.Cases;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Reminders;

/// <summary>
/// Coordinators' reminders: list with filters, paged (<c>limit</c> 1–200, default 50, and the opaque <c>cursor</c> of
/// <see cref="Paging"/>, in the table's stable order), and acknowledge (idempotent).
/// </summary>
public sealed class RemindersHandler(ReminderStore reminders, CaseProjectionStore projections, Access.WorkerDirectory workers, DataProtection.AccessLog accessLog, Partners.CityProfile profile, TimeProvider clock)
{
    static readonly string[] Statuses = ["open", "overdue", "acknowledged", "all"];

    public async Task<IResult> ListAsync(ApiCall call)
    {
        IQueryCollection query = call.Request.Query;
        var errors = new Dictionary<string, string[]>();
        string status = query["status"].FirstOrDefault() ?? "open";
        if (!Statuses.Contains(status))
        {
            errors["status"] = ["Must be one of: open, overdue, acknowledged, all."];
        }

        string? organisation = query["organisation"].FirstOrDefault();
        if (organisation is not null && !profile.IsOrganisation(organisation))
        {
            errors["organisation"] = ["Must be a partner id."];
        }

        ReminderKind? kind = null;
        if (query["kind"].FirstOrDefault() is { } kindText)
        {
            if (KebabCase.TryParse(kindText, out ReminderKind parsed))
            {
                kind = parsed;
            }
            else
            {
                errors["kind"] = ["Must be a reminder kind."];
            }
        }

        string? caseId = query["caseId"].FirstOrDefault();
        if (caseId is not null && !CaseIds.IsWellFormed(caseId))
        {
            errors["caseId"] = ["Must be a case id."];
        }

        AssigneeFilter? assignee = Assignees.Read(query, errors);
        (int limit, string? continuation) = Paging.Read(query, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        DateTimeOffset now = clock.GetUtcNow();
        bool? acknowledged = status switch { "open" or "overdue" => false, "acknowledged" => true, _ => null };
        IReadOnlyList<Reminder> page;
        string? next;
        try
        {
            (page, next) = await reminders.PageAsync(caseId, acknowledged, kind, status == "overdue" ? now : null, limit, continuation, call.Aborted);
        }
        catch (Exception e) when (continuation is not null && e is Azure.RequestFailedException { Status: 400 } or FormatException or ArgumentException)
        {
            // A cursor that decodes but is not a continuation token storage accepts.
            return Problems.Validation(new Dictionary<string, string[]> { ["cursor"] = ["Must be the next value of a previous page."] });
        }

        // Visibility and the worker are found once per case, not once per reminder. A reminder for all coordinators (no
        // organisation) concerns every organisation; one of no case (outreach) is no one's to hold.
        var cases = new Dictionary<string, (Access.CaseAccess Access, bool Shown, AssignedWorker? Worker)>(StringComparer.Ordinal);
        var visible = new List<ReminderResponse>();
        foreach (Reminder r in page.Where(r => organisation is null || r.Organisation is null || r.Organisation == organisation))
        {
            if (r.CaseId is not { } id)
            {
                // A reminder of no case (the outreach Thursday) is everyone's in its organisation: mine too.
                if (assignee is null || (assignee == AssigneeFilter.Me && (r.Organisation is null || r.Organisation == call.Authenticated.Organisation)))
                {
                    visible.Add(ReminderResponse.From(r));
                }

                continue;
            }

            if (!cases.TryGetValue(id, out (Access.CaseAccess Access, bool Shown, AssignedWorker? Worker) found))
            {
                CaseRow? row = await projections.GetAsync(id, call.Aborted);
                CaseState? state = row?.State;
                Access.CaseAccess access = row?.AccessOf(profile, call.Authenticated) ?? Access.CaseAccess.None;
                // A case the caller is asked to take over is no one's of its organisation yet: in "my" lists and the unassigned alike.
                bool shown = access.Sees && (access.Level == Access.CaseAccessLevel.ReadOnly || Assignees.Matches(assignee, call.Authenticated, state?.Lead, state?.Worker?.Id));
                found = (access, shown, shown ? await AssignedWorker.OfAsync(workers, state?.Worker?.Id, state?.Worker?.Since, call.Aborted) : null);
                cases[id] = found;
            }

            if (found.Shown && found.Access.ShowsReminder(r.Organisation, call.Authenticated))
            {
                visible.Add(ReminderResponse.From(r, found.Worker));
            }
        }

        return Results.Json(new ReminderPage(visible, Paging.Encode(next)), ApiJson.Options);
    }

    public async Task<IResult> AcknowledgeAsync(ApiCall call)
    {
        string reminderId = call.Route("reminderId");
        Reminder? existing = await reminders.GetAsync(reminderId, call.Aborted);
        if (existing is null
            || (existing.CaseId is not null && (await projections.GetAsync(existing.CaseId, call.Aborted) is not { } row || !row.AccessOf(profile, call.Authenticated).ShowsReminder(existing.Organisation, call.Authenticated))))
        {
            return Problems.NotFound("No such reminder.");
        }

        Reminder? acknowledged = await reminders.AcknowledgeAsync(reminderId, call.Authenticated.Id, clock.GetUtcNow(), call.Aborted);
        if (acknowledged?.CaseId is { } caseId)
        {
            await accessLog.AppendAsync(call.Authenticated, caseId, "write-reminder-acknowledged", call.Aborted);
        }

        return acknowledged is null ? Problems.NotFound("No such reminder.") : Results.Json(ReminderResponse.From(acknowledged), ApiJson.Options);
    }
}
