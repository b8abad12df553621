using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.DataProtection;

/// <summary>
/// The master key in Azure: an RSA key in Key Vault that wraps and unwraps data keys inside the vault, so its private
/// part never reaches the app. The app's identity may only read the key's metadata and wrap and unwrap (Key Vault
/// Crypto Service Encryption User). Three REST operations of Key Vault (api-version 7.4), sent through Azure.Core's
/// pipeline with a bearer token: <c>GET {key}</c> for the current version, <c>POST {key}/{version}/wrapkey</c> and
/// <c>POST {key}/{version}/unwrapkey</c> with RSA-OAEP-256. The configured key id has no version: a version created
/// by a rotation wraps new data keys from the next wrap on; every data key's row stores the version that wrapped it.
/// </summary>
public sealed class KeyVaultKeyWrapper : IKeyWrapper
{
    public const string ApiVersion = "7.4";
    public const string Algorithm = "RSA-OAEP-256";

    readonly HttpPipeline pipeline;
    readonly Uri vault;
    readonly string keyName;

    /// <param name="keyId">The versionless key id, <c>https://{vault}.vault.azure.net/keys/{name}</c>.</param>
    public KeyVaultKeyWrapper(Uri keyId, TokenCredential credential, KeyVaultKeyWrapperOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(credential);
        string[] segments = keyId.AbsolutePath.Trim('/').Split('/');
        if (!keyId.IsAbsoluteUri || keyId.Scheme != Uri.UriSchemeHttps || segments is not ["keys", { Length: > 0 }] || !string.IsNullOrEmpty(keyId.Query))
        {
            throw new InvalidOperationException(
                "DataProtection:KeyVaultKeyId must be a versionless Key Vault key id, https://<vault>.vault.azure.net/keys/<name>: a rotation's new version then wraps new data keys at once.");
        }

        vault = new Uri(keyId.GetLeftPart(UriPartial.Authority));
        keyName = segments[1];
        KeyId = new Uri(vault, "keys/" + keyName);
        Scope = ScopeOf(vault);
        pipeline = HttpPipelineBuilder.Build(options ?? new KeyVaultKeyWrapperOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    /// <summary>The versionless key id.</summary>
    public Uri KeyId { get; }

    /// <summary>The token scope: <c>https://vault.azure.net/.default</c> for a vault in Azure's public cloud.</summary>
    public string Scope { get; }

    public async Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default)
    {
        using JsonDocument answer = await SendAsync(RequestMethod.Get, KeyId, null, cancellationToken);
        return OwnedKid(answer.RootElement.GetProperty("key"));
    }

    public async Task<WrappedKey> WrapAsync(string keyId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
    {
        Uri versioned = Versioned(keyId);
        using JsonDocument answer = await SendAsync(RequestMethod.Post, new Uri(versioned + "/wrapkey"), plaintext, cancellationToken);
        return new WrappedKey(OwnedKid(answer.RootElement), Value(answer.RootElement));
    }

    public async Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        Uri versioned = Versioned(wrapped.KeyId);
        try
        {
            using JsonDocument answer = await SendAsync(RequestMethod.Post, new Uri(versioned + "/unwrapkey"), wrapped.Value, cancellationToken);
            return Value(answer.RootElement);
        }
        catch (RequestFailedException e) when (e.Status == 400)
        {
            // Key Vault answers 400 to a value this key version did not wrap: the same failure as a tampered seal.
            throw new CryptographicException("The data key did not unwrap with its Key Vault key version.", e);
        }
    }

    /// <summary>True for <c>{vault}/keys/{name}/{version}</c> of this vault and key; nothing else is ever sent a request.</summary>
    public bool Owns(string keyId) => TryVersion(keyId, out _);

    bool TryVersion(string? keyId, out string version)
    {
        version = "";
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps
            || !string.Equals(uri.GetLeftPart(UriPartial.Authority), vault.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return false;
        }

        if (uri.AbsolutePath.Trim('/').Split('/') is ["keys", string name, { Length: > 0 } v] && string.Equals(name, keyName, StringComparison.OrdinalIgnoreCase))
        {
            version = v;
            return true;
        }

        return false;
    }

    Uri Versioned(string keyId) => TryVersion(keyId, out string version)
        ? new Uri(vault, $"keys/{keyName}/{version}")
        : throw new InvalidOperationException("A key id that is not a version of the configured Key Vault key.");

    string OwnedKid(JsonElement element) => element.GetProperty("kid").GetString() is { } kid && Owns(kid)
        ? kid
        : throw new InvalidOperationException("Key Vault answered with a key id that is not a version of the configured key.");

    async Task<JsonDocument> SendAsync(RequestMethod method, Uri uri, ReadOnlyMemory<byte>? value, CancellationToken cancellationToken)
    {
        using HttpMessage message = pipeline.CreateMessage();
        Request request = message.Request;
        request.Method = method;
        request.Uri.Reset(new Uri($"{uri}?api-version={ApiVersion}"));
        request.Headers.Add(HttpHeader.Names.Accept, "application/json");
        if (value is { } bytes)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            request.Content = RequestContent.Create(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
            {
                ["alg"] = Algorithm,
                ["value"] = Base64Url.EncodeToString(bytes.Span),
            }));
        }

        await pipeline.SendAsync(message, cancellationToken);
        Response response = message.Response;
        if (response.IsError)
        {
            throw new RequestFailedException(response);
        }

        return JsonDocument.Parse(response.Content.ToMemory());
    }

    static byte[] Value(JsonElement answer) => answer.GetProperty("value").GetString() is { } value
        ? Base64Url.DecodeFromChars(value)
        : throw new InvalidOperationException("Key Vault answered without a value.");

    static string ScopeOf(Uri vault)
    {
        // kv-x.vault.azure.net → https://vault.azure.net/.default (and likewise in the national clouds).
        string host = vault.Host;
        int dot = host.IndexOf('.', StringComparison.Ordinal);
        return $"https://{(dot > 0 ? host[(dot + 1)..] : host)}/.default";
    }

    /// <summary>
    /// <c>DataProtection__KeyVaultKeyId</c> with the user-assigned identity <c>DataProtection__clientId</c> (as
    /// <c>CaseStorage__clientId</c>); without a client id, <see cref="Azure.Identity.DefaultAzureCredential"/>.
    /// </summary>
    public static KeyVaultKeyWrapper FromConfiguration(string keyId, IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out Uri? uri))
        {
            throw new InvalidOperationException("DataProtection:KeyVaultKeyId is not an absolute URI.");
        }

        TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
            ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new Azure.Identity.DefaultAzureCredential();
        return new KeyVaultKeyWrapper(uri, credential);
    }
}

/// <summary>
/// Pipeline options for <see cref="KeyVaultKeyWrapper"/>: retries bounded like the storage clients' (a wrap waits at
/// most a few seconds per attempt); Key Vault's 429 answers are retried after their Retry-After.
/// </summary>
public sealed class KeyVaultKeyWrapperOptions : ClientOptions
{
    public KeyVaultKeyWrapperOptions()
    {
        Retry.MaxRetries = 3;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(250);
        Retry.MaxDelay = TimeSpan.FromSeconds(2);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        Diagnostics.IsLoggingContentEnabled = false;
    }
}
