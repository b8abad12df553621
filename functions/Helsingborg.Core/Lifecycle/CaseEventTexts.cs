namespace Helsingborg.Lifecycle;

/// <summary>
/// The words of the event vocabulary for people, in Swedish and English: event types, payload fields and the values of
/// the lifecycle's enums. The event schema (<see cref="CaseEventSchema"/>) carries them as titles, and the dashboard
/// shows them in timelines and tables (<see cref="Words"/>); the dashboard's script keeps no copy. English falls back
/// to the value's name in words.
/// </summary>
public static class CaseEventTexts
{
    static readonly Dictionary<Enum, (string Sv, string? En)> Values = new()
    {
        [CaseEventType.ContactAttempted] = ("Kontaktförsök", null),
        [CaseEventType.ContactMade] = ("Kontakt etablerad", null),
        [CaseEventType.LeadChanged] = ("Byte av huvudansvar", null),
        [CaseEventType.SupportConversation] = ("Stödsamtal", null),
        [CaseEventType.SupportGiven] = ("Stöd givet", null),
        [CaseEventType.PlanAgreed] = ("Gemensam plan", null),
        [CaseEventType.ReflectionPeriodGranted] = ("Betänketid beviljad", null),
        [CaseEventType.ResidencePermitGranted] = ("Uppehållstillstånd beviljat", null),
        [CaseEventType.LongTermStarted] = ("Långsiktigt stöd påbörjat", null),
        [CaseEventType.ReturnRequested] = ("Återvändande begärt", null),
        [CaseEventType.IomApplicationSubmitted] = ("Ansökan till IOM inskickad", "IOM application submitted"),
        [CaseEventType.IomDecision] = ("Beslut från IOM", "IOM decision"),
        [CaseEventType.DepartureScheduled] = ("Avresa planerad", null),
        [CaseEventType.Departed] = ("Avrest", null),
        [CaseEventType.ReintegrationFollowedUp] = ("Återintegrering följd upp", null),
        [CaseEventType.ReturnWithdrawn] = ("Återvändande återkallat", null),
        [CaseEventType.CaseClosed] = ("Ärendet stängt", null),
        [CaseEventType.ConsentWithdrawn] = ("Samtycke återkallat", null),
        [CaseEventType.EvaluationRecorded] = ("Utvärdering registrerad", null),
        [CaseEventType.SharingConsentGiven] = ("Samtycke till delning", null),
        [CaseEventType.SharingConsentWithdrawn] = ("Samtycke till delning återkallat", null),
        [CaseEventType.ReferralSent] = ("Remiss skickad", null),
        [CaseEventType.ReferralAccepted] = ("Remiss mottagen", null),
        [CaseEventType.ReferralDeclined] = ("Remiss avböjd", null),
        [CaseEventType.ReferralCompleted] = ("Remiss slutförd", null),
        [CaseEventType.PoliceInformed] = ("Polisen informerad", "Police informed"),
        [CaseEventType.ProtectionAssessed] = ("Skyddsbedömning gjord", "Protection assessment made"),
        [CaseEventType.InvestigationOpened] = ("Utredning inledd", "Investigation opened"),
        [CaseEventType.NoInvestigation] = ("Ingen utredning inleds", "No investigation opened"),
        [CaseEventType.InvestigationClosed] = ("Utredning avslutad", "Investigation closed"),
        [CaseEventType.WorkerAssigned] = ("Ansvarig utsedd", "Worker assigned"),
        [CaseEventType.WorkerReleased] = ("Ansvaret lämnat tillbaka", "Worker released"),

        [Phase.FirstContact] = ("Första kontakt", null),
        [Phase.ShortTermSupport] = ("Kortsiktigt stöd", null),
        [Phase.LongTermSupport] = ("Långsiktigt stöd", null),
        [Phase.ReturnAssistance] = ("Återvändande", null),
        [Phase.Closed] = ("Stängt", null),
        [Phase.Completed] = ("Avslutat", null),

        [ReturnStep.Preparing] = ("Förbereds", null),
        [ReturnStep.AwaitingDecision] = ("Inväntar beslut", null),
        [ReturnStep.Approved] = ("Beviljat", null),
        [ReturnStep.DepartureScheduled] = ("Avresa planerad", null),
        [ReturnStep.Departed] = ("Avrest", null),

        [ReminderKind.CallPolice] = ("Ring polisen", null),
        [ReminderKind.ChildProtection] = ("Barnskydd", null),
        [ReminderKind.ProtectionAssessment] = ("Skyddsbedömning", "Protection assessment"),
        [ReminderKind.InitialAssessment] = ("Förhandsbedömning", "Initial assessment"),
        [ReminderKind.Investigation] = ("Utredning inom fyra månader", "Investigation within four months"),
        [ReminderKind.FirstContact] = ("Första kontakt", null),
        [ReminderKind.FollowUp] = ("Uppföljning", null),
        [ReminderKind.JointPlanDue] = ("Gemensam plan", null),
        [ReminderKind.PlanReview] = ("Planuppföljning", null),
        [ReminderKind.ReflectionPeriodEnding] = ("Betänketid slutar", null),
        [ReminderKind.PermitEnding] = ("Tillstånd slutar", null),
        [ReminderKind.ReturnApplicationDue] = ("Ansökan om återvändande", null),
        [ReminderKind.IomDecisionPending] = ("IOM-beslut dröjer", "IOM decision pending"),
        [ReminderKind.DepartureTomorrow] = ("Avresa i morgon", null),
        [ReminderKind.ReintegrationFollowUp] = ("Uppföljning efter återvändande", null),
        [ReminderKind.EvaluationDue] = ("Utvärdering", null),
        [ReminderKind.OutreachSession] = ("Uppsökande arbete", null),
        [ReminderKind.ReferralDue] = ("Remiss snart förfallen", null),
        [ReminderKind.ReferralOverdue] = ("Remiss försenad", null),

        [CloseReason.Returned] = ("Återvänt", null),
        [CloseReason.Stable] = ("Stabil situation", null),
        [CloseReason.Moved] = ("Flyttat", null),
        [CloseReason.NoContact] = ("Ingen kontakt", null),
        [CloseReason.Declined] = ("Avböjt", null),
        [CloseReason.ConsentWithdrawn] = ("Samtycke återkallat", null),
        [CloseReason.Other] = ("Annat", null),

        [ContactChannel.Phone] = ("Telefon", null),
        [ContactChannel.Sms] = ("Sms", "SMS"),
        [ContactChannel.InPerson] = ("Personligen", null),
        [ContactChannel.Online] = ("Internet", null),

        [YesNo.Yes] = ("Ja", null),
        [YesNo.No] = ("Nej", null),
        [YesNoUnknown.Yes] = ("Ja", null),
        [YesNoUnknown.No] = ("Nej", null),
        [YesNoUnknown.Unknown] = ("Okänt", null),

        [SupportKind.Accommodation] = ("Boende", null),
        [SupportKind.Psychological] = ("Psykologiskt stöd", null),
        [SupportKind.Material] = ("Materiellt stöd", null),
        [SupportKind.Medical] = ("Vård", null),
        [SupportKind.Interpretation] = ("Tolk", null),
        [SupportKind.CounsellingLegal] = ("Juridisk rådgivning", null),
        [SupportKind.CriminalProceedings] = ("Stöd i rättsprocessen", null),
        [SupportKind.EducationChildren] = ("Skola för barn", null),
        [SupportKind.ContactPerson] = ("Kontaktperson", null),
        [SupportKind.Other] = ("Annat", null),

        [ReintegrationOutcome.Good] = ("Bra", null),
        [ReintegrationOutcome.Difficult] = ("Svårt", null),
        [ReintegrationOutcome.Unknown] = ("Okänt", null),

        [EvaluationOutcome.Helped] = ("Hjälpt", null),
        [EvaluationOutcome.PartlyHelped] = ("Delvis hjälpt", null),
        [EvaluationOutcome.NotHelped] = ("Inte hjälpt", null),
        [EvaluationOutcome.Unknown] = ("Okänt", null),
        [EvaluationOutcome.Missing] = ("Saknas", null),

        [SharedField.Alias] = ("Namn eller alias", "Name or alias"),
        [SharedField.Languages] = ("Språk", null),
        [SharedField.Age] = ("Ålder", "Age"),
        [SharedField.Gender] = ("Kön", null),
        [SharedField.Citizenship] = ("Medborgarskap", null),
        [SharedField.Contact] = ("Kontaktuppgifter", "Contact details"),
        [SharedField.Need] = ("Behov", null),

        [ReferralStatus.Sent] = ("Skickad", null),
        [ReferralStatus.Accepted] = ("Mottagen", null),
        [ReferralStatus.Declined] = ("Avböjd", null),
        [ReferralStatus.Completed] = ("Slutförd", null),
        [ReferralStatus.Expired] = ("Förfallen", null),
        [ReferralStatus.Cancelled] = ("Återkallad", null),

        [DeclineReason.NoCapacity] = ("Har inte plats eller resurser", null),
        [DeclineReason.NotEligible] = ("Hör inte till målgruppen", null),
        [DeclineReason.PersonDeclined] = ("Personen tackade nej", null),
        [DeclineReason.Other] = ("Annat", null),
    };

