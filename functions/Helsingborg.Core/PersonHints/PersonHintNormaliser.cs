using System.Text;

namespace Helsingborg.PersonHints;

/// <summary>
/// Brings an alias or a contact to the one form two reports of the same person most likely share, before it is hashed
/// (<see cref="PersonHintHash"/>): what differs only in spacing, case or the way a number is written hashes the same.
/// </summary>
public static class PersonHintNormaliser
{
    const int MinPhoneDigits = 5;
    const string SwedishCountryCode = "46";

    /// <summary>Unicode compatibility form, trimmed, whitespace collapsed to one space, lower case; null when nothing is left.</summary>
    public static string? Text(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var builder = new StringBuilder(value.Length);
        bool space = false;
        foreach (char c in value.Normalize(NormalizationForm.FormKC).Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>The alias as <see cref="Text"/>.</summary>
    public static string? Alias(string? alias) => Text(alias);

    /// <summary>
    /// An e-mail address (it has an <c>@</c>) without any whitespace, lower case; a phone number (only digits, spaces and
    /// <c>+ - ( ) . /</c>, at least five digits) reduced to its digits, a Swedish one (<c>+46</c>, <c>0046</c>, also with
    /// <c>(0)</c>) in its national form <c>0…</c> and another country's as <c>+</c> and its digits; anything else as
    /// <see cref="Text"/>.
    /// </summary>
    public static string? Contact(string? contact)
    {
        string? text = Text(contact);
        if (text is null)
        {
            return null;
        }

        if (text.Contains('@', StringComparison.Ordinal))
        {
            return string.Concat(text.Where(c => c != ' '));
        }

        return Phone(text) ?? text;
    }

    static string? Phone(string text)
    {
        if (!text.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.' or '/'))
        {
            return null;
        }

        string digits = string.Concat(text.Where(char.IsAsciiDigit));
        if (digits.Length < MinPhoneDigits)
        {
            return null;
        }

        string? international = text.StartsWith('+') ? digits
            : digits.StartsWith("00", StringComparison.Ordinal) ? digits[2..]
            : null;
        if (international is null)
        {
            return digits;
        }

        return international.StartsWith(SwedishCountryCode, StringComparison.Ordinal)
            ? "0" + international[SwedishCountryCode.Length..].TrimStart('0')
            : "+" + international;
    }

    /// <summary>The normalised value of a field (<see cref="Alias"/> or <see cref="Contact"/>).</summary>
    public static string? Of(PersonHintField field, string? value) => field switch
    {
        PersonHintField.Alias => Alias(value),
        PersonHintField.Contact => Contact(value),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };
}
