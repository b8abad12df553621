using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.DataProtection;

/// <summary>
/// The master key outside Azure: configured keys by version, base64 of 32 bytes each. <c>DataProtection__MasterKey</c>
/// is the current version (named by <c>DataProtection__MasterKeyVersion</c>, default <c>1</c>);
/// <c>DataProtection__PreviousMasterKeys__{version}</c> are older ones, kept until the re-wrap job has moved their
/// data keys. A stored key id is <c>local/master/{version}</c>, like Key Vault's key id with its version. Wrapping is
/// AES-256-GCM bound to that key id.
/// </summary>
public sealed partial class LocalKeyWrapper : IKeyWrapper
{
    /// <summary>The sample key shipped in local.settings.sample.json: refused outside Development.</summary>
    public const string DemoValue = "ZGVtby1tYXN0ZXIta2V5LWxvY2FsLW9ubHktMzJieXQ=";

    public const string KeyIdPrefix = "local/master/";

    /// <summary>The version data keys stored before key ids existed were wrapped with (the only key there was).</summary>
    public const string LegacyVersion = "1";

    readonly Dictionary<string, byte[]> keys;
    readonly string currentVersion;

    public LocalKeyWrapper(string currentVersion, byte[] currentKey, IReadOnlyDictionary<string, byte[]>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(currentKey);
        CheckVersion(currentVersion);
        CheckKey(currentKey, "DataProtection:MasterKey");
        this.currentVersion = currentVersion;
        keys = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [currentVersion] = currentKey };
        foreach ((string version, byte[] key) in previous ?? new Dictionary<string, byte[]>())
        {
            CheckVersion(version);
            CheckKey(key, $"DataProtection:PreviousMasterKeys:{version}");
            if (!keys.TryAdd(version, key))
            {
                throw new InvalidOperationException($"DataProtection:PreviousMasterKeys:{version} repeats the current version.");
            }
        }
    }

    public static string KeyIdOf(string version) => KeyIdPrefix + version;

    public Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default) => Task.FromResult(KeyIdOf(currentVersion));

    public Task<WrappedKey> WrapAsync(string keyId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default) =>
        Task.FromResult(new WrappedKey(keyId, Sealing.Seal(KeyOf(keyId), plaintext.Span, Context(keyId))));

    public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        return Task.FromResult(Sealing.Open(KeyOf(wrapped.KeyId), wrapped.Value, Context(wrapped.KeyId)));
    }

    public bool Owns(string keyId) => keyId?.StartsWith(KeyIdPrefix, StringComparison.Ordinal) == true;

    /// <summary>Opens a data key stored before key ids existed: sealed directly with the master key, bound to its case.</summary>
    internal byte[] OpenLegacy(ReadOnlySpan<byte> wrapped, string associatedData) =>
        Sealing.Open(KeyOf(KeyIdOf(LegacyVersion)), wrapped, associatedData);

    byte[] KeyOf(string keyId)
    {
        if (!Owns(keyId))
        {
            throw new InvalidOperationException("Not a local master key id.");
        }

        string version = keyId[KeyIdPrefix.Length..];
        return keys.TryGetValue(version, out byte[]? key)
            ? key
            : throw new InvalidOperationException($"Local master key version '{version}' is not configured (DataProtection:MasterKey or DataProtection:PreviousMasterKeys:{version}).");
    }

    static string Context(string keyId) => $"helsingborg/key-wrap/v1|{keyId}";

    public static LocalKeyWrapper FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        IConfigurationSection section = configuration.GetSection("DataProtection");
        string version = section["MasterKeyVersion"] is { Length: > 0 } named ? named.Trim() : LegacyVersion;
        var previous = section.GetSection("PreviousMasterKeys").GetChildren()
            .Where(c => !string.IsNullOrWhiteSpace(c.Value))
            .ToDictionary(c => c.Key, c => Decode(c.Value!, $"DataProtection:PreviousMasterKeys:{c.Key}"), StringComparer.Ordinal);
        return new LocalKeyWrapper(version, Decode(section["MasterKey"], "DataProtection:MasterKey"), previous);
    }

    static byte[] Decode(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{name} is not configured.");
        }

        try
        {
            return Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{name} is not valid base64.");
        }
    }

    static void CheckKey(byte[] key, string name)
    {
        if (key.Length != 32)
        {
            throw new InvalidOperationException($"{name} must be 32 bytes.");
        }
    }

    static void CheckVersion(string version)
    {
        if (version is null || !VersionName().IsMatch(version))
        {
            throw new InvalidOperationException("A local master key version is 1–32 letters, digits, '.', '_' or '-'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,32}$")]
    private static partial Regex VersionName();
}
