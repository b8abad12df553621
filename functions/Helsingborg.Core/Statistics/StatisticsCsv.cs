using System.Globalization;
using System.Text;
using Helsingborg.Lifecycle;

namespace Helsingborg.Statistics;

/// <summary>
/// The CSV export, written for Excel with Swedish regional settings: UTF-8 with a byte order mark (so å, ä,
/// ö survive), semicolons (the Swedish list separator, since the decimal separator is a comma), CRLF line
/// ends, a header row and a total row. Small numbers are always suppressed here.
/// </summary>
public static class StatisticsCsv
{
    static readonly Dictionary<SupportKind, string> SwedishKinds = new()
    {
        [SupportKind.Accommodation] = "boende",
        [SupportKind.Psychological] = "psykologiskt stöd",
        [SupportKind.Material] = "materiellt stöd",
        [SupportKind.Medical] = "akut sjukvård",
        [SupportKind.Interpretation] = "tolk och översättning",
        [SupportKind.CounsellingLegal] = "rådgivning om rättigheter",
        [SupportKind.CriminalProceedings] = "stöd i brottmål",
        [SupportKind.EducationChildren] = "skolgång för barn",
        [SupportKind.ContactPerson] = "kontaktperson",
        [SupportKind.Other] = "annat",
    };

    static readonly Dictionary<CloseReason, string> SwedishReasons = new()
    {
        [CloseReason.Returned] = "återvänt",
        [CloseReason.Stable] = "stabil situation",
        [CloseReason.Moved] = "flyttat",
        [CloseReason.NoContact] = "ingen kontakt",
        [CloseReason.Declined] = "avböjt",
        [CloseReason.ConsentWithdrawn] = "samtycke återkallat",
        [CloseReason.Other] = "annat",
    };

    public static byte[] Write(IReadOnlyList<StatisticsGroup> groups, StatisticsGroup total, GroupBy groupBy, int suppressBelow, bool english, Partners.CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(total);
        var header = new List<string>
        {
            english ? "group" : GroupHeader(groupBy),
            english ? "incidentsReported" : "incidentrapporter",
            english ? "personsDocumented" : "möjligt utsatta personer",
            english ? "supportConversations" : "stödsamtal",
            english ? "supportGiven" : "utfört stöd totalt",
        };
        header.AddRange(CaseFigures.Kinds.Select(k => english ? "supportGiven:" + KebabCase.Name(k) : "utfört stöd: " + SwedishKinds[k]));
        header.AddRange(english
            ? ["outreachSessions", "adsReviewed", "contactsAttempted", "responses", "supportAccepted", "outreachIntakes"]
            : ["uppsökstillfällen", "granskade annonser", "kontaktförsök", "svar", "accepterat stöd", "rapporter från uppsök"]);
        header.AddRange(CaseFigures.Reasons.Select(r => english ? "casesClosed:" + KebabCase.Name(r) : "avslutade: " + SwedishReasons[r]));
        header.Add(english ? "returns" : "återvändanden");

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
            Line(text, cells);
        }

        return Encode(text);
    }

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
