using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Referrals;

namespace Helsingborg.Statistics;

/// <summary>
/// How the referrals sent in a period to one receiving organisation for one support kind fared (or to an organisation
/// for every kind, or all of them: <see cref="Kind"/> null, <see cref="Organisation"/> <see cref="ReferralReport.Total"/>).
/// <see cref="Accepted"/> counts every referral the organisation accepted, whatever came after; <see cref="Declined"/>,
/// <see cref="Completed"/>, <see cref="Expired"/> and <see cref="Cancelled"/> count where referrals ended, and
/// <see cref="AwaitingAnswer"/> those still unanswered. The answer time runs from sending to accepting or declining.
/// </summary>
public sealed record ReferralFigures(
    string Organisation,
    SupportKind? Kind,
    long Sent,
    long Accepted,
    long Declined,
    long Completed,
    long Expired,
    long Cancelled,
    long AwaitingAnswer,
    TimeSpan? MedianAnswerTime)
{
    /// <summary>Referrals accepted or declined: the median answer time is taken over these.</summary>
    public long Answered => Accepted + Declined;

    /// <summary>Declined of those sent (0–1); null when none was sent.</summary>
    public double? DeclinedShare => Sent == 0 ? null : (double)Declined / Sent;

    /// <summary>Expired of those sent (0–1); null when none was sent.</summary>
    public double? ExpiredShare => Sent == 0 ? null : (double)Expired / Sent;
}

/// <summary>The referral figures of a period: per organisation and kind, per organisation, and in total.</summary>
public sealed record ReferralTable(IReadOnlyList<ReferralFigures> Items, IReadOnlyList<ReferralFigures> Organisations, ReferralFigures Total);

/// <summary>
/// The referral figures from the anonymous facts of the Referrals table (organisation, kind, status and dates), never
/// from a case: erasing a case's personal data leaves them as they were. Every referral counts in the period in which
/// it was sent (a cohort, as the case figures count by the day a case was received), with its current status, so a
/// recent period's figures move while its referrals are open.
/// </summary>
public static class ReferralReport
{
    public const string Total = "total";

    /// <summary>Groups the rows by organisation (in the city profile's order, others after by id) and kind (in the glossary's order).</summary>
    public static ReferralTable Build(IEnumerable<ReferralRow> rows, CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(profile);
        List<ReferralRow> all = [.. rows];
        var organisations = all
            .GroupBy(r => r.Organisation, StringComparer.Ordinal)
            .OrderBy(g => profile.Organisations.FindIndex(o => o.Id == g.Key) is int i and >= 0 ? i : int.MaxValue)
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        var items = new List<ReferralFigures>();
        var byOrganisation = new List<ReferralFigures>();
        foreach (IGrouping<string, ReferralRow> organisation in organisations)
        {
            items.AddRange(organisation.GroupBy(r => r.Kind).OrderBy(g => g.Key).Select(g => Figures(organisation.Key, g.Key, [.. g])));
            byOrganisation.Add(Figures(organisation.Key, null, [.. organisation]));
        }

        return new ReferralTable(items, byOrganisation, Figures(Total, null, all));
    }

    public static ReferralFigures Figures(string organisation, SupportKind? kind, IReadOnlyCollection<ReferralRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long Count(ReferralStatus status) => rows.Count(r => r.Status == status);
        return new ReferralFigures(
            organisation,
            kind,
            rows.Count,
            rows.Count(r => r.AnsweredAt is not null && r.Status != ReferralStatus.Declined),
            Count(ReferralStatus.Declined),
            Count(ReferralStatus.Completed),
            Count(ReferralStatus.Expired),
            Count(ReferralStatus.Cancelled),
            Count(ReferralStatus.Sent),
            Median([.. rows.Where(r => r.AnsweredAt is not null).Select(r => r.AnsweredAt!.Value - r.SentAt)]));
    }

    /// <summary>The middle value, or the mean of the two middle values of an even count; null for none.</summary>
    public static TimeSpan? Median(IReadOnlyList<TimeSpan> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return null;
        }

        TimeSpan[] sorted = [.. values.Order()];
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : TimeSpan.FromTicks((sorted[middle - 1].Ticks + sorted[middle].Ticks) / 2);
    }

    /// <summary>The median answer time in hours (one decimal), as it may be shown: null when nothing was answered or the answered count is suppressed.</summary>
    public static double? ShowMedianHours(ReferralFigures figures, int below)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return figures.MedianAnswerTime is { } median && !Suppressed(figures.Answered, below) ? Math.Round(median.TotalHours, 1) : null;
    }

    /// <summary>
    /// A share (0–1, four decimals) as it may be shown: null when nothing was sent, or when the count it is taken of or
    /// the count sent is suppressed (a share and a total would give the small number away).
    /// </summary>
    public static double? ShowShare(double? share, long part, long sent, int below) =>
        share is { } value && !Suppressed(part, below) && !Suppressed(sent, below) ? Math.Round(value, 4) : null;

    static bool Suppressed(long count, int below) => StatisticsReport.Show(count, below) is string;
}
