using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Helsingborg.DataProtection;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.DataProtection;

public sealed class CaseVaultTests : IAsyncLifetime
{
    readonly byte[] masterKey = RandomNumberGenerator.GetBytes(32);
    CaseStorage storage = null!;
    LocalKeyWrapper local = null!;
    CaseVault vault = null!;

    public async Task InitializeAsync()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        storage = new CaseStorage(new TableServiceClient(connection), new BlobServiceClient(connection));
        await storage.EnsureCreatedAsync();
        local = new LocalKeyWrapper("1", masterKey);
        vault = new CaseVault(storage, new DataKeyWrapping(local, local));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    static string NewCase() => Helsingborg.Cases.CaseIds.New();

    [Fact]
    public async Task Storing_a_field_never_creates_a_data_key_only_intake_does()
    {
        string caseId = NewCase();

        await Assert.ThrowsAsync<CaseErasedException>(() => vault.PutAsync(caseId, "note", "written after erasure"));

        Assert.Null(await vault.GetKeyAsync(caseId));
        Assert.Empty(storage.Table(CaseStorage.SecretsTable).Query<TableEntity>(e => e.PartitionKey == caseId));
    }

    [Fact]
    public async Task A_sealed_field_opens_again_for_its_case()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "Maria, +46 70 000 00 00");
        Assert.Equal("Maria, +46 70 000 00 00", await vault.GetAsync(caseId, "intake"));
    }

    [Fact]
    public async Task The_stored_ciphertext_does_not_contain_the_plaintext()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "plaintext-to-hide");
        TableEntity row = (await storage.Table(CaseStorage.SecretsTable).GetEntityAsync<TableEntity>(caseId, CaseVault.FieldRowKey(caseId, "intake"))).Value;
        byte[] data = row.GetBinary("Data");
        Assert.DoesNotContain("plaintext-to-hide", System.Text.Encoding.UTF8.GetString(data));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_case_fails_to_decrypt()
    {
        string source = NewCase();
        string target = NewCase();
        await vault.PutAsync(source, await vault.EnsureKeyAsync(source), "intake", "secret of the first case");
        await vault.PutAsync(target, await vault.EnsureKeyAsync(target), "intake", "secret of the second case");
        TableClient secrets = storage.Table(CaseStorage.SecretsTable);
        TableEntity row = (await secrets.GetEntityAsync<TableEntity>(source, CaseVault.FieldRowKey(source, "intake"))).Value;
        await secrets.UpsertEntityAsync(new TableEntity(target, CaseVault.FieldRowKey(target, "intake")) { ["Data"] = row.GetBinary("Data") }, TableUpdateMode.Replace);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => vault.GetAsync(target, "intake"));
    }

    [Fact]
    public async Task A_ciphertext_moved_to_another_field_fails_to_decrypt()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "the intake");
        TableClient secrets = storage.Table(CaseStorage.SecretsTable);
        TableEntity row = (await secrets.GetEntityAsync<TableEntity>(caseId, CaseVault.FieldRowKey(caseId, "intake"))).Value;
        await secrets.UpsertEntityAsync(new TableEntity(caseId, CaseVault.FieldRowKey(caseId, "note:e_1")) { ["Data"] = row.GetBinary("Data") }, TableUpdateMode.Replace);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => vault.GetAsync(caseId, "note:e_1"));
    }

    [Fact]
    public async Task A_data_key_wrapped_for_one_case_does_not_unwrap_for_another()
    {
        string source = NewCase();
        string target = NewCase();
        await vault.EnsureKeyAsync(source);
        TableClient keys = storage.Table(CaseStorage.DataKeysTable);
        TableEntity row = (await keys.GetEntityAsync<TableEntity>(source, CaseVault.KeyRowKey(source))).Value;
        await keys.UpsertEntityAsync(new TableEntity(target, CaseVault.KeyRowKey(target)) { ["Wrapped"] = row.GetBinary("Wrapped"), ["KeyId"] = row.GetString("KeyId") }, TableUpdateMode.Replace);

        await Assert.ThrowsAnyAsync<CryptographicException>(() => vault.GetKeyAsync(target));
    }

    [Fact]
    public async Task After_erasure_nothing_of_the_case_decrypts()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "to be erased");
        byte[] key = (await vault.GetKeyAsync(caseId))!;
        TableEntity sealedRow = (await storage.Table(CaseStorage.SecretsTable).GetEntityAsync<TableEntity>(caseId, CaseVault.FieldRowKey(caseId, "intake"))).Value;
        byte[] ciphertext = sealedRow.GetBinary("Data");

        await vault.EraseAsync(caseId);

        Assert.Null(await vault.GetKeyAsync(caseId));
        Assert.Null(await vault.GetAsync(caseId, "intake"));
        // Even a copy of the ciphertext kept elsewhere needs the destroyed key: a fresh key for the case does not open it.
        byte[] newKey = await vault.EnsureKeyAsync(caseId);
        Assert.NotEqual(key, newKey);
        Assert.ThrowsAny<CryptographicException>(() => CaseVault.OpenBytes(newKey, caseId, "intake", ciphertext));
        await vault.EraseAsync(caseId);
    }

    [Fact]
    public async Task Erasing_twice_is_harmless()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "x");
        await vault.EraseAsync(caseId);
        await vault.EraseAsync(caseId);
        Assert.Null(await vault.GetAsync(caseId, "intake"));
    }

    [Fact]
    public async Task A_data_key_row_names_the_master_key_version_that_wrapped_it()
    {
        string caseId = NewCase();
        await vault.EnsureKeyAsync(caseId);

        Assert.Equal("local/master/1", await vault.KeyIdOfAsync(caseId));
    }

    [Fact]
    public async Task A_data_key_stored_before_key_ids_still_opens_and_is_re_wrapped_to_the_current_version()
    {
        string caseId = NewCase();
        byte[] dataKey = await vault.EnsureKeyAsync(caseId);
        await vault.PutAsync(caseId, dataKey, "intake", "stored before key ids");
        // The row as it was written before key ids existed: the data key sealed directly with the master key.
        await storage.Table(CaseStorage.DataKeysTable).UpsertEntityAsync(
            new TableEntity(caseId, CaseVault.KeyRowKey(caseId)) { ["Wrapped"] = Sealing.Seal(masterKey, dataKey, $"helsingborg/data-key/v1|{caseId}") }, TableUpdateMode.Replace);
        Assert.Null(await vault.KeyIdOfAsync(caseId));
        Assert.Equal("stored before key ids", await vault.GetAsync(caseId, "intake"));

        byte[] newKey = RandomNumberGenerator.GetBytes(32);
        var rotated = new LocalKeyWrapper("2", newKey, new Dictionary<string, byte[]> { ["1"] = masterKey });
        var after = new CaseVault(storage, new DataKeyWrapping(rotated, rotated));
        Assert.Equal(RewrapOutcome.Rewrapped, await after.RewrapAsync(caseId, "local/master/2"));

        Assert.Equal("local/master/2", await after.KeyIdOfAsync(caseId));
        Assert.Equal("stored before key ids", await after.GetAsync(caseId, "intake"));
        Assert.Equal(RewrapOutcome.AlreadyCurrent, await after.RewrapAsync(caseId, "local/master/2"));
        // The old key is no longer needed for this case.
        var withoutOld = new LocalKeyWrapper("2", newKey);
        Assert.Equal("stored before key ids", await new CaseVault(storage, new DataKeyWrapping(withoutOld, withoutOld)).GetAsync(caseId, "intake"));
        await vault.EraseAsync(caseId);
    }

    [Fact]
    public async Task A_re_wrap_never_brings_back_an_erased_key()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "to be erased");
        await vault.EraseAsync(caseId);

        Assert.Equal(RewrapOutcome.Gone, await vault.RewrapAsync(caseId, "local/master/1"));
        Assert.Null(await vault.GetKeyAsync(caseId));
    }

    [Fact]
    public async Task A_key_erased_while_it_is_re_wrapped_stays_erased()
    {
        string caseId = NewCase();
        await vault.PutAsync(caseId, await vault.EnsureKeyAsync(caseId), "intake", "erased during the re-wrap");
        var rotated = new LocalKeyWrapper("2", RandomNumberGenerator.GetBytes(32), new Dictionary<string, byte[]> { ["1"] = masterKey });
        var erasing = new EraseWhileWrapping(rotated, () => vault.EraseAsync(caseId));
        var during = new CaseVault(storage, new DataKeyWrapping(erasing, rotated));

        Assert.Equal(RewrapOutcome.Gone, await during.RewrapAsync(caseId, "local/master/2"));

        Assert.True(erasing.Erased);
        Assert.Null(await during.GetKeyAsync(caseId));
        Assert.Null(await during.GetAsync(caseId, "intake"));
    }

    [Fact]
    public async Task A_case_key_wrapped_in_Key_Vault_opens_for_its_case_only()
    {
        await using KeyVaultStandIn keyVault = await KeyVaultStandIn.StartAsync();
        var inVault = new CaseVault(storage, new DataKeyWrapping(keyVault.Wrapper()));
        string source = NewCase();
        string target = NewCase();
        await inVault.PutAsync(source, await inVault.EnsureKeyAsync(source), "intake", "wrapped in Key Vault");
        await inVault.EnsureKeyAsync(target);

        Assert.Equal(keyVault.CurrentKeyId, await inVault.KeyIdOfAsync(source));
        Assert.Equal("wrapped in Key Vault", await inVault.GetAsync(source, "intake"));
        TableClient keys = storage.Table(CaseStorage.DataKeysTable);
        TableEntity row = (await keys.GetEntityAsync<TableEntity>(source, CaseVault.KeyRowKey(source))).Value;
        await keys.UpsertEntityAsync(new TableEntity(target, CaseVault.KeyRowKey(target)) { ["Wrapped"] = row.GetBinary("Wrapped"), ["KeyId"] = row.GetString("KeyId") }, TableUpdateMode.Replace);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => inVault.GetKeyAsync(target));
        await inVault.EraseAsync(source);
        await inVault.EraseAsync(target);
    }

    /// <summary>A wrapper that erases the case at the moment its key is wrapped again: the re-wrap's race with erasure, made certain.</summary>
    sealed class EraseWhileWrapping(IKeyWrapper inner, Func<Task> erase) : IKeyWrapper
    {
        public bool Erased { get; private set; }

        public Task<string> CurrentKeyIdAsync(CancellationToken cancellationToken = default) => inner.CurrentKeyIdAsync(cancellationToken);

        public async Task<WrappedKey> WrapAsync(string keyId, ReadOnlyMemory<byte> plaintext, CancellationToken cancellationToken = default)
        {
            await erase();
            Erased = true;
            return await inner.WrapAsync(keyId, plaintext, cancellationToken);
        }

        public Task<byte[]> UnwrapAsync(WrappedKey wrapped, CancellationToken cancellationToken = default) => inner.UnwrapAsync(wrapped, cancellationToken);

        public bool Owns(string keyId) => inner.Owns(keyId);
    }
}
