using System.Text.Json.Nodes;

namespace Helsingborg.Http;

/// <summary>
/// What a route takes and answers, as the OpenAPI document (<see cref="OpenApiDocument"/>) shows it: each route of
/// <see cref="ApiRoutes.All"/> names its contract, so no route is without one. JSON bodies and answers are named types
/// whose schemas are generated (<see cref="OpenApiTypes"/>); the document adds what every route shares (the key, the
/// authentication and rate-limit problems, 500).
/// </summary>
public sealed record RouteContract(string Summary, string Description)
{
    public IReadOnlyList<RouteParameter> Parameters { get; init; } = [];

    public IReadOnlyList<RouteBody> Request { get; init; } = [];

    public IReadOnlyList<RouteAnswer> Answers { get; init; } = [];
}

/// <summary>A query (or header) parameter; path parameters come from the route's template.</summary>
public sealed record RouteParameter(string Name, string Description, string Type = "string", string In = "query", int? MaxLength = null);

/// <summary>
/// A request body's media type and its schema: a named type's, or one built from the city profile (the events'), or
/// none (a document's bytes).
/// </summary>
public sealed record RouteBody(string ContentType, Type? Type = null, Func<Partners.CityProfile, JsonNode>? Schema = null);

/// <summary>
/// An answer by status and media type. A JSON answer names its type (or several, any of which may come); other media
/// types (HTML, scripts, CSV, documents) name none.
/// </summary>
public sealed record RouteAnswer(int Status, string Description, string ContentType, IReadOnlyList<Type> Types)
{
    public const string Json = "application/json";

    public static RouteAnswer Of<T>(int status, string description) => new(status, description, Json, [typeof(T)]);

    public static RouteAnswer Ok<T>(string description = "OK") => Of<T>(200, description);

    public static RouteAnswer Content(int status, string contentType, string description) => new(status, description, contentType, []);

    public static RouteAnswer Problem(int status, string description) => new(status, description, Problems.ContentType, [typeof(ProblemBody)]);

    public static readonly RouteAnswer Invalid =
        new(400, "Not valid: the errors name the fields, never their values.", Problems.ContentType, [typeof(ValidationProblemBody)]);

    public static readonly RouteAnswer TooLarge = Problem(413, "The body is too large.");

    public static readonly RouteAnswer WrongType = Problem(415, "The media type is not accepted.");

    public static readonly RouteAnswer NoSuchCase = Problem(404, "No such case, or not one the caller may see.");

    /// <summary>A 409 of the events endpoint: an event refused in the case's phase (with its phase, step and allowed events), or a plain conflict.</summary>
    public static RouteAnswer Refused(string description) => new(409, description, Problems.ContentType, [typeof(RefusalProblemBody), typeof(ProblemBody)]);
}
