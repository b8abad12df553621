using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.DataProtection;

/// <summary>
/// Holds a case's personal data (data-protection.md rules 1–3): each case has its own data key,
/// stored only wrapped by the master key; every field is sealed with AES-256-GCM bound to its case
/// and field. Erasing a case destroys its key, after which nothing of it can be decrypted.
/// </summary>
public sealed class CaseVault
{
    readonly TableClient keys;
    readonly TableClient secrets;
    readonly CaseStorage storage;
    readonly MasterKey master;

    public CaseVault(CaseStorage storage, MasterKey master)
    {
        this.storage = storage;
        this.master = master;
        keys = storage.Table(CaseStorage.DataKeysTable);
        secrets = storage.Table(CaseStorage.SecretsTable);
    }

    /// <summary>Creates the case's data key unless it exists (idempotent; a concurrent creator wins once).</summary>
    public async Task<byte[]> EnsureKeyAsync(string caseId, CancellationToken cancellationToken = default)
    {
        byte[] dataKey = RandomNumberGenerator.GetBytes(32);
        var entity = new TableEntity(caseId, KeyRowKey(caseId)) { ["Wrapped"] = Sealing.Seal(master.Key, dataKey, KeyContext(caseId)) };
        try
        {
            await keys.AddEntityAsync(entity, cancellationToken);
            return dataKey;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            return await GetKeyAsync(caseId, cancellationToken)
                ?? throw new InvalidOperationException("The case's data key vanished while it was created.");
        }
    }

    /// <summary>The case's data key, or null when the case was erased or never had one.</summary>
    public async Task<byte[]?> GetKeyAsync(string caseId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await keys.GetEntityIfExistsAsync<TableEntity>(caseId, KeyRowKey(caseId), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetBinary("Wrapped") is not { } wrapped)
        {
            return null;
        }

        return Sealing.Open(master.Key, wrapped, KeyContext(caseId));
    }

    /// <summary>
    /// Seals a field with the case's existing data key. Never creates one: only intake does
    /// (<see cref="EnsureKeyAsync"/>), so nothing personal can be written to an erased case.
    /// </summary>
    /// <exception cref="CaseErasedException">The case has no data key (erased, or never opened).</exception>
    public async Task PutAsync(string caseId, string field, string plaintext, CancellationToken cancellationToken = default)
    {
        byte[] key = await GetKeyAsync(caseId, cancellationToken) ?? throw new CaseErasedException();
        await PutAsync(caseId, key, field, plaintext, cancellationToken);
    }

    /// <summary>Seals a field with a data key the caller already holds (from <see cref="EnsureKeyAsync"/>), saving a read.</summary>
    public async Task PutAsync(string caseId, byte[] key, string field, string plaintext, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(caseId, FieldRowKey(caseId, field))
        {
            ["Data"] = Sealing.Seal(key, Encoding.UTF8.GetBytes(plaintext), FieldContext(caseId, field)),
        };
        await secrets.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The field's plaintext; null when absent or when the case's key is gone (erased).</summary>
    public async Task<string?> GetAsync(string caseId, string field, CancellationToken cancellationToken = default)
    {
        byte[]? key = await GetKeyAsync(caseId, cancellationToken);
        if (key is null)
        {
            return null;
        }

        NullableResponse<TableEntity> row = await secrets.GetEntityIfExistsAsync<TableEntity>(caseId, FieldRowKey(caseId, field), cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetBinary("Data") is not { } data)
        {
            return null;
        }

        return Encoding.UTF8.GetString(Sealing.Open(key, data, FieldContext(caseId, field)));
    }

    /// <summary>Seals a document's bytes with the case's key, bound to the case and document.</summary>
    public static byte[] SealBytes(byte[] key, string caseId, string field, ReadOnlySpan<byte> plaintext) =>
        Sealing.Seal(key, plaintext, FieldContext(caseId, field));

    public static byte[] OpenBytes(byte[] key, string caseId, string field, ReadOnlySpan<byte> sealedValue) =>
        Sealing.Open(key, sealedValue, FieldContext(caseId, field));

    /// <summary>
    /// Erasure is key destruction: the key row goes first, then the ciphertexts and documents.
    /// Idempotent: erasing an erased case does nothing.
    /// </summary>
    public async Task EraseAsync(string caseId, CancellationToken cancellationToken = default)
    {
        await IgnoreNotFound(keys.DeleteEntityAsync(caseId, KeyRowKey(caseId), ETag.All, cancellationToken));
        await foreach (TableEntity row in secrets.QueryAsync<TableEntity>(e => e.PartitionKey == caseId, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            await IgnoreNotFound(secrets.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken));
        }

        await foreach (var blob in storage.Documents.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, caseId + "/", cancellationToken))
        {
            await storage.Documents.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken);
        }
    }

    static async Task IgnoreNotFound(Task task)
    {
        try
        {
            await task;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }

    // Row keys carry the case id although the partition key already does: Azurite's table store looks an
    // entity up by row key first, so a row key shared by every case ("key", "intake") made each read and
    // write scan all cases and the local host slowed down as they accumulated. Azure does not mind either way.
    internal static string KeyRowKey(string caseId) => caseId;

    internal static string FieldRowKey(string caseId, string field) => $"{caseId}|{field.Replace('/', '_')}";

    static string KeyContext(string caseId) => $"helsingborg/data-key/v1|{caseId}";

    static string FieldContext(string caseId, string field) => $"helsingborg/field/v1|{caseId}|{field}";
}

/// <summary>Personal data cannot be stored for a case whose data key is gone: erasure is final.</summary>
public sealed class CaseErasedException : InvalidOperationException
{
    public CaseErasedException()
        : base("The case's personal data has been erased; nothing personal can be stored for it.")
    {
    }
}
