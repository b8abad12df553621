using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Helsingborg.Access;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Helsingborg.Tests.Access;

/// <summary>
/// Who the coordinators are, by name: the sample keys that name a person, and Entra users, whose names the app keeps in
/// its own table when they call (never in a case's history), read again by another process.
/// </summary>
public sealed class WorkerDirectoryTests
{
    static IReadOnlyList<ApiKeyOptions> SampleKeys()
    {
        string path = Helsingborg.LocalHost.LocalSettings.Find(AppContext.BaseDirectory)!;
        return CallerResolver.ReadKeys(new ConfigurationBuilder().AddInMemoryCollection(Helsingborg.LocalHost.LocalSettings.Read(path)).Build());
    }

    static async Task<CaseStorage> StorageAsync()
    {
        string connection = await TestStorage.ConnectionStringAsync();
        var storage = new CaseStorage(new TableServiceClient(connection), new BlobServiceClient(connection));
        await storage.EnsureCreatedAsync();
        return storage;
    }

    static HttpRequest Principal(string objectId, string name, string organisation)
    {
        object[] claims =
        [
            new { typ = "http://schemas.microsoft.com/identity/claims/objectidentifier", val = objectId },
            new { typ = "name", val = name },
            new { typ = "extension_organisation", val = organisation },
            new { typ = "roles", val = "Coordinator" },
        ];
        var context = new DefaultHttpContext();
        context.Request.Headers["X-MS-CLIENT-PRINCIPAL"] = Convert.ToBase64String(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new { claims }));
        return context.Request;
    }

    [Fact]
    public async Task The_sample_names_two_coordinators_of_one_organisation_and_a_key_without_a_name_shows_its_id()
    {
        var directory = new WorkerDirectory(SampleKeys(), await StorageAsync());

        Assert.Equal(new Worker(TestHost.AnnaKey, TestHost.AnnaName, "social-services"), await directory.FindAsync(TestHost.AnnaKey, default));
        Assert.Equal(new Worker(TestHost.ErikKey, TestHost.ErikName, "social-services"), await directory.FindAsync(TestHost.ErikKey, default));
        Assert.Equal(TestHost.CoordinatorKey, (await directory.FindAsync(TestHost.CoordinatorKey, default))!.Name);
        Assert.Null(await directory.FindAsync(TestHost.AdminKey, default));
        Assert.Null(await directory.FindAsync(TestHost.PartnerKey, default));
    }

    [Fact]
    public async Task An_entra_coordinator_is_remembered_by_object_id_and_found_by_another_process_among_her_colleagues()
    {
        string objectId = Guid.NewGuid().ToString();
        string name = "Entra Testperson " + objectId[..8];
        var resolver = new CallerResolver(SampleKeys(), Options.Create(new AuthOptions { TrustAppServicePrincipal = true }), TestProfiles.Helsingborg);
        Caller caller = resolver.Resolve(Principal(objectId, name, "social-services"))!;
        Assert.Equal(name, caller.Name);

        CaseStorage storage = await StorageAsync();
        try
        {
            await new WorkerDirectory(SampleKeys(), storage).RememberAsync(caller, default);

            var another = new WorkerDirectory(SampleKeys(), await StorageAsync());
            Assert.Equal(new Worker(objectId, name, "social-services"), await another.FindAsync(objectId, default));
            IReadOnlyList<Worker> colleagues = await another.ColleaguesAsync("social-services", default);
            Assert.Contains(colleagues, w => w.Id == objectId);
            Assert.Contains(colleagues, w => w.Id == TestHost.AnnaKey);
            Assert.DoesNotContain(await another.ColleaguesAsync("salvation-army", default), w => w.Id == objectId);
        }
        finally
        {
            TableClient workers = storage.Table(CaseStorage.WorkersTable);
            await foreach (TableEntity row in workers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {objectId}")))
            {
                await workers.DeleteEntityAsync(row.PartitionKey, row.RowKey);
            }
        }
    }
}
