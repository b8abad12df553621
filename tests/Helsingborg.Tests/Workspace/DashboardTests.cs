using System.Net;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

public sealed class DashboardTests(WorkspaceHost fixture) : IClassFixture<WorkspaceHost>
{
    TestHost Host => fixture.Host;

    [Fact]
    public async Task The_dashboard_is_served_at_the_root_in_swedish_with_a_strict_policy()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "/", null);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"sv\">", html);
        string csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", string.Empty, StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
    }

    [Fact]
    public async Task English_is_chosen_with_lang_en()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "/?lang=en", null);
        Assert.Contains("<html lang=\"en\">", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("dashboard/dashboard.js", "text/javascript")]
    [InlineData("dashboard/dashboard.css", "text/css")]
    public async Task The_assets_come_from_the_app_itself(string path, string type)
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, path, null);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("https://", text);
        Assert.DoesNotContain("innerHTML", text);
    }

    [Fact]
    public async Task An_unknown_asset_is_404()
    {
        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, "dashboard/secrets.json", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task In_a_real_browser_a_coordinator_filters_opens_a_case_and_records_contact()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid(municipality: "astorp"));
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case to be projected");

        Browser.Run run = await Browser.RunAsync("dashboard.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = Host.Client.BaseAddress!.ToString(),
            ["API_KEY"] = TestHost.CoordinatorKey,
            ["CASE_ID"] = caseId,
            ["MUNICIPALITY"] = "astorp",
            ["SCREENSHOT"] = Path.Combine(Path.GetTempPath(), "dashboard-" + caseId + ".png"),
        }, TimeSpan.FromMinutes(3));

        Assert.True(run.ExitCode == 0, $"browser: {run.Output}\n{run.Errors}");
        JsonElement result = JsonDocument.Parse(run.Output.Trim().Split('\n')[^1]).RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal("short-term-support", result.GetProperty("phase").GetString());
        JsonElement after = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("short-term-support", after.GetProperty("phase").GetString());
    }
}
