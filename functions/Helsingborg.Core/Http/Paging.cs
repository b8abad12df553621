using System.Buffers.Text;
using System.Text;

namespace Helsingborg.Http;

/// <summary>
/// Opaque cursors for <c>{ items, next }</c> paging: the storage continuation token, base64url-encoded so
/// callers treat it as a token and a malformed one is recognised (400) instead of reaching storage. It holds only
/// storage keys (case ids, kinds, times), never personal data.
/// </summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static string? Encode(string? continuation) =>
        continuation is null ? null : Base64Url.EncodeToString(Encoding.UTF8.GetBytes(continuation));

    public static bool TryDecode(string? cursor, out string? continuation)
    {
        continuation = null;
        if (string.IsNullOrEmpty(cursor))
        {
            return true;
        }

        if (cursor.Length > 2048 || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        continuation = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        // Azure Tables' token is the next partition key and row key, separated by a space.
        return continuation.IndexOf(' ', StringComparison.Ordinal) > 0 && !continuation.Any(char.IsControl);
    }

    /// <summary>Reads <c>limit</c> (1–200, default 50) and <c>cursor</c>, adding errors by field.</summary>
    public static (int Limit, string? Continuation) Read(Microsoft.AspNetCore.Http.IQueryCollection query, Dictionary<string, string[]> errors)
    {
        int limit = DefaultLimit;
        if (query["limit"].FirstOrDefault() is { } text)
        {
            if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit)
            {
                errors["limit"] = [$"Must be a whole number from 1 to {MaxLimit}."];
                limit = DefaultLimit;
            }
        }

        if (!TryDecode(query["cursor"].FirstOrDefault(), out string? continuation))
        {
            errors["cursor"] = ["Must be the next value of a previous page."];
        }

        return (limit, continuation);
    }
}
