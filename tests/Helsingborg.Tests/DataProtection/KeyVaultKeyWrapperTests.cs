using System.Security.Cryptography;
using Azure;
using Helsingborg.DataProtection;

namespace Helsingborg.Tests.DataProtection;

/// <summary>The Key Vault key wrapper against a stand-in of Key Vault's key operations.</summary>
[Trait("Category", "Unit")]
public sealed class KeyVaultKeyWrapperTests : IAsyncLifetime
{
    KeyVaultStandIn vault = null!;

    public async Task InitializeAsync() => vault = await KeyVaultStandIn.StartAsync();

    public async Task DisposeAsync() => await vault.DisposeAsync();

    [Fact]
    public async Task A_wrapped_key_carries_the_key_version_that_wrapped_it_and_unwraps_again()
    {
        KeyVaultKeyWrapper wrapper = vault.Wrapper();
        byte[] key = RandomNumberGenerator.GetBytes(64);

        string current = await wrapper.CurrentKeyIdAsync();
        WrappedKey wrapped = await wrapper.WrapAsync(current, key);

        Assert.Equal(vault.CurrentKeyId, current);
        Assert.Equal(vault.CurrentKeyId, wrapped.KeyId);
        Assert.NotEqual(key, wrapped.Value);
        Assert.Equal(key, await wrapper.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task After_a_rotation_the_new_version_wraps_at_once_and_the_old_one_still_unwraps()
    {
        KeyVaultKeyWrapper wrapper = vault.Wrapper();
        byte[] key = RandomNumberGenerator.GetBytes(64);
        WrappedKey old = await wrapper.WrapAsync(await wrapper.CurrentKeyIdAsync(), key);

        string rotated = vault.Rotate();
        WrappedKey fresh = await wrapper.WrapAsync(await wrapper.CurrentKeyIdAsync(), key);

        Assert.Equal(rotated, fresh.KeyId);
        Assert.NotEqual(old.KeyId, fresh.KeyId);
        Assert.Equal(key, await wrapper.UnwrapAsync(old));
        Assert.Equal(key, await wrapper.UnwrapAsync(fresh));
    }

    [Fact]
    public async Task Requests_carry_a_token_for_the_vault_and_name_the_key_version()
    {
        var credential = new StandInCredential();
        KeyVaultKeyWrapper wrapper = vault.Wrapper(credential);

        WrappedKey wrapped = await wrapper.WrapAsync(await wrapper.CurrentKeyIdAsync(), new byte[64]);
        await wrapper.UnwrapAsync(wrapped);

        string version = vault.CurrentKeyId[(vault.CurrentKeyId.LastIndexOf('/') + 1)..];
        Assert.Equal(
            [$"GET /keys/{KeyVaultStandIn.KeyName}", $"POST /keys/{KeyVaultStandIn.KeyName}/{version}/wrapkey", $"POST /keys/{KeyVaultStandIn.KeyName}/{version}/unwrapkey"],
            vault.Requests);
        Assert.All(credential.Scopes, s => Assert.Equal(wrapper.Scope, s));
        Assert.NotEmpty(credential.Scopes);
    }

    [Fact]
    public void In_Azure_the_token_is_for_Key_Vault()
    {
        var wrapper = new KeyVaultKeyWrapper(new Uri("https://kv-abc.vault.azure.net/keys/case-data-keys"), new StandInCredential());

        Assert.Equal("https://vault.azure.net/.default", wrapper.Scope);
        Assert.True(wrapper.Owns("https://kv-abc.vault.azure.net/keys/case-data-keys/0123456789abcdef"));
    }

    [Theory]
    [InlineData("https://kv-abc.vault.azure.net/keys/case-data-keys/0123456789abcdef")]
    [InlineData("http://kv-abc.vault.azure.net/keys/case-data-keys")]
    [InlineData("https://kv-abc.vault.azure.net/secrets/case-data-keys")]
    [InlineData("https://kv-abc.vault.azure.net/keys/case-data-keys?x=1")]
    public void A_configured_key_id_must_be_a_versionless_https_key_id(string keyId)
    {
        Assert.Throws<InvalidOperationException>(() => new KeyVaultKeyWrapper(new Uri(keyId), new StandInCredential()));
    }

    [Theory]
    [InlineData("https://elsewhere.example/keys/case-data-keys/v1")]
    [InlineData("https://localhost:1/keys/case-data-keys/v1")]
    [InlineData("{vault}keys/another-key/v1")]
    [InlineData("{vault}keys/case-data-keys")]
    [InlineData("{vault}keys/case-data-keys/v1/extra")]
    [InlineData("local/master/1")]
    public async Task A_stored_key_id_of_another_vault_or_key_is_never_sent_a_request(string keyId)
    {
        KeyVaultKeyWrapper wrapper = vault.Wrapper();
        keyId = keyId.Replace("{vault}", vault.VaultUri.ToString(), StringComparison.Ordinal);

        Assert.False(wrapper.Owns(keyId));
        await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.UnwrapAsync(new WrappedKey(keyId, new byte[384])));
        await Assert.ThrowsAsync<InvalidOperationException>(() => wrapper.WrapAsync(keyId, new byte[64]));
        Assert.Empty(vault.Requests);
    }

    [Fact]
    public async Task A_value_the_key_did_not_wrap_fails_like_a_broken_seal()
    {
        KeyVaultKeyWrapper wrapper = vault.Wrapper();
        WrappedKey wrapped = await wrapper.WrapAsync(await wrapper.CurrentKeyIdAsync(), new byte[64]);
        wrapped.Value[10] ^= 1;

        await Assert.ThrowsAnyAsync<CryptographicException>(() => wrapper.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task Without_a_valid_token_nothing_is_unwrapped()
    {
        WrappedKey wrapped = await vault.Wrapper().WrapAsync(vault.CurrentKeyId, new byte[64]);

        RequestFailedException refused = await Assert.ThrowsAsync<RequestFailedException>(() => vault.Wrapper(new StandInCredential("wrong")).UnwrapAsync(wrapped));

        Assert.Equal(401, refused.Status);
    }
}
