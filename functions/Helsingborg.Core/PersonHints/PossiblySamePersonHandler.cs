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
/// as a case read finds it (the same 404); the read is access-logged, since it tells what two cases' persons share. At most
/// <see cref="MaxItems"/>, the newest opened first.
/// </summary>
public sealed class PossiblySamePersonHandler(CaseReadHandler cases, CaseProjectionStore projections, PersonHintStore hints, Partners.CityProfile profile, AccessLog accessLog)
{
    /// <summary>The most suggestions one answer lists: a common alias may match many cases, and each is one read.</summary>
    public const int MaxItems = 50;

    const int ReadsAtOnce = 10;

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
            IReadOnlyList<PersonHintMatch> matches = await hints.MatchesAsync(row.CaseId, call.Aborted);
            for (int i = 0; i < matches.Count && items.Count < MaxItems; i += ReadsAtOnce)
            {
                PossiblySamePerson?[] read = await Task.WhenAll(matches.Skip(i).Take(ReadsAtOnce).Select(m => SuggestionAsync(call, m)));
                items.AddRange(read.OfType<PossiblySamePerson>().Take(MaxItems - items.Count));
            }
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "read-possibly-same-person", call.Aborted);
        return Results.Json(new PossiblySamePersonResponse(items), ApiJson.Options);
    }

    /// <summary>The other case as a suggestion, or null when it is gone, erased or one the caller may not see.</summary>
    async Task<PossiblySamePerson?> SuggestionAsync(ApiCall call, PersonHintMatch match)
    {
        CaseRow? other = CaseIds.IsWellFormed(match.CaseId) ? await projections.GetAsync(match.CaseId, call.Aborted) : null;
        if (other is null || IsErased(other) || !other.AccessOf(profile, call.Authenticated).Sees)
        {
            return null;
        }

        return new PossiblySamePerson(
            other.CaseId,
            other.State?.Reference ?? other.Entity.GetString("Reference"),
            other.State?.OpenedAt ?? other.ReceivedAt,
            other.ReportedBy,
            other.State?.Phase ?? Phase.FirstContact,
            match.Fields);
    }

    static bool IsErased(CaseRow row) => row.State?.Erased == true || row.Entity.GetBoolean("Erased") == true;
}
