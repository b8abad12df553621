using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Outreach;

namespace Helsingborg.Language;

/// <summary>
/// The one place that names a concept for people, in Swedish and English: every value of the enums a person sees
/// (phases, steps, event types, reminders, reasons, outcomes, support kinds, referral states, the form's choices), the
/// figures of the statistics, "unknown", and the problems a page shows. Pages, scripts' data blocks, statistics, CSV
/// headers and cells take their words from here, so two surfaces cannot name one concept differently; the network's own
/// words (the core group's minutes: "Utfört stöd", "Stödsamtal", "Möjligt utsatta personer") win.
/// </summary>
public static class Glossary
{
    /// <summary>
    /// Values whose word is written differently when it heads a column of counts ("Avböjd" → "Avböjda"): the plural of
    /// the same word, never another word.
    /// </summary>
    static readonly Dictionary<Enum, (string Sv, string En)> Plurals = new()
    {
        [ReferralStatus.Sent] = ("Väntar på svar", "Awaiting answer"),
        [ReferralStatus.Accepted] = ("Accepterade", "Accepted"),
        [ReferralStatus.Declined] = ("Avböjda", "Declined"),
        [ReferralStatus.Completed] = ("Slutförda", "Completed"),
        [ReferralStatus.Expired] = ("Utgångna", "Expired"),
        [ReferralStatus.Cancelled] = ("Avbrutna", "Cancelled"),
    };

