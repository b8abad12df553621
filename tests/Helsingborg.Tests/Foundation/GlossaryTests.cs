using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Language;
using Helsingborg.Lifecycle;
using Helsingborg.LocalHost;
using Helsingborg.Outreach;
using Helsingborg.Referrals;
using Helsingborg.Statistics;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// One language (issue 22, 6): every surface a person reads (the event texts and schema, the dashboard's data block,
/// the referral inbox, the form, the outreach page, the statistics page and its JSON labels, the CSV headers) names a
/// concept with the glossary's word, and every concept word of a page's text table has its entry in the glossary.
/// Without a host: the pages are rendered as their routes render them.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class GlossaryTests
{
    /// <summary>The word one surface shows for one concept.</summary>
    sealed record Naming(string Concept, string Surface, string Word);

    /// <summary>The page text tables by page, and the enum each concept prefix of their keys names values of.</summary>
    static readonly (string Page, Func<bool, IReadOnlyDictionary<string, string>> Texts)[] PageTexts =
    [
        ("partner form", english => english ? IntakePageTexts.English : IntakePageTexts.Swedish),
        ("referral inbox", ReferralsPage.Words),
        ("outreach page", english => english ? OutreachPageTexts.English : OutreachPageTexts.Swedish),
        ("statistics page", StatisticsPage.Words),
    ];

    static readonly (string Prefix, Type Enum)[] ConceptPrefixes =
    [
        ("kind.", typeof(SupportKind)), ("status.", typeof(ReferralStatus)), ("reason.", typeof(DeclineReason)),
        ("field.", typeof(SharedField)), ("gender.", typeof(Gender)), ("placeType=", typeof(PlaceType)),
        ("suspicion=", typeof(Suspicion)), ("type=", typeof(OutreachType)), ("outreachType=", typeof(OutreachType)),
    ];

    static string Concept(Enum value) => $"{value.GetType().Name}.{value}";

    static string Count(ReferralStatus status) => $"{Concept(status)} (count)";

    static IEnumerable<Enum> Values(Type type) => Enum.GetValues(type).Cast<Enum>();

    [Fact]
    public void Every_value_a_person_sees_has_its_own_words_in_both_languages()
    {
        var missing = from type in Glossary.Enums
                      from value in Values(type)
                      where !Glossary.Has(value)
                      select Concept(value);
        Assert.Empty(missing);
        foreach (bool english in new[] { false, true })
        {
            Assert.All(Glossary.Enums.SelectMany(Values), v => Assert.False(string.IsNullOrWhiteSpace(Glossary.Word(v, english))));
            Assert.All(Glossary.TermKeys, k => Assert.False(string.IsNullOrWhiteSpace(Glossary.Term(k, english))));
        }
    }

    [Fact]
    public void Closed_and_completed_cases_have_distinct_words()
    {
        Assert.Equal("Avslutat", Glossary.Word(Phase.Closed, english: false));
        Assert.NotEqual(Glossary.Word(Phase.Closed, english: false), Glossary.Word(Phase.Completed, english: false));
        Assert.NotEqual(Glossary.Word(ReferralStatus.Completed, english: false), Glossary.Word(Phase.Completed, english: false));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_surface_names_a_concept_with_the_glossarys_word(bool english)
    {
        List<Naming> namings = [.. GlossaryWords(english), .. EventTexts(english), .. await DashboardAsync(english), .. PageTables(english), .. StatisticsLabels(english)];
        if (!english)
        {
            namings.AddRange(CaseCsvHeader());
            namings.AddRange(ReferralCsvHeader());
        }

        var differing = namings
            .GroupBy(n => n.Concept, StringComparer.Ordinal)
            .Where(g => g.Select(n => Normal(n.Word)).Distinct(StringComparer.Ordinal).Count() > 1)
            .Select(g => $"{g.Key}: " + string.Join(", ", g.Select(n => $"{n.Surface} \"{n.Word}\"")))
            .ToList();
        Assert.True(differing.Count == 0, "Two surfaces name one concept differently:\n" + string.Join("\n", differing));
        Assert.True(namings.Select(n => n.Surface).Distinct().Count() >= 8, "Every surface is compared.");
    }

    [Fact]
    public void Every_concept_word_of_a_page_text_has_its_entry_in_the_glossary()
    {
        var problems = new List<string>();
        foreach ((string page, var texts) in PageTexts)
        {
            foreach (bool english in new[] { false, true })
            {
                foreach ((string key, string text) in texts(english))
                {
                    if (ConceptPrefixes.FirstOrDefault(p => key.StartsWith(p.Prefix, StringComparison.Ordinal)) is { Prefix: not null } concept)
                    {
                        string name = key[concept.Prefix.Length..];
                        if (!Values(concept.Enum).Any(v => Glossary.KebabName(v) == name))
                        {
                            problems.Add($"{page}: \"{key}\" names a {concept.Enum.Name} that has no entry in the glossary");
                        }
                    }
                    else if (Glossary.HasTerm(key) && text != Glossary.Term(key, english))
                    {
                        problems.Add($"{page}: \"{key}\" says \"{text}\" where the glossary says \"{Glossary.Term(key, english)}\"");
                    }
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void No_script_keeps_its_own_word_for_a_concept_of_the_glossary()
    {
        string assets = Path.Combine(Azurite.RepositoryRoot(), "functions", "Helsingborg.Core", "Web", "Assets");
        var hits = new List<string>();
        foreach (string script in Directory.GetFiles(assets, "*.js"))
        {
            string text = File.ReadAllText(script);
            hits.AddRange(ScriptWord().Matches(text)
                .Where(m => Glossary.HasTerm(m.Groups["key"].Value))
                .Select(m => $"{Path.GetFileName(script)}: {m.Value} (the glossary's term {m.Groups["key"].Value} is in the words data block)"));
            hits.AddRange(Glossary.Rejected.Keys
                .Where(word => text.Contains($"'{word}'", StringComparison.Ordinal) || text.Contains($"\"{word}\"", StringComparison.Ordinal))
                .Select(word => $"{Path.GetFileName(script)}: \"{word}\" (the glossary says \"{Glossary.Rejected[word]}\")"));
        }

        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }

    [Fact]
    public void No_page_text_uses_a_word_the_glossary_replaced()
    {
        var hits = from page in PageTexts
                   from english in new[] { false, true }
                   from text in page.Texts(english)
                   from rejected in Glossary.Rejected
                   where text.Value == rejected.Key || (rejected.Key.Contains(' ', StringComparison.Ordinal) && text.Value.Contains(rejected.Key, StringComparison.Ordinal))
                   select $"{page.Page}: \"{text.Key}\" says \"{text.Value}\" (the glossary says \"{rejected.Value}\")";
        Assert.Empty(hits);
    }

    [Fact]
    public void Swedish_pages_have_a_swedish_message_for_every_problem_the_api_answers()
    {
        foreach (int status in new[] { 400, 401, 403, 404, 409, 413, 415, 429, 500, 503 })
        {
            Assert.Contains(status, Glossary.ProblemStatuses);
            Assert.NotEqual(Glossary.Problem(status, english: false), Glossary.Problem(status, english: true));
        }

        Dictionary<string, string> problems = Glossary.Block(english: false)["problem"];
        Assert.Equal("Din roll får inte göra det här.", problems["403"]);
    }

    [GeneratedRegex(@"\b(?<key>[A-Za-z]+): '(?:[^'\\]|\\.)*'")]
    private static partial Regex ScriptWord();

    /// <summary>Compared as a word stands at the head of a line, so a CSV header's "utfört stöd" is the page's "Utfört stöd".</summary>
    static string Normal(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    static IEnumerable<Naming> GlossaryWords(bool english)
    {
        foreach (Enum value in Glossary.Enums.SelectMany(Values))
        {
            yield return new(Concept(value), "glossary", Glossary.Word(value, english));
        }

        foreach (ReferralStatus status in Enum.GetValues<ReferralStatus>())
        {
            yield return new(Count(status), "glossary", Glossary.Many(status, english));
        }

        foreach (string key in Glossary.TermKeys)
        {
            yield return new(key, "glossary", Glossary.Term(key, english));
        }
    }

    static IEnumerable<Naming> EventTexts(bool english)
    {
        foreach (Enum value in Glossary.Enums.SelectMany(Values))
        {
            yield return new(Concept(value), "event texts", CaseEventTexts.Label(value, english));
        }

        var schema = CaseEventSchema.Build(TestProfiles.Helsingborg, english);
        foreach (var variant in schema["oneOf"]!.AsArray())
        {
            string type = variant!["properties"]!["type"]!["const"]!.GetValue<string>();
            CaseEventType value = Enum.GetValues<CaseEventType>().Single(v => Glossary.KebabName(v) == type);
            yield return new(Concept(value), "event schema", variant["title"]!.GetValue<string>());
        }
    }

    /// <summary>The words data block of the dashboard as its route renders it.</summary>
    static async Task<IEnumerable<Naming>> DashboardAsync(bool english)
    {
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        context.Request.QueryString = new QueryString(english ? "?lang=en" : string.Empty);
        context.Response.Body = new MemoryStream();
        var call = new ApiCall(context.Request, null, new Mock<DurableTaskClient>("test").Object, new Dictionary<string, string>());
        IResult result = await new DashboardPage(TestProfiles.Helsingborg).ShellAsync(call);
        await result.ExecuteAsync(context);
        string html = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        System.Text.RegularExpressions.Match block = Regex.Match(html, "<script type=\"application/json\" id=\"words\">(?<json>.*?)</script>", RegexOptions.Singleline);
        Assert.True(block.Success, "The dashboard has its words data block.");
        var words = JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(block.Groups["json"].Value)!;
        var namings = new List<Naming>();
        foreach (Type type in Glossary.Enums)
        {
            string kind = JsonNamingPolicy.CamelCase.ConvertName(type.Name);
            Assert.True(words.ContainsKey(kind), $"The dashboard's words name every {type.Name}.");
            namings.AddRange(Values(type).Select(v => new Naming(Concept(v), "dashboard data block", words[kind][Glossary.KebabName(v)])));
        }

        namings.AddRange(words["term"].Select(t => new Naming(t.Key, "dashboard data block", t.Value)));
        return namings;
    }

    static IEnumerable<Naming> PageTables(bool english)
    {
        foreach ((string page, var table) in PageTexts)
        {
            IReadOnlyDictionary<string, string> texts = table(english);
            foreach ((string prefix, Type type) in ConceptPrefixes)
            {
                foreach (Enum value in Values(type))
                {
                    if (texts.TryGetValue(prefix + Glossary.KebabName(value), out string? word))
                    {
                        yield return new(Concept(value), page, word);
                    }
                }
            }

            foreach (string key in Glossary.TermKeys.Where(texts.ContainsKey))
            {
                yield return new(key, page, texts[key]);
            }
        }

        IReadOnlyDictionary<string, string> form = english ? IntakePageTexts.English : IntakePageTexts.Swedish;
        yield return new(Concept(YesNoUnknown.Unknown), "partner form", form["unknown"]);
        yield return new(Concept(YesNoUnknown.Yes), "partner form", form["yes"]);
        yield return new(Concept(YesNoUnknown.No), "partner form", form["no"]);
        yield return new("unknownValue", "referral inbox", ReferralsPage.Words(english)["notKnown"]);

        IReadOnlyDictionary<string, string> statistics = StatisticsPage.Words(english);
        yield return new("referralsSent", "statistics page", statistics["sent"]);
        yield return new(Count(ReferralStatus.Sent), "statistics page", statistics["awaitingAnswer"]);
        foreach (ReferralStatus status in Enum.GetValues<ReferralStatus>().Where(s => s != ReferralStatus.Sent))
        {
            yield return new(Count(status), "statistics page", statistics[KebabCase.Name(status)]);
        }
    }

    static IEnumerable<Naming> StatisticsLabels(bool english)
    {
        foreach (SupportKind kind in Enum.GetValues<SupportKind>())
        {
            yield return new(Concept(kind), "statistics labels", Labels.Kind(kind, english));
        }

        yield return new("allKinds", "statistics labels", Labels.Kind(null, english));
    }

    /// <summary>The Swedish CSV of the case figures: its headers by the position the figures have.</summary>
    static IEnumerable<Naming> CaseCsvHeader()
    {
        byte[] csv = StatisticsCsv.Write([], StatisticsReport.Total([]), GroupBy.Month, 5, english: false, TestProfiles.Helsingborg);
        string[] header = Encoding.UTF8.GetString(csv[3..]).Split("\r\n")[0].Split(';');
        const string Surface = "CSV header";
        var namings = new List<Naming>
        {
            new("incidentsReported", Surface, header[1]),
            new("personsDocumented", Surface, header[2]),
            new("supportConversations", Surface, header[3]),
            new("supportGiven", Surface, header[4].Replace(" totalt", string.Empty, StringComparison.Ordinal)),
        };
        int at = 5;
        foreach (SupportKind kind in CaseFigures.Kinds)
        {
            (string figure, string word) = Split(header[at++]);
            namings.Add(new("supportGiven", Surface, figure));
            namings.Add(new(Concept(kind), Surface, word));
        }

        foreach (string term in new[] { "outreachSessions", "adsReviewed", "contactsAttempted", "responses", "supportAccepted" })
        {
            namings.Add(new(term, Surface, header[at++]));
        }

        at++; // the reports from outreach
        foreach (CloseReason reason in CaseFigures.Reasons)
        {
            namings.Add(new(Concept(reason), Surface, Split(header[at++]).Word));
        }

        at++; // the returns
        foreach (ReminderKind clock in CaseFigures.Clocks)
        {
            namings.Add(new(Concept(clock), Surface, Split(header[at]).Figure));
            at += 2;
        }

        namings.Add(new("movedToAnotherMunicipality", Surface, header[at++]));

        namings.Add(new("csvNote", Surface, header[at++]));
        Assert.Equal(header.Length, at);
        return namings;

        static (string Figure, string Word) Split(string cell)
        {
            int colon = cell.IndexOf(": ", StringComparison.Ordinal);
            Assert.True(colon > 0, $"The header \"{cell}\" is figure: word.");
            return (cell[..colon], cell[(colon + 2)..]);
        }
    }

    static IEnumerable<Naming> ReferralCsvHeader()
    {
        byte[] csv = StatisticsCsv.WriteReferrals(ReferralReport.Build([], TestProfiles.Helsingborg), 5, english: false, TestProfiles.Helsingborg);
        string[] header = Encoding.UTF8.GetString(csv[3..]).Split("\r\n")[0].Split(';');
        const string Surface = "referral CSV header";
        yield return new("referralsSent", Surface, header[2]);
        ReferralStatus[] order = [ReferralStatus.Accepted, ReferralStatus.Declined, ReferralStatus.Completed, ReferralStatus.Expired, ReferralStatus.Cancelled, ReferralStatus.Sent];
        for (int i = 0; i < order.Length; i++)
        {
            yield return new(Count(order[i]), Surface, header[3 + i]);
        }
    }
}
