using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

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
/// The one reader and validator of event bodies: <c>{ type, at?, note?, …payload }</c> of <c>POST /api/cases/{caseId}/events</c>
/// and the receiving organisations' answers. Which fields a type has, which are required and what values they take
/// come from the event records (<see cref="CaseEvent"/>) through System.Text.Json's metadata of
/// <see cref="DurableJson.Options"/>, never from tables of their own; so the HTTP layer answers 400 with errors by field.
/// Messages are fixed texts that never contain a submitted value (data-protection.md rule 4); wrong JSON types are
/// errors, never exceptions. Whether the event is allowed in the case's phase is not checked here but by
/// <see cref="CaseDecider.Check"/> (409).
/// </summary>
/// <remarks>
/// Choices where lifecycle.md is silent: field names are case-sensitive camelCase; a field of another event type is
/// refused like an unknown field; a JSON null counts as absent; a note of only white space counts as no note; payload
/// dates also accept a calendar date (<c>2026-12-01</c>, taken as midnight UTC), while <c>at</c> needs a time with offset.
/// </remarks>
public static class CaseEventParser
{
    public const int MaxNoteLength = 2000;

    /// <summary>The body field that carries the note (sealed in the vault; never a member of the event).</summary>
    public const string NoteField = "note";

    private const string Required = "Required.";
    private const string DateTimeExpected = "Must be an ISO 8601 date and time with offset.";
    private const string DateExpected = "Must be an ISO 8601 date, or date and time with offset.";

    /// <summary>The discriminator: the body field that names the event type.</summary>
    public static string TypeField { get; } = typeof(CaseEvent).GetCustomAttribute<JsonPolymorphicAttribute>()!.TypeDiscriminatorPropertyName!;

    /// <summary>The members every event has that a body may name (<c>at</c>): the base's members the server does not set.</summary>
    public static IReadOnlyList<JsonPropertyInfo> CommonFields { get; } = [.. Members(typeof(CaseEvent)).Where(p => !Has<FromServerAttribute>(p))];

    private static readonly string AtField = CommonFields.Single().Name;

    private static readonly HashSet<string> BaseNames = [.. Members(typeof(CaseEvent)).Select(p => p.Name)];

    private static readonly Dictionary<Type, JsonPropertyInfo[]> Payloads = CaseEvents.All.ToDictionary(
        r => r.Record,
        r => Members(r.Record).Where(p => !BaseNames.Contains(p.Name) && !Has<FromServerAttribute>(p)).ToArray());

    private static readonly Dictionary<string, Type> ByName = CaseEvents.All.ToDictionary(r => KebabCase.Name(r.Type), r => r.Record, StringComparer.Ordinal);

    private static readonly HashSet<string> AnyPayloadField = [.. Payloads.Values.SelectMany(fields => fields).Select(p => p.Name)];

    /// <summary>The event types a caller may name, in kebab-case.</summary>
    public static IReadOnlyList<string> EventTypeNames { get; } = [.. ByName.Keys];

    /// <summary>The payload members of an event record: its own members, typed, as they are named in JSON.</summary>
    public static IReadOnlyList<JsonPropertyInfo> PayloadOf(Type record) => Payloads[record];

