using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.PersonHints;

/// <summary>
/// <c>GET /api/cases/{caseId}/possibly-same-person</c>: the other cases that share a person hint with the case (the same
/// alias or the same contact, <see cref="PersonHintStore"/>), limited to those the caller may see by the rule of case
/// reads and not erased. A suggestion only: a coordinator decides whether it is the same person. The case itself is found
/// as a case read finds it (the same 404); the read is access-logged, since it tells what two cases' persons share.
/// </summary>
public sealed class PossiblySamePersonHandler(CaseReadHandler cases, CaseProjectionStore projections, PersonHintStore hints, Partners.CityProfile profile, AccessLog accessLog)
{
    public async Task<IResult> GetAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await cases.FindAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        var items = new List<PossiblySamePerson>();
        if (!IsErased(row))
        {
            foreach ((string otherId, IReadOnlySet<PersonHintField> fields) in await hints.MatchesAsync(row.CaseId, call.Aborted))
            {
                CaseRow? other = CaseIds.IsWellFormed(otherId) ? await projections.GetAsync(otherId, call.Aborted) : null;
                if (other is null || IsErased(other) || !profile.MaySee(call.Authenticated, other.State?.Lead))
                {
                    continue;
                }

                items.Add(new PossiblySamePerson(
                    other.CaseId,
                    other.State?.Reference ?? other.Entity.GetString("Reference"),
                    other.State?.OpenedAt ?? other.ReceivedAt,
                    other.ReportedBy,
                    other.State?.Phase ?? Phase.FirstContact,
                    [.. fields.Order()]));
            }
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "read-possibly-same-person", call.Aborted);
        return Results.Json(new PossiblySamePersonResponse([.. items.OrderByDescending(i => i.OpenedAt).ThenBy(i => i.CaseId, StringComparer.Ordinal)]), ApiJson.Options);
    }

    static bool IsErased(CaseRow row) => row.State?.Erased == true || row.Entity.GetBoolean("Erased") == true;
}
