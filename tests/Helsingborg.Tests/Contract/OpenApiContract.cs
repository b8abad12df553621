using System.Text.Json;
using System.Text.Json.Nodes;
using Helsingborg.Http;
using Json.Schema;

namespace Helsingborg.Tests.Contract;

/// <summary>
/// The generated OpenAPI document as a test oracle: an answer of a route conforms when the document lists its status,
/// its content type, and (for JSON) the body validates against the schema it names (JsonSchema.Net, 2020-12).
/// </summary>
public static class OpenApiContract
{
    public static readonly JsonObject Document = OpenApiDocument.Build(Helsingborg.Tests.Infrastructure.TestProfiles.Helsingborg);

    static readonly JsonObject Schemas = Document["components"]!["schemas"]!.AsObject();

    public static JsonObject OperationOf(ApiRoute route) =>
        Document["paths"]![OpenApiDocument.PathOf(route)]![route.Method.ToLowerInvariant()]!.AsObject();

    /// <summary>
    /// <paramref name="schema"/> as a standalone JSON Schema: the document's components become its <c>$defs</c>, so every
    /// <c>$ref</c> resolves inside it.
    /// </summary>
    public static JsonSchema Compile(JsonNode schema)
    {
        var standalone = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = Schemas.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        return JsonSchema.FromText(standalone.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal), new BuildOptions());
    }

    /// <summary>Fails unless the answer is one the document promises for the route.</summary>
    public static async Task AssertConformsAsync(ApiRoute route, HttpResponseMessage response)
    {
        string status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        string body = await response.Content.ReadAsStringAsync();
        JsonObject responses = OperationOf(route)["responses"]!.AsObject();
        Assert.True(responses.ContainsKey(status), $"{route.Name} answered {status}, which the document does not list: {body}");
        JsonObject? content = responses[status]!["content"]?.AsObject();
        string? mediaType = response.Content.Headers.ContentType?.MediaType;
        if (content is null)
        {
            Assert.True(body.Length == 0, $"{route.Name} {status}: the document promises no body, but one came");
            return;
        }

        Assert.True(mediaType is not null && content.ContainsKey(mediaType), $"{route.Name} {status} came as {mediaType}; the document says {string.Join(", ", content.Select(c => c.Key))}");
        if (content[mediaType]!["schema"] is { } schema)
        {
            using JsonDocument instance = JsonDocument.Parse(body);
            EvaluationResults results = Compile(schema).Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            Assert.True(results.IsValid, $"{route.Name} {status} does not match its schema: " +
                string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        }
    }
}
