using Helsingborg.Lifecycle;
using Helsingborg.Outreach;
using Helsingborg.Statistics;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Statistics;

/// <summary>
/// A known set of anonymous case rows and outreach sessions in a past year that no other test uses,
/// written through the stores the projection and the API use.
/// </summary>
public static class StatisticsSeed
{
    public static async Task SeedAsync(IServiceProvider services, int year)
    {
        var store = services.GetRequiredService<StatisticsStore>();
        var sessions = services.GetRequiredService<OutreachSessionStore>();
        string tag = Guid.NewGuid().ToString("N")[..8];

        async Task Case(string id, DateTimeOffset at, string partner, string municipality, bool person, bool outreach, Dictionary<string, long> state)
        {
            string caseId = $"c_seed{year}{id}{tag}";
            await store.SetAsync(caseId, at, partner, municipality, CaseFigures.FromIntake(person, outreach ? "o_x" : null));
            state[CaseFigures.Incidents] = 1;
            await store.SetAsync(caseId, at, partner, municipality, state);

            // Written again, as a retried activity would: the aggregate must not move.
            await store.SetAsync(caseId, at, partner, municipality, state);
        }

        await Case("1", At(year, 1, 10), "hotel-group", "helsingborg", person: true, outreach: false, new()
        {
            [CaseFigures.Conversations] = 3,
            [CaseFigures.Given(SupportKind.Accommodation)] = 2,
            [CaseFigures.Given(SupportKind.Medical)] = 1,
            [CaseFigures.Closed(CloseReason.Stable)] = 1,
        });
        await Case("2", At(year, 1, 20), "police", "landskrona", person: false, outreach: false, []);
        await Case("3", At(year, 2, 5), "hotel-group", "landskrona", person: true, outreach: true, new()
        {
            [CaseFigures.Conversations] = 1,
            [CaseFigures.Given(SupportKind.Interpretation)] = 1,
            [CaseFigures.Returns] = 1,
            [CaseFigures.Closed(CloseReason.Returned)] = 1,
        });
        // Reported by the Salvation Army during an outreach session: the partner's report, linked to the session.
        await Case("4", At(year, 4, 15), "salvation-army", "helsingborg", person: true, outreach: true, new() { [CaseFigures.Conversations] = 5 });

        await sessions.AddAsync(new OutreachSession(OutreachSessionStore.NewId(), new DateOnly(year, 1, 17), 40, 10, 4, 2, ["salvation-army", "social-services"], DateTimeOffset.UtcNow, "test"));
        await sessions.AddAsync(new OutreachSession(OutreachSessionStore.NewId(), new DateOnly(year, 5, 2), 30, 6, 3, 1, ["salvation-army", "city"], DateTimeOffset.UtcNow, "test"));
    }

    static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 12, 0, 0, TimeSpan.Zero);
}
