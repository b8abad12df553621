using System.Text.Json;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Retention;
using Helsingborg.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace Helsingborg.Tests.Retention;

/// <summary>
/// The retention sweep culls by the legal basis of the case's lead (issue 21, item 2), run with a fake clock: a public
/// task's record five years after its last entry and not a day before, a consent case 730 days after completion. The
/// cases are made by the decider as their events would make them, in 2007 (a year no other test uses), and the sweep's
/// clock stays in the past, so no other test's case can fall due.
/// </summary>
[Collection(RetentionSweeps.Name)]
public sealed class PublicTaskRetentionTests(SweepingHost fixture)
{
    const string Municipality = "klippan";
    static readonly DateTimeOffset Opened = new(2007, 3, 5, 9, 0, 0, TimeSpan.Zero);
    readonly TestHost host = fixture.Host;

    /// <summary>A completed case with its sealed intake and its rows, as intake and the orchestration's steps write them.</summary>
    async Task<CaseState> CompletedCaseAsync(bool declinesAuthorities, params Func<DateTimeOffset, CaseEvent>[] events)
    {
        var profile = host.Services.GetRequiredService<Partners.CityProfile>();
        string caseId = CaseIds.New();
        var facts = new IntakeFacts(caseId, Municipality, "hotel-group", Opened, PoliceNotified: true, Minor: false);
        CaseState state = CaseDecider.Open(facts, profile.CaseRules(new CasePolicy())).State;
        var submission = new IntakeSubmission
        {
            Municipality = Municipality, ObservedAt = Opened.AddHours(-2), PlaceType = PlaceType.Hotel, Suspicion = Suspicion.Trafficking,
            Description = "A made-up report for the retention sweep.", PoliceNotified = true,
            WantsAuthorityContact = declinesAuthorities ? YesNoUnknown.No : YesNoUnknown.Yes,
        };
        var vault = host.Services.GetRequiredService<CaseVault>();
        byte[] key = await vault.EnsureKeyAsync(caseId);
        await vault.PutAsync(caseId, key, IntakePersonalData.VaultField, JsonSerializer.Serialize(submission.PersonalData(), ApiJson.Options));
        var projections = host.Services.GetRequiredService<CaseProjectionStore>();
        await projections.OpenAsync(state, submission, CancellationToken.None);

        DateTimeOffset at = Opened;
        foreach (Func<DateTimeOffset, CaseEvent> e in events)
        {
            at = at.AddDays(10);
            Decision decision = CaseDecider.Apply(state, e(at), at);
            Assert.Null(decision.Refused);
            state = decision.State;
        }

        Assert.Equal(Phase.Completed, state.Phase);
        await projections.ProjectAsync(state);
        return state;
    }

    static Func<DateTimeOffset, CaseEvent> ContactMade(YesNoUnknown authorities) =>
        at => new ContactMade { EventId = CaseIds.New(), At = at, By = "social-services", WantsSupport = YesNo.Yes, WantsAuthorityContact = authorities };

    static CaseEvent Withdrawn(DateTimeOffset at) => new ConsentWithdrawn { EventId = CaseIds.New(), At = at, By = "social-services" };

    static CaseEvent Closed(DateTimeOffset at) => new CaseClosed { EventId = CaseIds.New(), At = at, By = "salvation-army", Reason = CloseReason.Stable };

    static CaseEvent Evaluated(DateTimeOffset at) => new EvaluationRecorded { EventId = CaseIds.New(), At = at, By = "social-services", Outcome = EvaluationOutcome.Unknown };

    async Task<string> FiguresAsync()
    {
        JsonElement report = await host.GetJsonAsync("api/statistics?from=2007-01-01&to=2007-12-31&groupBy=municipality");
        return report.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("group").GetString() == Municipality).GetRawText();
    }

    [Fact]
    public async Task A_public_tasks_record_is_culled_five_years_after_its_last_entry_and_not_a_day_before_and_a_consent_case_730_days_after_completion()
    {
        CaseState publicTask = await CompletedCaseAsync(false, ContactMade(YesNoUnknown.Yes), Withdrawn, Evaluated);
        CaseState consent = await CompletedCaseAsync(true, ContactMade(YesNoUnknown.No), Closed, Evaluated);
        Assert.Equal((LegalBasis.PublicTask, false), (publicTask.Basis, publicTask.Erased));
        Assert.Equal(LegalBasis.Consent, consent.Basis);
        DateTimeOffset lastEntry = publicTask.LastEntryAt!.Value;
        DateTimeOffset consentDue = consent.CompletedAt!.Value + TimeSpan.FromDays(730);

        var options = new Mock<IOptionsMonitor<RetentionOptions>>();
        options.Setup(o => o.CurrentValue).Returns(new RetentionOptions());
        var sweep = ActivatorUtilities.CreateInstance<RetentionSweep>(host.Services, options.Object);
        var durable = host.Services.GetRequiredService<DurableTaskClient>();
        var vault = host.Services.GetRequiredService<CaseVault>();
        string figures = await FiguresAsync();

        async Task<bool> KeptAsync(CaseState s) => await vault.GetAsync(s.CaseId, IntakePersonalData.VaultField) is not null;

        await sweep.RunAsync(durable, consentDue.AddDays(-1));
        Assert.True(await KeptAsync(consent));
        Assert.True(await KeptAsync(publicTask));

        // The consent case goes as before; the public task's record, completed as long, stays.
        await sweep.RunAsync(durable, consentDue);
        Assert.False(await KeptAsync(consent));
        Assert.True(await KeptAsync(publicTask));

        await sweep.RunAsync(durable, lastEntry.AddYears(5).AddDays(-1));
        Assert.True(await KeptAsync(publicTask));

        await sweep.RunAsync(durable, lastEntry.AddYears(5));
        Assert.False(await KeptAsync(publicTask));
        Assert.Null(await vault.GetKeyAsync(publicTask.CaseId));
        CaseRow? row = await host.Services.GetRequiredService<CaseProjectionStore>().GetAsync(publicTask.CaseId);
        Assert.True(row!.Entity.GetBoolean("Purged"));
        Assert.True(row.State!.Erased);

        // Culling leaves the figures as they were.
        Assert.Equal(figures, await FiguresAsync());
    }
}
