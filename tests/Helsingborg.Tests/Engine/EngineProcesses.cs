using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Engine;

/// <summary>
/// Tests that run the local host as separate processes and hold it to limits a few seconds above what it takes here
/// (Ctrl+C within 5 s, a stop without storage within 10 s, answers within 10 s while storage is frozen): one after
/// the other, started last (<see cref="LongestFirst"/>), and only once nothing else loads the machine
/// (<see cref="QuietMachine"/>), so that their clocks measure the host rather than a busy machine. The soak proofs
/// that mostly wait go on beside them; the crash tests, whose limits are far above what they measure, run with the rest.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EngineProcesses : ICollectionFixture<QuietMachine>
{
    public const string Name = "Engine processes";

    public const string PartnerKey = "demo-partner-hotel";
    public const string CoordinatorKey = "demo-coordinator-sos";
}

/// <summary>Waits, before the collection's first test, until no counted host, host process or browser session runs (<see cref="MachineLoad"/>).</summary>
public sealed class QuietMachine : IAsyncLifetime
{
    /// <summary>Longer than any test class's run here; past it the tests run anyway.</summary>
    static readonly TimeSpan Limit = TimeSpan.FromMinutes(15);

    public async Task InitializeAsync() => await MachineLoad.UntilQuietAsync(TimeSpan.FromSeconds(3), Limit);

    public Task DisposeAsync() => Task.CompletedTask;
}
