using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Helsingborg.Storage;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;

namespace Helsingborg.Tests.Intake;

/// <summary>The intake test classes, one after the other on one <see cref="IntakeHost"/>: they count what they did in its task hub.</summary>
[CollectionDefinition(Name)]
public sealed class IntakeHostCollection : ICollectionFixture<IntakeHost>
{
    public const string Name = "Intake host";
}

/// <summary>
/// A test host with one extra partner key whose organisation is unique to this host, so the cases it opens
/// can be counted exactly in the shared Cases table (other test classes write there at the same time),
/// next to the orchestration instances of the host's own task hub.
/// </summary>
public sealed class IntakeHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public string Key { get; } = "test-partner-" + Guid.NewGuid().ToString("N");

    public string Organisation { get; } = "org-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["ApiKeys:20:Id"] = "test-partner-key",
        ["ApiKeys:20:Sha256"] = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Key))),
        ["ApiKeys:20:Organisation"] = Organisation,
        ["ApiKeys:20:Roles:0"] = "partner",

        // The organisation joins the city profile's network (after its own organisations), as a city adds one.
        [$"City:Organisations:{ProfileOrganisations}:Id"] = Organisation,
        [$"City:Organisations:{ProfileOrganisations}:NameSv"] = "Testpartner",
        [$"City:Organisations:{ProfileOrganisations}:NameEn"] = "Test partner",
        [$"City:Organisations:{ProfileOrganisations}:Roles:0"] = "partner",
    });

    static int ProfileOrganisations => Infrastructure.TestProfiles.Helsingborg.Organisations.Count;

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Rows of the Cases table reported by this host's organisation.</summary>
    public async Task<int> CaseRowsAsync()
    {
        var storage = (CaseStorage)Host.Services.GetService(typeof(CaseStorage))!;
        int count = 0;
        await foreach (TableEntity _ in storage.Table(CaseStorage.CasesTable).QueryAsync<TableEntity>($"ReportedBy eq '{Organisation}'", select: ["PartitionKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Orchestration instances in this host's task hub.</summary>
    public async Task<int> InstancesAsync()
    {
        var durable = (DurableTaskClient)Host.Services.GetService(typeof(DurableTaskClient))!;
        int count = 0;
        await foreach (OrchestrationMetadata _ in durable.GetAllInstancesAsync(new OrchestrationQuery { FetchInputsAndOutputs = false }))
        {
            count++;
        }

        return count;
    }
}
