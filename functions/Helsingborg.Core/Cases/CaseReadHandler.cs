using System.Text.Json;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Timeline;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Cases;

/// <summary>
/// Coordinators' reads of one case: its detail with the personal data decrypted, and its timeline with
/// notes. Every such read appends one access-log entry.
/// </summary>
public sealed class CaseReadHandler(CaseProjectionStore projections, CaseVault vault, ReminderStore reminders, TimelineStore timeline, AccessLog accessLog, Partners.CityProfile profile)
{
    public async Task<IResult> GetAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await FindAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        string caseId = row.CaseId;
        CaseState? state = row.State;
        string? sealedIntake = await vault.GetAsync(caseId, IntakePersonalData.VaultField, call.Aborted);
        IntakePersonalData? personal = sealedIntake is null ? null : JsonSerializer.Deserialize<IntakePersonalData>(sealedIntake, ApiJson.Options);
        IReadOnlyList<Reminder> open = await reminders.ListAsync(caseId, acknowledged: false, call.Aborted);
        await accessLog.AppendAsync(call.Authenticated, caseId, "read-case", call.Aborted);

        var entity = row.Entity;
        var body = new
        {
            caseId,
            phase = state?.Phase ?? Phase.FirstContact,
            step = state?.Step,
            lead = state?.Lead,
            minor = state?.Minor ?? entity.GetBoolean("Minor") == true,
            municipality = row.Municipality,
            reportedBy = row.ReportedBy,
            openedAt = state?.OpenedAt ?? row.ReceivedAt,
            closedAt = state?.ClosedAt,
            closeReason = state?.CloseReason,
            nextDueAt = state is null ? null : CaseDecider.NextDeadline(state),
            openReminders = open.OrderBy(r => r.DueAt).Select(ReminderResponse.From),
            counts = new
            {
                contactAttempts = state?.ContactAttempts ?? 0,
                supportConversations = state?.SupportConversations ?? 0,
                supportGiven = (state?.SupportGiven ?? new Dictionary<SupportKind, int>()).ToDictionary(p => KebabCase.Name(p.Key), p => p.Value),
            },
            reflectionPeriodEnds = state?.ReflectionPeriodEnds,
            residencePermitEnds = state?.ResidencePermitEnds,
            evaluationOutcome = state?.EvaluationOutcome,
            erased = state?.Erased ?? false,
            consents = (state?.Consents ?? []).Select(c => new { organisation = c.Organisation, fields = c.Fields, purpose = c.Purpose, givenAt = c.GivenAt, withdrawnAt = c.WithdrawnAt }),
            referrals = (state?.Referrals ?? []).Select(r => new
            {
                referralId = r.Id,
                organisation = r.Organisation,
                by = r.By,
                kind = r.Kind,
                status = r.Status,
                sentAt = r.SentAt,
                dueAt = r.DueAt,
                answeredAt = r.AnsweredAt,
                closedAt = r.ClosedAt,
                declineReason = r.DeclineReason,
            }),
            // What a coordinator may record now; the receiving organisations' answers come through /api/referrals.
            allowed = state is null ? [] : CaseDecider.Allowed(state).Where(t => !CaseEventParser.PartnerAnswers.Contains(t)).Select(KebabCase.Name).ToArray(),
            incident = new
            {
                observedAt = entity.GetDateTimeOffset("ObservedAt"),
                placeType = entity.GetString("PlaceType"),
                suspicion = entity.GetString("Suspicion"),
                policeNotified = entity.GetBoolean("PoliceNotified"),
                wantsSupport = entity.GetString("WantsSupport"),
                wantsAuthorityContact = entity.GetString("WantsAuthorityContact"),
                outreachSessionId = entity.GetString("OutreachSessionId"),
                description = personal?.Description,
                location = personal?.Location,
                policeReference = personal?.PoliceReference,
                reporterContact = personal?.ReporterContact,
            },
            person = personal?.Person,
        };
        return Results.Json(body, ApiJson.Options);
    }

    public async Task<IResult> TimelineAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await FindAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        IReadOnlyList<TimelineEntry> entries = await timeline.ListAsync(row.CaseId, call.Aborted);
        var items = new List<object>(entries.Count);
        foreach (TimelineEntry entry in entries)
        {
            string? note = entry.HasNote ? await vault.GetAsync(row.CaseId, TimelineEntry.NoteField(entry.EntryId), call.Aborted) : null;
            items.Add(new { at = entry.At, type = entry.Type, by = entry.By, refused = entry.Refused, reason = entry.RefusalReason, note });
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "read-timeline", call.Aborted);
        return Results.Json(new { items }, ApiJson.Options);
    }

    /// <summary>The case's row when it exists and the caller may see it; otherwise the same 404 for both.</summary>
    internal async Task<(CaseRow? Row, IResult? NotFound)> FindAsync(ApiCall call)
    {
        string caseId = call.Route("caseId");
        CaseRow? row = CaseIds.IsWellFormed(caseId) ? await projections.GetAsync(caseId, call.Aborted) : null;
        return row is not null && profile.MaySee(call.Authenticated, row.State?.Lead)
            ? (row, null)
            : (null, Problems.NotFound("No such case."));
    }
}
