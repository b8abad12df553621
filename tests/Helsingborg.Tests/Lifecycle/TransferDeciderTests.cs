using Helsingborg.Lifecycle;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Lifecycle;

/// <summary>transfer-requested, transfer-accepted and transfer-declined (lifecycle.md, *Transfer with handover*): every refusal and transition.</summary>
[Trait("Category", "Unit")]
public sealed class TransferDeciderTests
{
    const string Lead = "social-services";

    static CaseState Supported() => InState("short-term-support");

    static TransferRequested Request(DateTimeOffset at, string by = Lead, string? to = Receiver, string? municipality = "landskrona") =>
        new() { EventId = "e_req", At = at, By = by, ToOrganisation = to, Municipality = municipality };

    static string? RefusalOf(CaseState state, CaseEvent e) => CaseDecider.Apply(state, e, e.At).Refused?.Reason;

    [Fact]
    public void A_request_starts_a_pending_transfer_and_reminds_the_receiver_at_once_due_at_the_working_day_clock()
    {
        CaseState state = Supported();
        DateTimeOffset at = After(state);

        Decision decision = CaseDecider.Apply(state, Request(at), at);

        Assert.Null(decision.Refused);
        CaseTransfer transfer = Assert.IsType<CaseTransfer>(decision.State.PendingTransfer);
        Assert.Equal(("e_req", Lead, Receiver, "landskrona", TransferStatus.Pending), (transfer.Id, transfer.From, transfer.To, transfer.Municipality, transfer.Status));
        Assert.Equal(WorkingDays.Add(at, state.Policy.TransferDueAfter), transfer.DueAt);
        Assert.Equal([new ReminderDue(ReminderKind.TransferDue, transfer.DueAt, false, Receiver, Receiver)], decision.Reminders);
        Assert.Equal(Lead, decision.State.Lead);
        Assert.Null(decision.State.Leads);
    }

    [Fact]
    public void Only_the_leading_organisation_transfers_a_case_that_has_a_lead()
    {
        CaseState supported = Supported();
        DateTimeOffset at = After(supported);

        Assert.Contains("Only the leading organisation", RefusalOf(supported, Request(at, by: "salvation-army")));
        Assert.Contains("no lead yet", RefusalOf(supported with { Lead = null }, Request(at)));
        Assert.Contains("already led by", RefusalOf(supported, Request(at, to: Lead)));
        Assert.Contains("toOrganisation: Required", RefusalOf(supported, Request(at, to: null)));
        Assert.Contains("not allowed in first-contact", RefusalOf(Open() with { Lead = Lead }, Request(T0.AddHours(1))));
    }

    [Fact]
    public void A_second_request_and_a_lead_change_wait_for_the_pending_transfers_answer()
    {
        CaseState pending = Supported().Then(Request(After(Supported())));
        DateTimeOffset at = pending.PendingTransfer!.RequestedAt.AddMinutes(1);

        Assert.Contains("already pending", RefusalOf(pending, Request(at, to: "salvation-army") with { EventId = "e_req2" }));
        Assert.Contains("pending", RefusalOf(pending, new LeadChanged { EventId = "e_lead", At = at, By = Lead, Lead = "salvation-army" }));
    }

    [Fact]
    public void A_case_led_without_the_authorities_moves_only_to_an_organisation_that_does_not_process_as_a_public_task()
    {
        CaseState withoutAuthorities = Supported() with { Lead = "salvation-army" };
        DateTimeOffset at = After(withoutAuthorities);

        string? reason = RefusalOf(withoutAuthorities, Request(at, by: "salvation-army", to: Receiver));
        Assert.Contains("declined contact with the authorities", reason);
        Assert.Contains("public task", reason);
        Assert.Contains("declined contact", RefusalOf(withoutAuthorities, Request(at, by: "salvation-army", to: Lead)));
    }

    [Fact]
    public void A_minors_case_moves_only_to_social_services()
    {
        CaseState minor = InState("short-term-support", minor: true);
        DateTimeOffset at = After(minor);

        Assert.Contains("minor", RefusalOf(minor, Request(at, to: "salvation-army")));
        Assert.Null(RefusalOf(minor, Request(at)));
    }

