using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Helsingborg.LocalHost;
using Helsingborg.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// Both hosts take their storage clients from Microsoft.Extensions.Azure, built from the settings they have always
/// read: a connection string locally, the identity-based <c>CaseStorage__*</c> and <c>AzureWebJobsStorage__*</c>
/// settings of infra/modules/functionapp.bicep in Azure, with the SDK's retries bounded so that a storage outage is
/// answered within the dispatcher's deadline (StorageOutageTests).
/// </summary>
public sealed class StorageClientsTests
{
    static ServiceProvider Services(IDictionary<string, string?> settings)
    {
        IConfiguration local = new ConfigurationBuilder().AddInMemoryCollection(LocalSettings.Read(LocalSettings.Find(AppContext.BaseDirectory)!)).Build();
        var merged = local.AsEnumerable().Where(s => s.Value is not null && !s.Key.StartsWith("AzureWebJobsStorage", StringComparison.Ordinal) && !s.Key.StartsWith("CaseStorage", StringComparison.Ordinal))
            .Concat(settings)
            .ToDictionary(s => s.Key, s => s.Value);
        var services = new ServiceCollection().AddLogging();
        services.AddHelsingborg(new ConfigurationBuilder().AddInMemoryCollection(merged).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Locally_the_clients_use_the_connection_string_with_bounded_retries()
    {
        string connection = DevelopmentStorage.ConnectionString(20000, 20001, 20002);
        using ServiceProvider services = Services(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = connection });

        var storage = services.GetRequiredService<CaseStorage>();
        Assert.Equal(new Uri("http://127.0.0.1:20002/devstoreaccount1"), storage.Tables.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:20000/devstoreaccount1"), storage.Blobs.Uri);
        Assert.Equal(new Uri("http://127.0.0.1:20001/devstoreaccount1"), services.GetRequiredService<QueueServiceClient>().Uri);

        TableClientOptions tables = services.GetRequiredService<IOptionsMonitor<TableClientOptions>>().Get("Default");
        BlobClientOptions blobs = services.GetRequiredService<IOptionsMonitor<BlobClientOptions>>().Get("Default");
        QueueClientOptions queues = services.GetRequiredService<IOptionsMonitor<QueueClientOptions>>().Get("Default");
        Assert.All(new Azure.Core.ClientOptions[] { tables, blobs, queues }, o => Assert.Equal(TimeSpan.FromSeconds(4), o.Retry.NetworkTimeout));
        Assert.Equal((2, 2, 1), (tables.Retry.MaxRetries, blobs.Retry.MaxRetries, queues.Retry.MaxRetries));
        Assert.True((tables.Retry.MaxRetries + 1) * tables.Retry.NetworkTimeout + (tables.Retry.MaxRetries * tables.Retry.MaxDelay) < TimeSpan.FromSeconds(15));
    }

    [Fact]
    public void In_azure_the_clients_use_the_service_uris_and_the_managed_identity_without_a_connection_string()
    {
        using ServiceProvider services = Services(new Dictionary<string, string?>
        {
            ["CaseStorage:tableServiceUri"] = "https://citycases.table.core.windows.net/",
            ["CaseStorage:blobServiceUri"] = "https://citycases.blob.core.windows.net/",
            ["CaseStorage:credential"] = "managedidentity",
            ["CaseStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://citycases.queue.core.windows.net/",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:clientId"] = "11111111-2222-3333-4444-555555555555",
        });

        var storage = services.GetRequiredService<CaseStorage>();
        Assert.Equal("citycases", storage.Tables.AccountName);
        Assert.Equal(new Uri("https://citycases.blob.core.windows.net/"), storage.Blobs.Uri);
        Assert.Equal(new Uri("https://citycases.queue.core.windows.net/"), services.GetRequiredService<QueueServiceClient>().Uri);
        Assert.IsType<Azure.Identity.ManagedIdentityCredential>(services.GetRequiredService<Microsoft.Extensions.Azure.AzureComponentFactory>().CreateTokenCredential(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["credential"] = "managedidentity", ["clientId"] = "11111111-2222-3333-4444-555555555555" }).Build()));
    }
}
