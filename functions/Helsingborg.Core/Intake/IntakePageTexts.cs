using Helsingborg.Language;
using Helsingborg.Lifecycle;

namespace Helsingborg.Intake;

/// <summary>The partner form's words. Keys are field names (labels), field + ".hint", field + ".error", field=value (options); the choices' words come from the <see cref="Glossary"/>.</summary>
static class IntakePageTexts
{
    public static readonly IReadOnlyDictionary<string, string> Swedish = WithGlossary(english: false, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app"] = "Helsingborgsmodellen",
        ["title"] = "Rapportera misstänkt människohandel eller prostitution",
        ["intro"] = "Beskriv vad du såg. Socialtjänsten tar emot rapporten och kontaktar dig vid behov. Är någon i akut fara: ring 112. Misstänker du människohandel men ingen är i akut fara: ring polisen på 114 14.",
        ["otherLanguage"] = "In English",
        ["skip"] = "Hoppa till innehållet",
        ["noscript"] = "Formuläret behöver JavaScript för att skicka din partnernyckel.",
        ["required"] = "obligatoriskt",
        ["errorSummary"] = "Rapporten kunde inte skickas. Rätta följande:",
        ["invalidKey"] = "Partnernyckeln godtogs inte. Ange en giltig nyckel.",
        ["forbiddenKey"] = "Den här nyckeln får inte skicka rapporter.",
        ["tooLarge"] = "Rapporten är för lång. Korta beskrivningen.",
        ["failed"] = "Något gick fel. Försök igen – det du skrivit finns kvar.",
        ["busy"] = "Rapporten kunde inte tas emot just nu. Försök igen om en liten stund – det du skrivit finns kvar.",
        ["unknownError"] = "Formuläret innehåller något som inte kunde tas emot.",
        ["sending"] = "Skickar …",
        ["keyLegend"] = "Partnernyckel",
        ["key"] = "Din organisations partnernyckel",
        ["keyHint"] = "Anges en gång och sparas bara i den här webbläsarfliken tills du stänger den.",
        ["keyError"] = "Ange partnernyckeln.",
        ["keySaved"] = "Partnernyckeln är sparad för den här sessionen.",
        ["changeKey"] = "Byt nyckel",
        ["whatLegend"] = "Vad har hänt",
        ["choose"] = "Välj kommun",
        ["municipality"] = "Kommun",
        ["municipality.error"] = "Välj en kommun.",
        ["observedAt"] = "När såg du det?",
        ["observedAt.hint"] = "Datum och klockslag. Högst ett år sedan.",
        ["observedAt.error"] = "Ange datum och klockslag, högst ett år sedan och inte i framtiden.",
        ["placeType"] = "Typ av plats",
        ["placeType.error"] = "Välj typ av plats.",
        ["location"] = "Plats",
        ["location.hint"] = "Till exempel adress eller rumsnummer.",
        ["location.error"] = "Platsen får vara högst 200 tecken.",
        ["suspicion"] = "Vad misstänker du?",
        ["suspicion.error"] = "Välj vad du misstänker.",
        ["description"] = "Beskriv vad du såg",
        ["description.error"] = "Beskriv vad du såg, högst 4 000 tecken.",
        ["policeNotified"] = "Är polisen informerad?",
        ["policeNotified.error"] = "Svara om polisen är informerad.",
        ["policeReference"] = "Polisens diarienummer",
        ["policeReference.error"] = "Diarienumret får vara högst 50 tecken.",
        ["outreachSessionId"] = "Gjordes rapporten under ett uppsökstillfälle?",
        ["outreachSessionId.hint"] = "Välj tillfället om rapporten kommer från uppsökande arbete de senaste två veckorna.",
        ["outreachSessionId.none"] = "Nej",
        ["outreachSessionId.error"] = "Välj ett av uppsökstillfällena i listan.",
        ["personLegend"] = "Personen",
        ["personHint"] = "Fyll i det du vet. Allt här är frivilligt.",
        ["person.alias"] = "Namn eller alias",
        ["person.alias.error"] = "Namnet får vara högst 100 tecken.",
        ["person.estimatedAge"] = "Uppskattad ålder",
        ["person.estimatedAge.error"] = "Ange en ålder från 0 till 120.",
        ["person.gender"] = "Kön",
        ["person.gender.error"] = "Välj ett av alternativen.",
        ["person.languages"] = "Språk",
        ["person.languages.hint"] = "Välj ett eller flera språk i listan. Håll ned Ctrl (Cmd på Mac) för att välja flera.",
        ["person.languages.hint.search"] = "Skriv början av språkets namn, till exempel rumänska, och välj i listan. Du kan välja flera.",
        ["person.languages.error"] = "Välj högst 10 språk.",
        ["person.languages.max"] = "Du kan välja högst 10 språk.",
        ["person.languages.chosen"] = "Valda språk",
        ["person.citizenship"] = "Medborgarskap",
        ["person.citizenship.hint"] = "Välj ett eller flera länder i listan. Håll ned Ctrl (Cmd på Mac) för att välja flera.",
        ["person.citizenship.hint.search"] = "Skriv början av landets namn, till exempel Rumänien, och välj i listan. Du kan välja flera.",
        ["person.citizenship.error"] = "Välj högst 5 länder.",
        ["person.citizenship.max"] = "Du kan välja högst 5 länder.",
        ["person.citizenship.chosen"] = "Valda länder",
        ["choice.chosen"] = "Du har valt {0}.",
        ["choice.removed"] = "Du har tagit bort {0}.",
        ["choice.remove"] = "Ta bort",
        ["choice.none"] = "Inget i listan stämmer med det du skrivit.",
        ["person.contact"] = "Personens kontaktuppgifter",
        ["person.contact.error"] = "Kontaktuppgifterna får vara högst 200 tecken.",
        ["person.isMinor"] = "Är personen under 18 år?",
        ["person.isMinor.error"] = "Välj ett av alternativen.",
        ["wishesLegend"] = "Personens önskemål och dina uppgifter",
        ["wantsSupport"] = "Vill personen ha stöd?",
        ["wantsSupport.error"] = "Välj ett av alternativen.",
        ["wantsAuthorityContact"] = "Vill personen ha kontakt med myndigheter?",
        ["wantsAuthorityContact.error"] = "Välj ett av alternativen.",
        ["reporterContact"] = "Dina kontaktuppgifter",
        ["reporterContact.hint"] = "Så att socialtjänsten kan nå dig.",
        ["reporterContact.error"] = "Kontaktuppgifterna får vara högst 200 tecken.",
        ["submit"] = "Skicka rapporten",
        ["referrals"] = "Har din organisation tagit emot en remiss från samordnarna?",
        ["referralsLink"] = "Remisser till din organisation",
        ["contact"] = "Frågor om nätverket i {0}? Kontakta oss:",
        ["receiptTitle"] = "Tack – rapporten är mottagen",
        ["receiptReference"] = "Ärendets referens:",
        ["receiptReceived"] = "Mottagen:",
        ["receiptNext"] = "Spara referensen. Ange den om du kontaktar socialtjänsten om samma händelse. Har du inte redan gjort det: ring polisen på 114 14 (i akut fara 112).",
        ["reportAnother"] = "Rapportera något mer",
    });

    public static readonly IReadOnlyDictionary<string, string> English = WithGlossary(english: true, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app"] = "The Helsingborg model",
        ["title"] = "Report suspected human trafficking or prostitution",
        ["intro"] = "Describe what you saw. Social services receive the report and contact you when needed. If someone is in immediate danger: call 112. If you suspect human trafficking but nobody is in immediate danger: call the police on 114 14.",
        ["otherLanguage"] = "På svenska",
        ["skip"] = "Skip to content",
        ["noscript"] = "The form needs JavaScript to send your partner key.",
        ["required"] = "required",
        ["errorSummary"] = "The report could not be sent. Please correct the following:",
        ["invalidKey"] = "The partner key was not accepted. Enter a valid key.",
        ["forbiddenKey"] = "This key may not submit reports.",
        ["tooLarge"] = "The report is too long. Shorten the description.",
        ["failed"] = "Something went wrong. Try again – what you wrote is still here.",
        ["busy"] = "The report could not be received just now. Try again in a little while – what you wrote is still here.",
        ["unknownError"] = "The form contains something that could not be accepted.",
        ["sending"] = "Sending …",
        ["keyLegend"] = "Partner key",
        ["key"] = "Your organisation's partner key",
        ["keyHint"] = "Entered once and kept only in this browser tab until you close it.",
        ["keyError"] = "Enter the partner key.",
        ["keySaved"] = "The partner key is saved for this session.",
        ["changeKey"] = "Change key",
        ["whatLegend"] = "What happened",
        ["choose"] = "Choose a municipality",
        ["municipality"] = "Municipality",
        ["municipality.error"] = "Choose a municipality.",
        ["observedAt"] = "When did you see it?",
        ["observedAt.hint"] = "Date and time. At most one year ago.",
        ["observedAt.error"] = "Enter the date and time, at most one year ago and not in the future.",
        ["placeType"] = "Type of place",
        ["placeType.error"] = "Choose the type of place.",
        ["location"] = "Location",
        ["location.hint"] = "For example an address or a room number.",
        ["location.error"] = "The location may have at most 200 characters.",
        ["suspicion"] = "What do you suspect?",
        ["suspicion.error"] = "Choose what you suspect.",
        ["description"] = "Describe what you saw",
        ["description.error"] = "Describe what you saw, in at most 4,000 characters.",
        ["policeNotified"] = "Have the police been told?",
        ["policeNotified.error"] = "Answer whether the police have been told.",
        ["policeReference"] = "Police reference number",
        ["policeReference.error"] = "The reference may have at most 50 characters.",
        ["outreachSessionId"] = "Was the report made during an outreach session?",
        ["outreachSessionId.hint"] = "Choose the session if the report comes from outreach work in the last two weeks.",
        ["outreachSessionId.none"] = "No",
        ["outreachSessionId.error"] = "Choose one of the outreach sessions in the list.",
        ["personLegend"] = "The person",
        ["personHint"] = "Fill in what you know. Everything here is optional.",
        ["person.alias"] = "Name or alias",
        ["person.alias.error"] = "The name may have at most 100 characters.",
        ["person.estimatedAge"] = "Estimated age",
        ["person.estimatedAge.error"] = "Enter an age from 0 to 120.",
        ["person.gender"] = "Gender",
        ["person.gender.error"] = "Choose one of the options.",
        ["person.languages"] = "Languages",
        ["person.languages.hint"] = "Choose one or more languages from the list. Hold down Ctrl (Cmd on a Mac) to choose several.",
        ["person.languages.hint.search"] = "Type the start of the language's name, for example Romanian, and choose from the list. You can choose several.",
        ["person.languages.error"] = "Choose at most 10 languages.",
        ["person.languages.max"] = "You can choose at most 10 languages.",
        ["person.languages.chosen"] = "Chosen languages",
        ["person.citizenship"] = "Citizenship",
        ["person.citizenship.hint"] = "Choose one or more countries from the list. Hold down Ctrl (Cmd on a Mac) to choose several.",
        ["person.citizenship.hint.search"] = "Type the start of the country's name, for example Romania, and choose from the list. You can choose several.",
        ["person.citizenship.error"] = "Choose at most 5 countries.",
        ["person.citizenship.max"] = "You can choose at most 5 countries.",
        ["person.citizenship.chosen"] = "Chosen countries",
        ["choice.chosen"] = "You chose {0}.",
        ["choice.removed"] = "You removed {0}.",
        ["choice.remove"] = "Remove",
        ["choice.none"] = "Nothing in the list matches what you typed.",
        ["person.contact"] = "The person's contact details",
        ["person.contact.error"] = "The contact details may have at most 200 characters.",
        ["person.isMinor"] = "Is the person under 18?",
        ["person.isMinor.error"] = "Choose one of the options.",
        ["wishesLegend"] = "The person's wishes and your details",
        ["wantsSupport"] = "Does the person want support?",
        ["wantsSupport.error"] = "Choose one of the options.",
        ["wantsAuthorityContact"] = "Does the person want contact with the authorities?",
        ["wantsAuthorityContact.error"] = "Choose one of the options.",
        ["reporterContact"] = "Your contact details",
        ["reporterContact.hint"] = "So that social services can reach you.",
        ["reporterContact.error"] = "The contact details may have at most 200 characters.",
        ["submit"] = "Send the report",
        ["referrals"] = "Has your organisation received a referral from the coordinators?",
        ["referralsLink"] = "Referrals to your organisation",
        ["contact"] = "Questions about the network in {0}? Contact us:",
        ["receiptTitle"] = "Thank you – the report has been received",
        ["receiptReference"] = "The case reference:",
        ["receiptReceived"] = "Received (Swedish time):",
        ["receiptNext"] = "Keep the reference. Give it if you contact social services about the same event. If you have not done so already: call the police on 114 14 (112 in immediate danger).",
        ["reportAnother"] = "Report something else",
    });

    /// <summary>The form's choices and answers, from the glossary: the words the dashboard shows for the same values.</summary>
    static Dictionary<string, string> WithGlossary(bool english, Dictionary<string, string> texts)
    {
        foreach (PlaceType v in Enum.GetValues<PlaceType>())
        {
            texts.Add("placeType=" + Glossary.KebabName(v), Glossary.Word(v, english));
        }

        foreach (Suspicion v in Enum.GetValues<Suspicion>())
        {
            texts.Add("suspicion=" + Glossary.KebabName(v), Glossary.Word(v, english));
        }

        foreach (Gender v in Enum.GetValues<Gender>())
        {
            texts.Add("gender." + Glossary.KebabName(v), Glossary.Word(v, english));
        }

        texts.Add("yes", Glossary.Word(YesNoUnknown.Yes, english));
        texts.Add("no", Glossary.Word(YesNoUnknown.No, english));
        texts.Add("unknown", Glossary.Word(YesNoUnknown.Unknown, english));
        texts.Add("policeNotified=true", Glossary.Term("yes", english));
        texts.Add("policeNotified=false", Glossary.Term("no", english));
        texts.Add("person.isMinor=true", Glossary.Term("yes", english));
        texts.Add("person.isMinor=false", Glossary.Term("no", english));
        texts.Add("person.isMinor=", Glossary.Term("dontKnow", english));
        texts.Add("notKnown", Glossary.Term("noAnswer", english));
        foreach (Outreach.OutreachType v in Enum.GetValues<Outreach.OutreachType>())
        {
            texts.Add("outreachType=" + Glossary.KebabName(v), Glossary.Inline(Glossary.Word(v, english)));
        }

        return texts;
    }
}
