using System.Text.Json;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Helsingborg.Tests.Access;

/// <summary>
/// The problem+json bodies the framework's problem results write for <see cref="Problems"/>: the fields the contract
/// names (type, title, status, detail, errors, extension members) and nothing else, such as a trace id.
/// </summary>
[Trait("Category", "Unit")]
public sealed class ProblemsTests
{
    static async Task<(int Status, string? ContentType, JsonElement Body)> WriteAsync(IResult result)
    {
        await using ServiceProvider services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using JsonDocument body = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType, body.RootElement.Clone());
    }

    static string[] Names(JsonElement body) => [.. body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task A_problem_is_problem_json_with_type_title_status_and_detail_only()
    {
        (int status, string? contentType, JsonElement body) = await WriteAsync(Problems.Unauthorized());

        Assert.Equal(401, status);
        Assert.Equal(Problems.ContentType, contentType);
        Assert.Equal(["detail", "status", "title", "type"], Names(body));
        Assert.Equal("about:blank", body.GetProperty("type").GetString());
        Assert.Equal("Authentication required.", body.GetProperty("title").GetString());
        Assert.Equal(401, body.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_problem_without_detail_leaves_the_field_out()
    {
        (int status, _, JsonElement body) = await WriteAsync(Problems.NotFound("No such case."));

        Assert.Equal(404, status);
        Assert.Equal(["status", "title", "type"], Names(body));
    }

    [Fact]
    public async Task A_validation_problem_names_the_fields_and_their_rules()
    {
        (int status, string? contentType, JsonElement body) = await WriteAsync(Problems.Validation(new Dictionary<string, string[]> { ["municipality"] = ["Must be one of the city's municipalities."] }));

        Assert.Equal(400, status);
        Assert.Equal(Problems.ContentType, contentType);
        Assert.Equal(["detail", "errors", "status", "title", "type"], Names(body));
        Assert.Equal("about:blank", body.GetProperty("type").GetString());
        Assert.Equal("The request is not valid.", body.GetProperty("title").GetString());
        Assert.Equal(["Must be one of the city's municipalities."], body.GetProperty("errors").GetProperty("municipality").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_conflict_carries_its_extension_members_at_the_top_level()
    {
        (int status, _, JsonElement body) = await WriteAsync(Problems.Conflict("Not allowed now.", new Dictionary<string, object?> { ["phase"] = Helsingborg.Lifecycle.Phase.ShortTermSupport, ["allowed"] = new[] { "contact-made" } }));

        Assert.Equal(409, status);
        Assert.Equal(["allowed", "phase", "status", "title", "type"], Names(body));
        Assert.Equal("short-term-support", body.GetProperty("phase").GetString());
        Assert.Equal("contact-made", body.GetProperty("allowed")[0].GetString());
    }
}
