using System.Collections.Frozen;
using System.Globalization;
using Helsingborg.Exports;

namespace Helsingborg.Intake;

/// <summary>
/// The languages and countries the partner form offers, by their names in the page's language, so that a reporter
/// chooses "rumänska" or "Rumänien" and the form sends <c>ro</c> or <c>RO</c> as the API takes them. The names are the
/// platform's (ICU's CLDR data through <see cref="CultureInfo"/>), not written here; the app runs with ICU on.
/// Languages are those the platform has a neutral culture for (ISO 639 codes of two or three letters, as the validator
/// takes them) and Sweden's national minority languages (lag (2009:724) om nationella minoriteter och minoritetsspråk,
/// 7 §); countries are those the national export knows (<see cref="Citizenship.RegionOf"/>).
/// </summary>
public static class CodeNames
{
    /// <summary>Finnish, Yiddish, Meänkieli, Romani chib and the Sami languages, whether or not the platform has a culture for them.</summary>
    static readonly string[] NationalMinorityLanguages = ["fi", "yi", "fit", "rom", "se", "sma", "smj"];

    static readonly Lazy<FrozenDictionary<string, Names>> ByLanguage = new(() => new[] { "sv", "en" }.ToFrozenDictionary(l => l, Build, StringComparer.Ordinal));

    /// <summary>The offered languages as (code, name), sorted by name in <paramref name="lang"/> (<c>sv</c> or <c>en</c>).</summary>
    public static IReadOnlyList<(string Code, string Name)> Languages(string lang) => ByLanguage.Value[lang].Languages;

    /// <summary>The offered countries as (code, name), sorted by name in <paramref name="lang"/> (<c>sv</c> or <c>en</c>).</summary>
    public static IReadOnlyList<(string Code, string Name)> Countries(string lang) => ByLanguage.Value[lang].Countries;

    sealed record Names(IReadOnlyList<(string Code, string Name)> Languages, IReadOnlyList<(string Code, string Name)> Countries);

    /// <summary>
    /// The platform names a culture in the current UI culture, so the lists are built with it set for the moment.
    /// A country's name is read from the culture "language-country" ("svenska (Rumänien)"), the one way the platform
    /// names a region in a language other than its own or English.
    /// </summary>
    static Names Build(string lang)
    {
        CultureInfo previous = CultureInfo.CurrentUICulture;
        var culture = CultureInfo.GetCultureInfo(lang);
        try
        {
            CultureInfo.CurrentUICulture = culture;
            IEnumerable<string> languageCodes = CultureInfo.GetCultures(CultureTypes.NeutralCultures)
                .Select(c => c.Name)
                .Where(IntakeValidator.IsLanguageCode)
                .Concat(NationalMinorityLanguages)
                .Distinct(StringComparer.Ordinal);
            List<(string, string)> languages = Sorted(languageCodes.Select(code => (code, new CultureInfo(code).DisplayName)), culture);

            string prefix = culture.DisplayName + " (";
            List<(string, string)> countries = Sorted(Citizenship.RegionOf.Keys.Select(code =>
            {
                string full = new CultureInfo($"{lang}-{code}").DisplayName;
                string name = full.StartsWith(prefix, StringComparison.Ordinal) && full.EndsWith(')') ? full[prefix.Length..^1] : new RegionInfo(code).EnglishName;
                return (code, name.Replace('[', '(').Replace(']', ')'));
            }), culture);
            return new Names(languages, countries);
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }

    static List<(string Code, string Name)> Sorted(IEnumerable<(string Code, string Name)> items, CultureInfo culture) =>
        [.. items.Where(i => !string.Equals(i.Name, i.Code, StringComparison.OrdinalIgnoreCase))
            .OrderBy(i => i.Name, StringComparer.Create(culture, CompareOptions.IgnoreCase))
            .ThenBy(i => i.Code, StringComparer.Ordinal)];
}