    static readonly Dictionary<Enum, (string Sv, string En)> Values = new()
    {
        [CaseEventType.ContactAttempted] = ("Kontaktförsök", "Contact attempted"),
        [CaseEventType.ContactMade] = ("Kontakt etablerad", "Contact made"),
        [CaseEventType.LeadChanged] = ("Byte av huvudansvar", "Lead changed"),
        [CaseEventType.SupportConversation] = ("Stödsamtal", "Support conversation"),
        [CaseEventType.SupportGiven] = ("Utfört stöd", "Support given"),
        [CaseEventType.PlanAgreed] = ("Gemensam plan", "Joint plan agreed"),
        [CaseEventType.ReflectionPeriodGranted] = ("Betänketid beviljad", "Reflection period granted"),
        [CaseEventType.ResidencePermitGranted] = ("Uppehållstillstånd beviljat", "Residence permit granted"),
        [CaseEventType.LongTermStarted] = ("Långsiktigt stöd påbörjat", "Long-term support started"),
        [CaseEventType.ReturnRequested] = ("Önskemål om återvändande", "Return requested"),
        [CaseEventType.IomApplicationSubmitted] = ("Ansökan till IOM inskickad", "IOM application submitted"),
        [CaseEventType.IomDecision] = ("Beslut från IOM", "IOM decision"),
        [CaseEventType.DepartureScheduled] = ("Avresa planerad", "Departure scheduled"),
        [CaseEventType.Departed] = ("Avrest", "Departed"),
        [CaseEventType.ReintegrationFollowedUp] = ("Återintegreringen uppföljd", "Reintegration followed up"),
        [CaseEventType.ReturnWithdrawn] = ("Återvändandet återkallat", "Return withdrawn"),
        [CaseEventType.CaseClosed] = ("Ärendet avslutat", "Case closed"),
        [CaseEventType.ConsentWithdrawn] = ("Samtycke återkallat", "Consent withdrawn"),
        [CaseEventType.EvaluationRecorded] = ("Utvärdering gjord", "Evaluation recorded"),
        [CaseEventType.SharingConsentGiven] = ("Samtycke till delning", "Consent to share given"),
        [CaseEventType.SharingConsentWithdrawn] = ("Samtycke till delning återkallat", "Consent to share withdrawn"),
        [CaseEventType.ReferralSent] = ("Remiss skickad", "Referral sent"),
        [CaseEventType.ReferralAccepted] = ("Remiss accepterad", "Referral accepted"),
        [CaseEventType.ReferralDeclined] = ("Remiss avböjd", "Referral declined"),
        [CaseEventType.ReferralCompleted] = ("Remiss slutförd", "Referral completed"),
        [CaseEventType.PoliceInformed] = ("Polisen informerad", "Police informed"),
        [CaseEventType.ProtectionAssessed] = ("Skyddsbedömning gjord", "Protection assessment made"),
        [CaseEventType.InvestigationOpened] = ("Utredning inledd", "Investigation opened"),
        [CaseEventType.NoInvestigation] = ("Ingen utredning inleds", "No investigation opened"),
        [CaseEventType.InvestigationClosed] = ("Utredning avslutad", "Investigation closed"),
        [CaseEventType.WorkerAssigned] = ("Ansvarig utsedd", "Worker assigned"),
        [CaseEventType.WorkerReleased] = ("Ansvaret lämnat tillbaka", "Worker released"),
        [CaseEventType.SamePersonAs] = ("Samma person som", "Same person as"),
        [CaseEventType.SamePersonUnlinked] = ("Kopplingen till samma person borttagen", "Same-person link removed"),
        [CaseEventType.MergedInto] = ("Sammanslaget med", "Merged into"),
        [CaseEventType.TransferRequested] = ("Överlämning begärd", "Transfer requested"),
        [CaseEventType.TransferAccepted] = ("Ärendet övertaget", "Transfer accepted"),
        [CaseEventType.TransferDeclined] = ("Överlämning avböjd", "Transfer declined"),

        [Phase.FirstContact] = ("Första kontakt", "First contact"),
        [Phase.ShortTermSupport] = ("Kortsiktigt stöd", "Short-term support"),
        [Phase.LongTermSupport] = ("Långsiktigt stöd", "Long-term support"),
        [Phase.ReturnAssistance] = ("Återvändande", "Return assistance"),
        [Phase.Closed] = ("Avslutat", "Closed"),
        [Phase.Completed] = ("Genomfört", "Completed"),

        [ReturnStep.Preparing] = ("Förbereds", "Preparing"),
        [ReturnStep.AwaitingDecision] = ("Inväntar beslut", "Awaiting decision"),
        [ReturnStep.Approved] = ("Beviljat", "Approved"),
        [ReturnStep.DepartureScheduled] = ("Avresa planerad", "Departure scheduled"),
        [ReturnStep.Departed] = ("Avrest", "Departed"),

        [ReminderKind.CallPolice] = ("Ring polisen", "Call the police"),
        [ReminderKind.ChildProtection] = ("Barnskydd", "Child protection"),
        [ReminderKind.ProtectionAssessment] = ("Skyddsbedömning", "Protection assessment"),
        [ReminderKind.InitialAssessment] = ("Förhandsbedömning", "Initial assessment"),
        [ReminderKind.Investigation] = ("Utredning inom fyra månader", "Investigation within four months"),
        [ReminderKind.FirstContact] = ("Första kontakt", "First contact"),
        [ReminderKind.FollowUp] = ("Uppföljning", "Follow-up"),
        [ReminderKind.JointPlanDue] = ("Gemensam plan", "Joint plan due"),
        [ReminderKind.PlanReview] = ("Planuppföljning", "Plan review"),
        [ReminderKind.ReflectionPeriodEnding] = ("Betänketiden löper ut", "Reflection period ending"),
        [ReminderKind.PermitEnding] = ("Uppehållstillståndet löper ut", "Residence permit ending"),
        [ReminderKind.ReturnApplicationDue] = ("Ansökan om återvändande", "Return application due"),
        [ReminderKind.IomDecisionPending] = ("IOM-beslut dröjer", "IOM decision pending"),
        [ReminderKind.DepartureTomorrow] = ("Avresa i morgon", "Departure tomorrow"),
        [ReminderKind.ReintegrationFollowUp] = ("Uppföljning efter återvändande", "Reintegration follow-up"),
        [ReminderKind.EvaluationDue] = ("Utvärdering", "Evaluation due"),
        [ReminderKind.OutreachSession] = ("Uppsökande arbete", "Outreach session"),
        [ReminderKind.ReferralDue] = ("Remissen ska snart vara klar", "Referral due soon"),
        [ReminderKind.ReferralOverdue] = ("Remissen är försenad", "Referral overdue"),
        [ReminderKind.TransferDue] = ("Överlämning väntar på svar", "Transfer awaiting an answer"),

        [CloseReason.Returned] = ("Återvänt", "Returned"),
        [CloseReason.Stable] = ("Stabil situation", "Stable situation"),
        [CloseReason.Moved] = ("Flyttat", "Moved"),
        [CloseReason.NoContact] = ("Ingen kontakt", "No contact"),
        [CloseReason.Declined] = ("Tackade nej till stöd", "Declined support"),
        [CloseReason.ConsentWithdrawn] = ("Samtycke återkallat", "Consent withdrawn"),
        [CloseReason.Other] = ("Annat skäl", "Another reason"),
        [CloseReason.Merged] = ("Sammanslaget med annan rapport", "Merged into another report"),

        [ContactChannel.Phone] = ("Telefon", "Phone"),
        [ContactChannel.Sms] = ("Sms", "SMS"),
        [ContactChannel.InPerson] = ("Personligen", "In person"),
        [ContactChannel.Online] = ("Internet", "Online"),

        [YesNo.Yes] = ("Ja", "Yes"),
        [YesNo.No] = ("Nej", "No"),
        [YesNoUnknown.Yes] = ("Ja", "Yes"),
        [YesNoUnknown.No] = ("Nej", "No"),
        [YesNoUnknown.Unknown] = ("Vet inte", "Don't know"),

        [SupportKind.Accommodation] = ("Boende", "Accommodation"),
        [SupportKind.Psychological] = ("Psykologiskt stöd", "Psychological support"),
        [SupportKind.Material] = ("Materiellt stöd", "Material support"),
        [SupportKind.Medical] = ("Hälso- och sjukvård", "Medical care"),
        [SupportKind.Interpretation] = ("Tolk och översättning", "Interpretation and translation"),
        [SupportKind.CounsellingLegal] = ("Juridisk rådgivning", "Legal counselling"),
        [SupportKind.CriminalProceedings] = ("Stöd i rättsprocessen", "Support in criminal proceedings"),
        [SupportKind.EducationChildren] = ("Skolgång för barn", "Schooling for children"),
        [SupportKind.ContactPerson] = ("Kontaktperson", "Contact person"),
        [SupportKind.Other] = ("Annat stöd", "Other support"),

        [ReintegrationOutcome.Good] = ("Bra", "Good"),
        [ReintegrationOutcome.Difficult] = ("Svårt", "Difficult"),
        [ReintegrationOutcome.Unknown] = ("Okänt", "Unknown"),

        [EvaluationOutcome.Helped] = ("Fick hjälp", "Helped"),
        [EvaluationOutcome.PartlyHelped] = ("Fick delvis hjälp", "Partly helped"),
        [EvaluationOutcome.NotHelped] = ("Fick inte hjälp", "Not helped"),
        [EvaluationOutcome.Unknown] = ("Okänt", "Unknown"),
        [EvaluationOutcome.Missing] = ("Saknas", "Missing"),

        [SharedField.Alias] = ("Namn eller alias", "Name or alias"),
        [SharedField.Languages] = ("Språk", "Languages"),
        [SharedField.Age] = ("Uppskattad ålder", "Estimated age"),
        [SharedField.Gender] = ("Kön", "Gender"),
        [SharedField.Citizenship] = ("Medborgarskap", "Citizenship"),
        [SharedField.Contact] = ("Kontaktuppgifter", "Contact details"),
        [SharedField.Need] = ("Behov", "Need"),

        [ReferralStatus.Sent] = ("Väntar på svar", "Awaiting answer"),
        [ReferralStatus.Accepted] = ("Accepterad", "Accepted"),
        [ReferralStatus.Declined] = ("Avböjd", "Declined"),
        [ReferralStatus.Completed] = ("Slutförd", "Completed"),
        [ReferralStatus.Expired] = ("Utgången", "Expired"),
        [ReferralStatus.Cancelled] = ("Avbruten", "Cancelled"),

        [DeclineReason.NoCapacity] = ("Har inte plats eller resurser", "No room or capacity"),
        [DeclineReason.NotEligible] = ("Hör inte till målgruppen", "Not in the target group"),
        [DeclineReason.PersonDeclined] = ("Personen tackade nej", "The person declined"),
        [DeclineReason.Other] = ("Annat skäl", "Another reason"),

        [TransferDeclineReason.NotResponsible] = ("Inte vårt ansvar", "Not our responsibility"),
        [TransferDeclineReason.NoCapacity] = ("Har inte plats eller resurser", "No room or capacity"),
        [TransferDeclineReason.Other] = ("Annat skäl", "Another reason"),

        [TransferStatus.Pending] = ("Väntar på svar", "Awaiting answer"),
        [TransferStatus.Accepted] = ("Övertaget", "Taken over"),
        [TransferStatus.Declined] = ("Avböjd", "Declined"),
        [TransferStatus.Cancelled] = ("Avbruten", "Cancelled"),

        [PlaceType.Hotel] = ("Hotell", "Hotel"),
        [PlaceType.Apartment] = ("Lägenhet", "Apartment"),
        [PlaceType.Street] = ("Gata", "Street"),
        [PlaceType.Online] = ("Internet", "Online"),
        [PlaceType.Venue] = ("Lokal eller nöjesställe", "Venue"),
        [PlaceType.Other] = ("Annan plats", "Other place"),

        [Suspicion.Trafficking] = ("Människohandel", "Human trafficking"),
        [Suspicion.Prostitution] = ("Prostitution", "Prostitution"),
        [Suspicion.Both] = ("Båda", "Both"),
        [Suspicion.Unclear] = ("Oklart vilket", "Unclear which"),

        [Gender.Female] = ("Kvinna", "Female"),
        [Gender.Male] = ("Man", "Male"),
        [Gender.Other] = ("Annat", "Other"),
        [Gender.Unknown] = ("Okänt", "Unknown"),

        [OutreachType.Internet] = ("Internetuppsök", "Internet outreach"),
        [OutreachType.Street] = ("Uppsök på gatan", "Street outreach"),

        [PersonHints.PersonHintField.Alias] = ("Samma alias", "Same alias"),
        [PersonHints.PersonHintField.Contact] = ("Samma kontaktuppgift", "Same contact"),
    };

