using System.Globalization;
using System.Text.Json;

namespace Helsingborg.Lifecycle;

/// <summary>
/// The result of parsing an event body: either an event (and its note, which must be stored
/// encrypted and never travel with the event) or errors keyed by camelCase field name.
/// </summary>
public sealed record ParseResult(CaseEvent? Event, string? Note, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Event is not null;
}

/// <summary>
/// Validates the body <c>{ type, at?, note?, …payload }</c> of <c>POST /api/cases/{caseId}/events</c>
/// into a <see cref="CaseEvent"/>, so the HTTP layer answers 400 with errors by field. Messages are
/// fixed texts that never contain a submitted value (data-protection.md rule 4); wrong JSON types
/// are errors, never exceptions. Whether the event is allowed in the case's phase is not checked
/// here but by <see cref="CaseDecider.Check"/> (409).
/// </summary>
/// <remarks>
/// Choices where lifecycle.md is silent: field names are case-sensitive camelCase; a field of
/// another event type is refused like an unknown field; a JSON null counts as absent; a note of
/// only white space counts as no note; the payload dates (<c>from</c>, <c>to</c>, <c>until</c>,
/// <c>date</c>) also accept a calendar date (<c>2026-12-01</c>, taken as midnight UTC), while
/// <c>at</c> needs a time with offset.
/// </remarks>
public static class CaseEventParser
{
    public const int MaxNoteLength = 2000;

    private const string Required = "Required.";
    private const string DateTimeExpected = "Must be an ISO 8601 date and time with offset.";
    private const string DateExpected = "Must be an ISO 8601 date, or date and time with offset.";

    private static readonly string[] CommonFields = ["type", "at", "note"];

    private static readonly Dictionary<CaseEventType, string[]> PayloadFields = new()
    {
        [CaseEventType.ContactAttempted] = ["channel"],
        [CaseEventType.ContactMade] = ["wantsSupport", "wantsAuthorityContact", "interpreterNeeded"],
        [CaseEventType.LeadChanged] = ["lead"],
        [CaseEventType.SupportConversation] = [],
        [CaseEventType.SupportGiven] = ["kind"],
        [CaseEventType.PlanAgreed] = [],
        [CaseEventType.ReflectionPeriodGranted] = ["from", "to"],
        [CaseEventType.ResidencePermitGranted] = ["until"],
        [CaseEventType.LongTermStarted] = [],
        [CaseEventType.ReturnRequested] = ["bestInterestAssessed"],
        [CaseEventType.IomApplicationSubmitted] = [],
        [CaseEventType.IomDecision] = ["approved"],
        [CaseEventType.DepartureScheduled] = ["date"],
        [CaseEventType.Departed] = ["date"],
        [CaseEventType.ReintegrationFollowedUp] = ["outcome"],
        [CaseEventType.ReturnWithdrawn] = [],
        [CaseEventType.CaseClosed] = ["reason"],
        [CaseEventType.ConsentWithdrawn] = [],
        [CaseEventType.EvaluationRecorded] = ["outcome"],
        [CaseEventType.SharingConsentGiven] = ["organisation", "fields", "purpose"],
        [CaseEventType.SharingConsentWithdrawn] = ["organisation"],
        [CaseEventType.ReferralSent] = ["organisation", "kind", "due"],
        [CaseEventType.ReferralAccepted] = [],
        [CaseEventType.ReferralDeclined] = [],
        [CaseEventType.ReferralCompleted] = [],
    };

    /// <summary>The receiving organisation's answers: sent through <c>/api/referrals/{id}/…</c>, never as a coordinator's event.</summary>
    public static readonly IReadOnlySet<CaseEventType> PartnerAnswers = new HashSet<CaseEventType> { CaseEventType.ReferralAccepted, CaseEventType.ReferralDeclined, CaseEventType.ReferralCompleted };

    private static readonly Dictionary<CaseEventType, string> RequiredField = new()
    {
        [CaseEventType.ContactMade] = "wantsSupport",
        [CaseEventType.LeadChanged] = "lead",
        [CaseEventType.SupportGiven] = "kind",
        [CaseEventType.ResidencePermitGranted] = "until",
        [CaseEventType.IomDecision] = "approved",
        [CaseEventType.DepartureScheduled] = "date",
        [CaseEventType.ReintegrationFollowedUp] = "outcome",
        [CaseEventType.CaseClosed] = "reason",
        [CaseEventType.EvaluationRecorded] = "outcome",
        [CaseEventType.SharingConsentGiven] = "organisation",
        [CaseEventType.SharingConsentWithdrawn] = "organisation",
        [CaseEventType.ReferralSent] = "organisation",
    };

