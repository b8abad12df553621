using Helsingborg.Lifecycle;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Helsingborg.Functions;

/// <summary>The case orchestrator and its activities as Durable Functions: adapters to the classes in Core, which the local host runs too.</summary>
public sealed class DurableFunctions(ApplyCaseStep step, ReadCaseInbox inbox)
{
    [Function(nameof(CaseOrchestration))]
    public static Task<CaseSummary?> CaseOrchestration([OrchestrationTrigger] TaskOrchestrationContext context, CaseInput input) =>
        new Lifecycle.CaseOrchestration().RunAsync(context, input);

    [Function(nameof(ApplyCaseStep))]
    public Task<StepDone> ApplyCaseStep([ActivityTrigger] CaseStep input) => step.ApplyAsync(input);

    [Function(nameof(ReadCaseInbox))]
    public Task<InboxPulled> ReadCaseInbox([ActivityTrigger] InboxRead input) => inbox.ReadAsync(input);
}
