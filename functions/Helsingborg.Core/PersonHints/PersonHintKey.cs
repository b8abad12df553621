using System.Net;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Helsingborg.DataProtection;
using Helsingborg.Storage;

namespace Helsingborg.PersonHints;

/// <summary>
/// The one secret key of the person hints' HMAC (<see cref="PersonHintHash"/>): 32 random bytes made on first use and
/// stored only wrapped by the master key, as a case's data key is (<see cref="DataKeyWrapping"/>: Key Vault in Azure,
/// <c>DataProtection__MasterKey</c> locally), with the id of the master key version that wrapped it. So it works
/// wherever the vault works, needs no setting of its own, and a copy of storage without the master key cannot check a
/// guessed alias against a stored hash. Unlike a data key it is never destroyed: every hint of every case depends on it.
/// </summary>
public sealed class PersonHintKey(CaseStorage storage, DataKeyWrapping wrapping)
{
    const string Partition = "person-hint-key";
    const string Row = "v1";

    readonly TableClient table = storage.Table(CaseStorage.PersonHintKeysTable);
    byte[]? cached;

    /// <summary>The key, made and stored wrapped on first use (a concurrent maker's key wins once, as a data key's).</summary>
    /// <exception cref="CryptographicException">The stored key does not open (not wrapped for the hints).</exception>
    /// <exception cref="InvalidOperationException">It is wrapped by a master key version this app is not configured with.</exception>
    public async Task<byte[]> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref cached) is { } known)
        {
            return known;
        }

        byte[] key = await LoadOrCreateAsync(cancellationToken);
        Volatile.Write(ref cached, key);
        return key;
    }

    /// <summary>
    /// A key for another pseudonym of the same protection, bound to <paramref name="purpose"/>: HMAC-SHA-256 of the purpose
    /// under this key, so it needs no secret of its own and says nothing about the hints' hashes (the national export's
    /// person groups, <see cref="Persons.PersonGroups.Pseudonym"/>).
    /// </summary>
    public async Task<byte[]> DeriveAsync(string purpose, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HMACSHA256.HashData(await GetAsync(cancellationToken), Encoding.UTF8.GetBytes("derived|" + purpose));
    }

    /// <summary>
    /// Wraps the stored key again with the master key version <paramref name="keyId"/> (the current one), as the data
    /// keys' re-wrap does (<see cref="DataKeyRewrap"/>): true when it is wrapped with it now (or there is no key yet).
    /// The row is replaced only if it is still the one read.
    /// </summary>
    public async Task<bool> RewrapAsync(string keyId, CancellationToken cancellationToken = default)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        if (!row.HasValue || row.Value!.GetString("KeyId") == keyId)
        {
            return true;
        }

        byte[] key = await OpenAsync(row.Value, cancellationToken);
        WrappedKey wrapped = await WrapAsync(keyId, key, cancellationToken);
        try
        {
            await table.UpdateEntityAsync(Entity(wrapped), row.Value.ETag, TableUpdateMode.Replace, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is (int)HttpStatusCode.PreconditionFailed or (int)HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    async Task<byte[]> LoadOrCreateAsync(CancellationToken cancellationToken)
    {
        NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
        if (row.HasValue)
        {
            return await OpenAsync(row.Value!, cancellationToken);
        }

        byte[] key = RandomNumberGenerator.GetBytes(PersonHintHash.KeySize);
        WrappedKey wrapped = await WrapAsync(await wrapping.CurrentKeyIdAsync(cancellationToken), key, cancellationToken);
        try
        {
            await table.AddEntityAsync(Entity(wrapped), cancellationToken);
            return key;
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
            CryptographicOperations.ZeroMemory(key);
            NullableResponse<TableEntity> made = await table.GetEntityIfExistsAsync<TableEntity>(Partition, Row, cancellationToken: cancellationToken);
            return made.HasValue
                ? await OpenAsync(made.Value!, cancellationToken)
                : throw new InvalidOperationException("The person hint key vanished while it was made.");
        }
    }

    async Task<WrappedKey> WrapAsync(string keyId, byte[] key, CancellationToken cancellationToken)
    {
        byte[] bound = [.. key, .. Binding];
        try
        {
            return await wrapping.WrapAsync(keyId, bound, cancellationToken);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
    }

    async Task<byte[]> OpenAsync(TableEntity row, CancellationToken cancellationToken)
    {
        byte[] wrapped = row.GetBinary("Wrapped") ?? throw new CryptographicException("A person hint key row without a wrapped key.");
        string keyId = row.GetString("KeyId") ?? throw new CryptographicException("A person hint key row without a key id.");
        byte[] bound = await wrapping.UnwrapAsync(new WrappedKey(keyId, wrapped), cancellationToken);
        try
        {
            if (bound.Length != PersonHintHash.KeySize + Binding.Length
                || !CryptographicOperations.FixedTimeEquals(bound.AsSpan(PersonHintHash.KeySize), Binding))
            {
                throw new CryptographicException("The wrapped key is not the person hint key.");
            }

            return bound[..PersonHintHash.KeySize];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bound);
        }
    }

    static TableEntity Entity(WrappedKey wrapped) => new(Partition, Row) { ["Wrapped"] = wrapped.Value, ["KeyId"] = wrapped.KeyId };

    // Wrapped after the key, so a case's data key (bound to its case) copied into this row fails to open, and back.
    static readonly byte[] Binding = SHA256.HashData(Encoding.UTF8.GetBytes("helsingborg/person-hint-key/v1"));
}
