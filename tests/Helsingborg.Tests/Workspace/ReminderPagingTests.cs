using System.Net;
using System.Text.Json;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

/// <summary>GET /api/reminders pages for real: limit, an opaque cursor, next null at the end, a stable order.</summary>
[Collection(SharedHostCollection.Name)]
public sealed class ReminderPagingTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    async Task<(string CaseId, List<string> Ids)> SeedAsync(int count)
    {
        string caseId = await fixture.SeedAsync("bjuv", DateTimeOffset.UtcNow.AddHours(-1));
        ReminderStore store = fixture.Get<ReminderStore>();
        DateTimeOffset due = DateTimeOffset.UtcNow.AddDays(1);
        for (int i = 0; i < count; i++)
        {
            Assert.True(await store.CreateAsync(caseId, ReminderKind.FollowUp, due.AddMinutes(i), organisation: null, escalated: false));
        }

        return (caseId, [.. (await store.ListAsync(caseId, acknowledged: null)).Select(r => r.ReminderId)]);
    }

    async Task<(List<string> Ids, int Pages)> ReadAllAsync(string query)
    {
        var ids = new List<string>();
        string? cursor = null;
        for (int pages = 1; pages < 100; pages++)
        {
            JsonElement body = await Host.GetJsonAsync($"api/reminders?{query}" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}"));
            ids.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reminderId").GetString()!));
            cursor = body.GetProperty("next").GetString();
            if (cursor is null)
            {
                return (ids, pages);
            }

            Assert.DoesNotContain(".", cursor);
        }

        throw new InvalidOperationException("The listing did not end.");
    }

    [Fact]
    public async Task Every_reminder_comes_once_over_several_pages_in_a_stable_order()
    {
        (string caseId, List<string> seeded) = await SeedAsync(5);

        (List<string> ids, int pages) = await ReadAllAsync($"status=all&caseId={caseId}&limit=2");
        (List<string> again, _) = await ReadAllAsync($"status=all&caseId={caseId}&limit=2");

        Assert.Equal(5, ids.Count);
        Assert.Equal(seeded.Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.True(pages >= 3, $"{pages} pages");
        Assert.Equal(ids, again);
    }

    [Fact]
    public async Task The_last_page_says_next_null()
    {
        (string caseId, _) = await SeedAsync(2);

        JsonElement body = await Host.GetJsonAsync($"api/reminders?status=all&caseId={caseId}&limit=50");

        Assert.Equal(2, body.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("next").ValueKind);
    }

    [Theory]
    [InlineData("cursor=not%20a%20cursor!", "cursor")]
    [InlineData("cursor=Zm9vYmFy", "cursor")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("limit=ten", "limit")]
    public async Task A_bad_cursor_or_limit_is_a_400_problem_naming_the_field(string query, string field)
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"api/reminders?status=all&{query}", TestHost.CoordinatorKey);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), text);
    }
}
