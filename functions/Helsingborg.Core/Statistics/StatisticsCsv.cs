using System.Globalization;
using System.Text;
using Helsingborg.Language;
using Helsingborg.Lifecycle;

namespace Helsingborg.Statistics;

/// <summary>
/// The CSV export, written for Excel with Swedish regional settings: UTF-8 with a byte order mark (so å, ä,
/// ö survive), semicolons (the Swedish list separator, since the decimal separator is a comma), CRLF line
/// ends, a header row and a total row. Small numbers are always suppressed here.
/// </summary>
public static class StatisticsCsv
{
    public static byte[] Write(IReadOnlyList<StatisticsGroup> groups, StatisticsGroup total, GroupBy groupBy, int suppressBelow, bool english, Partners.CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(total);
        var header = new List<string>
        {
            english ? "group" : GroupHeader(groupBy),
            english ? "incidentsReported" : Header("incidentsReported"),
            english ? "personsDocumented" : Header("personsDocumented"),
            english ? "supportConversations" : Header("supportConversations"),
            english ? "supportGiven" : Header("supportGiven") + " totalt",
        };
        header.AddRange(CaseFigures.Kinds.Select(k => english ? "supportGiven:" + KebabCase.Name(k) : Header("supportGiven") + ": " + Glossary.Inline(Glossary.Word(k, english: false))));
        header.AddRange(english
            ? ["outreachSessions", "adsReviewed", "contactsAttempted", "responses", "supportAccepted", "outreachIntakes"]
            : [Header("outreachSessions"), Header("adsReviewed"), Header("contactsAttempted"), Header("responses"), Header("supportAccepted"), "rapporter från uppsök"]);
        header.AddRange(CaseFigures.Reasons.Select(r => english ? "casesClosed:" + KebabCase.Name(r) : "avslutade: " + Glossary.Inline(Glossary.Word(r, english: false))));
        header.Add(english ? "returns" : "återvändanden");
        foreach (ReminderKind clock in CaseFigures.Clocks)
        {
            string name = english ? KebabCase.Name(clock) : Glossary.Inline(Glossary.Word(clock, english: false));
            header.Add(english ? name + ":metOnTime" : name + ": i tid");
            header.Add(english ? name + ":missed" : name + ": försenad");
        }

        header.Add(english ? "movedToAnotherMunicipality" : Header("movedToAnotherMunicipality"));

        // The last column says, on the total row, that persons are people, not reports.
        header.Add(english ? "note" : Header("csvNote"));
        var text = new StringBuilder();
        Line(text, header);
        foreach (StatisticsGroup g in groups.Append(total))
        {
            string Show(long v) => Convert.ToString(StatisticsReport.Show(v, suppressBelow), CultureInfo.InvariantCulture)!;
            var cells = new List<string>
            {
                Labels.Group(g.Group, groupBy, english, profile),
                Show(g[CaseFigures.Incidents]),
                Show(g[CaseFigures.Persons]),
                Show(g[CaseFigures.Conversations]),
                Show(CaseFigures.Kinds.Sum(k => g[CaseFigures.Given(k)])),
            };
            cells.AddRange(CaseFigures.Kinds.Select(k => Show(g[CaseFigures.Given(k)])));
            cells.AddRange(new[] { StatisticsReport.Sessions, StatisticsReport.Ads, StatisticsReport.Contacts, StatisticsReport.Responses, StatisticsReport.Accepted }.Select(n => Show(g[n])));
            cells.Add(Show(g[CaseFigures.OutreachIntakes]));
            cells.AddRange(CaseFigures.Reasons.Select(r => Show(g[CaseFigures.Closed(r)])));
            cells.Add(Show(g[CaseFigures.Returns]));
            foreach (ReminderKind clock in CaseFigures.Clocks)
            {
                cells.Add(Show(g[CaseFigures.Met(clock)]));
                cells.Add(Show(g[CaseFigures.Missed(clock)]));
            }

            cells.Add(Show(g[CaseFigures.MovedAway]));
            cells.Add(ReferenceEquals(g, total) ? Glossary.Term("personsCountedOnce", english) : string.Empty);
            Line(text, cells);
        }

        return Encode(text);
    }

