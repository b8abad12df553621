using Helsingborg.Http;
using Helsingborg.Language;
using Helsingborg.Lifecycle;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Statistics;

/// <summary>
/// <c>GET /statistics</c>: the core group's statistics page, an anonymous HTML shell. The figures are fetched
/// by the page with a coordinator or statistics key, entered once per browser session (sessionStorage,
/// header X-Api-Key). The four IOP figures per month are drawn as SVG bar charts by the page's own script, each
/// labelled with its values and all four in a table beside them (the charts' text alternative, WCAG 1.1.1); the
/// referrals by receiving organisation and support kind in a table of their own, with their own CSV; the markup is <see cref="StatisticsView"/>, the script and style the app's own assets (statistics.js, statistics.css) under the one policy of <see cref="WebPage"/>. Swedish by default,
/// English with <c>?lang=en</c>.
/// </summary>
public static class StatisticsPage
{
    static readonly Dictionary<string, string> Swedish = WithGlossary(english: false, new(StringComparer.Ordinal)
    {
        ["title"] = "Statistik – Helsingborgsmodellen",
        ["heading"] = "Statistik",
        ["intro"] = "Siffrorna som IOP-överenskommelsen kräver, per månad. Små tal (1–4) visas som <5 för statistikrollen.",
        ["key"] = "API-nyckel",
        ["save"] = "Använd nyckeln",
        ["from"] = "Från",
        ["to"] = "Till",
        ["show"] = "Visa",
        ["csv"] = "Ladda ner CSV (Excel)",
        ["outreach"] = "Internetuppsök",
        ["month"] = "Månad",
        ["needKey"] = "Ange en nyckel med rollen samordnare eller statistik.",
        ["denied"] = "Nyckeln saknar behörighet eller är okänd.",
        ["failed"] = "Statistiken kunde inte hämtas.",
        ["loading"] = "Hämtar …",
        ["months"] = "jan,feb,mar,apr,maj,jun,jul,aug,sep,okt,nov,dec",
        ["perMonth"] = "per månad",
        ["figures"] = "Siffrorna i diagrammen",
        ["skip"] = "Hoppa till innehållet",
        ["otherLanguage"] = "In English",
        ["accessibility"] = "Tillgänglighet",
        ["referrals"] = "Remisser till andra organisationer",
        ["referralsIntro"] = "Remisserna som skickades under perioden, per mottagande organisation och insats, och hur det gick med dem. Accepterade räknar alla som organisationen accepterade, också de som sedan slutfördes, gick ut eller avbröts. Svarstiden räknas från att remissen skickades till att den accepterades eller avböjdes; andelarna är av de skickade. Ett streck betyder att det inte finns något att räkna på eller att underlaget är för litet för att visas.",
        ["referralsCaption"] = "Remisser per mottagande organisation och insats, skickade",
        ["referralsCsv"] = "Ladda ner remisserna som CSV (Excel)",
        ["noReferrals"] = "Inga remisser skickades under perioden.",
        ["organisation"] = "Mottagande organisation",
        ["kind"] = "Insats",
        ["medianAnswerHours"] = "Median svarstid (timmar)",
        ["declinedShare"] = "Andel avböjda",
        ["expiredShare"] = "Andel utgångna",
        ["clocks"] = "Barnets lagstadgade tidsfrister",
        ["clocksIntro"] = "Ärenden om barn: hur många av socialtjänstens beslut som kom inom lagens tidsfrist (skyddsbedömning samma dag, förhandsbedömning inom 14 dagar, utredning inom fyra månader) och hur många som kom för sent eller saknas fast tiden gått ut. Räknas per månad då rapporten togs emot.",
        ["metOnTime"] = "i tid",
        ["missed"] = "för sent",
    });

