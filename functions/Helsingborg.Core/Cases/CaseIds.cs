using System.Security.Cryptography;

namespace Helsingborg.Cases;

/// <summary>
/// Opaque, unguessable ids: a one-letter prefix, "_" and 26 characters of Crockford base32 drawn from
/// 130 random bits. No counter and nothing personal, so an id says nothing about what it names.
/// Cases use "c", documents "d", outreach sessions "o".
/// </summary>
public static class OpaqueIds
{
    const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(char prefix)
    {
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        return From(prefix, bytes);
    }

    /// <summary>The same id for the same <paramref name="seed"/> (a retried request's key), unguessable without it.</summary>
    public static string Derived(char prefix, string seed) => From(prefix, SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)));

    static string From(char prefix, ReadOnlySpan<byte> bytes)
    {
        Span<char> chars = stackalloc char[28];
        chars[0] = prefix;
        chars[1] = '_';
        for (int i = 0; i < 26; i++)
        {
            chars[i + 2] = Alphabet[bytes[i] & 31];
        }

        return new string(chars);
    }

    public static bool IsWellFormed(string? id, char prefix) =>
        id is { Length: 28 } && id[0] == prefix && id[1] == '_' && id.AsSpan(2).IndexOfAnyExcept(Alphabet) < 0;
}

/// <summary>Case ids (instance id = case id).</summary>
public static class CaseIds
{
    public static string New() => OpaqueIds.New('c');

    public static bool IsWellFormed(string? id) => OpaqueIds.IsWellFormed(id, 'c');
}