    /// <summary>
    /// Parses one coordinator's event body. <paramref name="eventId"/> and <paramref name="by"/> (the caller's
    /// organisation) come from the request, never from the body; <c>at</c> defaults to <paramref name="now"/> and may
    /// be at most <see cref="CaseDecider.AllowedClockSkew"/> ahead of it. The receiving organisations' answers are refused.
    /// </summary>
    public static ParseResult Parse(JsonElement body, string eventId, string by, DateTimeOffset now, Partners.CityProfile profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var errors = new Errors();
        if (Fields(body, errors) is not { } fields)
        {
            return errors.Failed();
        }

        // A JSON null is the same as leaving the field out.
        JsonElement? Field(string name) =>
            fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

        Type? record = null;
        if (Field(TypeField) is not { } typeElement)
        {
            errors.Add(TypeField, Required);
        }
        else if (typeElement.ValueKind == JsonValueKind.String && ByName.TryGetValue(typeElement.GetString()!, out var named))
        {
            record = named;
        }
        else
        {
            errors.Add(TypeField, $"Must be one of: {string.Join(", ", EventTypeNames)}.");
        }

        var common = new HashSet<string>([TypeField, NoteField, .. CommonFields.Select(p => p.Name)], StringComparer.Ordinal);
        foreach (var name in fields.Keys.Where(n => !common.Contains(n)))
        {
            if (!AnyPayloadField.Contains(name))
            {
                errors.Add(name, "Unknown field.");
            }
            else if (record is not null && !Payloads[record].Any(p => p.Name == name))
            {
                errors.Add(name, $"Not a field of {KebabCase.Name(CaseEvents.TypeOf(record))}.");
            }
        }

        var at = now;
        if (Field(AtField) is { } atElement && ReadDate(atElement, allowDateOnly: false) is var (given, error))
        {
            if (error is not null)
            {
                errors.Add(AtField, error);
            }
            else
            {
                at = given;
                if (given > now + CaseDecider.AllowedClockSkew)
                {
                    errors.Add(AtField, "Must not be in the future.");
                }
            }
        }

        string? note = null;
        if (Field(NoteField) is { } noteElement)
        {
            if (noteElement.ValueKind != JsonValueKind.String)
            {
                errors.Add(NoteField, "Must be a string.");
            }
            else if (noteElement.GetString() is { Length: > MaxNoteLength })
            {
                errors.Add(NoteField, $"Must be at most {MaxNoteLength.ToString(CultureInfo.InvariantCulture)} characters.");
            }
            else if (!string.IsNullOrWhiteSpace(noteElement.GetString()))
            {
                note = noteElement.GetString();
            }
        }

        if (record is null)
        {
            return errors.Failed();
        }

        if (CaseEvents.IsPartnerAnswer(record))
        {
            errors.Add(TypeField, "Answered by the receiving organisation through /api/referrals, not recorded by a coordinator.");
        }

        CaseEvent? e = Build(record, Field, new() { ["eventId"] = eventId, ["by"] = by, [AtField] = at, ["hasNote"] = note is not null }, profile, errors);
        return e is not null ? new ParseResult(e, note, new Dictionary<string, string[]>()) : errors.Failed();
    }

    /// <summary>
    /// Parses a receiving organisation's answer to its referral (<c>/api/referrals/{id}/{answer}</c>): the referral and
    /// the time come from the request, the body (none for an answer without payload) names the rest of its payload.
    /// </summary>
    public static ParseResult ParseAnswer(CaseEventType type, JsonElement? body, string referralId, string eventId, string by, DateTimeOffset now, Partners.CityProfile profile)
    {
        Type record = CaseEvents.RecordOf(type);
        if (!CaseEvents.IsPartnerAnswer(record))
        {
            throw new ArgumentOutOfRangeException(nameof(type), "Not a receiving organisation's answer.");
        }

        var errors = new Errors();
        var given = new Dictionary<string, JsonNode?> { ["eventId"] = eventId, ["by"] = by, [AtField] = now, ["referralId"] = referralId };
        Dictionary<string, JsonElement> fields = [];
        if (body is { } element)
        {
            if (Fields(element, errors) is not { } read)
            {
                return errors.Failed();
            }

            fields = read;
        }

        foreach (var name in fields.Keys.Where(n => given.ContainsKey(n) || !Payloads[record].Any(p => p.Name == n)))
        {
            errors.Add(name, "Unknown field.");
        }

        JsonElement? Field(string name) => fields.TryGetValue(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
        CaseEvent? e = Build(record, Field, given, profile, errors);
        return e is not null ? new ParseResult(e, null, new Dictionary<string, string[]>()) : errors.Failed();
    }

    /// <summary>
    /// What an event's payload breaks that its types cannot say (a reflection period that ends before it starts, a
    /// value only the lifecycle sets), by camelCase field: the record's validation attributes and rules.
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Problems(CaseEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(e, new ValidationContext(e), results, validateAllProperties: true);
        var errors = new Errors();
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty("body"))
            {
                errors.Add(JsonNamingPolicy.CamelCase.ConvertName(member), result.ErrorMessage ?? "Not allowed.");
            }
        }