    [Fact]
    public void Only_the_receiver_answers_and_only_a_pending_transfer()
    {
        CaseState supported = Supported();
        CaseState pending = supported.Then(Request(After(supported)));
        DateTimeOffset at = pending.PendingTransfer!.RequestedAt.AddMinutes(1);

        Assert.Contains("No transfer is pending", RefusalOf(supported, new TransferAccepted { EventId = "e_a", At = at, By = Receiver }));
        Assert.Contains($"Only {Receiver}", RefusalOf(pending, new TransferAccepted { EventId = "e_a", At = at, By = Lead }));
        Assert.Contains($"Only {Receiver}", RefusalOf(pending, new TransferDeclined { EventId = "e_d", At = at, By = "salvation-army", Reason = TransferDeclineReason.Other }));
    }

    [Fact]
    public void Accepted_the_receiver_leads_from_then_on_the_previous_lead_is_a_former_lead_and_the_reminder_is_done()
    {
        CaseState supported = Supported() with { Worker = new CaseWorker("anna", Lead, T0) };
        DateTimeOffset requested = After(supported);
        CaseState pending = supported.Then(Request(requested));
        DateTimeOffset at = requested.AddHours(5);

        Decision decision = CaseDecider.Apply(pending, new TransferAccepted { EventId = "e_a", At = at, By = Receiver }, at);

        CaseState s = decision.State;
        Assert.Null(decision.Refused);
        Assert.Equal(Receiver, s.Lead);
        Assert.Null(s.Worker);
        Assert.Equal("landskrona", s.MunicipalityNow);
        Assert.Equal("helsingborg", s.Municipality);
        Assert.Null(s.PendingTransfer);
        Assert.Equal((TransferStatus.Accepted, at), (s.Transfer!.Status, s.Transfer.AnsweredAt));
        Assert.Equal([new LeadPeriod(Lead, supported.ContactMadeAt!.Value, at), new LeadPeriod(Receiver, at)], s.LeadPeriods());
        Assert.Equal([ReminderKind.TransferDue], decision.Ended);
        Assert.Equal(LegalBasis.PublicTask, s.Basis);
    }

    [Fact]
    public void Declined_the_case_stays_with_the_lead_and_keeps_the_reason()
    {
        CaseState supported = Supported();
        CaseState pending = supported.Then(Request(After(supported)));
        DateTimeOffset at = pending.PendingTransfer!.RequestedAt.AddHours(1);

        Decision decision = CaseDecider.Apply(pending, new TransferDeclined { EventId = "e_d", At = at, By = Receiver, Reason = TransferDeclineReason.NotResponsible }, at);

        Assert.Null(decision.Refused);
        Assert.Equal(Lead, decision.State.Lead);
        Assert.Null(decision.State.Leads);
        Assert.Null(decision.State.MunicipalityNow);
        Assert.Equal((TransferStatus.Declined, TransferDeclineReason.NotResponsible), (decision.State.Transfer!.Status, decision.State.Transfer.DeclineReason));
        Assert.Equal([ReminderKind.TransferDue], decision.Ended);
        Assert.Null(CaseDecider.Check(decision.State, Request(at.AddMinutes(1), to: "angelholm-social-services") with { EventId = "e_req2" }));
    }

    [Fact]
    public void Unanswered_at_its_due_time_the_reminder_is_escalated_to_both_sides_once()
    {
        CaseState supported = Supported();
        CaseState pending = supported.Then(Request(After(supported)));
        CaseTransfer transfer = pending.PendingTransfer!;

        Decision before = CaseDecider.OnDeadline(pending, transfer.DueAt.AddTicks(-1));
        Decision due = CaseDecider.OnDeadline(before.State, transfer.DueAt);
        Decision again = CaseDecider.OnDeadline(due.State, transfer.DueAt.AddDays(1));

        Assert.DoesNotContain(before.Reminders, r => r.Kind == ReminderKind.TransferDue);
        Assert.Equal(
            [new ReminderDue(ReminderKind.TransferDue, transfer.DueAt, true, Receiver, Receiver), new ReminderDue(ReminderKind.TransferDue, transfer.DueAt, true, Lead, Lead)],
            due.Reminders.Where(r => r.Kind == ReminderKind.TransferDue));
        Assert.True(due.State.PendingTransfer!.Escalated);
        Assert.DoesNotContain(again.Reminders, r => r.Kind == ReminderKind.TransferDue);
    }

