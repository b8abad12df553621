using System.Text.Json;
using Helsingborg.Http;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// GET /api/openapi.json stays true to the route table: every route, its method, roles and a description. A unit test of
/// the generator, without storage or a host; the served document is checked by RouteContractTests.
/// </summary>
[Trait("Category", "Unit")]
public sealed class OpenApiTests
{
    static readonly JsonElement Document = JsonDocument.Parse(OpenApiDocument.Build(Helsingborg.Tests.Infrastructure.TestProfiles.Helsingborg).ToJsonString()).RootElement;

    [Fact]
    public void The_document_has_exactly_the_paths_and_methods_of_the_route_table()
    {
        var documented = Document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var routes = ApiRoutes.All.Select(r => $"{r.Method} {OpenApiDocument.PathOf(r)}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(routes, documented);
    }

    [Fact]
    public void Every_route_declares_a_summary_and_a_success()
    {
        Assert.All(ApiRoutes.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Contract.Summary), r.Name));
        Assert.All(ApiRoutes.All, r => Assert.Contains(r.Contract.Answers, a => a.Status is >= 200 and < 300));
    }

    [Fact]
    public void Every_JSON_answer_is_a_named_type_with_a_generated_schema()
    {
        JsonElement schemas = Document.GetProperty("components").GetProperty("schemas");
        foreach (RouteAnswer answer in ApiRoutes.All.SelectMany(r => r.Contract.Answers).Where(a => a.Status < 300 && a.ContentType == RouteAnswer.Json && a.Types.Count > 0))
        {
            Assert.All(answer.Types, t => Assert.True(schemas.TryGetProperty(OpenApiTypes.NameOf(t), out _), t.Name));
        }
    }

    [Fact]
    public void Anonymous_routes_need_no_key_and_the_others_name_their_roles()
    {
        foreach (ApiRoute route in ApiRoutes.All)
        {
            JsonElement operation = Document.GetProperty("paths").GetProperty(OpenApiDocument.PathOf(route)).GetProperty(route.Method.ToLowerInvariant());
            Assert.Equal(route.Name, operation.GetProperty("operationId").GetString());
            Assert.Equal(route.Anonymous, operation.GetProperty("security").GetArrayLength() == 0);
            Assert.Equal(!route.Anonymous, operation.GetProperty("responses").TryGetProperty("401", out _));
        }
    }

    [Fact]
    public void Every_schema_reference_resolves()
    {
        var schemas = Document.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToHashSet();
        var references = System.Text.RegularExpressions.Regex.Matches(Document.GetRawText(), "\"#/components/schemas/([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.NotEmpty(references);
        Assert.Empty(references.Except(schemas));
    }

    [Fact]
    public void A_route_appears_with_its_path_parameters_its_contract_and_the_shared_answers()
    {
        var contract = new RouteContract("Probe", "A probe.") { Answers = [RouteAnswer.Ok<Helsingborg.Health.HealthResponse>()] };
        var route = new ApiRoute("Probe", "DELETE", "api/probe/{id:maxlength(40)}", [Helsingborg.Access.Role.Admin], (_, _) => Task.FromResult<Microsoft.AspNetCore.Http.IResult>(null!), contract);
        Assert.Equal("/api/probe/{id}", OpenApiDocument.PathOf(route));

        System.Text.Json.Nodes.JsonNode operation = OpenApiDocument.Build([route], Helsingborg.Tests.Infrastructure.TestProfiles.Helsingborg)["paths"]!["/api/probe/{id}"]!["delete"]!;
        Assert.Equal("Probe", operation["summary"]!.GetValue<string>());
        Assert.Equal("id", operation["parameters"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("admin", operation["x-roles"]![0]!.GetValue<string>());
        Assert.Equal("#/components/schemas/HealthResponse", operation["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(operation["responses"]!["401"]);
        Assert.NotNull(operation["responses"]!["500"]);
    }

    [Fact]
    public void The_document_is_OpenApi_3_1()
    {
        Assert.Equal("3.1.0", Document.GetProperty("openapi").GetString());
        Assert.True(Document.GetProperty("paths").TryGetProperty("/api/intake", out _));
    }
}
