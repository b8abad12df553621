using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

[Collection(SharedHostCollection.Name)]
public sealed class AccessLogTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    async Task<List<JsonElement>> EntriesAsync(string caseId)
    {
        JsonElement page = await Host.GetJsonAsync($"api/access-log?caseId={caseId}&limit=200", TestHost.AdminKey);
        return page.GetProperty("items").EnumerateArray().ToList();
    }

    static List<string> Actions(IEnumerable<JsonElement> entries) => entries.Select(e => e.GetProperty("action").GetString()!).ToList();

    [Fact]
    public async Task Intake_is_logged_as_a_write_by_the_partner_key()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        JsonElement entry = Assert.Single(await EntriesAsync(caseId));
        Assert.Equal("write-intake", entry.GetProperty("action").GetString());
        Assert.Equal("hotel-group", entry.GetProperty("organisation").GetString());
        Assert.False(string.IsNullOrEmpty(entry.GetProperty("who").GetString()));
    }

    [Theory]
    [InlineData("", "read-case")]
    [InlineData("/timeline", "read-timeline")]
    [InlineData("/documents", "list-documents")]
    public async Task Every_read_of_a_case_leaves_exactly_one_entry(string suffix, string action)
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        int before = (await EntriesAsync(caseId)).Count;

        await Host.GetJsonAsync($"api/cases/{caseId}{suffix}");
        List<JsonElement> after = await EntriesAsync(caseId);

        Assert.Equal(before + 1, after.Count);
        JsonElement newest = after[0];
        Assert.Equal(action, newest.GetProperty("action").GetString());
        Assert.Equal("social-services", newest.GetProperty("organisation").GetString());
        Assert.Equal(caseId, newest.GetProperty("caseId").GetString());
    }

    [Fact]
    public async Task Writes_and_document_reads_are_logged_newest_first()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        await Host.RecordAsync(caseId, new { type = "contact-attempted", channel = "phone" });
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"api/cases/{caseId}/documents") { Content = new ByteArrayContent("hej"u8.ToArray()) };
        upload.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        upload.Headers.Add("X-Api-Key", TestHost.CoordinatorKey);
        upload.Headers.Add("X-File-Name", "a.txt");
        using HttpResponseMessage created = await Host.Client.SendAsync(upload);
        string documentId = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("documentId").GetString()!;
        using HttpResponseMessage read = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}/documents/{documentId}", TestHost.CoordinatorKey);

        List<JsonElement> entries = await EntriesAsync(caseId);

        Assert.Equal(["read-document", "upload-document", "write-event", "write-intake"], Actions(entries));
        List<DateTimeOffset> times = entries.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task A_refused_read_of_an_invisible_case_leaves_no_entry()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        await Host.RecordAsync(caseId, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" });
        await Poll.UntilAsync(async () => (await Host.GetJsonAsync($"api/cases/{caseId}", TestHost.SalvationArmyKey)).GetProperty("lead").GetString() == "salvation-army", TimeSpan.FromSeconds(60), "the Salvation Army to lead");
        await Poll.UntilAsync(async () => (await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", TestHost.CoordinatorKey)).StatusCode == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "the case to be hidden");
        int before = (await EntriesAsync(caseId)).Count;

        using HttpResponseMessage hidden = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", TestHost.CoordinatorKey);

        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        Assert.Equal(before, (await EntriesAsync(caseId)).Count);
    }

    [Fact]
    public async Task The_access_log_pages_with_next_and_filters_by_time()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        DateTimeOffset start = DateTimeOffset.UtcNow;
        for (int i = 0; i < 3; i++)
        {
            await Host.GetJsonAsync($"api/cases/{caseId}");
        }

        JsonElement first = await Host.GetJsonAsync($"api/access-log?caseId={caseId}&limit=2", TestHost.AdminKey);
        string? next = first.GetProperty("next").GetString();
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.NotNull(next);
        var all = first.GetProperty("items").EnumerateArray().ToList();
        while (next is not null)
        {
            JsonElement page = await Host.GetJsonAsync($"api/access-log?caseId={caseId}&limit=2&cursor={Uri.EscapeDataString(next)}", TestHost.AdminKey);
            all.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").GetString();
        }

        Assert.Equal(4, all.Count);
        JsonElement late = await Host.GetJsonAsync($"api/access-log?caseId={caseId}&from={Uri.EscapeDataString(start.ToString("O"))}", TestHost.AdminKey);
        Assert.Equal(["read-case", "read-case", "read-case"], Actions(late.GetProperty("items").EnumerateArray()));
        JsonElement future = await Host.GetJsonAsync($"api/access-log?caseId={caseId}&from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}", TestHost.AdminKey);
        Assert.Empty(future.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Only_admins_read_the_access_log_and_bad_queries_answer_400()
    {
        using HttpResponseMessage coordinator = await Host.SendAsync(HttpMethod.Get, "api/access-log", TestHost.CoordinatorKey);
        using HttpResponseMessage bad = await Host.SendAsync(HttpMethod.Get, "api/access-log?caseId=nope&from=yesterday&limit=999", TestHost.AdminKey);

        Assert.Equal(HttpStatusCode.Forbidden, coordinator.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        JsonElement errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.Equal(["caseId", "from", "limit"], errors.EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Erasure_leaves_the_access_log_alone()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        await Host.GetJsonAsync($"api/cases/{caseId}");
        await Host.RecordAsync(caseId, new { type = "consent-withdrawn" });
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("erased").GetBoolean(), "the case to be erased");

        List<string> actions = Actions(await EntriesAsync(caseId));

        Assert.Contains("write-intake", actions);
        Assert.Contains("read-case", actions);
        Assert.Contains("write-event", actions);
    }

    static string SourceRoot() => Path.Combine(Helsingborg.LocalHost.Azurite.RepositoryRoot(), "functions");

    [Fact]
    public void The_access_log_only_ever_inserts()
    {
        string accessLog = File.ReadAllText(Path.Combine(SourceRoot(), "Helsingborg.Core", "DataProtection", "AccessLog.cs"));
        Assert.Contains("AddEntityAsync", accessLog);
        foreach (string write in new[] { "Delete", "Update", "Upsert", "SubmitTransaction", "TableTransactionAction" })
        {
            Assert.DoesNotContain(write, accessLog);
        }

        // No other code touches the access-log table: only AccessLog.cs opens it, and CaseStorage names it.
        var users = Directory.EnumerateFiles(SourceRoot(), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => Regex.IsMatch(File.ReadAllText(f), @"AccessLogTable|""AccessLog"""))
            .Select(Path.GetFileName)
            .Order()
            .ToList();
        Assert.Equal(["AccessLog.cs", "CaseStorage.cs"], users);

        // Its public surface appends and queries, nothing else.
        var methods = typeof(Helsingborg.DataProtection.AccessLog).GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
            .Select(m => m.Name).Order().ToList();
        Assert.Equal(["AppendAsync", "QueryAsync"], methods);
    }
}
