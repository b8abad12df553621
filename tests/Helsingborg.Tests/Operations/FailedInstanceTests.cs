using DurableTask.Core;
using Helsingborg.LocalHost;

namespace Helsingborg.Tests.Operations;

/// <summary>
/// The Azure Storage provider keeps only a failed instance's output, not its failure details: the local client reads
/// the exception's type from it, so the stalled list says why a case failed (it said nothing when a case failed after a
/// storage freeze).
/// </summary>
[Trait("Category", "Unit")]
public sealed class FailedInstanceTests
{
    static OrchestrationState Failed(string? output) => new() { OrchestrationStatus = OrchestrationStatus.Failed, Output = output };

    [Fact]
    public void A_failed_instance_names_the_exception_type_from_its_output()
    {
        var details = LocalDurableTaskClient.FailureOf(Failed("System.NullReferenceException: Object reference not set to an instance of an object."));

        Assert.NotNull(details);
        Assert.Equal("System.NullReferenceException", details.ErrorType);
        Assert.Equal("Object reference not set to an instance of an object.", details.ErrorMessage);
    }

    [Fact]
    public void An_output_without_a_type_is_kept_as_the_message_of_an_unknown_failure()
    {
        var details = LocalDurableTaskClient.FailureOf(Failed("the orchestration gave up: storage"));

        Assert.NotNull(details);
        Assert.Equal("unknown", details.ErrorType);
        Assert.Equal("the orchestration gave up: storage", details.ErrorMessage);
    }

    [Fact]
    public void Stored_failure_details_win_and_an_instance_that_did_not_fail_has_none()
    {
        OrchestrationState stored = Failed("System.Exception: x");
        stored.FailureDetails = new FailureDetails("System.TimeoutException", "late", null, null, false);

        Assert.Equal("System.TimeoutException", LocalDurableTaskClient.FailureOf(stored)?.ErrorType);
        Assert.Null(LocalDurableTaskClient.FailureOf(new OrchestrationState { OrchestrationStatus = OrchestrationStatus.Completed, Output = "System.Exception: no" }));
        Assert.Null(LocalDurableTaskClient.FailureOf(Failed(null)));
    }
}
