using System.Text.Json;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Timeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Helsingborg.Cases;

/// <summary>
/// Coordinators' reads of one case: its detail with the personal data decrypted, and its timeline with
/// notes. Every such read appends one access-log entry.
/// </summary>
public sealed class CaseReadHandler(CaseProjectionStore projections, Persons.PersonLinkStore links, Access.WorkerDirectory workers, CaseVault vault, ReminderStore reminders, TimelineStore timeline, AccessLog accessLog, Partners.CityProfile profile, IOptionsMonitor<Retention.RetentionOptions> retention)
{
    static readonly string ConsentWithdrawnType = KebabCase.Name(CaseEventType.ConsentWithdrawn);

    public async Task<IResult> GetAsync(ApiCall call)
    {
        (CaseRow? row, Access.CaseAccess access, IResult? notFound) = await FindWithAccessAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        string caseId = row.CaseId;
        CaseState? state = row.State;
        string? sealedIntake = await vault.GetAsync(caseId, IntakePersonalData.VaultField, call.Aborted);
        IntakePersonalData? personal = sealedIntake is null ? null : JsonSerializer.Deserialize<IntakePersonalData>(sealedIntake, ApiJson.Options);
        IReadOnlyList<Reminder> open = await reminders.ListAsync(caseId, acknowledged: false, call.Aborted);
        IReadOnlyList<SamePersonReport> samePerson = await SamePersonAsync(call, caseId);
        await accessLog.AppendAsync(call.Authenticated, caseId, "read-case", call.Aborted);

        var entity = row.Entity;
        AssignedWorker? worker = await AssignedWorker.OfAsync(workers, state?.Worker?.Id, state?.Worker?.Since, call.Aborted);
        var body = new CaseResponse(
            caseId,
            state?.Reference ?? entity.GetString("Reference"),
            state?.Phase ?? Phase.FirstContact,
            state?.Step,
            state?.Lead,
            worker,
            state?.Minor ?? entity.GetBoolean("Minor") == true,
            row.Municipality,
            row.ReportedBy,
            state?.OpenedAt ?? row.ReceivedAt,
            state?.ClosedAt,
            state?.CloseReason,
            state is null ? null : CaseDecider.NextDeadline(state),
            [.. open.OrderBy(r => r.DueAt).Select(r => ReminderResponse.From(r, worker))],
            new CaseCounts(
                state?.ContactAttempts ?? 0,
                state?.SupportConversations ?? 0,
                (state?.SupportGiven ?? new Dictionary<SupportKind, int>()).ToDictionary(p => KebabCase.Name(p.Key), p => p.Value)),
            state?.ReflectionPeriodEnds,
            state?.ResidencePermitEnds,
            state?.EvaluationOutcome,
            state?.Erased ?? false,
            state?.Basis ?? LegalBasis.Consent,
            state?.ConsentWithdrawnAt,
            state is { Basis: LegalBasis.PublicTask } ? Retention.RetentionRule.CullAfter(state, retention.CurrentValue) : null,
            state?.Consents ?? [],
            [.. (state?.Referrals ?? []).Select(CaseReferral.From)],
            state is null ? [] : [.. CaseDecider.Allowed(state).Where(t => !CaseEvents.IsPartnerAnswer(CaseEvents.RecordOf(t)) && access.MayRecord(t) && TransferStep(state, t, call.Authenticated.Organisation)).Select(KebabCase.Name)],
            new CaseIncident(
                entity.GetDateTimeOffset("ObservedAt"),
                entity.GetString("PlaceType"),
                entity.GetString("Suspicion"),
                entity.GetBoolean("PoliceNotified"),
                entity.GetString("WantsSupport"),
                entity.GetString("WantsAuthorityContact"),
                entity.GetString("OutreachSessionId"),
                personal?.Description,
                personal?.Location,
                personal?.PoliceReference,
                personal?.ReporterContact),
            personal?.Person,
            samePerson,
            state?.MergedInto,
            [.. (state?.LeadPeriods() ?? []).Select(p => new CaseLead(p.Organisation, p.From, p.Until))],
            state?.Transfer is { } transfer ? CaseTransferResponse.Of(transfer) : null,
            state?.MunicipalityNow ?? row.Municipality,
            KebabCase.Name(access.Level));
        return Results.Json(body, ApiJson.Options);
    }