    /// <summary>
    /// The referral figures (view=referrals): one row per receiving organisation and kind, after an organisation's kinds
    /// its row of all kinds, and the total last. The median answer time (hours) and the shares (per cent) have one
    /// decimal and a decimal comma, as Excel with Swedish settings reads them; their cell is empty when there is nothing
    /// to compute them from or a count they come from is suppressed.
    /// </summary>
    public static byte[] WriteReferrals(ReferralTable table, int suppressBelow, bool english, Partners.CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(table);
        var text = new StringBuilder();
        Line(text, english
            ? ["organisation", "kind", "sent", "accepted", "declined", "completed", "expired", "cancelled", "awaitingAnswer", "medianAnswerHours", "declinedPercent", "expiredPercent"]
            : ["mottagande organisation", "insats", Header("referralsSent"), Many(ReferralStatus.Accepted), Many(ReferralStatus.Declined), Many(ReferralStatus.Completed),
                Many(ReferralStatus.Expired), Many(ReferralStatus.Cancelled), Many(ReferralStatus.Sent), "median svarstid (timmar)",
                $"andel {Many(ReferralStatus.Declined)} (%)", $"andel {Many(ReferralStatus.Expired)} (%)"]);
        IEnumerable<ReferralFigures> rows = table.Organisations
            .SelectMany(o => table.Items.Where(i => i.Organisation == o.Organisation).Append(o))
            .Append(table.Total);
        foreach (ReferralFigures f in rows)
        {
            string Show(long v) => Convert.ToString(StatisticsReport.Show(v, suppressBelow), CultureInfo.InvariantCulture)!;
            Line(text,
            [
                Labels.Organisation(f.Organisation, english, profile),
                Labels.Kind(f.Kind, english),
                Show(f.Sent), Show(f.Accepted), Show(f.Declined), Show(f.Completed), Show(f.Expired), Show(f.Cancelled), Show(f.AwaitingAnswer),
                Decimal(ReferralReport.ShowMedianHours(f, suppressBelow)),
                Decimal(ReferralReport.ShowShare(f.DeclinedShare, f.Declined, f.Sent, suppressBelow) * 100),
                Decimal(ReferralReport.ShowShare(f.ExpiredShare, f.Expired, f.Sent, suppressBelow) * 100),
            ]);
        }

        return Encode(text);
    }

    /// <summary>A Swedish header: the glossary's word as it stands inside a line.</summary>
    static string Header(string term) => Glossary.Inline(Glossary.Term(term, english: false));

    static string Many(ReferralStatus status) => Glossary.Inline(Glossary.Many(status, english: false));

    static string Decimal(double? value) =>
        value is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture).Replace('.', ',') : string.Empty;

    /// <summary>The text as UTF-8 with a byte order mark, as Excel needs it to keep å, ä, ö.</summary>
    internal static byte[] Encode(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bom = Encoding.UTF8.GetPreamble();
        byte[] body = Encoding.UTF8.GetBytes(text.ToString());
        return [.. bom, .. body];
    }

    static string GroupHeader(GroupBy groupBy) => groupBy switch
    {
        GroupBy.Month => "månad",
        GroupBy.Quarter => "kvartal",
        GroupBy.Partner => "samverkanspart",
        _ => "kommun",
    };

    /// <summary>One CSV line: cells separated by semicolons, quoted where needed, ended by CRLF (also the national export's).</summary>
    internal static void Line(StringBuilder text, IEnumerable<string> cells)
    {
        text.Append(string.Join(';', cells.Select(Quote)));
        text.Append("\r\n");
    }

    internal static string Quote(string cell) =>
        cell.IndexOfAny([';', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