    /// <summary>Concepts that are no enum value: the statistics' figures, the timeline's intake, the answers of a form.</summary>
    static readonly Dictionary<string, (string Sv, string En)> Terms = new(StringComparer.Ordinal)
    {
        ["intake"] = ("Rapport mottagen", "Report received"),
        ["yes"] = ("Ja", "Yes"),
        ["no"] = ("Nej", "No"),
        ["unknownValue"] = ("Okänt", "Unknown"),
        ["dontKnow"] = ("Vet inte", "Don't know"),
        ["noAnswer"] = ("Inget svar", "No answer"),
        ["caseClosedAt"] = ("Avslutat", "Closed"),
        ["incidentsReported"] = ("Incidentrapporter", "Incidents reported"),
        ["personsDocumented"] = ("Möjligt utsatta personer", "Possibly exploited persons documented"),
        ["supportConversations"] = ("Stödsamtal", "Support conversations"),
        ["supportGiven"] = ("Utfört stöd", "Support given"),
        ["contactAttempts"] = ("Kontaktförsök", "Contact attempts"),
        ["reflectionPeriodEnds"] = ("Betänketiden löper ut", "Reflection period ends"),
        ["residencePermitEnds"] = ("Uppehållstillståndet löper ut", "Residence permit ends"),
        ["referralsSent"] = ("Skickade", "Sent"),
        ["outreachSessions"] = ("Uppsökstillfällen", "Outreach sessions"),
        ["adsReviewed"] = ("Granskade annonser", "Ads reviewed"),
        ["contactsAttempted"] = ("Kontaktförsök", "Contacts attempted"),
        ["responses"] = ("Svar", "Responses"),
        ["supportAccepted"] = ("Tackade ja till stöd", "Support accepted"),
        ["allKinds"] = ("Alla insatser", "All kinds"),
        ["possiblySamePerson"] = ("Möjligen samma person", "Possibly the same person"),
        ["personsCountedOnce"] = (
            "Möjligt utsatta personer räknas som personer, inte rapporter: flera rapporter som kopplats till samma person räknas en gång, i den månad då den första rapporten kom in.",
            "Possibly exploited persons are counted as people, not reports: several reports linked as one person count once, in the month of the first report."),
        ["csvNote"] = ("Anmärkning", "Note"),
        ["samePerson"] = ("Samma person, andra rapporter", "Same person, other reports"),
        ["samePersonNone"] = ("Inga andra rapporter är kopplade till samma person.", "No other reports are linked as the same person."),
        ["samePersonReference"] = ("Ärendenummer för den andra rapporten", "Case number of the other report"),
        ["samePersonLink"] = ("Koppla som samma person", "Link as the same person"),
        ["samePersonUnlink"] = ("Ta bort kopplingen", "Remove the link"),
        ["samePersonMerge"] = ("Slå ihop med den här rapporten", "Merge into this report"),
        ["samePersonMergeConfirm"] = (
            "Det här ärendet avslutas som sammanslaget och dess påminnelser och öppna remisser avbryts. Fortsätta?",
            "This case closes as merged, and its reminders and open referrals are cancelled. Continue?"),
        ["mergedInto"] = ("Sammanslaget med", "Merged into"),
        ["transferPending"] = ("Överlämning väntar", "Handover pending"),
        ["transferFrom"] = ("Från", "From"),
        ["transferTo"] = ("Till", "To"),
        ["transferDue"] = ("Svar senast", "Answer due"),
        ["latestTransfer"] = ("Senaste överlämning", "Latest handover"),
        ["acceptTransfer"] = ("Ta över ärendet", "Take the case over"),
        ["declineTransfer"] = ("Avböj överlämningen", "Decline the handover"),
        ["leadPeriods"] = ("Huvudansvar över tid", "Leads over time"),
        ["leadOngoing"] = ("pågår", "ongoing"),
        ["municipalityNow"] = ("Kommun nu", "Municipality now"),
        ["movedToAnotherMunicipality"] = ("Överlämnade till annan kommun", "Moved to another municipality"),
        ["readOnlyAccess"] = ("Ni har ombetts ta över ärendet. Ni kan läsa det men bara svara på överlämningen.", "You are asked to take the case over. You can read it but only answer the handover."),
        ["formerLeadAccess"] = ("Ni hade tidigare huvudansvaret. Anteckningar visas fram till överlämningen; ni kan inte registrera något.", "Your organisation led this case before. Notes are shown up to the handover; you cannot record anything."),
    };

