using Helsingborg.Exports;
using Helsingborg.Intake;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// The partner form offers languages and countries by name in the page's language, from the platform's ICU data, and
/// only codes the intake validator takes: a name a reporter reads, a code the API stores.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CodeNamesTests
{
    [Theory]
    [InlineData("sv", "ro", "rumänska", "RO", "Rumänien")]
    [InlineData("en", "ro", "Romanian", "RO", "Romania")]
    [InlineData("sv", "en", "engelska", "SE", "Sverige")]
    [InlineData("en", "ar", "Arabic", "NG", "Nigeria")]
    [InlineData("sv", "rom", "romani", "AX", "Åland")]
    public void Languages_and_countries_are_named_in_the_page_language(string lang, string language, string languageName, string country, string countryName)
    {
        Assert.Contains((language, languageName), CodeNames.Languages(lang));
        Assert.Contains((country, countryName), CodeNames.Countries(lang));
    }

    [Theory]
    [InlineData("sv")]
    [InlineData("en")]
    public void Every_offered_code_is_one_the_validator_takes_and_every_name_is_a_name(string lang)
    {
        IReadOnlyList<(string Code, string Name)> languages = CodeNames.Languages(lang);
        IReadOnlyList<(string Code, string Name)> countries = CodeNames.Countries(lang);

        Assert.True(languages.Count > 150, $"only {languages.Count} languages: is ICU off (invariant globalization)?");
        Assert.All(languages, l => Assert.True(IntakeValidator.IsLanguageCode(l.Code), $"{l.Code} is not a code the validator takes"));
        Assert.All(countries, c => Assert.True(IntakeValidator.IsCountryCode(c.Code), $"{c.Code} is not a code the validator takes"));
        Assert.Equal(Citizenship.RegionOf.Keys.Order(StringComparer.Ordinal), countries.Select(c => c.Code).Order(StringComparer.Ordinal));
        Assert.All(languages.Concat(countries), x => Assert.NotEqual(x.Code, x.Name, StringComparer.OrdinalIgnoreCase));
        Assert.Equal(languages.Count, languages.Select(l => l.Code).Distinct().Count());
    }

    [Fact]
    public void Sweden_s_national_minority_languages_are_offered_in_Swedish()
    {
        IReadOnlyList<(string Code, string Name)> languages = CodeNames.Languages("sv");

        foreach ((string code, string name) in new[] { ("fi", "finska"), ("yi", "jiddisch"), ("fit", "meänkieli"), ("rom", "romani"), ("se", "nordsamiska"), ("sma", "sydsamiska"), ("smj", "lulesamiska") })
        {
            Assert.Contains((code, name), languages);
        }
    }

    [Fact]
    public void The_lists_are_in_the_alphabetical_order_of_the_page_language()
    {
        List<string> names = [.. CodeNames.Countries("sv").Select(c => c.Name)];

        // Swedish sorts Å, Ä and Ö after Z.
        Assert.True(names.IndexOf("Zimbabwe") < names.IndexOf("Åland"));
        Assert.True(names.IndexOf("Åland") < names.IndexOf("Österrike"));
        Assert.True(names.IndexOf("Danmark") < names.IndexOf("Norge"));
    }
}
