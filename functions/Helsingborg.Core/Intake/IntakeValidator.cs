using System.Globalization;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;

namespace Helsingborg.Intake;

/// <summary>
/// Validates an intake body against api.md field by field. Errors name the field and the rule and
/// never repeat what was submitted; an unknown field is an error naming it.
/// </summary>
public static class IntakeValidator
{
    public const int MaxDescription = 4000;
    static readonly string[] TopLevel =
    [
        "municipality", "observedAt", "placeType", "location", "suspicion", "description", "policeNotified",
        "policeReference", "person", "wantsSupport", "wantsAuthorityContact", "reporterContact", "outreachSessionId",
    ];

    static readonly string[] PersonFields = ["alias", "estimatedAge", "gender", "languages", "citizenship", "contact", "isMinor"];

    /// <summary>At most this many unknown fields are named, so an error never grows with a hostile body.</summary>
    const int MaxNamedUnknown = 20;

    public static (IntakeSubmission? Submission, Dictionary<string, string[]> Errors) Validate(JsonElement body, DateTimeOffset now, CityProfile profile)
    {
        try
        {
            return ValidateObject(body, now, profile);
        }
        catch (InvalidOperationException)
        {
            // A string or name with an unpaired surrogate escape ("\ud800") cannot be read as text.
            return (null, new Dictionary<string, string[]>(StringComparer.Ordinal) { ["$"] = ["The body must be valid Unicode text."] });
        }
    }

