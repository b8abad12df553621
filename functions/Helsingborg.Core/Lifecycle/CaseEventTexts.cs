using Helsingborg.Language;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The event form's words for people, in Swedish and English: the labels of the payload fields and notes, and the
/// values' words from the <see cref="Glossary"/>. The event schema (<see cref="CaseEventSchema"/>) carries them as
/// titles; the dashboard's script keeps no copy.
/// </summary>
public static class CaseEventTexts
{
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

    /// <summary>A value's word, from the glossary.</summary>
    public static string Label(Enum value, bool english) => Glossary.Word(value, english);

    public static string FieldLabel(string field, bool english) =>
        Fields.TryGetValue(field, out var text) ? (english ? text.En : text.Sv) : field;

    public static string NoteLabel(CaseEventType type, bool english) =>
        Notes.TryGetValue(type, out var text) ? (english ? text.En : text.Sv) : FieldLabel(CaseEventParser.NoteField, english);
}
