using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;

namespace Helsingborg.Referrals;

/// <summary>One referral as its receiving organisation's inbox and the statistics see it: ids, kind, status and dates only.</summary>
public sealed record ReferralRow(
    string ReferralId,
    string Organisation,
    string CaseId,
    string By,
    SupportKind Kind,
    ReferralStatus Status,
    DateTimeOffset SentAt,
    DateTimeOffset DueAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? ClosedAt,
    DeclineReason? DeclineReason,
    DateTimeOffset? ConsentWithdrawnAt);

/// <summary>
/// The Referrals table: one row per referral in its receiving organisation's partition (<c>PartitionKey</c> the
/// organisation, <c>RowKey</c> the referral id), written from the case state after each step, so a partner's inbox is
/// one partition read and never a scan of cases. Nothing personal: what a referral shares is sealed in the case vault.
/// A withdrawn consent is marked here at once by the events endpoint, before the case applies it.
/// </summary>
public sealed class ReferralStore(CaseStorage storage)
{
    readonly TableClient table = storage.Table(CaseStorage.ReferralsTable);

    /// <summary>Brings the rows of the case's referrals up to its state; idempotent (a merge of the same values).</summary>
    public async Task SyncAsync(CaseState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (Referral referral in state.Referrals)
        {
            var row = new TableEntity(referral.Organisation, referral.Id)
            {
                ["CaseId"] = state.CaseId,
                ["By"] = referral.By,
                ["Kind"] = KebabCase.Name(referral.Kind),
                ["Status"] = KebabCase.Name(referral.Status),
                ["SentAt"] = referral.SentAt,
                ["DueAt"] = referral.DueAt,
                ["AnsweredAt"] = referral.AnsweredAt,
                ["ClosedAt"] = referral.ClosedAt,
                ["DeclineReason"] = referral.DeclineReason is { } reason ? KebabCase.Name(reason) : null,
            };
            await table.UpsertEntityAsync(row, TableUpdateMode.Merge, cancellationToken);
        }
    }

    /// <summary>
    /// Marks the case's referrals to an organisation (or, with <paramref name="organisation"/> null, to every organisation:
    /// the person withdrew all consent) as no longer covered, so the inboxes stop showing what they share at once.
    /// </summary>
    public async Task RevokeAsync(string caseId, string? organisation, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        string filter = organisation is null
            ? TableClient.CreateQueryFilter($"CaseId eq {caseId}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {organisation} and CaseId eq {caseId}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await table.UpsertEntityAsync(new TableEntity(row.PartitionKey, row.RowKey) { ["ConsentWithdrawnAt"] = at }, TableUpdateMode.Merge, cancellationToken);
        }
    }

    public async Task<ReferralRow?> GetAsync(string organisation, string referralId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(referralId) || referralId.Length > 100 || referralId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            return null;
        }

        try
        {
            NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(organisation, referralId, cancellationToken: cancellationToken);
            return row.HasValue ? From(row.Value!) : null;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.BadRequest)
        {
            return null;
        }
    }

    /// <summary>An organisation's referrals, newest first.</summary>
    public async Task<IReadOnlyList<ReferralRow>> ListAsync(string organisation, CancellationToken cancellationToken = default)
    {
        var rows = new List<ReferralRow>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {organisation}"), cancellationToken: cancellationToken))
        {
            rows.Add(From(row));
        }

        return [.. rows.OrderByDescending(r => r.SentAt)];
    }

    /// <summary>
    /// An organisation's referrals still awaiting its answer (status sent, consent in force), earliest due first: one
    /// partition read, for the daily digest.
    /// </summary>
    public async Task<IReadOnlyList<ReferralRow>> AwaitingAnswerAsync(string organisation, CancellationToken cancellationToken = default)
    {
        var rows = new List<ReferralRow>();
        string filter = TableClient.CreateQueryFilter($"PartitionKey eq {organisation} and Status eq {KebabCase.Name(ReferralStatus.Sent)}");
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            ReferralRow referral = From(row);
            if (referral.ConsentWithdrawnAt is null)
            {
                rows.Add(referral);
            }
        }

        return [.. rows.OrderBy(r => r.DueAt).ThenBy(r => r.ReferralId, StringComparer.Ordinal)];
    }

    /// <summary>Every referral sent in a period, for the figures (anonymous: organisation, kind, status and dates).</summary>
    public async Task<IReadOnlyList<ReferralRow>> SentBetweenAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var rows = new List<ReferralRow>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"SentAt ge {from} and SentAt lt {to}"), cancellationToken: cancellationToken))
        {
            rows.Add(From(row));
        }

        return rows;
    }

    static ReferralRow From(TableEntity row)
    {
        KebabCase.TryParse(row.GetString("Kind") ?? string.Empty, out SupportKind kind);
        KebabCase.TryParse(row.GetString("Status") ?? string.Empty, out ReferralStatus status);
        DeclineReason? reason = KebabCase.TryParse(row.GetString("DeclineReason") ?? string.Empty, out DeclineReason r) ? r : null;
        return new ReferralRow(
            row.RowKey,
            row.PartitionKey,
            row.GetString("CaseId") ?? string.Empty,
            row.GetString("By") ?? string.Empty,
            kind,
            status,
            row.GetDateTimeOffset("SentAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("DueAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("AnsweredAt"),
            row.GetDateTimeOffset("ClosedAt"),
            reason,
            row.GetDateTimeOffset("ConsentWithdrawnAt"));
    }
}
