using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Statistics;
using Helsingborg.Storage;

namespace Helsingborg.Cases;

/// <summary>
/// The read model of cases: one row per case with its anonymous state (what reads, lists and statistics
/// use), and an index of the open cases only, so that listing open cases costs in proportion to them.
/// Nothing personal is stored here.
/// </summary>
public sealed class CaseProjectionStore(CaseStorage storage, StatisticsStore statistics, Exports.ExportFactsStore exportFacts)
{
    /// <summary>
    /// A case's row key is its id, as is its partition key: a point read in Azure, and a unique index in
    /// Azurite, whose table store looks a written entity up by row key first (a constant row key made every
    /// write scan all cases, so the local host slowed down as cases accumulated).
    /// </summary>
    public static string RowKey(string caseId) => caseId;

    const string OpenPartition = "open";
    readonly TableClient cases = storage.Table(CaseStorage.CasesTable);
    readonly TableClient open = storage.Table(CaseStorage.OpenCasesTable);

    /// <summary>
    /// Intake's one write of a new case: its row (the incident's anonymous facts and the opened state, in one
    /// upsert), its entry in the open index, its statistics (the intake's and the state's counters in one
    /// transaction) and its coarse facts for the national export, side by side. Idempotent, like
    /// <see cref="ProjectAsync"/>, which the orchestration repeats.
    /// </summary>
    public async Task OpenAsync(CaseState opened, IntakeSubmission intake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(opened);
        ArgumentNullException.ThrowIfNull(intake);
        TableEntity row = StateRow(opened);
        row["ReceivedAt"] = opened.OpenedAt;
        row["ObservedAt"] = intake.ObservedAt;
        row["PlaceType"] = KebabCase.Name(intake.PlaceType);
        row["Suspicion"] = KebabCase.Name(intake.Suspicion);
        row["PoliceNotified"] = intake.PoliceNotified;
        row["PersonDocumented"] = intake.Person is not null;
        row["OutreachSessionId"] = intake.OutreachSessionId;
        row["WantsSupport"] = intake.WantsSupport is { } wants ? KebabCase.Name(wants) : null;
        row["WantsAuthorityContact"] = intake.WantsAuthorityContact is { } contact ? KebabCase.Name(contact) : null;
        var counters = new Dictionary<string, long>(CaseFigures.FromState(opened), StringComparer.Ordinal);
        foreach ((string name, long value) in CaseFigures.FromIntake(intake.Person is not null, intake.OutreachSessionId))
        {
            counters[name] = value;
        }

        await Task.WhenAll(
            cases.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken),
            IndexAsync(opened, row, cancellationToken),
            statistics.SetAsync(opened.CaseId, opened.OpenedAt, opened.ReportedBy, opened.Municipality, counters, cancellationToken),
            exportFacts.OpenAsync(opened, intake, cancellationToken));
    }

    /// <summary>
    /// Writes the state after a step of the orchestration (idempotent: the same state writes the same row). An erased
    /// state also cuts the link from the case to its export facts (<see cref="Exports.ExportFactsStore.ProjectAsync"/>).
    /// </summary>
    public async Task ProjectAsync(CaseState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        TableEntity row = StateRow(state);
        await cases.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        await Task.WhenAll(
            statistics.SetAsync(state.CaseId, state.OpenedAt, state.ReportedBy, state.Municipality, CaseFigures.FromState(state), cancellationToken),
            exportFacts.ProjectAsync(state, cancellationToken));
        await IndexAsync(state, row, cancellationToken);
    }

    static TableEntity StateRow(CaseState state) => new(state.CaseId, RowKey(state.CaseId))
    {
        ["Reference"] = state.Reference,
        ["Phase"] = KebabCase.Name(state.Phase),
        ["Step"] = state.Step is { } step ? KebabCase.Name(step) : null,
        ["Lead"] = state.Lead,
        ["Worker"] = state.Worker?.Id,
        ["Minor"] = state.Minor,
        ["Municipality"] = state.Municipality,
        ["ReportedBy"] = state.ReportedBy,
        ["OpenedAt"] = state.OpenedAt,
        ["ClosedAt"] = state.ClosedAt,
        ["CompletedAt"] = state.CompletedAt,
        ["CloseReason"] = state.CloseReason is { } reason ? KebabCase.Name(reason) : null,
        ["NextDueAt"] = CaseDecider.NextDeadline(state),
        ["Erased"] = state.Erased,
        ["TransferTo"] = state.PendingTransfer?.To,
        ["FormerLeads"] = FormerLeads(state),
        ["State"] = state.ToJson(),
    };

    /// <summary>The organisations that led the case before its current lead, comma-separated (null when none): who may still read it.</summary>
    static string? FormerLeads(CaseState state) =>
        state.Leads is { } periods && periods.Where(p => p.Until is not null).Select(p => p.Organisation).Distinct().ToArray() is { Length: > 0 } former
            ? string.Join(',', former)
            : null;

    /// <summary>Keeps the open index in step: an open case has its entry, a closed or completed one none.</summary>
    async Task IndexAsync(CaseState state, TableEntity row, CancellationToken cancellationToken)
    {
        if (state.Phase is Phase.Closed or Phase.Completed)
        {
            try
            {
                await open.DeleteEntityAsync(OpenPartition, state.CaseId, ETag.All, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
            {
            }
        }
        else
        {
            await open.UpsertEntityAsync(
                new TableEntity(OpenPartition, state.CaseId)
                {
                    ["Reference"] = state.Reference,
                    ["Phase"] = row["Phase"],
                    ["Step"] = row["Step"],
                    ["Lead"] = row["Lead"],
                    ["Worker"] = row["Worker"],
                    ["Minor"] = state.Minor,
                    ["Municipality"] = state.Municipality,
                    ["OpenedAt"] = state.OpenedAt,
                    ["NextDueAt"] = row["NextDueAt"],
                    ["TransferTo"] = row["TransferTo"],
                    ["FormerLeads"] = row["FormerLeads"],
                },
                TableUpdateMode.Replace,
                cancellationToken);
        }
    }

    public async Task<CaseRow?> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await cases.GetEntityIfExistsAsync<TableEntity>(caseId, RowKey(caseId), cancellationToken: cancellationToken);
        return row.HasValue ? CaseRow.From(row.Value!) : null;
    }
}

