namespace Helsingborg.Tests.Engine;

/// <summary>
/// Tests that run the local host as separate processes and hold it to limits a few seconds above what it takes here
/// (Ctrl+C within 5 s, a stop without storage within 10 s, answers within 10 s while storage is frozen): one after
/// the other, and not alongside the rest of the suite, so that their clocks measure the host rather than a busy
/// machine. The crash tests, whose limits are far above what they measure, run beside the rest.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineProcesses
{
    public const string Name = "Engine processes";

    public const string PartnerKey = "demo-partner-hotel";
    public const string CoordinatorKey = "demo-coordinator-sos";
}
