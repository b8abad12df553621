using System.Security.Cryptography;
using System.Text;

namespace Helsingborg.DataProtection;

/// <summary>
/// AES-256-GCM with associated data. The associated data names what a ciphertext belongs to
/// (case and field), so a ciphertext copied to another case or field fails to open.
/// Layout: version byte, 12-byte nonce, 16-byte tag, ciphertext.
/// </summary>
internal static class Sealing
{
    const byte Version = 1;
    const int NonceSize = 12;
    const int TagSize = 16;
    const int HeaderSize = 1 + NonceSize + TagSize;

    public static byte[] Seal(byte[] key, ReadOnlySpan<byte> plaintext, string associatedData)
    {
        byte[] output = new byte[HeaderSize + plaintext.Length];
        output[0] = Version;
        Span<byte> nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(associatedData));
        return output;
    }

    /// <summary>Opens a sealed value; throws <see cref="CryptographicException"/> when it was not sealed for this key and place.</summary>
    public static byte[] Open(byte[] key, ReadOnlySpan<byte> sealedValue, string associatedData)
    {
        if (sealedValue.Length < HeaderSize || sealedValue[0] != Version)
        {
            throw new CryptographicException("Unknown ciphertext format.");
        }

        byte[] plaintext = new byte[sealedValue.Length - HeaderSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(
            sealedValue.Slice(1, NonceSize),
            sealedValue[HeaderSize..],
            sealedValue.Slice(1 + NonceSize, TagSize),
            plaintext,
            Encoding.UTF8.GetBytes(associatedData));
        return plaintext;
    }
}