    static (IntakeSubmission? Submission, Dictionary<string, string[]> Errors) ValidateObject(JsonElement body, DateTimeOffset now, CityProfile profile)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
            return (null, errors);
        }

        CheckNames(body, TopLevel, string.Empty, errors);

        var reader = new FieldReader(body, errors, string.Empty);
        string? municipality = reader.String("municipality", required: true, max: 50);
        if (municipality is not null && !profile.IsMunicipality(municipality))
        {
            Add(errors, "municipality", $"Must be the code of one of the municipalities of {profile.Name}'s network.");
        }

        DateTimeOffset? observedAt = reader.Time("observedAt", required: true);
        if (observedAt is { } observed)
        {
            if (observed > now.AddHours(1))
            {
                Add(errors, "observedAt", "Must not be more than 1 hour in the future.");
            }
            else if (observed < now.AddYears(-1))
            {
                Add(errors, "observedAt", "Must not be older than 1 year.");
            }
        }

        PlaceType? placeType = reader.Enum<PlaceType>("placeType", required: true);
        Suspicion? suspicion = reader.Enum<Suspicion>("suspicion", required: true);
        string? description = reader.String("description", required: true, max: MaxDescription, min: 1);
        bool? policeNotified = reader.Bool("policeNotified", required: true);
        string? location = reader.String("location", max: 200);
        string? policeReference = reader.String("policeReference", max: 50);
        YesNoUnknown? wantsSupport = reader.Enum<YesNoUnknown>("wantsSupport");
        YesNoUnknown? wantsAuthorityContact = reader.Enum<YesNoUnknown>("wantsAuthorityContact");
        string? reporterContact = reader.String("reporterContact", max: 200);
        string? outreachSessionId = reader.String("outreachSessionId", max: 64);
        PersonDetails? person = ReadPerson(body, errors);

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new IntakeSubmission
        {
            Municipality = municipality!,
            ObservedAt = observedAt!.Value.ToUniversalTime(),
            PlaceType = placeType!.Value,
            Suspicion = suspicion!.Value,
            Description = description!,
            PoliceNotified = policeNotified!.Value,
            Location = location,
            PoliceReference = policeReference,
            Person = person,
            WantsSupport = wantsSupport,
            WantsAuthorityContact = wantsAuthorityContact,
            ReporterContact = reporterContact,
            OutreachSessionId = outreachSessionId,
        }, errors);
    }

    static PersonDetails? ReadPerson(JsonElement body, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("person", out JsonElement person) || person.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (person.ValueKind != JsonValueKind.Object)
        {
            Add(errors, "person", "Must be an object.");
            return null;
        }

        CheckNames(person, PersonFields, "person.", errors);

        var reader = new FieldReader(person, errors, "person.");
        int? age = reader.Int("estimatedAge", 0, 120);
        return new PersonDetails
        {
            Alias = reader.String("alias", max: 100),
            EstimatedAge = age,
            Gender = reader.Enum<Gender>("gender"),
            Languages = reader.Codes("languages", 10, IsLanguageCode, "Must be ISO 639 language codes."),
            Citizenship = reader.Codes("citizenship", 5, IsCountryCode, "Must be ISO 3166 alpha-2 country codes."),
            Contact = reader.String("contact", max: 200),
            IsMinor = reader.Bool("isMinor"),
        };
    }

    /// <summary>
    /// An unknown field is named (api.md) when its name looks like a field name; any other name could be
    /// submitted text, so it is reported without repeating it. A field given twice is an error too.
    /// </summary>
    static void CheckNames(JsonElement element, string[] known, string prefix, Dictionary<string, string[]> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int unknown = 0;
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string name = property.Name;
            if (known.Contains(name, StringComparer.Ordinal))
            {
                if (!seen.Add(name))
                {
                    Add(errors, prefix + name, "Must be given only once.");
                }
            }
            else if (++unknown <= MaxNamedUnknown && LooksLikeFieldName(name))
            {
                Add(errors, prefix + name, "Unknown field.");
            }
            else
            {
                errors[prefix + "$"] = ["Contains unknown fields."];
            }
        }
    }

    static bool LooksLikeFieldName(string name) =>
        name.Length is > 0 and <= 40 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    internal static bool IsLanguageCode(string code) => code.Length is 2 or 3 && code.All(char.IsAsciiLetterLower);

    internal static bool IsCountryCode(string code) => code.Length == 2 && code.All(char.IsAsciiLetterUpper);

    internal static void Add(Dictionary<string, string[]> errors, string field, string message) =>
        errors[field] = errors.TryGetValue(field, out string[]? existing) ? [.. existing, message] : [message];

    /// <summary>Reads typed fields of one JSON object and records a field error instead of throwing.</summary>
    sealed class FieldReader(JsonElement element, Dictionary<string, string[]> errors, string prefix)
    {
        bool TryGet(string name, bool required, out JsonElement value)
        {
            if (!element.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    Add(errors, prefix + name, "Required.");
                }

                return false;
            }

            return true;
        }

        public string? String(string name, bool required = false, int max = int.MaxValue, int min = 0)
        {
            if (!TryGet(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String)
            {
                Add(errors, prefix + name, "Must be a string.");
                return null;
            }

            string text = value.GetString()!;
            if (text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t'))
            {
                Add(errors, prefix + name, "Must not contain control characters.");
                return null;
            }

            if (text.Trim().Length < min)
            {
                Add(errors, prefix + name, required ? "Required." : $"Must have at least {min} characters.");
                return null;
            }

            if (text.Length > max)
            {
                Add(errors, prefix + name, $"Must be at most {max} characters.");
                return null;
            }

            return text;
        }

        public bool? Bool(string name, bool required = false)
        {
            if (!TryGet(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                Add(errors, prefix + name, "Must be true or false.");
                return null;
            }

            return value.GetBoolean();
        }

        public int? Int(string name, int min, int max)
        {
            if (!TryGet(name, false, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number) || number < min || number > max)
            {
                Add(errors, prefix + name, $"Must be a whole number from {min} to {max}.");
                return null;
            }

            return number;
        }

        public DateTimeOffset? Time(string name, bool required = false)
        {
            if (!TryGet(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.String
                || !DateTimeOffset.TryParseExact(value.GetString(), ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset time)
                || !HasOffset(value.GetString()!))
            {
                Add(errors, prefix + name, "Must be an ISO 8601 date and time with an offset.");
                return null;
            }

            return time;
        }

        public T? Enum<T>(string name, bool required = false) where T : struct, System.Enum
        {
            if (!TryGet(name, required, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String && KebabCase.TryParse(value.GetString()!, out T parsed))
            {
                return parsed;
            }

            Add(errors, prefix + name, "Must be one of: " + string.Join(", ", KebabCase.Names<T>()) + ".");
            return null;
        }

        public IReadOnlyList<string>? Codes(string name, int maxCount, Func<string, bool> valid, string message)
        {
            if (!TryGet(name, false, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxCount
                || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || !valid(v.GetString()!)))
            {
                Add(errors, prefix + name, $"{message} At most {maxCount}.");
                return null;
            }

            return value.EnumerateArray().Select(v => v.GetString()!).ToList();
        }

        static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
    }
}
