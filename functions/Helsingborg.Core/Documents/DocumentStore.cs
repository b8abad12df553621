using System.Globalization;
using System.Security.Cryptography;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Helsingborg.DataProtection;
using Helsingborg.Storage;

namespace Helsingborg.Documents;

/// <summary>A stored document's anonymous facts and, once opened, its file name.</summary>
public sealed record DocumentInfo(string DocumentId, string ContentType, long Size, DateTimeOffset UploadedAt, string UploadedBy, string? FileName);

/// <summary>
/// Case documents in the <c>case-documents</c> container at <c>{caseId}/{documentId}</c>, sealed with
/// the case's data key (authenticated data binds case and document); the file name is personal too and
/// lives sealed in the vault. Blob metadata holds only the type, size, time and organisation. Erasing
/// the case (<see cref="CaseVault.EraseAsync"/>) deletes the key and every blob under the case's prefix.
/// </summary>
public sealed class DocumentStore(CaseStorage storage, CaseVault vault)
{
    public static string NewId() => Cases.OpaqueIds.New('d');

    public static bool IsWellFormed(string? id) => Cases.OpaqueIds.IsWellFormed(id, 'd');

    static string ContentField(string documentId) => $"document/{documentId}";

    static string NameField(string documentId) => $"document/{documentId}/name";

    static string BlobName(string caseId, string documentId) => $"{caseId}/{documentId}";

    /// <summary>Seals and stores the document; false when the case has no data key (erased).</summary>
    public async Task<bool> PutAsync(string caseId, string documentId, string fileName, string contentType, byte[] content, string uploadedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        byte[]? key = await vault.GetKeyAsync(caseId, cancellationToken);
        if (key is null)
        {
            return false;
        }

        byte[] sealedContent = CaseVault.SealBytes(key, caseId, ContentField(documentId), content);
        await vault.PutAsync(caseId, key, NameField(documentId), fileName, cancellationToken);
        BlobClient blob = storage.Documents.GetBlobClient(BlobName(caseId, documentId));
        await blob.UploadAsync(new BinaryData(sealedContent), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
            Metadata = new Dictionary<string, string>
            {
                ["contenttype"] = contentType,
                ["size"] = content.Length.ToString(CultureInfo.InvariantCulture),
                ["uploadedat"] = now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["uploadedby"] = uploadedBy,
            },
        }, cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<DocumentInfo>> ListAsync(string caseId, CancellationToken cancellationToken)
    {
        var documents = new List<DocumentInfo>();
        await foreach (BlobItem item in storage.Documents.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, caseId + "/", cancellationToken))
        {
            string documentId = item.Name[(caseId.Length + 1)..];
            string? name = await vault.GetAsync(caseId, NameField(documentId), cancellationToken);
            documents.Add(Info(documentId, item.Metadata, name));
        }

        return documents.OrderBy(d => d.UploadedAt).ToList();
    }

    /// <summary>The document's facts and plaintext, or null when it does not exist or the case was erased.</summary>
    public async Task<(DocumentInfo Info, byte[] Content)?> GetAsync(string caseId, string documentId, CancellationToken cancellationToken)
    {
        BlobClient blob = storage.Documents.GetBlobClient(BlobName(caseId, documentId));
        Response<BlobDownloadResult> download;
        try
        {
            download = await blob.DownloadContentAsync(cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        byte[]? key = await vault.GetKeyAsync(caseId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        byte[] content = CaseVault.OpenBytes(key, caseId, ContentField(documentId), download.Value.Content.ToMemory().Span);
        string? name = await vault.GetAsync(caseId, NameField(documentId), cancellationToken);
        return (Info(documentId, download.Value.Details.Metadata, name), content);
    }

    static DocumentInfo Info(string documentId, IDictionary<string, string> metadata, string? fileName) => new(
        documentId,
        metadata.TryGetValue("contenttype", out string? type) ? type : "application/octet-stream",
        metadata.TryGetValue("size", out string? size) && long.TryParse(size, CultureInfo.InvariantCulture, out long bytes) ? bytes : 0,
        metadata.TryGetValue("uploadedat", out string? at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when) ? when : DateTimeOffset.MinValue,
        metadata.TryGetValue("uploadedby", out string? by) ? by : string.Empty,
        fileName);
}
