using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.DataProtection;

/// <summary>A data key as stored: wrapped by the master key version <see cref="KeyId"/> names.</summary>
public sealed record WrappedKey(string KeyId, byte[] Value);

/// <summary>
/// A master key that wraps case data keys and never leaves its store: Key Vault in Azure
/// (<see cref="KeyVaultKeyWrapper"/>), a configured key locally (<see cref="LocalKeyWrapper"/>). A key id names
/// the key and its version, so a data key wrapped under an old version still unwraps after a rotation until it is
/// re-wrapped (<see cref="DataKeyRewrap"/>).
/// </summary>
public interface IKeyWrapper
{
    /// <summary>The id, with version, of the key version that wraps new data keys now.</summary>
    Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default);

    /// <summary>Wraps <paramref name="plaintext"/> with the key version <paramref name="keyId"/> (one this wrapper owns).</summary>
    Task<WrappedKey> WrapAsync(string keyId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default);

    /// <summary>Unwraps; throws <see cref="CryptographicException"/> when the value was not wrapped by that key version.</summary>
    Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default);

    /// <summary>Whether <paramref name="keyId"/> names a version of this wrapper's key (a row's key id is never sent elsewhere).</summary>
    bool Owns(string keyId);
}

/// <summary>
/// The master keys the app holds: the current one wraps every new data key, and each configured one unwraps what
/// it wrapped. In Azure the current one is the Key Vault key (<c>DataProtection__KeyVaultKeyId</c>); locally, or
/// while an old deployment's data keys are moved off a configured key, <c>DataProtection__MasterKey</c> is there too.
/// </summary>
public sealed class DataKeyWrapping
{
    readonly IReadOnlyList<IKeyWrapper> all;

    public DataKeyWrapping(IKeyWrapper current, LocalKeyWrapper? local = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        Current = current;
        Local = local;
        all = local is null || ReferenceEquals(local, current) ? [current] : [current, local];
    }

    /// <summary>The wrapper whose current key version wraps new data keys.</summary>
    public IKeyWrapper Current { get; }

    /// <summary>The configured local key, when there is one: it also opens data keys stored before key ids existed.</summary>
    public LocalKeyWrapper? Local { get; }

    public Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default) => Current.CurrentKeyIdAsync(cancellationToken);

    public Task<WrappedKey> WrapAsync(string keyId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default) =>
        Current.WrapAsync(keyId, plaintext, cancellationToken);

    /// <exception cref="InvalidOperationException">No configured wrapper owns the stored key id.</exception>
    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        IKeyWrapper owner = all.FirstOrDefault(w => w.Owns(wrapped.KeyId))
            ?? throw new InvalidOperationException("A data key is wrapped by a master key this app is not configured with.");
        return owner.UnwrapAsync(wrapped, cancellationToken);
    }

    /// <summary>
    /// Key Vault when <c>DataProtection:KeyVaultKeyId</c> is set (then <c>DataProtection:MasterKey</c> is optional and
    /// only unwraps), else the local key, which is then required.
    /// </summary>
    public static DataKeyWrapping FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection("DataProtection");
        LocalKeyWrapper? local = string.IsNullOrWhiteSpace(section["MasterKey"]) ? null : LocalKeyWrapper.FromConfiguration(configuration);
        if (section["KeyVaultKeyId"] is { Length: > 0 } keyId)
        {
            return new DataKeyWrapping(KeyVaultKeyWrapper.FromConfiguration(keyId, section), local);
        }

        return new DataKeyWrapping(local ?? throw new InvalidOperationException(
            "Neither DataProtection:KeyVaultKeyId (Azure) nor DataProtection:MasterKey (local) is configured."), local);
    }
}
