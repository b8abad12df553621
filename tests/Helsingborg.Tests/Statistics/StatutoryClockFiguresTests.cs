using System.Text;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Statistics;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Helsingborg.Tests.Lifecycle.CaseScenario;

namespace Helsingborg.Tests.Statistics;

/// <summary>A child's statutory clocks in the statistics: met on time and missed, per clock, from the case state only.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class StatutoryClockFiguresTests(SharedHost fixture)
{
    /// <summary>A minor's case: protection assessed in time, no investigation decided late.</summary>
    static CaseState Decided() => Open(minor: true)
        .Then<ProtectionAssessed>(T0.AddHours(5), e => e with { Date = T0.AddHours(4) })
        .Then<NoInvestigation>(T0.AddDays(20), e => e with { Date = T0.AddDays(16) });

    [Fact]
    public void A_clock_counts_as_met_on_time_or_missed_and_an_adults_case_counts_neither()
    {
        IReadOnlyDictionary<string, long> child = CaseFigures.FromState(Decided());
        IReadOnlyDictionary<string, long> adult = CaseFigures.FromState(Open());

        Assert.Equal((1, 0), (child[CaseFigures.Met(ReminderKind.ProtectionAssessment)], child[CaseFigures.Missed(ReminderKind.ProtectionAssessment)]));
        Assert.Equal((0, 1), (child[CaseFigures.Met(ReminderKind.InitialAssessment)], child[CaseFigures.Missed(ReminderKind.InitialAssessment)]));
        Assert.Equal((0, 0), (child[CaseFigures.Met(ReminderKind.Investigation)], child[CaseFigures.Missed(ReminderKind.Investigation)]));
        Assert.All(CaseFigures.Clocks, k => Assert.Equal(0, adult[CaseFigures.Met(k)] + adult[CaseFigures.Missed(k)]));
    }

    [Fact]
    public async Task The_figures_and_the_csv_count_the_clocks_met_on_time_and_missed()
    {
        var store = fixture.Host.Services.GetRequiredService<StatisticsStore>();
        var received = new DateTimeOffset(2008, 6, 10, 12, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < 6; i++)
        {
            // Six cases, so the statistics role sees the counts unsuppressed (counts under 5 show as <5).
            await store.SetAsync($"c_clocks2008{i}{Guid.NewGuid():N}", received, "hotel-group", "bjuv", CaseFigures.FromState(Decided()));
        }

        JsonElement report = await fixture.Host.GetJsonAsync("api/statistics?from=2008-06-01&to=2008-06-30&groupBy=month", TestHost.StatisticsKey);
        JsonElement clocks = report.GetProperty("total").GetProperty("statutoryClocks");

        Assert.Equal(6, clocks.GetProperty("protection-assessment").GetProperty("metOnTime").GetInt64());
        Assert.Equal(0, clocks.GetProperty("protection-assessment").GetProperty("missed").GetInt64());
        Assert.Equal(6, clocks.GetProperty("initial-assessment").GetProperty("missed").GetInt64());
        Assert.Equal(0, clocks.GetProperty("initial-assessment").GetProperty("metOnTime").GetInt64());

        using HttpResponseMessage csv = await fixture.Host.SendAsync(HttpMethod.Get, "api/statistics?from=2008-06-01&to=2008-06-30&format=csv", TestHost.StatisticsKey);
        string[] lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n");
        string[] header = lines[0].Split(';');
        string[] total = lines[^2].Split(';');
        int met = Array.IndexOf(header, "skyddsbedömning: i tid");
        Assert.True(met > 0, lines[0]);
        Assert.Equal("0", total[Array.IndexOf(header, "skyddsbedömning: försenad")]);
        Assert.Equal("6", total[met]);
    }
}
