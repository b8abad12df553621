using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Helsingborg.DataProtection;
using Helsingborg.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.DataProtection;

/// <summary>
/// A stand-in for the three Key Vault operations the app calls (api-version 7.4): <c>GET /keys/{name}</c>,
/// <c>POST /keys/{name}/{version}/wrapkey</c> and <c>/unwrapkey</c> with RSA-OAEP-256, over HTTPS (Azure.Core sends
/// bearer tokens only over TLS) with a certificate made for the test. Each version is an RSA key of its own; a
/// version can be disabled as an operator would after re-wrapping. It answers only requests with the expected token,
/// and records each request's method and path (never a body).
/// </summary>
public sealed class KeyVaultStandIn : IAsyncDisposable
{
    public const string KeyName = "case-data-keys";
    public const string Token = "stand-in-token";

    readonly WebApplication app;
    readonly X509Certificate2 certificate;
    readonly ConcurrentDictionary<string, RSA> versions = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, bool> disabled = new(StringComparer.Ordinal);
    string current = "";

    KeyVaultStandIn(WebApplication app, X509Certificate2 certificate, Uri vault)
    {
        this.app = app;
        this.certificate = certificate;
        VaultUri = vault;
    }

    public Uri VaultUri { get; }

    /// <summary>The versionless key id, as <c>DataProtection__KeyVaultKeyId</c> names it.</summary>
    public Uri KeyId => new(VaultUri, "keys/" + KeyName);

    /// <summary>The current version's key id.</summary>
    public string CurrentKeyId => VersionedId(current);

    /// <summary>"METHOD /path" of every request answered.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<KeyVaultStandIn> StartAsync()
    {
        X509Certificate2 certificate = SelfSigned();
        int port = LocalApp.FreePort();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.UseHttps(certificate)));
        WebApplication app = builder.Build();
        var standIn = new KeyVaultStandIn(app, certificate, new Uri($"https://localhost:{port}/"));
        standIn.Rotate();
        app.Run(standIn.AnswerAsync);
        await app.StartAsync();
        return standIn;
    }

    /// <summary>Creates a new version of the key, which becomes the current one (as <c>az keyvault key rotate</c>).</summary>
    public string Rotate()
    {
        string version = Guid.NewGuid().ToString("N");
        // 2048 bits keep the test quick (the template's key has 3072); generated here, not lazily inside a request.
        RSA key = RSA.Create(2048);
        key.ExportParameters(includePrivateParameters: false);
        versions[version] = key;
        current = version;
        return VersionedId(version);
    }

    /// <summary>Disables a version: it neither wraps nor unwraps any more (Key Vault answers 403).</summary>
    public void Disable(string keyId) => disabled[keyId[(keyId.LastIndexOf('/') + 1)..]] = true;

    public string VersionedId(string version) => $"{KeyId}/{version}";

    /// <summary>Pipeline options whose transport trusts exactly this stand-in's certificate.</summary>
    public KeyVaultKeyWrapperOptions ClientOptions()
    {
        string thumbprint = certificate.Thumbprint;
        var options = new KeyVaultKeyWrapperOptions();
        options.Retry.MaxRetries = 0;
        options.Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint,
        });
        return options;
    }

    public KeyVaultKeyWrapper Wrapper(TokenCredential? credential = null) => new(KeyId, credential ?? new StandInCredential(), ClientOptions());

    async Task AnswerAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        Requests.Enqueue($"{request.Method} {request.Path}");
        if (request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await Error(context, 401, "Unauthorized");
            return;
        }

        if (request.Query["api-version"] != KeyVaultKeyWrapper.ApiVersion)
        {
            await Error(context, 400, "BadParameter");
            return;
        }

        string[] path = request.Path.Value!.Trim('/').Split('/');
        if (path is not ["keys", KeyName, ..])
        {
            await Error(context, 404, "KeyNotFound");
            return;
        }

        switch (request.Method, path)
        {
            case ("GET", ["keys", _]):
                await context.Response.WriteAsJsonAsync(new { key = new { kid = CurrentKeyId, kty = "RSA", key_ops = new[] { "wrapKey", "unwrapKey" } }, attributes = new { enabled = true } });
                return;
            case ("POST", ["keys", _, string version, "wrapkey" or "unwrapkey"]):
                await OperateAsync(context, version, path[3] == "wrapkey");
                return;
            default:
                await Error(context, 405, "MethodNotAllowed");
                return;
        }
    }

    async Task OperateAsync(HttpContext context, string version, bool wrap)
    {
        if (!versions.TryGetValue(version, out RSA? key))
        {
            await Error(context, 404, "KeyNotFound");
            return;
        }

        if (disabled.ContainsKey(version))
        {
            await Error(context, 403, "Forbidden");
            return;
        }

        using JsonDocument body = await JsonDocument.ParseAsync(context.Request.Body);
        if (body.RootElement.GetProperty("alg").GetString() != KeyVaultKeyWrapper.Algorithm)
        {
            await Error(context, 400, "BadParameter");
            return;
        }

        byte[] value = Base64Url.DecodeFromChars(body.RootElement.GetProperty("value").GetString());
        byte[] result;
        try
        {
            result = wrap ? key.Encrypt(value, RSAEncryptionPadding.OaepSHA256) : key.Decrypt(value, RSAEncryptionPadding.OaepSHA256);
        }
        catch (CryptographicException)
        {
            await Error(context, 400, "BadParameter");
            return;
        }

        await context.Response.WriteAsJsonAsync(new { kid = VersionedId(version), value = Base64Url.EncodeToString(result) });
    }

    static async Task Error(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new { error = new { code, message = "Stand-in: " + code } });
    }

    static X509Certificate2 SelfSigned()
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        certificate.Dispose();
        foreach (RSA key in versions.Values)
        {
            key.Dispose();
        }
    }
}

/// <summary>A credential that hands out the stand-in's token and records the scopes it was asked for.</summary>
public sealed class StandInCredential(string token = KeyVaultStandIn.Token) : TokenCredential
{
    public ConcurrentQueue<string> Scopes { get; } = new();

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        foreach (string scope in requestContext.Scopes)
        {
            Scopes.Enqueue(scope);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