    static readonly Dictionary<string, string> English = WithGlossary(english: true, new(StringComparer.Ordinal)
    {
        ["title"] = "Statistics – the Helsingborg model",
        ["heading"] = "Statistics",
        ["intro"] = "The figures the IOP agreement asks for, per month. Small numbers (1–4) show as <5 for the statistics role.",
        ["key"] = "API key",
        ["save"] = "Use this key",
        ["from"] = "From",
        ["to"] = "To",
        ["show"] = "Show",
        ["csv"] = "Download CSV (Excel)",
        ["outreach"] = "Internet outreach",
        ["month"] = "Month",
        ["needKey"] = "Enter a key with the coordinator or statistics role.",
        ["denied"] = "The key is unknown or not allowed.",
        ["failed"] = "The statistics could not be loaded.",
        ["loading"] = "Loading …",
        ["months"] = "Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec",
        ["perMonth"] = "per month",
        ["figures"] = "The figures in the charts",
        ["skip"] = "Skip to content",
        ["otherLanguage"] = "På svenska",
        ["accessibility"] = "Accessibility",
        ["referrals"] = "Referrals to other organisations",
        ["referralsIntro"] = "The referrals sent in the period, by receiving organisation and support kind, and how they fared. Accepted counts every referral the organisation took on, also those later completed, expired or cancelled. The answer time runs from sending to accepting or declining; the shares are of those sent. A dash means there is nothing to compute it from or too few to show.",
        ["referralsCaption"] = "Referrals by receiving organisation and support kind, sent",
        ["referralsCsv"] = "Download the referrals as CSV (Excel)",
        ["noReferrals"] = "No referrals were sent in the period.",
        ["organisation"] = "Receiving organisation",
        ["kind"] = "Support kind",
        ["medianAnswerHours"] = "Median answer time (hours)",
        ["declinedShare"] = "Declined share",
        ["expiredShare"] = "Expired share",
        ["clocks"] = "A child's statutory time limits",
        ["clocksIntro"] = "Cases about children: how many of the social services' decisions came within the law's time limit (protection assessment the same day, initial assessment within 14 days, investigation within four months), and how many came late or are missing past their due time. Counted by the month the report was received.",
        ["metOnTime"] = "on time",
        ["missed"] = "late",
    });

    /// <summary>The figures' and the referral states' words, from the glossary: the CSV headers and the dashboard say the same.</summary>
    static Dictionary<string, string> WithGlossary(bool english, Dictionary<string, string> texts)
    {
        foreach (string figure in Figures)
        {
            texts.Add(figure, Glossary.Term(figure, english));
        }

        foreach (string figure in new[] { "outreachSessions", "adsReviewed", "contactsAttempted", "supportAccepted" })
        {
            texts.Add(figure, Glossary.Term(figure, english));
        }

        texts.Add("sent", Glossary.Term("referralsSent", english));
        texts.Add("personsCountedOnce", Glossary.Term("personsCountedOnce", english));
        foreach (ReferralStatus status in Enum.GetValues<ReferralStatus>())
        {
            texts.Add(status == ReferralStatus.Sent ? "awaitingAnswer" : KebabCase.Name(status), Glossary.Many(status, english));
        }

        return texts;
    }

    /// <summary>The IOP figures the page draws, by their name in the API's answer.</summary>
    public static IReadOnlyList<string> Figures => ["incidentsReported", "personsDocumented", "supportConversations", "supportGiven"];

    /// <summary>The page's words of a language (for the glossary tests).</summary>
    public static IReadOnlyDictionary<string, string> Words(bool english) => english ? English : Swedish;

    public static Task<IResult> GetAsync(ApiCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        bool english = call.Request.Query["lang"].FirstOrDefault() == "en";
        return WebPage.RenderAsync<StatisticsView>(call, new Dictionary<string, object?>
        {
            [nameof(StatisticsView.English)] = english,
            [nameof(StatisticsView.Words)] = english ? English : Swedish,
            [nameof(StatisticsView.Clocks)] = CaseFigures.Clocks.Select(k => Glossary.Word(k, english)).ToArray(),
        });
    }
}
