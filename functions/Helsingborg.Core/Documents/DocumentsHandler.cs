using System.Text;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Helsingborg.Documents;

/// <summary>
/// <c>POST/GET /api/cases/{caseId}/documents[/{documentId}]</c>: upload (a raw body with Content-Type
/// and X-File-Name, or multipart/form-data with one file), list, and download. Only pdf, jpeg, png and
/// plain text, recognised by content; at most 10 MiB. Every call on a visible case is access-logged.
/// </summary>
public sealed class DocumentsHandler(CaseReadHandler cases, DocumentStore documents, AccessLog accessLog, TimeProvider clock)
{
    public const int MaxBytes = 10 * 1024 * 1024;
    public const string FileNameHeader = "X-File-Name";
    const int MultipartOverhead = 64 * 1024;

    public async Task<IResult> UploadAsync(ApiCall call)
    {
        (CaseRow? row, Access.CaseAccess access, IResult? notFound) = await cases.FindWithAccessAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        if (access.Level != Access.CaseAccessLevel.Full)
        {
            return CaseReadHandler.ReadOnly();
        }

        if (row.State?.Erased == true)
        {
            return Problems.Conflict("The case's personal data was erased; it takes no documents.");
        }

        HttpRequest request = call.Request;
        bool multipart = DocumentContent.MediaType(request.ContentType) == "multipart/form-data";
        if (request.ContentLength > MaxBytes + (multipart ? MultipartOverhead : 0))
        {
            return Problems.PayloadTooLarge(MaxBytes);
        }

        // Up to 10 MiB on the client's time: the request's deadline bounds the waiting for storage, not a slow upload.
        (byte[]? content, string? declaredType, string? fileName, IResult? problem) = await call.OnClientTimeAsync(aborted => multipart
            ? ReadMultipartAsync(request, aborted)
            : ReadRawAsync(request, aborted));
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        string? cleanName = CleanFileName(fileName);
        if (cleanName is null)
        {
            errors["fileName"] = ["A file name of 1 to 255 characters is required (header X-File-Name, percent-encoded if needed, or the multipart file name)."];
        }

        if (content is not { Length: > 0 })
        {
            errors["file"] = ["The document is empty."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        string? detected = DocumentContent.Detect(content);
        if (declaredType is null || !DocumentContent.Accepted.Contains(declaredType) || detected != declaredType)
        {
            return Problems.UnsupportedMediaType("a pdf, jpeg, png or plain-text (UTF-8) document whose content matches its Content-Type");
        }

        string documentId = DocumentStore.NewId();
        DateTimeOffset now = clock.GetUtcNow();
        if (!await documents.PutAsync(row.CaseId, documentId, cleanName!, detected, content!, call.Authenticated.Organisation, now, call.Aborted))
        {
            return Problems.Conflict("The case's personal data was erased; it takes no documents.");
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "upload-document", call.Aborted);
        return Results.Json(new DocumentCreated(documentId), ApiJson.Options, statusCode: StatusCodes.Status201Created);
    }

    public async Task<IResult> ListAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await cases.FindAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        IReadOnlyList<DocumentInfo> items = await documents.ListAsync(row.CaseId, call.Aborted);
        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "list-documents", call.Aborted);
        return Results.Json(new DocumentList(items), ApiJson.Options);
    }

    public async Task<IResult> DownloadAsync(ApiCall call)
    {
        (CaseRow? row, IResult? notFound) = await cases.FindAsync(call);
        if (row is null)
        {
            return notFound!;
        }

        string documentId = call.Route("documentId");
        var found = DocumentStore.IsWellFormed(documentId) ? await documents.GetAsync(row.CaseId, documentId, call.Aborted) : null;
        if (found is not { } document)
        {
            return Problems.NotFound("No such document.");
        }

        await accessLog.AppendAsync(call.Authenticated, row.CaseId, "read-document", call.Aborted);
        IHeaderDictionary headers = call.Request.HttpContext.Response.Headers;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.ContentSecurityPolicy] = "default-src 'none'; sandbox";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(document.Info.FileName ?? documentId);
        headers[HeaderNames.ContentDisposition] = disposition.ToString();
        string type = document.Info.ContentType == DocumentContent.Text ? "text/plain; charset=utf-8" : document.Info.ContentType;
        return Results.Bytes(document.Content, type);
    }

    static async Task<(byte[]? Content, string? Type, string? FileName, IResult? Problem)> ReadRawAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? name = request.Headers[FileNameHeader].FirstOrDefault();
        if (name is not null)
        {
            try
            {
                name = Uri.UnescapeDataString(name);
            }
            catch (UriFormatException)
            {
                name = null;
            }
        }

        byte[]? bytes = await RequestBody.ReadAsync(request, MaxBytes, cancellationToken);
        return bytes is null
            ? (null, null, null, Problems.PayloadTooLarge(MaxBytes))
            : (bytes, DocumentContent.MediaType(request.ContentType), name, null);
    }

    static async Task<(byte[]? Content, string? Type, string? FileName, IResult? Problem)> ReadMultipartAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return (null, null, null, Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["The multipart body has no boundary."] }));
        }

        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition) || !disposition.IsFileDisposition())
                {
                    continue;
                }

                byte[]? bytes = await ReadBoundedAsync(section.Body, MaxBytes, cancellationToken);
                if (bytes is null)
                {
                    return (null, null, null, Problems.PayloadTooLarge(MaxBytes));
                }

                string? name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                return (bytes, DocumentContent.MediaType(section.ContentType), name, null);
            }
        }
        catch (InvalidDataException)
        {
            return (null, null, null, Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["The multipart body is not well-formed."] }));
        }

        return (null, null, null, Problems.Validation(new Dictionary<string, string[]> { ["file"] = ["The multipart body holds no file."] }));
    }

    static async Task<byte[]?> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>The last path segment, without control characters; null when nothing usable is left.</summary>
    static string? CleanFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        string last = name.Replace('\\', '/').Split('/')[^1].Trim();
        var clean = new StringBuilder(last.Length);
        foreach (char c in last)
        {
            if (!char.IsControl(c))
            {
                clean.Append(c);
            }
        }

        return clean.Length is > 0 and <= 255 && clean.ToString() is not ("." or "..") ? clean.ToString() : null;
    }
}