    private static readonly HashSet<string> AnyPayloadField =
        [.. PayloadFields.Values.SelectMany(fields => fields), .. CommonFields];

    /// <summary>The event types a caller may name, in kebab-case.</summary>
    public static IReadOnlyList<string> EventTypeNames { get; } = Names(Enum.GetValues<CaseEventType>());

    /// <summary>
    /// Parses one event body. <paramref name="eventId"/> and <paramref name="by"/> (the caller's
    /// organisation) come from the request, never from the body; <c>at</c> defaults to
    /// <paramref name="now"/> and may be at most <see cref="CaseDecider.AllowedClockSkew"/> ahead of it.
    /// </summary>
    public static ParseResult Parse(JsonElement body, string eventId, string by, DateTimeOffset now, Partners.CityProfile profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var messages))
            {
                errors[field] = messages = [];
            }

            messages.Add(message);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            Error("body", "Must be a JSON object.");
            return Failed(errors);
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value))
            {
                Error(property.Name, "Duplicate field.");
            }
        }

        // A JSON null is the same as leaving the field out.
        JsonElement? Field(string name) =>
            fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        CaseEventType? type = null;
        if (Field("type") is not { } typeElement)
        {
            Error("type", Required);
        }
        else
        {
            type = ReadEnum<CaseEventType>(typeElement, "type", Error);
        }

        foreach (var name in fields.Keys)
        {
            if (!AnyPayloadField.Contains(name))
            {
                Error(name, "Unknown field.");
            }
            else if (type is { } known && !CommonFields.Contains(name) && !PayloadFields[known].Contains(name))
            {
                Error(name, $"Not a field of {CaseDecider.Kebab(known)}.");
            }
        }

        var at = now;
        if (Field("at") is { } atElement)
        {
            if (ReadDate(atElement, "at", allowDateOnly: false, Error) is { } given)
            {
                at = given;
                if (given > now + CaseDecider.AllowedClockSkew)
                {
                    Error("at", "Must not be in the future.");
                }
            }
        }

        string? note = null;
        if (Field("note") is { } noteElement)
        {
            if (noteElement.ValueKind != JsonValueKind.String)
            {
                Error("note", "Must be a string.");
            }
            else
            {
                var text = noteElement.GetString()!;
                if (text.Length > MaxNoteLength)
                {
                    Error("note", $"Must be at most {MaxNoteLength.ToString(CultureInfo.InvariantCulture)} characters.");
                }
                else if (!string.IsNullOrWhiteSpace(text))
                {
                    note = text;
                }
            }
        }

        if (type is not { } eventType)
        {
            return Failed(errors);
        }

        if (RequiredField.TryGetValue(eventType, out var requiredField) && Field(requiredField) is null)
        {
            Error(requiredField, Required);
        }

        if (eventType == CaseEventType.SharingConsentGiven && Field("fields") is null)
        {
            Error("fields", Required);
        }

        if (eventType == CaseEventType.ReferralSent)
        {
            foreach (var name in new[] { "kind", "due" }.Where(n => Field(n) is null))
            {
                Error(name, Required);
            }
        }

        if (PartnerAnswers.Contains(eventType))
        {
            Error("type", "Answered by the receiving organisation through /api/referrals, not recorded by a coordinator.");
        }

        IReadOnlyList<string> leads = profile.Holding(Partners.OrganisationProfile.LeadRole);
        IReadOnlyList<string> organisations = [.. profile.Organisations.Select(o => o.Id)];

        bool Has(string name) => PayloadFields[eventType].Contains(name) && Field(name) is not null;
        T? Choice<T>(string name, params T[] allowed)
            where T : struct, Enum => Has(name) ? ReadEnum(Field(name)!.Value, name, Error, allowed) : null;
        bool? Bool(string name) => Has(name) ? ReadBool(Field(name)!.Value, name, Error) : null;
        DateTimeOffset? Date(string name) => Has(name) ? ReadDate(Field(name)!.Value, name, allowDateOnly: true, Error) : null;

        var e = new CaseEvent
        {
            EventId = eventId,
            Type = eventType,
            At = at,
            By = by,
            HasNote = note is not null,
            Channel = Choice<ContactChannel>("channel"),
            WantsSupport = Choice<YesNo>("wantsSupport"),
            WantsAuthorityContact = Choice<YesNoUnknown>("wantsAuthorityContact"),
            InterpreterNeeded = Bool("interpreterNeeded"),
            Lead = Has("lead") ? ReadChoice(Field("lead")!.Value, "lead", Error, leads) : null,
            Kind = Choice<SupportKind>("kind"),
            From = Date("from"),
            To = Date("to"),
            Until = Date("until"),
            BestInterestAssessed = Bool("bestInterestAssessed"),
            Approved = Bool("approved"),
            Date = Date("date"),
            ReintegrationOutcome = eventType == CaseEventType.ReintegrationFollowedUp ? Choice<ReintegrationOutcome>("outcome") : null,
            Reason = Choice("reason", CloseReason.Stable, CloseReason.Moved, CloseReason.NoContact, CloseReason.Declined, CloseReason.Other),
            Outcome = eventType == CaseEventType.EvaluationRecorded
                ? Choice("outcome", EvaluationOutcome.Helped, EvaluationOutcome.PartlyHelped, EvaluationOutcome.NotHelped, EvaluationOutcome.Unknown)
                : null,
            Organisation = Has("organisation") ? ReadChoice(Field("organisation")!.Value, "organisation", Error, organisations) : null,
            Fields = Has("fields") ? ReadFields(Field("fields")!.Value, Error) : null,
            Purpose = Choice<SupportKind>("purpose"),
            Due = Date("due"),
        };

        if (e.To is { } to && !errors.ContainsKey("from") && to <= (e.From ?? at))
        {
            Error("to", "Must be after from.");
        }

        return errors.Count == 0 ? new ParseResult(e, note, new Dictionary<string, string[]>()) : Failed(errors);
    }

    private static ParseResult Failed(Dictionary<string, List<string>> errors) =>
        new(null, null, errors.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));

    private static T? ReadEnum<T>(JsonElement element, string field, Action<string, string> error, params T[] allowed)
        where T : struct, Enum
    {
        var values = allowed.Length > 0 ? allowed : Enum.GetValues<T>();
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString();
            foreach (var value in values)
            {
                if (string.Equals(CaseDecider.Kebab(value), text, StringComparison.Ordinal))
                {
                    return value;
                }
            }
        }

        error(field, $"Must be one of: {string.Join(", ", Names(values))}.");
        return null;
    }

    /// <summary>One of a list of words that is data, not a type (the lead organisations of the city profile).</summary>
    private static string? ReadChoice(JsonElement element, string field, Action<string, string> error, IReadOnlyList<string> allowed)
    {
        if (element.ValueKind == JsonValueKind.String && allowed.Contains(element.GetString(), StringComparer.Ordinal))
        {
            return element.GetString();
        }

        error(field, $"Must be one of: {string.Join(", ", allowed)}.");
        return null;
    }

    private static SharedField[]? ReadFields(JsonElement element, Action<string, string> error)
    {
        var allowed = Enum.GetValues<SharedField>();
        var fields = new List<SharedField>();
        if (element.ValueKind == JsonValueKind.Array && element.GetArrayLength() is > 0 and <= 20)
        {
            foreach (var item in element.EnumerateArray())
            {
                var match = allowed.Where(f => item.ValueKind == JsonValueKind.String && CaseDecider.Kebab(f) == item.GetString()).Cast<SharedField?>().FirstOrDefault();
                if (match is not { } field)
                {
                    fields.Clear();
                    break;
                }

                fields.Add(field);
            }
        }

        if (fields.Count == 0)
        {
            error("fields", $"Must be a list of one or more of: {string.Join(", ", Names(allowed))}.");
            return null;
        }

        return [.. fields.Distinct().Order()];
    }

    private static bool? ReadBool(JsonElement element, string field, Action<string, string> error)
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        error(field, "Must be true or false.");
        return null;
    }

    private static DateTimeOffset? ReadDate(JsonElement element, string field, bool allowDateOnly, Action<string, string> error)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (allowDateOnly && text.Length == 10
                && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }

            if (HasOffset(text) && element.TryGetDateTimeOffset(out var value))
            {
                return value;
            }
        }

        error(field, allowDateOnly ? DateExpected : DateTimeExpected);
        return null;
    }

    /// <summary>An ISO 8601 time that names its offset: ends in Z or ±hh:mm, after a time.</summary>
    private static bool HasOffset(string text) =>
        text.Contains('T', StringComparison.OrdinalIgnoreCase)
        && (text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':'));

    private static string[] Names<T>(T[] values)
        where T : struct, Enum => Array.ConvertAll(values, CaseDecider.Kebab);
}
