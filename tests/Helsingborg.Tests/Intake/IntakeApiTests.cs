using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helsingborg.Tests.Infrastructure;

namespace Helsingborg.Tests.Intake;

/// <summary>POST /api/intake over HTTP on the local host: media types, limits, the partner from the key, idempotency.</summary>
[Collection(IntakeHostCollection.Name)]
public sealed class IntakeApiTests(IntakeHost fixture)
{
    TestHost Host => fixture.Host;

    static string Json(object value) => JsonSerializer.Serialize(value);

    async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(HttpContent content, string? key = TestHost.PartnerKey, string? idempotencyKey = null, string path = "api/intake")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }

        HttpResponseMessage response = await Host.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    static Dictionary<string, string[]> Errors(string body) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(body)!["errors"].Deserialize<Dictionary<string, string[]>>()!;

    [Fact]
    public async Task A_form_encoded_intake_opens_a_case_with_its_person()
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["municipality"] = "hoganas",
            ["observedAt"] = DateTimeOffset.UtcNow.AddHours(-3).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["placeType"] = "street",
            ["suspicion"] = "prostitution",
            ["description"] = "Seen near the station at night.",
            ["policeNotified"] = "false",
            ["person.alias"] = "Ana",
            ["person.estimatedAge"] = "17",
            ["person.languages"] = "ro, en",
            ["wantsSupport"] = "",
        });

        (HttpStatusCode status, string body, _) = await PostAsync(form);

        Assert.Equal(HttpStatusCode.Accepted, status);
        string caseId = JsonDocument.Parse(body).RootElement.GetProperty("caseId").GetString()!;
        JsonElement found = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("Ana", found.GetProperty("person").GetProperty("alias").GetString());
        Assert.True(found.GetProperty("minor").GetBoolean());
        Assert.Equal("hoganas", found.GetProperty("municipality").GetString());
    }

    [Fact]
    public async Task The_reporting_partner_is_the_keys_organisation_and_a_body_cannot_name_another()
    {
        string caseId = await Host.SubmitIntakeAsync(Intakes.Valid(), TestHost.PartnerKey);
        JsonElement found = await Host.GetJsonAsync($"api/cases/{caseId}");
        Assert.Equal("hotel-group", found.GetProperty("reportedBy").GetString());

        var spoofed = JsonSerializer.SerializeToNode(Intakes.Valid())!.AsObject();
        spoofed["reportedBy"] = "police";
        (HttpStatusCode status, string body, _) = await PostAsync(TestHost.RawJson(spoofed.ToJsonString()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(["Unknown field."], Errors(body)["reportedBy"]);
    }

    [Fact]
    public async Task A_coordinator_may_submit_but_statistics_and_admin_keys_may_not()
    {
        await Host.SubmitIntakeAsync(Intakes.Valid(), TestHost.CoordinatorKey);
        (HttpStatusCode statistics, _, _) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), TestHost.StatisticsKey);
        (HttpStatusCode admin, _, _) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), TestHost.AdminKey);
        (HttpStatusCode none, _, _) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), key: null);
        Assert.Equal(HttpStatusCode.Forbidden, statistics);
        Assert.Equal(HttpStatusCode.Forbidden, admin);
        Assert.Equal(HttpStatusCode.Unauthorized, none);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/json; charset=latin1")]
    public async Task Other_media_types_answer_415(string mediaType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Json(Intakes.Valid())));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        (HttpStatusCode status, _, HttpResponseMessage response) = await PostAsync(content);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_body_over_64_KiB_answers_413_and_one_just_under_is_read()
    {
        string Padded(int size)
        {
            string json = Json(Intakes.Valid(description: "x"));
            return json.Replace("\"description\":\"x\"", "\"description\":\"x\"" + new string(' ', size - json.Length), StringComparison.Ordinal);
        }

        (HttpStatusCode over, _, _) = await PostAsync(TestHost.RawJson(Padded(64 * 1024 + 1)));
        (HttpStatusCode under, _, _) = await PostAsync(TestHost.RawJson(Padded(64 * 1024)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, over);
        Assert.Equal(HttpStatusCode.Accepted, under);
    }

    [Fact]
    public async Task Validation_errors_name_every_field_in_error_and_never_its_value()
    {
        string marker = "Marker" + Guid.NewGuid().ToString("N");
        var body = new
        {
            municipality = marker,
            observedAt = marker,
            placeType = marker,
            suspicion = marker,
            description = new string('d', 4001),
            policeNotified = marker,
            location = marker + new string('l', 200),
            person = new { alias = marker + new string('a', 100), estimatedAge = 121, gender = marker, languages = new[] { marker }, citizenship = new[] { marker }, isMinor = marker },
            wantsSupport = marker,
        };

        (HttpStatusCode status, string text, HttpResponseMessage response) = await PostAsync(TestHost.RawJson(Json(body)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(
            new[] { "description", "location", "municipality", "observedAt", "person.alias", "person.citizenship", "person.estimatedAge", "person.gender", "person.isMinor", "person.languages", "placeType", "policeNotified", "suspicion", "wantsSupport" },
            Errors(text).Keys.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(marker, text);
        Assert.DoesNotContain(Host.Logs.Lines, l => l.Contains(marker));
    }

    [Fact]
    public async Task An_idempotency_key_over_100_characters_answers_400_naming_the_header()
    {
        (HttpStatusCode status, string body, _) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), idempotencyKey: new string('k', 101));
        (HttpStatusCode hundred, _, _) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), idempotencyKey: new string('k', 99) + Guid.NewGuid().ToString("N")[..1]);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(Errors(body).ContainsKey("Idempotency-Key"));
        Assert.Equal(HttpStatusCode.Accepted, hundred);
    }

    [Fact]
    public async Task The_same_idempotency_key_replays_the_original_receipt_and_opens_no_second_case()
    {
        string key = "retry-" + Guid.NewGuid();
        (HttpStatusCode first, string firstBody, HttpResponseMessage firstResponse) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), idempotencyKey: key);
        (HttpStatusCode second, string secondBody, HttpResponseMessage secondResponse) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid(description: "Sent again"))), idempotencyKey: key);
        (HttpStatusCode otherPartner, string otherBody, _) = await PostAsync(TestHost.RawJson(Json(Intakes.Valid())), "demo-partner-housing", key);

        Assert.Equal(HttpStatusCode.Accepted, first);
        Assert.Equal(HttpStatusCode.Accepted, second);
        Assert.Equal(firstBody, secondBody);
        Assert.False(firstResponse.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", secondResponse.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.Accepted, otherPartner);
        Assert.NotEqual(
            JsonDocument.Parse(firstBody).RootElement.GetProperty("caseId").GetString(),
            JsonDocument.Parse(otherBody).RootElement.GetProperty("caseId").GetString());
    }

    [Fact]
    public async Task Twenty_simultaneous_requests_with_one_idempotency_key_open_exactly_one_case()
    {
        int rowsBefore = await fixture.CaseRowsAsync();
        int instancesBefore = await fixture.InstancesAsync();
        string key = "burst-" + Guid.NewGuid();
        string json = Json(Intakes.Valid());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => PostAsync(TestHost.RawJson(json), fixture.Key, key))));

        Assert.All(results, r => Assert.Equal(HttpStatusCode.Accepted, r.Status));
        var caseIds = results.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("caseId").GetString()).Distinct().ToList();
        Assert.Single(caseIds);
        Assert.Single(results.Select(r => r.Body).Distinct());
        Assert.Equal(19, results.Count(r => r.Response.Headers.TryGetValues("Idempotent-Replayed", out var v) && v.Single() == "true"));
        Assert.Equal(rowsBefore + 1, await fixture.CaseRowsAsync());
        Assert.Equal(instancesBefore + 1, await fixture.InstancesAsync());
        await Host.WaitForPhaseAsync(caseIds[0]!, "first-contact");
    }
}
