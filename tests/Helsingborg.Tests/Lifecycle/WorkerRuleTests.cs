using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>Who may hold a case (worker-assigned, worker-released): the decider's rules, without the directory of people.</summary>
[Trait("Category", "Unit")]
public sealed class WorkerRuleTests
{
    private static readonly DateTimeOffset Later = T0.AddDays(1);

    [Fact]
    public void Worker_assigned_holds_the_case_by_id_and_organisation_and_worker_released_gives_it_back()
    {
        var held = InState("short-term-support").Then<WorkerAssigned>(Later, e => e with { Worker = "coordinator-1" });

        Assert.Equal(new CaseWorker("coordinator-1", "social-services", Later), held.Worker);

        var handedOver = held.Then<WorkerAssigned>(Later.AddHours(1), e => e with { Worker = Colleague });
        Assert.Equal(Colleague, handedOver.Worker!.Id);

        Assert.Null(handedOver.Then(CaseEventType.WorkerReleased, Later.AddHours(2)).Worker);
    }

    [Fact]
    public void A_case_led_by_another_organisation_cannot_be_held_by_this_one()
    {
        var led = InState("short-term-support").Then<LeadChanged>(Later, e => e with { Lead = "salvation-army" });

        var refusal = CaseDecider.Check(led, Valid<WorkerAssigned>(Later));

        Assert.NotNull(refusal);
        Assert.Contains("salvation-army", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_no_one_leads_yet_can_be_held_by_any_organisation_and_a_lead_elsewhere_leaves_it_unassigned()
    {
        var held = Open().Then<WorkerAssigned>(Later, e => e with { By = "salvation-army", Worker = "army-coordinator" });
        Assert.Equal("salvation-army", held.Worker!.Organisation);

        // Contact made with a person who wants the authorities: social services lead, so the army's worker no longer holds it.
        var led = held.Then(CaseEventType.ContactMade, Later.AddHours(1));

        Assert.Equal("social-services", led.Lead);
        Assert.Null(led.Worker);
    }

    [Fact]
    public void Release_is_refused_when_no_one_holds_the_case_or_another_organisation_does()
    {
        var open = Open();
        Assert.NotNull(CaseDecider.Check(open, Valid<WorkerReleased>(Later)));

        var held = open.Then<WorkerAssigned>(Later, e => e with { By = "salvation-army", Worker = "army-coordinator" });
        Assert.NotNull(CaseDecider.Check(held, Valid<WorkerReleased>(Later)));
        Assert.Null(CaseDecider.Check(held, Valid<WorkerReleased>(Later) with { By = "salvation-army" }));
    }

    [Fact]
    public void Assigning_the_worker_who_already_holds_the_case_is_refused()
    {
        var held = InState("short-term-support").Then(CaseEventType.WorkerAssigned, Later);

        Assert.NotNull(CaseDecider.Check(held, Valid<WorkerAssigned>(Later.AddHours(1))));
    }

    [Fact]
    public void The_worker_is_left_out_of_the_state_json_while_no_one_holds_the_case()
    {
        var state = InState("short-term-support");

        Assert.DoesNotContain("worker", state.ToJson(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"worker\":{\"id\":\"coordinator-2\"", state.Then(CaseEventType.WorkerAssigned, Later).ToJson(), StringComparison.Ordinal);
    }
}
