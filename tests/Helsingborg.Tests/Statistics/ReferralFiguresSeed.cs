using Azure.Data.Tables;
using Helsingborg.Lifecycle;
using Helsingborg.Referrals;
using Helsingborg.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Statistics;

/// <summary>
/// A known set of referrals sent in <see cref="Year"/>, a year no other test sends referrals in, to three receiving
/// organisations (the third one no longer in the city profile), with referrals just outside the year on both sides.
/// </summary>
public static class ReferralFiguresSeed
{
    public const int Year = 2013;

    /// <summary>
    /// <paramref name="shelter"/>: psychological ×6 (accepted after 10 h then completed; declined after 30 h; accepted
    /// after 2 h then expired; expired unanswered; awaiting; cancelled unanswered) and accommodation ×2 (accepted after
    /// 4 h; accepted after 8 h then completed). <paramref name="housing"/>: accommodation ×5, declined after 1–5 h, and
    /// two outside the year. <paramref name="gone"/>: other ×1, awaiting.
    /// </summary>
    public static IReadOnlyList<ReferralRow> Rows(string shelter, string housing, string gone)
    {
        string tag = Guid.NewGuid().ToString("N")[..8];
        int n = 0;
        ReferralRow Row(string organisation, SupportKind kind, DateTimeOffset sentAt, ReferralStatus status, double? answerHours = null, DeclineReason? reason = null)
        {
            DateTimeOffset? answeredAt = answerHours is { } h ? sentAt.AddHours(h) : null;
            DateTimeOffset? closedAt = status is ReferralStatus.Sent or ReferralStatus.Accepted ? null : sentAt.AddDays(3);
            return new ReferralRow($"e_figures{tag}{++n:D2}", organisation, $"c_figures{tag}", "social-services", kind, status, sentAt, sentAt.AddDays(7), answeredAt, closedAt, reason, null);
        }

        DateTimeOffset At(int month, int day) => new(Year, month, day, 8, 0, 0, TimeSpan.Zero);

        return
        [
            Row(shelter, SupportKind.Psychological, At(3, 1), ReferralStatus.Completed, 10),
            Row(shelter, SupportKind.Psychological, At(3, 2), ReferralStatus.Declined, 30, DeclineReason.NoCapacity),
            Row(shelter, SupportKind.Psychological, At(3, 3), ReferralStatus.Expired, 2),
            Row(shelter, SupportKind.Psychological, At(3, 4), ReferralStatus.Expired),
            Row(shelter, SupportKind.Psychological, At(3, 5), ReferralStatus.Sent),
            Row(shelter, SupportKind.Psychological, At(3, 6), ReferralStatus.Cancelled),
            Row(shelter, SupportKind.Accommodation, At(5, 1), ReferralStatus.Accepted, 4),
            Row(shelter, SupportKind.Accommodation, At(5, 2), ReferralStatus.Completed, 8),
            .. Enumerable.Range(1, 5).Select(h => Row(housing, SupportKind.Accommodation, At(6, h), ReferralStatus.Declined, h, DeclineReason.NotEligible)),
            Row(gone, SupportKind.Other, At(7, 1), ReferralStatus.Sent),
            Row(housing, SupportKind.Accommodation, new DateTimeOffset(Year - 1, 12, 31, 23, 59, 59, TimeSpan.Zero), ReferralStatus.Declined, 1),
            Row(housing, SupportKind.Accommodation, new DateTimeOffset(Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero), ReferralStatus.Declined, 1),
        ];
    }

    /// <summary>Writes the rows the way the case's step does: a case state holding the referrals, synced to the Referrals table.</summary>
    public static async Task WriteAsync(IServiceProvider services, IReadOnlyList<ReferralRow> rows)
    {
        var store = services.GetRequiredService<ReferralStore>();
        foreach (IGrouping<string, ReferralRow> byCase in rows.GroupBy(r => r.CaseId))
        {
            CaseState state = CaseDecider.Open(new IntakeFacts(byCase.Key, "bjuv", "hotel-group", byCase.Min(r => r.SentAt).AddDays(-1), true, false), new CasePolicy()).State;
            await store.SyncAsync(state with
            {
                Referrals = [.. byCase.Select(r => new Referral(r.ReferralId, r.Organisation, r.By, r.Kind, r.SentAt, r.DueAt, r.Status, r.AnsweredAt, r.ClosedAt, r.DeclineReason))],
            });
        }
    }

    public static async Task DeleteAsync(IServiceProvider services, IEnumerable<ReferralRow> rows)
    {
        TableClient table = services.GetRequiredService<CaseStorage>().Table(CaseStorage.ReferralsTable);
        foreach (ReferralRow row in rows)
        {
            await table.DeleteEntityAsync(row.Organisation, row.ReferralId);
        }
    }
}
