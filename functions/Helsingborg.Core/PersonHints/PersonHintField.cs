using System.Text.Json.Serialization;

namespace Helsingborg.PersonHints;

/// <summary>Which of a person's details two cases share when they are suggested as possibly the same person.</summary>
[JsonConverter(typeof(KebabCaseEnumConverter<PersonHintField>))]
public enum PersonHintField
{
    /// <summary>The name the person goes by (<c>person.alias</c>).</summary>
    Alias,

    /// <summary>How the person can be reached (<c>person.contact</c>): a phone number, an e-mail address or other text.</summary>
    Contact,
}
