using System.Security.Cryptography;
using System.Text;

namespace Helsingborg.PersonHints;

/// <summary>
/// The keyed hash of a normalised alias or contact (HMAC-SHA-256 under the hint key, <see cref="PersonHintKey"/>),
/// bound to its field: equal values of one field give equal hashes, so two cases can be matched without either value
/// being stored; without the key, a guessed value cannot be checked against a stored hash.
/// </summary>
public static class PersonHintHash
{
    /// <summary>The key's size in bytes.</summary>
    public const int KeySize = 32;

    /// <summary>Lower-case hex of the HMAC of <paramref name="normalised"/> in <paramref name="field"/>.</summary>
    public static string Of(byte[] key, PersonHintField field, string normalised)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(normalised);
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The hint key is {KeySize} bytes.", nameof(key));
        }

        byte[] message = Encoding.UTF8.GetBytes($"helsingborg/person-hint/v1|{KebabCase.Name(field)}|{normalised}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, message));
    }

    /// <summary>The hashes of a person's alias and contact that are there once normalised (none for no person).</summary>
    public static IReadOnlyList<PersonHint> Of(byte[] key, string? alias, string? contact)
    {
        var hints = new List<PersonHint>(2);
        foreach ((PersonHintField field, string? value) in new[] { (PersonHintField.Alias, alias), (PersonHintField.Contact, contact) })
        {
            if (PersonHintNormaliser.Of(field, value) is { } normalised)
            {
                hints.Add(new PersonHint(field, Of(key, field, normalised)));
            }
        }

        return hints;
    }
}
