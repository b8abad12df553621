using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Helsingborg.Http;

/// <summary>
/// Every error is RFC 9457 problem+json with a title and status; validation adds errors by field. The bodies are
/// ASP.NET Core's <see cref="ProblemDetails"/> and <see cref="HttpValidationProblemDetails"/>, written by the
/// framework's problem results in either host. Messages name fields and rules, never the submitted values.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>The RFC's type for a problem that needs no more than its status: the title says what went wrong.</summary>
    const string Untyped = "about:blank";

    public static IResult Create(int status, string title, string? detail = null, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(new ProblemDetails { Type = Untyped, Title = title, Status = status, Detail = detail, Extensions = extensions ?? new Dictionary<string, object?>(StringComparer.Ordinal) });

    public static IResult Validation(IReadOnlyDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, "See errors for the fields to correct.", title: "The request is not valid.", type: Untyped);

    public static IResult BadRequest(string title) => Create(StatusCodes.Status400BadRequest, title);

    public static IResult Unauthorized() =>
        Create(StatusCodes.Status401Unauthorized, "Authentication required.", "Send a valid X-Api-Key header or sign in.");

    public static IResult Forbidden() =>
        Create(StatusCodes.Status403Forbidden, "Not allowed.", "Your role does not allow this request.");

    public static IResult NotFound(string title = "Not found.") => Create(StatusCodes.Status404NotFound, title);

    public static IResult Conflict(string title, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status409Conflict, title, extensions: extensions);

    public static IResult PayloadTooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"At most {limit} bytes are accepted.");

    public static IResult UnsupportedMediaType(string accepted) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type.", $"Send {accepted}.");

    public static IResult ServerError() =>
        Create(StatusCodes.Status500InternalServerError, "Something went wrong.", "The failure was logged; try again later.");

    /// <summary>Stored sealed data did not open: never shown, and reported to the operators.</summary>
    public static IResult IntegrityFailure() =>
        Create(StatusCodes.Status500InternalServerError, "Stored data failed its integrity check.", "It was changed or moved outside the app and is not shown; the operators have been alerted in the log.");

    public static IResult Unavailable(string title) => Create(StatusCodes.Status503ServiceUnavailable, title);

    /// <summary>Storage did not answer within the request's deadline (sent with Retry-After).</summary>
    public static IResult StorageUnavailable() =>
        Create(StatusCodes.Status503ServiceUnavailable, "Storage did not answer in time.", "Try again shortly. An intake sent again with the same Idempotency-Key opens no second case.");

    /// <summary>A rate limit was reached (sent with Retry-After).</summary>
    public static IResult TooManyRequests(string title) =>
        Create(StatusCodes.Status429TooManyRequests, title, "Wait as long as Retry-After says, then try again.");
}

/// <summary>
/// The schema of every problem answer (<see cref="ProblemDetails"/> as <see cref="Problems"/> writes it), declared once:
/// the framework's type is not ours to generate from, and may carry more members (a trace id).
/// </summary>
public sealed class ProblemBody : IJsonSchemaDeclared
{
    public static JsonObject JsonSchema => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["type"] = new JsonObject { ["type"] = "string" },
            ["title"] = new JsonObject { ["type"] = "string" },
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["detail"] = new JsonObject { ["type"] = "string" },
        },
        ["required"] = new JsonArray("title", "status"),
    };
}

/// <summary>A 400 of <see cref="Problems.Validation"/>: a problem with <c>errors</c>, field name → messages (rules only, never the submitted values).</summary>
public sealed class ValidationProblemBody : IJsonSchemaDeclared
{
    public static JsonObject JsonSchema => new()
    {
        ["allOf"] = new JsonArray(OpenApiTypes.Ref(typeof(ProblemBody)), new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["errors"] = new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" } },
                },
            },
            ["required"] = new JsonArray("errors"),
        }),
    };
}

/// <summary>The 409 of an event the case's phase does not allow now: a problem with the phase, the return step and the allowed events.</summary>
public sealed class RefusalProblemBody : IJsonSchemaDeclared
{
    public static JsonObject JsonSchema => new()
    {
        ["allOf"] = new JsonArray(OpenApiTypes.Ref(typeof(ProblemBody)), new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject
            {
                ["phase"] = OpenApiTypes.EnumSchema(typeof(Lifecycle.Phase), nullable: false),
                ["step"] = OpenApiTypes.EnumSchema(typeof(Lifecycle.ReturnStep), nullable: true),
                ["allowed"] = new JsonObject { ["type"] = "array", ["items"] = OpenApiTypes.EnumSchema(typeof(Lifecycle.CaseEventType), nullable: false) },
            },
            ["required"] = new JsonArray("phase", "step", "allowed"),
        }),
    };
}