    /// <summary>The labels of the payload fields and the body's common fields, by their JSON name.</summary>
    static readonly Dictionary<string, (string Sv, string En)> Fields = new(StringComparer.Ordinal)
    {
        ["at"] = ("Tidpunkt", "Time"),
        [CaseEventParser.NoteField] = ("Anteckning (valfri)", "Note (optional)"),
        ["channel"] = ("Kanal", "Channel"),
        ["wantsSupport"] = ("Vill ha stöd", "Wants support"),
        ["wantsAuthorityContact"] = ("Vill ha kontakt med myndighet", "Wants contact with authorities"),
        ["interpreterNeeded"] = ("Behöver tolk", "Interpreter needed"),
        ["lead"] = ("Huvudansvar", "Lead organisation"),
        ["kind"] = ("Slag av stöd", "Kind of support"),
        ["from"] = ("Från", "From"),
        ["to"] = ("Till", "To"),
        ["until"] = ("Gäller till", "Valid until"),
        ["bestInterestAssessed"] = ("Barnets bästa bedömt", "Best interest assessed"),
        ["approved"] = ("Beviljat", "Approved"),
        ["date"] = ("Datum", "Date"),
        ["outcome"] = ("Utfall", "Outcome"),
        ["reason"] = ("Skäl", "Reason"),
        ["organisation"] = ("Organisation", "Organisation"),
        ["fields"] = ("Uppgifter som får delas", "What may be shared"),
        ["purpose"] = ("Syfte (slag av stöd, valfritt)", "Purpose (kind of support, optional)"),
        ["due"] = ("Ska vara klar senast", "Due by"),
        ["referralId"] = ("Remiss", "Referral"),
        ["worker"] = ("Ansvarig", "Worker"),
    };

