using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helsingborg.Access;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Http;

/// <summary>
/// <c>GET /api/openapi.json</c>: the OpenAPI 3.1 document, generated whole from <see cref="ApiRoutes.All"/> (paths,
/// methods, roles, each route's <see cref="RouteContract"/>) and the named types it names (<see cref="OpenApiTypes"/>).
/// </summary>
public static partial class OpenApiDocument
{
    public const string Version = "3.1.0";

    static readonly ConditionalWeakTable<Partners.CityProfile, string> Cached = [];

    /// <summary>The document of the app's city profile (the event bodies name its organisations), made once.</summary>
    public static Task<IResult> GetAsync(Partners.CityProfile profile) =>
        Task.FromResult(Results.Text(Cached.GetValue(profile, p => Build(p).ToJsonString()), RouteAnswer.Json, System.Text.Encoding.UTF8, StatusCodes.Status200OK));

    /// <summary>The OpenAPI path of a route: its template with parameter constraints left out.</summary>
    public static string PathOf(ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return "/" + Parameter().Replace(route.Template, "{$1}");
    }

    public static JsonObject Build(Partners.CityProfile profile) => Build(ApiRoutes.All, profile);

    public static JsonObject Build(IReadOnlyList<ApiRoute> routes, Partners.CityProfile profile)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var paths = new JsonObject();
        foreach (IGrouping<string, ApiRoute> path in routes.GroupBy(PathOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (ApiRoute route in path)
            {
                item[route.Method.ToLowerInvariant()] = OperationOf(route, profile);
            }

            paths[path.Key] = item;
        }

        var schemas = new JsonObject();
        IEnumerable<Type> named = routes.SelectMany(r => r.Contract.Answers.SelectMany(a => a.Types).Concat(r.Contract.Request.Select(b => b.Type).OfType<Type>()));
        foreach ((string name, JsonNode schema) in OpenApiTypes.SchemasOf([typeof(ProblemBody), typeof(ValidationProblemBody), typeof(RefusalProblemBody), .. named]))
        {
            schemas[name] = schema;
        }

        return new JsonObject
        {
            ["openapi"] = Version,
            ["info"] = new JsonObject
            {
                ["title"] = "Helsingborg model – case API",
                ["version"] = "1",
                ["description"] = "Cooperation against human trafficking: intake by partners, case lifecycle, reminders and statistics. " +
                    "Errors are application/problem+json; validation errors name fields and never echo values.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = "/" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject
                {
                    ["apiKey"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = CallerResolver.ApiKeyHeader },
                    ["appService"] = new JsonObject
                    {
                        ["type"] = "apiKey", ["in"] = "header", ["name"] = "X-MS-CLIENT-PRINCIPAL",
                        ["description"] = "Microsoft Entra ID through App Service Authentication (Azure only).",
                    },
                },
                ["schemas"] = schemas,
            },
        };
    }

    static JsonObject OperationOf(ApiRoute route, Partners.CityProfile profile)
    {
        RouteContract contract = route.Contract;
        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = contract.Summary,
            ["description"] = contract.Description,
        };
        if (route.Anonymous)
        {
            operation["security"] = new JsonArray();
        }
        else
        {
            operation["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }, new JsonObject { ["appService"] = new JsonArray() });
            operation["x-roles"] = new JsonArray([.. route.Roles.Select(r => (JsonNode?)KebabCase.Name(r))]);
        }

        var parameters = new JsonArray();
        foreach (Match match in Parameter().Matches(route.Template))
        {
            parameters.Add(new JsonObject { ["name"] = match.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
        }

        foreach (RouteParameter parameter in contract.Parameters)
        {
            var schema = new JsonObject { ["type"] = parameter.Type };
            if (parameter.MaxLength is { } max)
            {
                schema["maxLength"] = max;
            }

            parameters.Add(new JsonObject { ["name"] = parameter.Name, ["in"] = parameter.In, ["required"] = false, ["description"] = parameter.Description, ["schema"] = schema });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (contract.Request.Count > 0)
        {
            var content = new JsonObject();
            foreach (RouteBody body in contract.Request)
            {
                JsonNode? schema = body.Type is { } type ? OpenApiTypes.Ref(type) : body.Schema?.Invoke(profile);
                content[body.ContentType] = schema is null ? new JsonObject() : new JsonObject { ["schema"] = schema };
            }

            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = content };
        }

        var responses = new JsonObject();
        foreach (IGrouping<int, RouteAnswer> answers in contract.Answers.GroupBy(a => a.Status))
        {
            var content = new JsonObject();
            foreach (RouteAnswer answer in answers)
            {
                content[answer.ContentType] = answer.Types.Count switch
                {
                    0 => new JsonObject(),
                    1 => new JsonObject { ["schema"] = OpenApiTypes.Ref(answer.Types[0]) },
                    _ => new JsonObject { ["schema"] = new JsonObject { ["anyOf"] = new JsonArray([.. answer.Types.Select(t => (JsonNode)OpenApiTypes.Ref(t))]) } },
                };
            }

            responses[answers.Key.ToString(CultureInfo.InvariantCulture)] = new JsonObject
            {
                ["description"] = string.Join(" ", answers.Select(a => a.Description)),
                ["content"] = content,
            };
        }

        if (!route.Anonymous)
        {
            responses["401"] = ProblemResponse("No key, or an unknown key.");
            responses["403"] = ProblemResponse("The key's role does not allow this.");
            responses["429"] = RetryLater(route.IntakeLimited
                ? "Too many intakes from this key, or too many failed authentications from this address (RateLimits)."
                : "Too many failed authentications from this address (RateLimits).");
            responses["503"] ??= RetryLater("Storage did not answer in time.");
        }

        responses["500"] = ProblemResponse("A failure, without details.");
        operation["responses"] = responses;
        return operation;
    }

    static JsonObject ProblemResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = OpenApiTypes.Ref(typeof(ProblemBody)) } },
    };

    /// <summary>A problem sent with Retry-After (whole seconds).</summary>
    static JsonObject RetryLater(string description)
    {
        JsonObject response = ProblemResponse(description + " Retry-After says when to try again.");
        response["headers"] = new JsonObject
        {
            ["Retry-After"] = new JsonObject { ["description"] = "Seconds to wait.", ["schema"] = new JsonObject { ["type"] = "integer" } },
        };
        return response;
    }

    [GeneratedRegex(@"\{([^}:?]+)[^}]*\}")]
    private static partial Regex Parameter();
}
