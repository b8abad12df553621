using Microsoft.Extensions.Configuration;

namespace Helsingborg.DataProtection;

/// <summary>
/// The key that wraps every case's data key (<c>DataProtection__MasterKey</c>, base64 of 32 bytes;
/// a Key Vault reference in Azure). It never encrypts personal data directly.
/// </summary>
public sealed class MasterKey
{
    /// <summary>The sample key shipped in local.settings.sample.json: refused outside Development.</summary>
    public const string DemoValue = "ZGVtby1tYXN0ZXIta2V5LWxvY2FsLW9ubHktMzJieXQ=";

    internal MasterKey(byte[] key) => Key = key;

    internal byte[] Key { get; }

    public static MasterKey FromConfiguration(IConfiguration configuration)
    {
        string? value = configuration["DataProtection:MasterKey"];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException("DataProtection:MasterKey is not configured.");
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(value.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("DataProtection:MasterKey is not valid base64.");
        }

        if (key.Length != 32)
        {
            throw new InvalidOperationException("DataProtection:MasterKey must be 32 bytes.");
        }

        return new MasterKey(key);
    }
}
