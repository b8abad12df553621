using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Retention;

/// <summary>
/// Test classes that run the retention sweep. The app's tables are shared by every test host of a run while each host has
/// its own task hub, so one host's sweep marks another host's completed cases purged without being able to purge their
/// orchestrations; run side by side, two sweeping classes took each other's cases. They run one after the other, on
/// one <see cref="SweepingHost"/>.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RetentionSweeps : ICollectionFixture<SweepingHost>
{
    public const string Name = "Retention sweeps";
}

/// <summary>
/// A host whose retention keeps completed cases for two seconds and whose export protects groups of two (so that
/// pairs of real cases are exported as they are; the retention tests read no export).
/// </summary>
public sealed class SweepingHost : IAsyncLifetime
{
    public TestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await TestHost.StartAsync(new Dictionary<string, string?>
    {
        ["Retention:KeepCompletedFor"] = "00:00:02",
        ["Exports:MinGroupSize"] = "2",
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
