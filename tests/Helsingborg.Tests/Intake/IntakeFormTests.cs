using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Intake;

/// <summary>GET /intake and POST /intake: the partner form and its HTML receipt, over HTTP and in Chromium.</summary>
public sealed class IntakeFormTests(IntakeHost fixture) : IClassFixture<IntakeHost>
{
    TestHost Host => fixture.Host;

    async Task<(HttpResponseMessage Response, string Html)> GetPageAsync(string path)
    {
        HttpResponseMessage response = await Host.Client.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_form_is_Swedish_by_default_and_English_with_lang_en()
    {
        (HttpResponseMessage swedish, string sv) = await GetPageAsync("intake");
        (_, string en) = await GetPageAsync("intake?lang=en");

        Assert.Equal(HttpStatusCode.OK, swedish.StatusCode);
        Assert.Equal("text/html", swedish.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html lang=\"sv\">", sv);
        Assert.Contains("Skicka rapporten", sv);
        Assert.Contains("<html lang=\"en\">", en);
        Assert.Contains("Send the report", en);
    }

    [Fact]
    public async Task Every_form_control_has_a_label_or_a_legend_and_the_form_has_an_error_summary()
    {
        (_, string html) = await GetPageAsync("intake");

        var ids = Regex.Matches(html, "<(?:input|select|textarea)[^>]* id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count > 20, "the form has its fields");
        foreach (string id in ids)
        {
            Assert.Contains($"<label for=\"{id}\">", html);
        }

        Assert.Equal(Regex.Matches(html, "<fieldset").Count, Regex.Matches(html, "<legend>").Count);
        Assert.Contains("id=\"error-summary\"", html);
        Assert.Contains("role=\"alert\"", html);
    }

    [Fact]
    public async Task The_page_loads_nothing_from_outside_the_app_under_a_strict_policy()
    {
        (HttpResponseMessage response, string html) = await GetPageAsync("intake");

        string policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'none';", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Matches("script-src 'sha256-[A-Za-z0-9+/=]+';", policy);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);
        Assert.DoesNotContain("<script src", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain(" style=\"", html);
    }

    [Fact]
    public async Task A_form_submit_without_a_partner_key_is_refused()
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["municipality"] = "helsingborg" });
        HttpResponseMessage response = await Host.Client.PostAsync("intake", content);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_form_submit_answers_an_html_receipt_with_the_case_reference_and_errors_as_problem_json()
    {
        var fields = new Dictionary<string, string>
        {
            ["municipality"] = "bjuv",
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"),
            ["placeType"] = "online",
            ["suspicion"] = "unclear",
            ["description"] = "An advert that looked like coercion.",
            ["policeNotified"] = "true",
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "intake?lang=en") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("X-Api-Key", TestHost.PartnerKey);
        HttpResponseMessage response = await Host.Client.SendAsync(request);
        string html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string caseId = Regex.Match(html, "id=\"case-reference\">(c_[0-9a-z]{26})<").Groups[1].Value;
        Assert.NotEmpty(caseId);
        Assert.Equal("bjuv", (await Host.GetJsonAsync($"api/cases/{caseId}")).GetProperty("municipality").GetString());

        fields["description"] = "Marker" + Guid.NewGuid().ToString("N") + new string('x', 4001);
        var invalid = new HttpRequestMessage(HttpMethod.Post, "intake") { Content = new FormUrlEncodedContent(fields) };
        invalid.Headers.Add("X-Api-Key", TestHost.PartnerKey);
        HttpResponseMessage refused = await Host.Client.SendAsync(invalid);
        string problem = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonDocument.Parse(problem).RootElement.GetProperty("errors").TryGetProperty("description", out _));
        Assert.DoesNotContain("Marker", problem);
    }

    [Fact]
    public async Task A_partner_fills_in_the_form_in_a_real_browser_and_the_receipt_names_the_case()
    {
        Browser.Run run = await Browser.RunAsync("intake-form.mjs", new Dictionary<string, string>
        {
            ["BASE_URL"] = Host.Client.BaseAddress!.ToString(),
            ["PARTNER_KEY"] = TestHost.PartnerKey,
        });
        Assert.True(run.ExitCode == 0, $"browser script failed: {run.Output}\n{run.Errors}");

        using JsonDocument result = JsonDocument.Parse(run.Output.Trim().Split('\n').Last());
        string caseId = result.RootElement.GetProperty("caseId").GetString()!;
        Assert.False(result.RootElement.GetProperty("keyAskedAgain").GetBoolean(), "the key was asked for again in the same session");
        Assert.Empty(result.RootElement.GetProperty("consoleErrors").EnumerateArray());
        Assert.Contains(result.RootElement.GetProperty("errors").EnumerateArray(), e => e.GetString()!.Contains("Beskriv vad du såg"));

        JsonElement found = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("hotel-group", found.GetProperty("reportedBy").GetString());
        Assert.Equal("helsingborg", found.GetProperty("municipality").GetString());
        Assert.Equal("Testperson", found.GetProperty("person").GetProperty("alias").GetString());
        Assert.Equal("first-contact", found.GetProperty("phase").GetString());
    }
}
