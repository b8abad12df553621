using System.Text.Json;
using System.Net;
using System.Text.RegularExpressions;
using Helsingborg.Access;
using Helsingborg.Http;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

[Collection(SharedHostCollection.Name)]
public sealed class RouteAccessTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static string Path(ApiRoute route, string caseId) =>
        Regex.Replace(route.Template, "{([^}:?]+)[^}]*}", m => m.Groups[1].Value switch
        {
            "caseId" => caseId,
            "documentId" => "d_00000000000000000000000000",
            "reminderId" => $"{caseId}.follow-up.1",
            _ => "x",
        });

    [Fact]
    public async Task A_partner_key_gets_403_on_every_route_that_is_not_for_partners()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        var checkedRoutes = new List<string>();
        foreach (ApiRoute route in ApiRoutes.All.Where(r => !r.Anonymous && !r.Roles.Contains(Role.Partner)))
        {
            using HttpResponseMessage response = await Host.SendAsync(new HttpMethod(route.Method), Path(route, caseId), TestHost.PartnerKey, route.Method == "POST" ? new { type = "contact-attempted" } : null);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{route.Name} answered {(int)response.StatusCode} to a partner");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            checkedRoutes.Add(route.Name);
        }

        Assert.Contains("ListCases", checkedRoutes);
        Assert.Contains("GetCaseDocument", checkedRoutes);
        Assert.Contains("ListAccessLog", checkedRoutes);
    }

    [Fact]
    public async Task An_intake_that_says_the_person_declines_the_authorities_is_hidden_from_social_services_from_its_first_read()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid(wantsAuthorityContact: "no"));

        // The very first read, before any event: social services answer as for an unknown case, the Salvation Army leads.
        using HttpResponseMessage hidden = await Host.SendAsync(HttpMethod.Get, $"api/cases/{caseId}", TestHost.CoordinatorKey);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        JsonElement seen = await Host.GetJsonAsync($"api/cases/{caseId}", TestHost.SalvationArmyKey);
        Assert.Equal("salvation-army", seen.GetProperty("lead").GetString());
        Assert.DoesNotContain((await Host.ListAllAsync("api/cases", string.Empty)).Select(c => c.GetProperty("caseId").GetString()), id => id == caseId);
    }

    [Fact]
    public async Task An_unknown_case_and_one_the_caller_may_not_see_answer_alike()
    {
        string hidden = await Host.SubmitIntakeAsync(Intakes.Valid());
        await Host.RecordAsync(hidden, new { type = "contact-made", wantsSupport = "yes", wantsAuthorityContact = "no" });
        await Poll.UntilAsync(async () => (await Host.GetJsonAsync($"api/cases/{hidden}", TestHost.SalvationArmyKey)).GetProperty("lead").GetString() == "salvation-army", TimeSpan.FromSeconds(60), "the Salvation Army to lead");
        const string unknown = "c_00000000000000000000000000";

        foreach (ApiRoute route in ApiRoutes.All.Where(r => r.Template.Contains("{caseId}", StringComparison.Ordinal) && r.Roles.Contains(Role.Coordinator)))
        {
            object? body = route.Method == "POST" ? new { type = "support-conversation" } : null;
            using HttpResponseMessage a = await Host.SendAsync(new HttpMethod(route.Method), Path(route, unknown), TestHost.CoordinatorKey, body);
            using HttpResponseMessage b = await Host.SendAsync(new HttpMethod(route.Method), Path(route, hidden), TestHost.CoordinatorKey, body);

            Assert.True(a.StatusCode == HttpStatusCode.NotFound, $"{route.Name} answered {(int)a.StatusCode} for an unknown case");
            Assert.Equal(a.StatusCode, b.StatusCode);
            Assert.Equal(await a.Content.ReadAsStringAsync(), await b.Content.ReadAsStringAsync());
        }

        using HttpResponseMessage seen = await Host.SendAsync(HttpMethod.Get, $"api/cases/{hidden}", TestHost.SalvationArmyKey);
        Assert.Equal(HttpStatusCode.OK, seen.StatusCode);
    }

    [Fact]
    public async Task The_case_answers_the_events_allowed_in_its_phase()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        var c = await Host.WaitForCaseAsync(caseId, c => c.GetProperty("allowed").GetArrayLength() > 0, "the case's allowed events");
        var allowed = c.GetProperty("allowed").EnumerateArray().Select(e => e.GetString()).ToList();

        Assert.Contains("contact-made", allowed);
        Assert.Contains("contact-attempted", allowed);
        Assert.DoesNotContain("support-given", allowed);
        Assert.DoesNotContain("evaluation-recorded", allowed);
        Assert.Contains("sharing-consent-given", allowed);
        Assert.DoesNotContain("referral-accepted", allowed);
        foreach (string field in new[] { "caseId", "phase", "step", "lead", "minor", "municipality", "reportedBy", "openedAt", "closedAt", "closeReason", "nextDueAt", "openReminders", "counts", "reflectionPeriodEnds", "residencePermitEnds", "evaluationOutcome", "erased", "incident", "person" })
        {
            Assert.True(c.TryGetProperty(field, out _), $"the case lacks {field}");
        }
    }
}