    /// <summary>
    /// What a page says for a problem the API answered, by its status: the API's titles are English and for developers,
    /// a Swedish page says it in Swedish. 400 and 422 name the fields to correct beside it.
    /// </summary>
    static readonly Dictionary<int, (string Sv, string En)> Problems = new()
    {
        [400] = ("Uppgifterna kunde inte tas emot. Rätta det som är markerat och försök igen.", "The request could not be accepted. Correct what is marked and try again."),
        [401] = ("Du är inte inloggad. Logga in igen.", "You are not signed in. Sign in again."),
        [403] = ("Din roll får inte göra det här.", "Your role may not do this."),
        [404] = ("Det finns inte, eller så är det inte synligt för dig.", "It does not exist, or is not visible to you."),
        [409] = ("Ärendet har ändrats eller tillåter inte det här just nu. Ladda om och försök igen.", "The case has changed or does not allow this just now. Reload and try again."),
        [413] = ("Det du skickade är för stort.", "What you sent is too large."),
        [415] = ("Filtypen tas inte emot.", "That kind of file is not accepted."),
        [422] = ("Uppgifterna kunde inte tas emot. Rätta det som är markerat och försök igen.", "The request could not be accepted. Correct what is marked and try again."),
        [429] = ("För många försök på kort tid. Vänta en stund och försök igen.", "Too many attempts in a short time. Wait a while and try again."),
        [500] = ("Något gick fel. Försök igen.", "Something went wrong. Try again."),
        [503] = ("Tjänsten kunde inte svara just nu. Försök igen om en liten stund.", "The service could not answer just now. Try again in a little while."),
    };