    [Fact]
    public void Closing_the_case_cancels_a_pending_transfer_and_its_reminder()
    {
        CaseState supported = Supported();
        CaseState pending = supported.Then(Request(After(supported)));
        DateTimeOffset at = pending.PendingTransfer!.RequestedAt.AddHours(1);

        Decision closed = CaseDecider.Apply(pending, new CaseClosed { EventId = "e_c", At = at, By = Lead, Reason = CloseReason.Moved }, at);

        Assert.Equal(TransferStatus.Cancelled, closed.State.Transfer!.Status);
        Assert.Equal([ReminderKind.TransferDue], closed.Ended);
        Assert.DoesNotContain(CaseDecider.PendingDeadlines(closed.State), d => d.Kind == DeadlineKind.TransferDue);
    }

    [Fact]
    public void A_state_without_transfers_serializes_as_before_and_one_with_them_round_trips()
    {
        CaseState supported = Supported();
        Assert.DoesNotContain("\"transfer\":", supported.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"leads\":", supported.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("\"municipalityNow\":", supported.ToJson(), StringComparison.Ordinal);
        Assert.DoesNotContain("transferDueAfter", System.Text.Json.JsonSerializer.Serialize(supported.Policy, DurableJson.Options), StringComparison.Ordinal);

        DateTimeOffset requested = After(supported);
        CaseState accepted = supported.Then(Request(requested)).Then(new TransferAccepted { EventId = "e_a", At = requested.AddHours(1), By = Receiver });
        CaseState read = CaseState.FromJson(accepted.ToJson());
        Assert.Equal(accepted.LeadPeriods(), read.LeadPeriods());
        Assert.Equal(accepted.Transfer, read.Transfer);
        Assert.Equal(accepted.MunicipalityNow, read.MunicipalityNow);
    }

    [Fact]
    public void A_case_moved_to_another_municipality_counts_in_the_statistics_under_the_intakes()
    {
        CaseState supported = Supported();
        DateTimeOffset requested = After(supported);
        CaseState pending = supported.Then(Request(requested));

        Assert.Equal(0, Helsingborg.Statistics.CaseFigures.FromState(pending)[Helsingborg.Statistics.CaseFigures.MovedAway]);
        Assert.Equal(1, Helsingborg.Statistics.CaseFigures.FromState(pending.Then(new TransferAccepted { EventId = "e_a", At = requested.AddHours(1), By = Receiver }))[Helsingborg.Statistics.CaseFigures.MovedAway]);
        Assert.Equal(0, Helsingborg.Statistics.CaseFigures.FromState(supported.Then(Request(requested, municipality: null)).Then(new TransferAccepted { EventId = "e_a", At = requested.AddHours(1), By = Receiver }))[Helsingborg.Statistics.CaseFigures.MovedAway]);
    }

    [Theory]
    // Monday 10:00 Swedish time + 3 working days: Thursday 10:00.
    [InlineData("2026-03-02T09:00:00Z", "3.00:00:00", "2026-03-05T09:00:00Z")]
    // Friday + 1 working day: Monday, the same time.
    [InlineData("2026-03-06T15:00:00Z", "1.00:00:00", "2026-03-09T15:00:00Z")]
    // Saturday + 1 working day: Monday.
    [InlineData("2026-03-07T12:00:00Z", "1.00:00:00", "2026-03-09T12:00:00Z")]
    // Thursday 10:00 + 3 working days across the start of summer time (29 March 2026): Tuesday 10:00 on the Swedish clock, an hour earlier in UTC.
    [InlineData("2026-03-26T09:00:00Z", "3.00:00:00", "2026-03-31T08:00:00Z")]
    // Under a day it is plain time (tests and demos), over a weekend too.
    [InlineData("2026-03-07T12:00:00Z", "00:00:05", "2026-03-07T12:00:05Z")]
    // A whole day and some hours: the day counts as a working day, the hours plainly.
    [InlineData("2026-03-06T15:00:00Z", "1.02:00:00", "2026-03-09T17:00:00Z")]
    public void The_transfer_clock_counts_whole_days_as_working_days_on_a_Swedish_clock(string start, string span, string expected)
    {
        DateTimeOffset due = WorkingDays.Add(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Parse(span, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), due);
    }
}