        return errors.Failed().Errors;
    }

    /// <summary>The values an enum payload member (or the items of a list of them) may take, in kebab-case: its enum's minus those it denies.</summary>
    public static IReadOnlyList<string> AllowedNames(JsonPropertyInfo property)
    {
        Type enumType = ItemType(property.PropertyType);
        object?[] denied = property.AttributeProvider?.GetCustomAttributes(typeof(DeniedValuesAttribute), inherit: false).Cast<DeniedValuesAttribute>().SingleOrDefault()?.Values ?? [];
        return [.. Enum.GetValues(enumType).Cast<object>().Where(v => !denied.Contains(v)).Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()!))];
    }

    /// <summary>The values a string payload member takes from the city profile, or null when it is free (an id from the request).</summary>
    public static IReadOnlyList<string>? ProfileValues(JsonPropertyInfo property, Partners.CityProfile profile) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(ProfileChoiceAttribute), inherit: false).Cast<ProfileChoiceAttribute>().SingleOrDefault()?.List switch
        {
            ProfileList.Leads => profile.Holding(Partners.OrganisationProfile.LeadRole),
            ProfileList.Organisations => [.. profile.Organisations.Select(o => o.Id)],
            ProfileList.Municipalities => [.. profile.Municipalities.Select(m => m.Code)],
            _ => null,
        };

    /// <summary>The value type of a member: the T of a nullable T, the item type of a list, else the type itself.</summary>
    public static Type ItemType(Type type) =>
        Nullable.GetUnderlyingType(type)
        ?? (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : type);

    public static bool IsList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>);

    /// <summary>The members of a record as JSON carries them (not those it ignores).</summary>
    private static IEnumerable<JsonPropertyInfo> Members(Type record) =>
        DurableJson.Options.GetTypeInfo(record).Properties.Where(p => !Has<JsonIgnoreAttribute>(p));

    private static bool Has<T>(JsonPropertyInfo property)
        where T : Attribute => property.AttributeProvider?.IsDefined(typeof(T), inherit: false) == true;

    /// <summary>Reads each payload member from the body, then builds the record through the serializer (its converters and required members).</summary>
    private static CaseEvent? Build(Type record, Func<string, JsonElement?> field, Dictionary<string, JsonNode?> given, Partners.CityProfile profile, Errors errors)
    {
        var json = new JsonObject { [TypeField] = KebabCase.Name(CaseEvents.TypeOf(record)) };
        foreach (var (name, value) in given)
        {
            json[name] = value;
        }

        foreach (var property in Payloads[record].Where(p => !given.ContainsKey(p.Name)))
        {
            if (field(property.Name) is not { } element)
            {
                if (property.IsRequired)
                {
                    errors.Add(property.Name, Required);
                }

                continue;
            }

            (JsonNode? value, string? error) = Read(property, element, profile);
            if (error is not null)
            {
                errors.Add(property.Name, error);
            }
            else
            {
                json[property.Name] = value;
            }
        }

        if (errors.Any)
        {
            return null;
        }

        var e = json.Deserialize<CaseEvent>(DurableJson.Options)!;
        foreach (var (name, messages) in Problems(e))
        {
            Array.ForEach(messages, m => errors.Add(name, m));
        }

        return errors.Any ? null : e;
    }

    private static (JsonNode? Value, string? Error) Read(JsonPropertyInfo property, JsonElement element, Partners.CityProfile profile)
    {
        Type type = ItemType(property.PropertyType);
        if (IsList(property.PropertyType))
        {
            var allowed = AllowedNames(property);
            var length = property.AttributeProvider?.GetCustomAttributes(typeof(LengthAttribute), inherit: false).Cast<LengthAttribute>().SingleOrDefault();
            var items = element.ValueKind == JsonValueKind.Array ? element.EnumerateArray().ToArray() : [];
            bool fits = element.ValueKind == JsonValueKind.Array
                && items.Length >= (length?.MinimumLength ?? 0) && items.Length <= (length?.MaximumLength ?? int.MaxValue)
                && items.All(i => i.ValueKind == JsonValueKind.String && allowed.Contains(i.GetString()!, StringComparer.Ordinal));
            return fits
                ? (new JsonArray([.. items.Select(i => i.GetString()).Distinct().Select(s => (JsonNode?)JsonValue.Create(s))]), null)
                : (null, $"Must be a list of one or more of: {string.Join(", ", allowed)}.");
        }

        if (type.IsEnum)
        {
            var allowed = AllowedNames(property);
            return element.ValueKind == JsonValueKind.String && allowed.Contains(element.GetString()!, StringComparer.Ordinal)
                ? (JsonValue.Create(element.GetString()), null)
                : (null, $"Must be one of: {string.Join(", ", allowed)}.");
        }

        if (type == typeof(bool))
        {
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? (JsonValue.Create(element.GetBoolean()), null)
                : (null, "Must be true or false.");
        }

        if (type == typeof(DateTimeOffset))
        {
            var (value, error) = ReadDate(element, allowDateOnly: true);
            return error is null ? (JsonValue.Create(value), null) : (null, error);
        }

        if (type == typeof(string))
        {
            if (ProfileValues(property, profile) is { } choices)
            {
                return element.ValueKind == JsonValueKind.String && choices.Contains(element.GetString(), StringComparer.Ordinal)
                    ? (JsonValue.Create(element.GetString()), null)
                    : (null, $"Must be one of: {string.Join(", ", choices)}.");
            }

            return element.ValueKind == JsonValueKind.String && element.GetString() is { Length: > 0 and <= 100 } text
                ? (JsonValue.Create(text), null)
                : (null, "Must be a string of 1 to 100 characters.");
        }

        throw new NotSupportedException($"The payload member {property.Name} has a type the reader does not know.");
    }

    private static Dictionary<string, JsonElement>? Fields(JsonElement body, Errors errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "Must be a JSON object.");
            return null;
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            if (!fields.TryAdd(property.Name, property.Value))
            {
                errors.Add(property.Name, "Duplicate field.");
            }
        }

        return fields;
    }

    private static (DateTimeOffset Value, string? Error) ReadDate(JsonElement element, bool allowDateOnly)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            var text = element.GetString()!;
            if (allowDateOnly && text.Length == 10
                && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                return (new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), null);
            }

            if (HasOffset(text) && element.TryGetDateTimeOffset(out var value))
            {
                return (value, null);
            }
        }

        return (default, allowDateOnly ? DateExpected : DateTimeExpected);
    }

    /// <summary>An ISO 8601 time that names its offset: ends in Z or ±hh:mm, after a time.</summary>
    private static bool HasOffset(string text) =>
        text.Contains('T', StringComparison.OrdinalIgnoreCase)
        && (text.EndsWith('Z') || text.EndsWith('z')
            || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':'));

    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

        public bool Any => byField.Count > 0;

        public void Add(string field, string message)
        {
            if (!byField.TryGetValue(field, out var messages))
            {
                byField[field] = messages = [];
            }

            messages.Add(message);
        }

        public ParseResult Failed() =>
            new(null, null, byField.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal));
    }
}