/// <summary>A case's row: its anonymous incident facts and, once the orchestration ran a step, its state.</summary>
public sealed record CaseRow(string CaseId, string? ReportedBy, string? Municipality, DateTimeOffset? ReceivedAt, TableEntity Entity, CaseState? State)
{
    /// <summary>The caller's access to the case (<see cref="Access.CaseAccess"/>): from its state, else from the row's columns.</summary>
    public Access.CaseAccess AccessOf(Partners.CityProfile profile, Access.Caller caller) =>
        State is { } state ? Access.CaseAccess.Of(profile, caller, state) : AccessOf(profile, caller, Entity);

    /// <summary>
    /// The caller's access from a row of the cases table or the open index (its columns <c>Lead</c>, <c>TransferTo</c> and
    /// <c>FormerLeads</c>): enough to list a case; a former lead's end date needs the state.
    /// </summary>
    public static Access.CaseAccess AccessOf(Partners.CityProfile profile, Access.Caller caller, TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        IEnumerable<LeadPeriod> former = (row.GetString("FormerLeads") ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(o => new LeadPeriod(o, DateTimeOffset.MinValue, DateTimeOffset.MinValue));
        return Access.CaseAccess.Of(profile, caller, row.GetString("Lead"), row.GetString("TransferTo"), former);
    }

    public static CaseRow From(TableEntity entity)
    {
        string? json = entity.GetString("State");
        CaseState? state = json is null ? null : CaseState.FromJson(json);
        return new CaseRow(entity.PartitionKey, entity.GetString("ReportedBy"), entity.GetString("Municipality"), entity.GetDateTimeOffset("ReceivedAt"), entity, state);
    }
}
