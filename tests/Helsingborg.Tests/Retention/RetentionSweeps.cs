namespace Helsingborg.Tests.Retention;

/// <summary>
/// Test classes that run the retention sweep. The app's tables are shared by every test host of a run while each host has
/// its own task hub, so one host's sweep marks another host's completed cases purged without being able to purge their
/// orchestrations; run side by side, two sweeping classes took each other's cases. They run one after the other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RetentionSweeps
{
    public const string Name = "Retention sweeps";
}
