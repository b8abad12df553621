using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Partners;
using Helsingborg.Referrals;
using Helsingborg.Statistics;
using Helsingborg.Tests.Infrastructure;
using Helsingborg.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Moq;

namespace Helsingborg.Tests.Web;

/// <summary>
/// Every page rendered as its route renders it, without a host: a city profile whose names and contact are markup
/// comes out encoded in the text and escaped in the JSON data blocks, under the one policy and its headers.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class PageRenderingTests
{
    const string Hostile = "</script><script>alert(1)</script>\"'&<b>";

    static readonly IServiceProvider Services = new ServiceCollection().AddLogging().BuildServiceProvider();

    /// <summary>Helsingborg's profile with markup in every name and contact text a page shows.</summary>
    static CityProfile HostileProfile()
    {
        CityProfile profile = TestProfiles.Load("helsingborg");
        profile.Name = Hostile;
        foreach (OrganisationProfile organisation in profile.Organisations)
        {
            organisation.NameSv = Hostile;
            organisation.NameEn = Hostile;
        }

        profile.Municipalities[0].Name = Hostile;
        profile.Contact.Email = Hostile;
        profile.Contact.Phone = Hostile;
        return profile;
    }

    static async Task<(HttpResponse Response, string Html)> AnswerAsync(Func<ApiCall, Task<IResult>> page, string query)
    {
        var context = new DefaultHttpContext { RequestServices = Services };
        context.Request.QueryString = new QueryString(query);
        context.Response.Body = new MemoryStream();
        var call = new ApiCall(context.Request, null, new Mock<DurableTaskClient>("test").Object, new Dictionary<string, string>());
        IResult result = await page(call);
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response, await reader.ReadToEndAsync());
    }

    public static TheoryData<string, string> Pages => new()
    {
        { "intake", "" }, { "intake", "?lang=en" },
        { "referrals", "" }, { "referrals", "?lang=en" },
        { "dashboard", "" }, { "dashboard", "?lang=en" },
        { "accessibility", "" }, { "accessibility", "?lang=en" },
        { "statistics", "" }, { "statistics", "?lang=en" },
        { "receipt", "" }, { "receipt", "?lang=en" },
    };

    static Func<ApiCall, Task<IResult>> Page(string name, CityProfile profile) => name switch
    {
        "intake" => new IntakePage(null!, profile).FormAsync,
        "referrals" => new ReferralsPage(profile).ShellAsync,
        "dashboard" => new DashboardPage(profile).ShellAsync,
        "accessibility" => new AccessibilityStatementPage(profile).GetAsync,
        "statistics" => StatisticsPage.GetAsync,
        "receipt" => call => WebPage.RenderAsync<IntakeReceiptView>(call, new Dictionary<string, object?>
        {
            [nameof(IntakeReceiptView.English)] = call.Request.QueryString.HasValue,
            [nameof(IntakeReceiptView.Words)] = call.Request.QueryString.HasValue ? IntakePageTexts.English : IntakePageTexts.Swedish,
            [nameof(IntakeReceiptView.CaseId)] = Hostile,
            [nameof(IntakeReceiptView.ReceivedAt)] = DateTimeOffset.UnixEpoch,
            [nameof(IntakeReceiptView.Profile)] = profile,
        }, StatusCodes.Status202Accepted),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_answers_under_the_one_policy_with_its_language_skip_link_main_and_footer(string name, string query)
    {
        (HttpResponse response, string html) = await AnswerAsync(Page(name, HostileProfile()), query);

        Assert.Equal("text/html; charset=utf-8", response.ContentType);
        Assert.Equal(WebPage.ContentSecurityPolicy, response.Headers.ContentSecurityPolicy.ToString());
        Assert.Equal("nosniff", response.Headers.XContentTypeOptions.ToString());
        Assert.Equal("DENY", response.Headers.XFrameOptions.ToString());
        Assert.Equal("no-referrer", response.Headers["Referrer-Policy"].ToString());
        string lang = query.Length > 0 ? "en" : "sv";
        Assert.StartsWith($"<!DOCTYPE html>\n<html lang=\"{lang}\">", html.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        string main = MainId().Match(html).Groups[1].Value;
        Assert.Contains($"<a class=\"skip\" href=\"#{main}\">", html, StringComparison.Ordinal);
        if (name != "accessibility")
        {
            string statement = lang == "en" ? "/accessibility?lang=en" : "/accessibility";
            Assert.Contains($"<footer class=\"foot\"><a id=\"accessibility\" href=\"{statement}\">", html, StringComparison.Ordinal);
        }

        // No inline script or style: every script is the app's own module or a JSON data block, every style a file.
        Assert.All(ScriptTag().Matches(html), s => Assert.Matches("""^ (type="application/json" id="[a-z-]+"|type="module" src="/dashboard/[a-z]+\.js")$""", s.Groups[1].Value));
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Markup_in_the_profile_comes_out_encoded_and_data_blocks_hold_it_as_data(string name, string query)
    {
        (_, string html) = await AnswerAsync(Page(name, HostileProfile()), query);

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        // The dashboard and the statistics page show no profile text of their own: their scripts draw from the data.
        if (name is not ("dashboard" or "statistics"))
        {
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        }

        MatchCollection blocks = DataBlock().Matches(html);
        Assert.Equal(name is "dashboard" or "referrals" or "statistics", blocks.Count > 0);
        foreach (System.Text.RegularExpressions.Match block in blocks)
        {
            using JsonDocument data = JsonDocument.Parse(block.Groups[2].Value);
            if (block.Groups[1].Value == "city-profile")
            {
                Assert.Equal(Hostile, data.RootElement.GetProperty("name").GetString());
            }
        }
    }

    [GeneratedRegex("<main id=\"([a-z]+)\"")]
    private static partial Regex MainId();

    [GeneratedRegex("<script([^>]*)>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("<script type=\"application/json\" id=\"([a-z-]+)\">([^<]*)</script>")]
    private static partial Regex DataBlock();
}