    /// <summary>What a note is for an event type whose note means more (a referral's note is the need it shares).</summary>
    static readonly Dictionary<CaseEventType, (string Sv, string En)> Notes = new()
    {
        [CaseEventType.ReferralSent] = ("Behov (delas bara om personen samtyckt till att behovet delas)", "Need (shared only if the person agreed to share the need)"),
        [CaseEventType.PoliceInformed] = ("Polisens diarienummer (valfritt)", "Police reference (optional)"),
        [CaseEventType.WorkerAssigned] = ("Överlämning (valfritt)", "Handover note (optional)"),
        [CaseEventType.WorkerReleased] = ("Överlämning (valfritt)", "Handover note (optional)"),
    };

    /// <summary>The enums whose values the dashboard shows in words, by the key it looks them up with.</summary>
    static readonly Type[] Shown =
    [
        typeof(CaseEventType), typeof(Phase), typeof(ReturnStep), typeof(ReminderKind), typeof(CloseReason), typeof(SupportKind),
        typeof(ReintegrationOutcome), typeof(EvaluationOutcome), typeof(SharedField), typeof(ReferralStatus), typeof(DeclineReason),
    ];

    public static string Label(Enum value, bool english)
    {
        ArgumentNullException.ThrowIfNull(value);
        (string Sv, string? En) text = Values.TryGetValue(value, out var known) ? known : (Humanize(value), null);
        return english ? text.En ?? Humanize(value) : text.Sv;
    }

    public static string FieldLabel(string field, bool english) =>
        Fields.TryGetValue(field, out var text) ? (english ? text.En : text.Sv) : field;

    public static string NoteLabel(CaseEventType type, bool english) =>
        Notes.TryGetValue(type, out var text) ? (english ? text.En : text.Sv) : FieldLabel(CaseEventParser.NoteField, english);

    /// <summary>
    /// The words the dashboard shows for the lifecycle's values: <c>{ phase: { "first-contact": "Första kontakt", … }, … }</c>,
    /// keyed by the enum's name in camelCase.
    /// </summary>
    public static Dictionary<string, Dictionary<string, string>> Words(bool english) => Shown.ToDictionary(
        type => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(type.Name),
        type => Enum.GetValues(type).Cast<Enum>().ToDictionary(v => Kebab(v), v => Label(v, english), StringComparer.Ordinal),
        StringComparer.Ordinal);

    static string Kebab(Enum value) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    static string Humanize(Enum value)
    {
        string words = Kebab(value).Replace('-', ' ');
        return char.ToUpperInvariant(words[0]) + words[1..];
    }
}
