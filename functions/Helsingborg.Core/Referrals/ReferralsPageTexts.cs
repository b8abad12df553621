using Helsingborg.Intake;
using Helsingborg.Language;
using Helsingborg.Lifecycle;

namespace Helsingborg.Referrals;

/// <summary>
/// The referral inbox's words. Keys are the page's own (labels, messages) and vocabulary words (from the <see cref="Glossary"/>) as <c>kind.</c>,
/// <c>status.</c>, <c>reason.</c>, <c>field.</c> and <c>gender.</c> followed by the API's kebab-case name, so the
/// script looks words up by what the API answers and a test checks that every name has its words in both languages.
/// </summary>
static class ReferralsPageTexts
{
    public static readonly IReadOnlyDictionary<string, string> Swedish = WithGlossary(english: false, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app"] = "Helsingborgsmodellen",
        ["title"] = "Remisser till din organisation",
        ["intro"] = "Här ser din organisation de remisser som samordnarna i nätverket har skickat till er, med det som personen har samtyckt till att ni får veta. Acceptera eller avböj varje remiss, och markera den som slutförd när stödet är utfört. Uppgifterna om personen visas bara medan remissen är öppen.",
        ["otherLanguage"] = "In English",
        ["skip"] = "Hoppa till innehållet",
        ["noscript"] = "Sidan behöver JavaScript för att skicka din partnernyckel.",
        ["reportLink"] = "Rapportera misstänkt människohandel eller prostitution",
        ["keyLegend"] = "Partnernyckel",
        ["key"] = "Din organisations partnernyckel",
        ["keyHint"] = "Anges en gång och sparas bara i den här webbläsarfliken tills du stänger den.",
        ["keyError"] = "Ange partnernyckeln.",
        ["show"] = "Visa remisserna",
        ["keySaved"] = "Partnernyckeln är sparad för den här sessionen.",
        ["changeKey"] = "Byt nyckel",
        ["refresh"] = "Uppdatera listan",
        ["openTitle"] = "Att hantera",
        ["closedTitle"] = "Avslutade",
        ["noOpen"] = "Inga remisser att hantera just nu.",
        ["noClosed"] = "Inga avslutade remisser.",
        ["sentAt"] = "Skickad",
        ["dueAt"] = "Ska vara klar senast",
        ["answeredAt"] = "Besvarad",
        ["closedAt"] = "Avslutad",
        ["declineReason"] = "Skäl att avböja",
        ["reference"] = "Referens",
        ["overdue"] = "Försenad",
        ["shared"] = "Det personen har samtyckt till att ni får veta",
        ["sharedNone"] = "Inga uppgifter om personen delas.",
        ["sharedGone"] = "Uppgifterna om personen visas inte längre: remissen är avslutad.",
        ["accept"] = "Acceptera remissen",
        ["decline"] = "Avböj remissen",
        ["complete"] = "Markera som slutförd",
        ["completeHint"] = "När stödet är utfört. Samordnaren ser att remissen är slutförd.",
        ["reason"] = "Skäl att avböja",
        ["chooseReason"] = "Välj ett skäl",
        ["reasonError"] = "Välj ett skäl att avböja.",
        ["loading"] = "Hämtar remisserna …",
        ["sending"] = "Skickar svaret …",
        ["loaded"] = "{0} att hantera, {1} avslutade.",
        ["answered.accept"] = "Ni har accepterat remissen. Markera den som slutförd när stödet är utfört.",
        ["answered.decline"] = "Remissen är avböjd. Samordnaren ser skälet.",
        ["answered.complete"] = "Remissen är markerad som slutförd. Samordnaren ser att stödet är utfört.",
        ["invalidKey"] = "Partnernyckeln godtogs inte. Ange en giltig nyckel.",
        ["forbiddenKey"] = "Den här nyckeln hör inte till en partnerorganisation och kan inte visa remisser.",
        ["notFound"] = "Remissen finns inte längre hos er: personen kan ha återkallat sitt samtycke. Listan är uppdaterad.",
        ["conflict"] = "Remissen har redan besvarats eller ändrats. Listan är uppdaterad.",
        ["busy"] = "Tjänsten kunde inte svara just nu. Försök igen om en liten stund.",
        ["failed"] = "Något gick fel. Försök igen.",
        ["contact"] = "Frågor om nätverket i {0}? Kontakta oss:",
    });

    public static readonly IReadOnlyDictionary<string, string> English = WithGlossary(english: true, new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["app"] = "The Helsingborg model",
        ["title"] = "Referrals to your organisation",
        ["intro"] = "Here your organisation sees the referrals the network's coordinators have sent to you, with what the person has agreed that you may know. Accept or decline each referral, and mark it completed once the support has been given. What is shared about the person shows only while the referral is open.",
        ["otherLanguage"] = "På svenska",
        ["skip"] = "Skip to content",
        ["noscript"] = "The page needs JavaScript to send your partner key.",
        ["reportLink"] = "Report suspected human trafficking or prostitution",
        ["keyLegend"] = "Partner key",
        ["key"] = "Your organisation's partner key",
        ["keyHint"] = "Entered once and kept only in this browser tab until you close it.",
        ["keyError"] = "Enter the partner key.",
        ["show"] = "Show the referrals",
        ["keySaved"] = "The partner key is saved for this session.",
        ["changeKey"] = "Change key",
        ["refresh"] = "Refresh the list",
        ["openTitle"] = "To handle",
        ["closedTitle"] = "Closed",
        ["noOpen"] = "No referrals to handle just now.",
        ["noClosed"] = "No closed referrals.",
        ["sentAt"] = "Sent",
        ["dueAt"] = "Due",
        ["answeredAt"] = "Answered",
        ["closedAt"] = "Closed",
        ["declineReason"] = "Reason for declining",
        ["reference"] = "Reference",
        ["overdue"] = "Overdue",
        ["shared"] = "What the person has agreed that you may know",
        ["sharedNone"] = "Nothing about the person is shared.",
        ["sharedGone"] = "What was shared about the person no longer shows: the referral has ended.",
        ["accept"] = "Accept the referral",
        ["decline"] = "Decline the referral",
        ["complete"] = "Mark as completed",
        ["completeHint"] = "Once the support has been given. The coordinator sees that the referral is completed.",
        ["reason"] = "Reason for declining",
        ["chooseReason"] = "Choose a reason",
        ["reasonError"] = "Choose a reason for declining.",
        ["loading"] = "Loading the referrals …",
        ["sending"] = "Sending the answer …",
        ["loaded"] = "{0} to handle, {1} closed.",
        ["answered.accept"] = "You have accepted the referral. Mark it completed once the support has been given.",
        ["answered.decline"] = "The referral is declined. The coordinator sees the reason.",
        ["answered.complete"] = "The referral is marked completed. The coordinator sees that the support was given.",
        ["invalidKey"] = "The partner key was not accepted. Enter a valid key.",
        ["forbiddenKey"] = "This key does not belong to a partner organisation and cannot show referrals.",
        ["notFound"] = "The referral is no longer yours to see: the person may have withdrawn their consent. The list has been refreshed.",
        ["conflict"] = "The referral has already been answered or has changed. The list has been refreshed.",
        ["busy"] = "The service could not answer just now. Try again in a little while.",
        ["failed"] = "Something went wrong. Try again.",
        ["contact"] = "Questions about the network in {0}? Contact us:",
    });

    /// <summary>The vocabulary's words, by prefix and the API's name, from the glossary.</summary>
    static (string Prefix, Type Enum)[] Vocabulary =>
    [
        ("kind.", typeof(SupportKind)), ("status.", typeof(ReferralStatus)), ("reason.", typeof(DeclineReason)),
        ("field.", typeof(SharedField)), ("gender.", typeof(Gender)),
    ];

    static Dictionary<string, string> WithGlossary(bool english, Dictionary<string, string> texts)
    {
        foreach ((string prefix, Type type) in Vocabulary)
        {
            foreach (Enum value in Enum.GetValues(type).Cast<Enum>())
            {
                texts.Add(prefix + Glossary.KebabName(value), Glossary.Word(value, english));
            }
        }

        texts.Add("notKnown", Glossary.Term("unknownValue", english));
        return texts;
    }
}
