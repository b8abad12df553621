using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Helsingborg.Access;
using Helsingborg.Http;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Workspace;

/// <summary>
/// Personal data is not cached (issue 11, 3): every route's answer, with its data in place (a case with a note and a
/// document), carries <c>Cache-Control: no-store</c>, except the routes marked cacheable, which hold nothing of a case.
/// </summary>
[Collection(SharedHostCollection.Name)]
public sealed class NoStoreTests(SharedHost fixture)
{
    TestHost Host => fixture.Host;

    static string KeyFor(ApiRoute route) =>
        route.Anonymous ? TestHost.CoordinatorKey
        : route.Roles.Contains(Role.Coordinator) ? TestHost.CoordinatorKey
        : route.Roles.Contains(Role.Admin) ? TestHost.AdminKey
        : route.Roles.Contains(Role.Statistics) ? TestHost.StatisticsKey
        : TestHost.PartnerKey;

    [Fact]
    public async Task Every_answer_but_static_assets_is_sent_with_no_store()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid());
        await Host.RecordAsync(caseId, new { type = "contact-attempted", channel = "phone", note = "Spoke to her at the hotel." });
        using HttpRequestMessage upload = Host.Request(HttpMethod.Post, $"api/cases/{caseId}/documents", TestHost.CoordinatorKey);
        upload.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("Witness statement."));
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Headers.Add("X-File-Name", "statement.txt");
        using HttpResponseMessage uploaded = await Host.Client.SendAsync(upload);
        string documentId = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("documentId").GetString()!;
        await Host.WaitForCaseAsync(caseId, c => c.GetProperty("counts").GetProperty("contactAttempts").GetInt32() == 1, "the event to be applied");

        var walked = new List<string>();
        foreach (ApiRoute route in ApiRoutes.All)
        {
            string path = Regex.Replace(route.Template, "{([^}:?]+)[^}]*}", m => m.Groups[1].Value switch
            {
                "caseId" => caseId,
                "documentId" => documentId,
                "reminderId" => $"{caseId}.follow-up.1",
                "asset" => "dashboard.js",
                "referralId" => "e_none",
                "answer" => "accept",
                _ => string.Empty,
            });
            object? body = route.Method == "POST" ? new { type = "contact-attempted", channel = "sms" } : null;
            using HttpResponseMessage response = await Host.SendAsync(new HttpMethod(route.Method), path, KeyFor(route), body);

            bool noStore = response.Headers.CacheControl?.NoStore == true;
            Assert.True(noStore != route.Cacheable, $"{route.Name} ({(int)response.StatusCode}) sent Cache-Control '{response.Headers.CacheControl}'");
            walked.Add(route.Name);
        }

        Assert.Subset(walked.ToHashSet(), new HashSet<string> { "GetCase", "GetCaseTimeline", "ListCaseDocuments", "GetCaseDocument", "Dashboard", "IntakeForm", "SubmitIntakeForm", "ListAccessLog", "ListReferrals", "AnswerReferral" });
    }
}
