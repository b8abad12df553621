using System.Security.Cryptography;

namespace Helsingborg.Cases;

/// <summary>
/// Case ids are opaque and unguessable: "c_" and 26 characters of Crockford base32 drawn from
/// 130 random bits. No counter and nothing personal, so an id says nothing about the case.
/// </summary>
public static class CaseIds
{
    const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New()
    {
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        Span<char> chars = stackalloc char[28];
        chars[0] = 'c';
        chars[1] = '_';
        for (int i = 0; i < 26; i++)
        {
            chars[i + 2] = Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }

    public static bool IsWellFormed(string? id) =>
        id is { Length: 28 } && id.StartsWith("c_", StringComparison.Ordinal) && id.AsSpan(2).IndexOfAnyExcept(Alphabet) < 0;
}
