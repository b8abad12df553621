using System.Text.Json;
using Helsingborg.Http;

namespace Helsingborg.Tests.Intake;

/// <summary>
/// GET /api/openapi.json stays true to the route table: every route, its method, roles and a description. A unit test of
/// the generator, without storage or a host; the served document is checked by RouteContractTests.
/// </summary>
public sealed class OpenApiTests
{
    static readonly JsonElement Document = JsonDocument.Parse(OpenApi.Document(Helsingborg.Tests.Infrastructure.TestProfiles.Helsingborg).ToJsonString()).RootElement;

    [Fact]
    public void The_document_has_exactly_the_paths_and_methods_of_the_route_table()
    {
        var documented = Document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var routes = ApiRoutes.All.Select(r => $"{r.Method} {OpenApi.PathOf(r)}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(routes, documented);
    }

    [Fact]
    public void Every_route_has_a_description()
    {
        // A new route needs an entry in OpenApi.Operations keyed "METHOD template" (parameter names do not matter).
        Assert.Empty(OpenApi.Undescribed);
    }

    [Fact]
    public void Anonymous_routes_need_no_key_and_the_others_name_their_roles()
    {
        foreach (ApiRoute route in ApiRoutes.All)
        {
            JsonElement operation = Document.GetProperty("paths").GetProperty(OpenApi.PathOf(route)).GetProperty(route.Method.ToLowerInvariant());
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
    public void A_route_without_a_description_still_appears_marked_undescribed()
    {
        var route = new ApiRoute("Probe", "DELETE", "api/probe/{id}", [], (_, _) => Task.FromResult<Microsoft.AspNetCore.Http.IResult>(null!));
        Assert.False(OpenApi.Operations.ContainsKey(OpenApi.Key(route)));
        Assert.Equal("DELETE api/probe/{}", OpenApi.Key(route));
        Assert.Equal("/api/probe/{id}", OpenApi.PathOf(route));
        System.Text.Json.Nodes.JsonObject operation = OpenApi.OperationOf(route);
        Assert.True(operation["x-undescribed"]!.GetValue<bool>());
        Assert.Equal("id", operation["parameters"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("GET api/cases/{}/documents/{}", OpenApi.Key(new ApiRoute("X", "GET", "api/cases/{caseId}/documents/{documentId:maxlength(40)}", [], (_, _) => Task.FromResult<Microsoft.AspNetCore.Http.IResult>(null!))));
    }

    [Fact]
    public void The_document_is_OpenApi_3_1()
    {
        Assert.Equal("3.1.0", Document.GetProperty("openapi").GetString());
        Assert.True(Document.GetProperty("paths").TryGetProperty("/api/intake", out _));
    }
}
