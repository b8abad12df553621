using Helsingborg.Language;

namespace Helsingborg.Outreach;

/// <summary>The outreach page's words. Keys are field names (labels) and field + ".error"; type=value for the types.</summary>
static class OutreachPageTexts
{
    public static readonly IReadOnlyDictionary<string, string> Swedish = WithGlossary(english: false, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = "Uppsökande arbete – Helsingborgsmodellen",
        ["skip"] = "Hoppa till innehållet",
        ["dashboard"] = "← Ärenden",
        ["otherLanguage"] = "In English",
        ["heading"] = "Uppsökande arbete",
        ["intro"] = "Registrera varje uppsökstillfälle med siffrorna från det. Inga namn eller andra personuppgifter: bara datum, vilka organisationer som deltog och antal.",
        ["key"] = "API-nyckel",
        ["save"] = "Använd nyckeln",
        ["formLegend"] = "Registrera ett uppsökstillfälle",
        ["heldOn"] = "Datum",
        ["heldOn.error"] = "Ange datumet, högst fem år sedan och inte i framtiden.",
        ["type"] = "Typ av uppsök",
        ["type.error"] = "Välj typ av uppsök.",
        ["participants"] = "Deltagande organisationer",
        ["participants.error"] = "Välj minst en organisation som deltog.",
        ["adsReviewed.error"] = "Ange ett antal från 0 till 100 000.",
        ["contactsAttempted.error"] = "Ange ett antal från 0 till 100 000.",
        ["responses.error"] = "Ange ett antal från 0 till 100 000, högst lika många som kontaktförsöken.",
        ["supportAccepted.error"] = "Ange ett antal från 0 till 100 000, högst lika många som svaren.",
        ["submit"] = "Spara uppsökstillfället",
        ["saving"] = "Sparar …",
        ["saved"] = "Uppsökstillfället är sparat.",
        ["errors"] = "Uppsökstillfället kunde inte sparas. Rätta följande:",
        ["needKey"] = "Ange en API-nyckel för samordnare.",
        ["denied"] = "Nyckeln gäller inte för samordnare.",
        ["failed"] = "Något gick fel. Försök igen – det du skrivit finns kvar.",
        ["listHeading"] = "Tidigare uppsökstillfällen",
        ["listCaption"] = "Uppsökstillfällen det senaste året, det senaste först",
        ["none"] = "Inga uppsökstillfällen det senaste året.",
        ["loading"] = "Hämtar …",
    });

    public static readonly IReadOnlyDictionary<string, string> English = WithGlossary(english: true, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["title"] = "Outreach – The Helsingborg model",
        ["skip"] = "Skip to content",
        ["dashboard"] = "← Cases",
        ["otherLanguage"] = "På svenska",
        ["heading"] = "Outreach",
        ["intro"] = "Record each outreach session with its figures. No names or other personal data: only the date, the organisations that took part and counts.",
        ["key"] = "API key",
        ["save"] = "Use the key",
        ["formLegend"] = "Record an outreach session",
        ["heldOn"] = "Date",
        ["heldOn.error"] = "Enter the date, at most five years ago and not in the future.",
        ["type"] = "Type of outreach",
        ["type.error"] = "Choose the type of outreach.",
        ["participants"] = "Organisations taking part",
        ["participants.error"] = "Choose at least one organisation that took part.",
        ["adsReviewed.error"] = "Enter a number from 0 to 100,000.",
        ["contactsAttempted.error"] = "Enter a number from 0 to 100,000.",
        ["responses.error"] = "Enter a number from 0 to 100,000, at most the contacts attempted.",
        ["supportAccepted.error"] = "Enter a number from 0 to 100,000, at most the responses.",
        ["submit"] = "Save the session",
        ["saving"] = "Saving …",
        ["saved"] = "The session is saved.",
        ["errors"] = "The session could not be saved. Please correct the following:",
        ["needKey"] = "Enter a coordinator API key.",
        ["denied"] = "The key is not a coordinator's.",
        ["failed"] = "Something went wrong. Try again – what you wrote is still here.",
        ["listHeading"] = "Past outreach sessions",
        ["listCaption"] = "Outreach sessions of the last year, newest first",
        ["none"] = "No outreach sessions in the last year.",
        ["loading"] = "Loading …",
    });

    /// <summary>The kinds of outreach and the session's figures, from the glossary: the statistics say the same.</summary>
    static Dictionary<string, string> WithGlossary(bool english, Dictionary<string, string> texts)
    {
        foreach (OutreachType type in Enum.GetValues<OutreachType>())
        {
            texts.Add("type=" + Glossary.KebabName(type), Glossary.Word(type, english));
        }

        foreach (string figure in new[] { "adsReviewed", "contactsAttempted", "responses", "supportAccepted" })
        {
            texts.Add(figure, Glossary.Term(figure, english));
        }

        return texts;
    }
}
