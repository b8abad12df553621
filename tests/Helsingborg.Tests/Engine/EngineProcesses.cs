namespace Helsingborg.Tests.Engine;

/// <summary>
/// Tests that run the local host as separate processes and measure its stop and recovery times: one after the
/// other, and not alongside the rest of the suite, so that their clocks measure the host rather than a busy machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineProcesses
{
    public const string Name = "Engine processes";

    public const string PartnerKey = "demo-partner-hotel";
    public const string CoordinatorKey = "demo-coordinator-sos";
}
