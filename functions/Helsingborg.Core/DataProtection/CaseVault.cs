using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.DataProtection;

/// <summary>
/// Holds a case's personal data (data-protection.md rules 1–3): each case has its own data key,
/// stored only wrapped by the master key (<see cref="DataKeyWrapping"/>: a Key Vault key in Azure), together with the
/// id and version of the master key that wrapped it; every field is sealed with AES-256-GCM bound to its case
/// and field. Erasing a case destroys its key, after which nothing of it can be decrypted.
/// </summary>
/// <remarks>
/// A data key row holds <c>Wrapped</c> and <c>KeyId</c>. What is wrapped is the data key followed by a hash naming the
/// case, so a row copied to another case fails to open even though an RSA key wrap binds nothing else. A row
/// without <c>KeyId</c> was stored before key ids existed: the data key sealed directly with the local master key
/// (version 1), bound to its case; it still opens, and the re-wrap job moves it to the current key.
/// </remarks>
public sealed class CaseVault
{
    const int DataKeySize = 32;

    readonly TableClient keys;
    readonly TableClient secrets;
    readonly CaseStorage storage;
    readonly DataKeyWrapping wrapping;

    public CaseVault(CaseStorage storage, DataKeyWrapping wrapping)
    {
        this.storage = storage;
        this.wrapping = wrapping;
        keys = storage.Table(CaseStorage.DataKeysTable);
        secrets = storage.Table(CaseStorage.SecretsTable);
    }

    /// <summary>Creates the case's data key unless it exists (idempotent; a concurrent creator wins once).</summary>
    public async Task<byte[]> EnsureKeyAsync(string caseId, CancellationToken cancellationToken = default)
    {
        byte[] dataKey = RandomNumberGenerator.GetBytes(DataKeySize);
        string keyId = await wrapping.CurrentKeyIdAsync(cancellationToken);
        WrappedKey wrapped = await WrapAsync(keyId, dataKey, caseId, cancellationToken);
        var entity = new TableEntity(caseId, KeyRowKey(caseId)) { ["Wrapped"] = wrapped.Value, ["KeyId"] = wrapped.KeyId };
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
        return row.HasValue ? await OpenAsync(caseId, row.Value!, cancellationToken) : null;
    }

    /// <summary>The id of the master key version that wraps the case's data key; null when erased (or stored before key ids).</summary>
    public async Task<string?> KeyIdOfAsync(string caseId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await keys.GetEntityIfExistsAsync<TableEntity>(caseId, KeyRowKey(caseId), select: ["KeyId"], cancellationToken: cancellationToken);
        return row.HasValue ? row.Value!.GetString("KeyId") : null;
    }

    /// <summary>Every stored data key: its case and the id of the master key version that wraps it (null: stored before key ids).</summary>
    public async IAsyncEnumerable<(string CaseId, string? KeyId)> DataKeysAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (TableEntity row in keys.QueryAsync<TableEntity>(select: ["PartitionKey", "KeyId"], cancellationToken: cancellationToken))
        {
            yield return (row.PartitionKey, row.GetString("KeyId"));
        }
    }

    /// <summary>
    /// Wraps the case's data key again with the master key version <paramref name="keyId"/> (the current one), leaving
    /// its ciphertexts as they are. The row is replaced only if it is still the one read: a key erased meanwhile is
    /// never written back (<see cref="RewrapOutcome.Gone"/>), and one changed meanwhile is left to the next run.
    /// </summary>
    public async Task<RewrapOutcome> RewrapAsync(string caseId, string keyId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await keys.GetEntityIfExistsAsync<TableEntity>(caseId, KeyRowKey(caseId), cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return RewrapOutcome.Gone;
        }

        if (row.Value!.GetString("KeyId") == keyId)
        {
            return RewrapOutcome.AlreadyCurrent;
        }

        byte[] dataKey = await OpenAsync(caseId, row.Value, cancellationToken);
        WrappedKey wrapped;
        try
        {
            wrapped = await WrapAsync(keyId, dataKey, caseId, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }

        var entity = new TableEntity(caseId, KeyRowKey(caseId)) { ["Wrapped"] = wrapped.Value, ["KeyId"] = wrapped.KeyId };
        try
        {
            await keys.UpdateEntityAsync(entity, row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return RewrapOutcome.Rewrapped;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
            return RewrapOutcome.Gone;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.PreconditionFailed)
        {
            return RewrapOutcome.Changed;
        }
    }

    async Task<WrappedKey> WrapAsync(string keyId, byte[] dataKey, string caseId, CancellationToken cancellationToken)
    {
        byte[] bound = [.. dataKey, .. CaseBinding(caseId)];
        try
        {
            return await wrapping.WrapAsync(keyId, bound, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
    }

    async Task<byte[]> OpenAsync(string caseId, TableEntity row, CancellationToken cancellationToken)
    {
        byte[] wrapped = row.GetBinary("Wrapped") ?? throw new CryptographicException("A data key row without a wrapped key.");
        if (row.GetString("KeyId") is not { Length: > 0 } keyId)
        {
            LocalKeyWrapper local = wrapping.Local
                ?? throw new InvalidOperationException("A data key stored before key ids existed needs the local master key (DataProtection:MasterKey) to open.");
            return local.OpenLegacy(wrapped, LegacyKeyContext(caseId));
        }

        byte[] bound = await wrapping.UnwrapAsync(new WrappedKey(keyId, wrapped), cancellationToken);
        try
        {
            if (bound.Length != DataKeySize + SHA256.HashSizeInBytes
                || !CryptographicOperations.FixedTimeEquals(bound.AsSpan(DataKeySize), CaseBinding(caseId)))
            {
                throw new CryptographicException("The data key was wrapped for another case.");
            }

            return bound[..DataKeySize];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
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
    /// Erasure is key destruction: the key row goes first, then the ciphertexts, documents and the person hints (the keyed
    /// hashes of the person's alias and contact, <see cref="PersonHints.PersonHintStore"/>), so an erased case is no
    /// longer suggested as possibly the same person. Idempotent: erasing an erased case does nothing.
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

        await PersonHints.PersonHintStore.EraseAsync(storage, caseId, cancellationToken);
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

    static string LegacyKeyContext(string caseId) => $"helsingborg/data-key/v1|{caseId}";

    static byte[] CaseBinding(string caseId) => SHA256.HashData(Encoding.UTF8.GetBytes($"helsingborg/data-key/v2|{caseId}"));

    static string FieldContext(string caseId, string field) => $"helsingborg/field/v1|{caseId}|{field}";
}

/// <summary>What re-wrapping one data key did.</summary>
public enum RewrapOutcome
{
    /// <summary>Wrapped again with the current master key version.</summary>
    Rewrapped,

    /// <summary>Already wrapped with it.</summary>
    AlreadyCurrent,

    /// <summary>Erased (or erased while it was re-wrapped): nothing was written.</summary>
    Gone,

    /// <summary>Changed by someone else while it was re-wrapped: left for the next run.</summary>
    Changed,
}

/// <summary>Personal data cannot be stored for a case whose data key is gone: erasure is final.</summary>
public sealed class CaseErasedException : InvalidOperationException
{
    public CaseErasedException()
        : base("The case's personal data has been erased; nothing personal can be stored for it.")
    {
    }
}
