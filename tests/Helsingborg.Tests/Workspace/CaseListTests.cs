using System.Net;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

[Collection(SharedHostCollection.Name)]
public sealed class CaseListTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static List<string> Ids(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("caseId").GetString()!).ToList();

    [Fact]
    public async Task Overdue_lists_only_open_cases_whose_next_deadline_has_passed()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string overdue = await fixture.SeedAsync("bjuv", now.AddDays(-3));
        string onTime = await fixture.SeedAsync("bjuv", now.AddMinutes(-5));
        string closedLate = await fixture.SeedAsync("bjuv", now.AddDays(-400), s => s with { Phase = Phase.Closed, ClosedAt = now.AddDays(-300), CloseReason = CloseReason.Stable });

        List<JsonElement> items = await fixture.ListAllAsync("overdue=true&municipality=bjuv");

        Assert.Contains(overdue, Ids(items));
        Assert.DoesNotContain(onTime, Ids(items));
        Assert.DoesNotContain(closedLate, Ids(items));
        Assert.All(items, i => Assert.True(i.GetProperty("overdue").GetBoolean()));
        JsonElement item = items.Single(i => i.GetProperty("caseId").GetString() == overdue);
        Assert.Equal("first-contact", item.GetProperty("phase").GetString());
        Assert.Equal("bjuv", item.GetProperty("municipality").GetString());
        Assert.True(item.GetProperty("nextDueAt").GetDateTimeOffset() < now);
    }

    [Fact]
    public async Task Items_carry_exactly_the_anonymous_fields_and_no_personal_data()
    {
        var canaries = Intakes.Canaries.New();
        string caseId = await Host.SubmitIntakeAsync(canaries.Intake());
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "api/cases?municipality=landskrona&limit=200", TestHost.CoordinatorKey);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.All(canaries.All, c => Assert.DoesNotContain(c, text));
        List<JsonElement> items = await fixture.ListAllAsync("municipality=landskrona");
        JsonElement item = items.Single(i => i.GetProperty("caseId").GetString() == caseId);
        Assert.Equal(
            ["caseId", "lead", "minor", "municipality", "nextDueAt", "openedAt", "overdue", "phase", "reference", "step", "worker"],
            item.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_case_led_by_the_salvation_army_is_listed_only_for_salvation_army_coordinators()
    {
        string led = await fixture.SeedAsync("klippan", DateTimeOffset.UtcNow.AddHours(-1), s => s with { Phase = Phase.ShortTermSupport, Lead = "salvation-army" });

        Assert.DoesNotContain(led, Ids(await fixture.ListAllAsync("municipality=klippan")));
        Assert.Contains(led, Ids(await fixture.ListAllAsync("municipality=klippan", TestHost.SalvationArmyKey)));
        Assert.Contains(led, Ids(await fixture.ListAllAsync("municipality=klippan&lead=salvation-army&phase=short-term-support", TestHost.SalvationArmyKey)));
    }

    [Fact]
    public async Task Closed_and_completed_cases_are_listed_only_when_their_phase_is_asked_for()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string closed = await fixture.SeedAsync("perstorp", now.AddDays(-10), s => s with { Phase = Phase.Closed, ClosedAt = now.AddDays(-1), CloseReason = CloseReason.Moved });
        string open = await fixture.SeedAsync("perstorp", now.AddHours(-1));

        List<string> defaults = Ids(await fixture.ListAllAsync("municipality=perstorp"));
        List<string> closedOnes = Ids(await fixture.ListAllAsync("municipality=perstorp&phase=closed"));

        Assert.Contains(open, defaults);
        Assert.DoesNotContain(closed, defaults);
        Assert.Contains(closed, closedOnes);
        Assert.DoesNotContain(open, closedOnes);
    }

    [Fact]
    public async Task The_minor_filter_selects_minors()
    {
        string minor = await fixture.SeedAsync("svalov", DateTimeOffset.UtcNow.AddHours(-1), minor: true);
        string adult = await fixture.SeedAsync("svalov", DateTimeOffset.UtcNow.AddHours(-1));

        List<JsonElement> minors = await fixture.ListAllAsync("municipality=svalov&minor=true");

        Assert.Contains(minor, Ids(minors));
        Assert.DoesNotContain(adult, Ids(minors));
        Assert.All(minors, i => Assert.True(i.GetProperty("minor").GetBoolean()));
    }

    [Fact]
    public async Task Paging_with_the_cursor_visits_every_case_once()
    {
        var seeded = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            seeded.Add(await fixture.SeedAsync("bjuv", DateTimeOffset.UtcNow.AddHours(-i - 1)));
        }

        List<string> paged = Ids(await fixture.ListAllAsync("municipality=bjuv", limit: 2));

        Assert.Equal(paged.Count, paged.Distinct().Count());
        Assert.All(seeded, id => Assert.Contains(id, paged));
    }

    [Fact]
    public async Task Bad_filters_answer_400_with_errors_by_field()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "api/cases?phase=nope&municipality=atlantis&lead=x&minor=maybe&overdue=1&limit=0&cursor=%25%25&colour=red", TestHost.CoordinatorKey);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
        Assert.Equal(["colour", "cursor", "lead", "limit", "minor", "municipality", "overdue", "phase"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.DoesNotContain("atlantis", text);
        using HttpResponseMessage tooMany = await Host.SendAsync(HttpMethod.Get, "api/cases?limit=201", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
