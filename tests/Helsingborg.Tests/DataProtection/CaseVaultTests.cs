using System.Security.Cryptography;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Helsingborg.DataProtection;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.DataProtection;

public sealed class CaseVaultTests : IAsyncLifetime
{
    CaseStorage storage = null!;
    CaseVault vault = null!;

    public async Task InitializeAsync()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        storage = new CaseStorage(new TableServiceClient(connection), new BlobServiceClient(connection));
        await storage.EnsureCreatedAsync();
        vault = new CaseVault(storage, new MasterKey(RandomNumberGenerator.GetBytes(32)));
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
        await keys.UpsertEntityAsync(new TableEntity(target, CaseVault.KeyRowKey(target)) { ["Wrapped"] = row.GetBinary("Wrapped") }, TableUpdateMode.Replace);

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
}
