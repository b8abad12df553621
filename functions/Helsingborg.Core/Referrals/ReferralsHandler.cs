using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Referrals;

/// <summary>
/// The receiving side of referrals (api.md, referrals): a partner key sees its own organisation's referrals only, with
/// what the person agreed to share with it (each read access-logged), and answers them: accept, decline with a reason,
/// complete. A referral of another organisation, or of a case whose consent was withdrawn, is not there (404, and no
/// shared fields). Nothing else of a case opens to a partner.
/// </summary>
public sealed class ReferralsHandler(ReferralStore referrals, CaseProjectionStore projections, CaseVault vault, AccessLog accessLog, CaseEventsHandler events, Partners.CityProfile profile, TimeProvider clock)
{
    static readonly string[] Answers = ["accept", "decline", "complete"];

    public async Task<IResult> ListAsync(ApiCall call)
    {
        string organisation = call.Authenticated.Organisation;
        var items = new List<ReferralItem>();
        foreach (ReferralRow row in await referrals.ListAsync(organisation, call.Aborted))
        {
            // What the referral shares is shown while it is open (sent or accepted): the organisation needs it to help,
            // and not after the referral has ended. So only an open referral costs a read of its case and the vault.
            bool open = row.Status is ReferralStatus.Sent or ReferralStatus.Accepted;
            CaseState? state = open ? (await projections.GetAsync(row.CaseId, call.Aborted))?.State : null;
            if (row.ConsentWithdrawnAt is not null || (open && (state is null || !Covered(row, state))))
            {
                continue;
            }

            Dictionary<string, JsonElement>? shared = null;
            if (state is { Erased: false } && await vault.GetAsync(row.CaseId, Referral.VaultField(row.ReferralId), call.Aborted) is { } json)
            {
                shared = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json, ApiJson.Options);
                await accessLog.AppendAsync(call.Authenticated, row.CaseId, "read-referral", call.Aborted);
            }

            items.Add(new ReferralItem(row.ReferralId, row.Kind, row.Status, row.SentAt, row.DueAt, row.AnsweredAt, row.ClosedAt, row.DeclineReason, shared));
        }

        return Results.Json(new ReferralList(items), ApiJson.Options);
    }

    /// <summary><c>POST /api/referrals/{referralId}/{accept|decline|complete}</c>; a decline's body names its <c>reason</c>.</summary>
    public async Task<IResult> AnswerAsync(ApiCall call)
    {
        string answer = call.Route("answer");
        if (!Answers.Contains(answer, StringComparer.Ordinal))
        {
            return Problems.NotFound("No such answer: accept, decline or complete.");
        }

        if (Intake.IntakeHandler.IdempotencyKeyProblem(call.Request) is { } keyProblem)
        {
            return keyProblem;
        }

        ReferralRow? row = await referrals.GetAsync(call.Authenticated.Organisation, call.Route("referralId"), call.Aborted);
        CaseRow? caseRow = row is null ? null : await projections.GetAsync(row.CaseId, call.Aborted);
        if (row is null || caseRow?.State is not { } state || !Covered(row, state))
        {
            return Problems.NotFound("No such referral.");
        }

        CaseEventType type = answer switch
        {
            "accept" => CaseEventType.ReferralAccepted,
            "decline" => CaseEventType.ReferralDeclined,
            _ => CaseEventType.ReferralCompleted,
        };

        // An answer with a payload (a decline's reason) reads it from the body, through the same reader as every event.
        JsonDocument? document = null;
        if (CaseEventParser.PayloadOf(CaseEvents.RecordOf(type)).Any(p => p.Name != JsonNamingPolicy.CamelCase.ConvertName(nameof(ReferralAnswer.ReferralId))))
        {
            (document, IResult? problem) = await RequestBody.ReadJsonAsync(call.Request, call.Aborted);
            if (document is null)
            {
                return problem!;
            }
        }

        ParseResult parsed;
        string request;
        using (document)
        {
            string? key = CaseEventsHandler.Key(call);
            string eventId = key is null ? "e_" + Guid.NewGuid().ToString("N") : CaseInbox.EventIdFor(call.Authenticated.Organisation, row.CaseId, key);
            parsed = CaseEventParser.ParseAnswer(type, document?.RootElement, row.ReferralId, eventId, call.Authenticated.Organisation, clock.GetUtcNow(), profile);
            request = $"referrals\n{row.ReferralId}\n{answer}\n" + (document is null ? string.Empty : JsonSerializer.Serialize(document.RootElement));
        }

        if (parsed.Event is not { } caseEvent)
        {
            return Problems.Validation(parsed.Errors);
        }

        return await events.SubmitAsync(call, caseRow, state, caseEvent, note: null, request);
    }

    /// <summary>The person's consent to share with the organisation is in force (withdrawal shows here at once, before the case applies it).</summary>
    static bool Covered(ReferralRow row, CaseState state) =>
        row.ConsentWithdrawnAt is null && state.ConsentFor(row.Organisation) is not null;
}

/// <summary><c>GET /api/referrals</c>: the caller's organisation's referrals, newest first.</summary>
public sealed record ReferralList(IReadOnlyList<ReferralItem> Items);

/// <summary>
/// One referral as its receiving organisation sees it; <paramref name="Shared"/> is what the person agreed to share with it
/// (alias, languages, age, gender, citizenship, contact, need), while the referral is open.
/// </summary>
public sealed record ReferralItem(
    string ReferralId, SupportKind Kind, ReferralStatus Status, DateTimeOffset SentAt, DateTimeOffset DueAt, DateTimeOffset? AnsweredAt, DateTimeOffset? ClosedAt,
    DeclineReason? DeclineReason, IReadOnlyDictionary<string, JsonElement>? Shared);

/// <summary>The body of a decline (<c>POST /api/referrals/{referralId}/decline</c>), read as <see cref="ReferralDeclined"/>'s payload.</summary>
public sealed record ReferralDecline(DeclineReason Reason);