    /// <summary>
    /// Words the network does not use for a concept, with the glossary's word to use instead: no page, script or export
    /// may show them (each was once on a page beside the glossary's word for the same thing).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Rejected = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Stöd givet"] = "Utfört stöd",
        ["Vård"] = "Hälso- och sjukvård",
        ["akut sjukvård"] = "Hälso- och sjukvård",
        ["Förfallen"] = "Utgången",
        ["Återkallad"] = "Avbruten",
        ["Mottagen"] = "Accepterad",
        ["Vet ej"] = "Vet inte",
        ["Inte känt"] = "Okänt",
        ["Ärendet stängt"] = "Ärendet avslutat",
        ["Stängt"] = "Avslutat",
        ["Hjälpt"] = "Fick hjälp",
        ["Betänketid slutar"] = "Betänketiden löper ut",
        ["Återvändande begärt"] = "Önskemål om återvändande",
        ["Återintegrering följd upp"] = "Återintegreringen uppföljd",
        ["Anmälan"] = "Rapport mottagen",
        ["Accepterat stöd"] = "Tackade ja till stöd",
    };

    /// <summary>The enums whose every value has its words here.</summary>
    public static readonly IReadOnlyList<Type> Enums =
    [
        typeof(CaseEventType), typeof(Phase), typeof(ReturnStep), typeof(ReminderKind), typeof(CloseReason), typeof(ContactChannel),
        typeof(YesNo), typeof(YesNoUnknown), typeof(SupportKind), typeof(ReintegrationOutcome), typeof(EvaluationOutcome),
        typeof(SharedField), typeof(ReferralStatus), typeof(DeclineReason), typeof(PlaceType), typeof(Suspicion), typeof(Gender),
        typeof(OutreachType), typeof(PersonHints.PersonHintField), typeof(TransferDeclineReason), typeof(TransferStatus),
    ];

    public static IEnumerable<string> TermKeys => Terms.Keys;

    public static IEnumerable<int> ProblemStatuses => Problems.Keys;

    /// <summary>An enum value's word; a value missing here is a bug the glossary tests catch, shown meanwhile as its name in words.</summary>
    public static string Word(Enum value, bool english)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Values.TryGetValue(value, out var word) ? (english ? word.En : word.Sv) : Humanize(value);
    }

    /// <summary>The word of a value as the head of a column of counts (its plural where Swedish has one).</summary>
    public static string Many(Enum value, bool english)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Plurals.TryGetValue(value, out var word) ? (english ? word.En : word.Sv) : Word(value, english);
    }

    public static bool Has(Enum value) => Values.ContainsKey(value);

    public static bool HasTerm(string key) => Terms.ContainsKey(key);

    public static string Term(string key, bool english) =>
        Terms.TryGetValue(key, out var word) ? (english ? word.En : word.Sv) : throw new KeyNotFoundException($"The glossary has no term {key}.");

    /// <summary>What a page says for a problem of this status (the 500 words for a status it does not know).</summary>
    public static string Problem(int status, bool english) =>
        Problems.TryGetValue(status, out var word) || Problems.TryGetValue(500, out word) ? (english ? word.En : word.Sv) : string.Empty;

    /// <summary>
    /// The words of a language as the pages' scripts look them up: the enums' values by the enum's name in camelCase and
    /// the value's JSON name (<c>{ phase: { "first-contact": "Första kontakt" } }</c>), the terms under <c>term</c> and
    /// the problems by status under <c>problem</c>.
    /// </summary>
    public static Dictionary<string, Dictionary<string, string>> Block(bool english)
    {
        var block = Enums.ToDictionary(
            type => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(type.Name),
            type => Enum.GetValues(type).Cast<Enum>().ToDictionary(KebabName, v => Word(v, english), StringComparer.Ordinal),
            StringComparer.Ordinal);
        block["term"] = Terms.ToDictionary(t => t.Key, t => english ? t.Value.En : t.Value.Sv, StringComparer.Ordinal);
        block["problem"] = Problems.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => english ? p.Value.En : p.Value.Sv, StringComparer.Ordinal);
        return block;
    }

    /// <summary>The value's name as the API writes it.</summary>
    public static string KebabName(Enum value) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>A word as it stands inside a sentence or a CSV header: its first letter lower case, unless it is an acronym.</summary>
    public static string Inline(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 1 && char.IsUpper(word[1]) ? word : char.ToLowerInvariant(word[0]) + word[1..];
    }

    static string Humanize(Enum value)
    {
        string words = KebabName(value).Replace('-', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