    public async Task<IResult> TimelineAsync(ApiCall call)
    {
        (CaseRow? row, Access.CaseAccess access, IResult? notFound) = await FindWithAccessAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        IReadOnlyList<TimelineEntry> entries = await timeline.ListAsync(row.CaseId, call.Aborted);
        var items = new List<TimelineItem>(entries.Count);
        foreach (TimelineEntry entry in entries)
        {
            string? note = entry.HasNote && access.ShowsNoteAt(entry.At) ? await vault.GetAsync(row.CaseId, TimelineEntry.NoteField(entry.EntryId), call.Aborted) : null;
            string? outcome = entry.Outcome ?? (entry.Type == ConsentWithdrawnType && !entry.Refused && row.State?.Erased == true ? TimelineEntry.Erased : null);
            items.Add(new TimelineItem(entry.At, entry.Type, entry.By, entry.Refused, entry.RefusalReason, note, outcome,
                await AssignedWorker.OfAsync(workers, entry.Worker, since: null, call.Aborted)));
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "read-timeline", call.Aborted);
        return Results.Json(new TimelineResponse(items), ApiJson.Options);
    }

    /// <summary>The other reports of the case's group that the caller may see, oldest first.</summary>
    async Task<IReadOnlyList<SamePersonReport>> SamePersonAsync(ApiCall call, string caseId)
    {
        IReadOnlyList<string> group = await links.GroupOfAsync(caseId, call.Aborted);
        if (group.Count < 2)
        {
            return [];
        }

        HashSet<string> direct = [.. await links.LinkedToAsync(caseId, call.Aborted)];
        var reports = new List<SamePersonReport>(group.Count - 1);
        foreach (string other in group.Where(id => id != caseId))
        {
            if (await projections.GetAsync(other, call.Aborted) is { } row && row.AccessOf(profile, call.Authenticated).Sees)
            {
                reports.Add(new SamePersonReport(
                    other, row.State?.Reference ?? row.Entity.GetString("Reference"), row.State?.OpenedAt ?? row.ReceivedAt, row.ReportedBy,
                    row.State?.Phase ?? Phase.FirstContact, row.State?.CloseReason, direct.Contains(other)));
            }
        }

        return [.. reports.OrderBy(r => r.OpenedAt).ThenBy(r => r.CaseId, StringComparer.Ordinal)];
    }

    /// <summary>A transfer's steps are offered to whom they belong: the request to the lead while none is pending, the answers to the receiver.</summary>
    static bool TransferStep(CaseState state, CaseEventType type, string organisation) => type switch
    {
        CaseEventType.TransferRequested => state.Lead == organisation && state.PendingTransfer is null,
        CaseEventType.TransferAccepted or CaseEventType.TransferDeclined => state.PendingTransfer?.To == organisation,
        _ => true,
    };

    /// <summary>The case's row when it exists and the caller may see it; otherwise the same 404 for both.</summary>
    internal async Task<(CaseRow? Row, IResult? NotFound)> FindAsync(ApiCall call)
    {
        (CaseRow? row, _, IResult? notFound) = await FindWithAccessAsync(call);
        return (row, notFound);
    }

    /// <summary>The case's row and how much of it the caller sees (<see cref="Access.CaseAccess"/>); a case it does not see is the same 404 as none.</summary>
    internal async Task<(CaseRow? Row, Access.CaseAccess Access, IResult? NotFound)> FindWithAccessAsync(ApiCall call)
    {
        string caseId = call.Route("caseId");
        CaseRow? row = CaseIds.IsWellFormed(caseId) ? await projections.GetAsync(caseId, call.Aborted) : null;
        Access.CaseAccess access = row?.AccessOf(profile, call.Authenticated) ?? Access.CaseAccess.None;
        return access.Sees
            ? (row, access, null)
            : (null, access, Problems.NotFound("No such case."));
    }

    /// <summary>403 for a caller who reads the case but may not record on it (a pending transfer's receiver, a former lead).</summary>
    internal static IResult ReadOnly() =>
        Problems.Create(StatusCodes.Status403Forbidden, "You may read this case but not record on it.", "Only the leading organisation records on a case; the receiver of a pending transfer answers it (transfer-accepted, transfer-declined).");
}
