using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Helsingborg.Http;

/// <summary>Reads a bounded request body: 413 past the limit, 415 for a media type not accepted, 400 for broken JSON.</summary>
public static class RequestBody
{
    public const int JsonLimit = 64 * 1024;

    public static bool IsJson(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) ?? false))
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    public static bool IsForm(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
        && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body's bytes, or null when it is longer than <paramref name="limit"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Parses JSON (depth at most 16); null when it is not well-formed UTF-8 JSON.</summary>
    public static JsonDocument? ParseJson(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads a JSON object body of at most 64 KiB, or the problem that answers it.</summary>
    public static async Task<(JsonDocument? Document, IResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsJson(request))
        {
            return (null, Problems.UnsupportedMediaType("application/json"));
        }

        byte[]? bytes = await ReadAsync(request, JsonLimit, cancellationToken);
        if (bytes is null)
        {
            return (null, Problems.PayloadTooLarge(JsonLimit));
        }

        JsonDocument? document = ParseJson(bytes);
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document?.Dispose();
            return (null, Problems.Validation(new Dictionary<string, string[]> { ["$"] = ["The body must be a well-formed JSON object."] }));
        }

        return (document, null);
    }
}
