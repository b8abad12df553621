using Helsingborg.Cases;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Reminders;

/// <summary>Coordinators' reminders: list with filters, and acknowledge (idempotent).</summary>
public sealed class RemindersHandler(ReminderStore reminders, CaseProjectionStore projections, DataProtection.AccessLog accessLog, Partners.CityProfile profile, TimeProvider clock)
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

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        DateTimeOffset now = clock.GetUtcNow();
        bool? acknowledged = status switch { "open" or "overdue" => false, "acknowledged" => true, _ => null };
        IEnumerable<Reminder> items = await reminders.ListAsync(caseId, acknowledged, call.Aborted, kind);
        if (status == "overdue")
        {
            items = items.Where(r => r.IsOverdue(now));
        }

        if (organisation is not null)
        {
            // A reminder for all coordinators (null) concerns every organisation.
            items = items.Where(r => r.Organisation is null || r.Organisation == organisation);
        }

        // Visibility is decided once per case, not once per reminder.
        var visibleCases = new Dictionary<string, bool>(StringComparer.Ordinal);
        var visible = new List<Reminder>();
        foreach (Reminder r in items.OrderBy(r => r.DueAt))
        {
            if (r.CaseId is { } id && !visibleCases.TryGetValue(id, out bool maySee))
            {
                maySee = await projections.GetAsync(id, call.Aborted) is { } row && profile.MaySee(call.Authenticated, row.State?.Lead);
                visibleCases[id] = maySee;
            }

            if (r.CaseId is null || visibleCases[r.CaseId])
            {
                visible.Add(r);
            }
        }

        return Results.Json(new { items = visible.Select(ReminderJson.From), next = (string?)null }, ApiJson.Options);
    }

    public async Task<IResult> AcknowledgeAsync(ApiCall call)
    {
        string reminderId = call.Route("reminderId");
        Reminder? existing = await reminders.GetAsync(reminderId, call.Aborted);
        if (existing is null
            || (existing.CaseId is not null && (await projections.GetAsync(existing.CaseId, call.Aborted) is not { } row || !profile.MaySee(call.Authenticated, row.State?.Lead))))
        {
            return Problems.NotFound("No such reminder.");
        }

        Reminder? acknowledged = await reminders.AcknowledgeAsync(reminderId, call.Authenticated.Id, clock.GetUtcNow(), call.Aborted);
        if (acknowledged?.CaseId is { } caseId)
        {
            await accessLog.AppendAsync(call.Authenticated, caseId, "write-reminder-acknowledged", call.Aborted);
        }

        return acknowledged is null ? Problems.NotFound("No such reminder.") : Results.Json(ReminderJson.From(acknowledged), ApiJson.Options);
    }
}
