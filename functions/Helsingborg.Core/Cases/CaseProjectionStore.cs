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
public sealed class CaseProjectionStore(CaseStorage storage, StatisticsStore statistics)
{
    public const string Row = "case";
    const string OpenPartition = "open";
    readonly TableClient cases = storage.Table(CaseStorage.CasesTable);
    readonly TableClient open = storage.Table(CaseStorage.OpenCasesTable);

    /// <summary>The incident's anonymous facts, written once by intake.</summary>
    public async Task RecordIntakeAsync(string caseId, string reportedBy, DateTimeOffset receivedAt, IntakeSubmission intake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intake);
        await cases.UpsertEntityAsync(
            new TableEntity(caseId, Row)
            {
                ["ReportedBy"] = reportedBy,
                ["ReceivedAt"] = receivedAt,
                ["Municipality"] = intake.Municipality,
                ["ObservedAt"] = intake.ObservedAt,
                ["PlaceType"] = KebabCase.Name(intake.PlaceType),
                ["Suspicion"] = KebabCase.Name(intake.Suspicion),
                ["PoliceNotified"] = intake.PoliceNotified,
                ["PersonDocumented"] = intake.Person is not null,
                ["Minor"] = intake.Minor,
                ["OutreachSessionId"] = intake.OutreachSessionId,
                ["WantsSupport"] = intake.WantsSupport is { } wants ? KebabCase.Name(wants) : null,
                ["WantsAuthorityContact"] = intake.WantsAuthorityContact is { } contact ? KebabCase.Name(contact) : null,
            },
            TableUpdateMode.Merge,
            cancellationToken);
        await statistics.SetAsync(caseId, receivedAt, reportedBy, intake.Municipality, CaseFigures.FromIntake(intake.Person is not null, intake.OutreachSessionId), cancellationToken);
    }

    /// <summary>Writes the state after a step of the orchestration (idempotent: the same state writes the same row).</summary>
    public async Task ProjectAsync(CaseState state, CancellationToken cancellationToken = default)
    {
        DateTimeOffset? nextDue = CaseDecider.NextDeadline(state);
        var row = new TableEntity(state.CaseId, Row)
        {
            ["Phase"] = KebabCase.Name(state.Phase),
            ["Step"] = state.Step is { } step ? KebabCase.Name(step) : null,
            ["Lead"] = state.Lead is { } lead ? KebabCase.Name(lead) : null,
            ["Minor"] = state.Minor,
            ["Municipality"] = state.Municipality,
            ["ReportedBy"] = state.ReportedBy,
            ["OpenedAt"] = state.OpenedAt,
            ["ClosedAt"] = state.ClosedAt,
            ["CompletedAt"] = state.CompletedAt,
            ["CloseReason"] = state.CloseReason is { } reason ? KebabCase.Name(reason) : null,
            ["NextDueAt"] = nextDue,
            ["Erased"] = state.Erased,
            ["State"] = state.ToJson(),
        };
        await cases.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        await statistics.SetAsync(state.CaseId, state.OpenedAt, state.ReportedBy, state.Municipality, CaseFigures.FromState(state), cancellationToken);

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
                    ["Phase"] = row["Phase"],
                    ["Step"] = row["Step"],
                    ["Lead"] = row["Lead"],
                    ["Minor"] = state.Minor,
                    ["Municipality"] = state.Municipality,
                    ["OpenedAt"] = state.OpenedAt,
                    ["NextDueAt"] = nextDue,
                },
                TableUpdateMode.Replace,
                cancellationToken);
        }
    }

    public async Task<CaseRow?> GetAsync(string caseId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await cases.GetEntityIfExistsAsync<TableEntity>(caseId, Row, cancellationToken: cancellationToken);
        return row.HasValue ? CaseRow.From(row.Value!) : null;
    }
}

/// <summary>A case's row: its anonymous incident facts and, once the orchestration ran a step, its state.</summary>
public sealed record CaseRow(string CaseId, string? ReportedBy, string? Municipality, DateTimeOffset? ReceivedAt, TableEntity Entity, CaseState? State)
{
    public static CaseRow From(TableEntity entity)
    {
        string? json = entity.GetString("State");
        CaseState? state = json is null ? null : CaseState.FromJson(json);
        return new CaseRow(entity.PartitionKey, entity.GetString("ReportedBy"), entity.GetString("Municipality"), entity.GetDateTimeOffset("ReceivedAt"), entity, state);
    }
}
