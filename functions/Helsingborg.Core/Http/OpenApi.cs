using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Helsingborg.Access;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Http;

/// <summary>
/// <c>GET /api/openapi.json</c>: an OpenAPI 3 document whose paths are generated from <see cref="ApiRoutes.All"/>,
/// so no route can be missing from it. What the table cannot say (summaries, bodies, answers) comes from
/// <see cref="Operations"/>, keyed by method and template as api.md writes them; a route without an entry
/// there still appears, marked <c>x-undescribed</c>, and a test names it.
/// </summary>
public static partial class OpenApi
{
    public const string Version = "3.1.0";

    /// <summary>What one operation takes and answers, beyond what its route says.</summary>
    public sealed record Operation(
        string Summary,
        string Description,
        IReadOnlyList<Body>? Request = null,
        IReadOnlyList<Answer>? Answers = null,
        IReadOnlyList<Query>? Parameters = null);

    public sealed record Body(string ContentType, string? Schema);

    public sealed record Answer(int Status, string Description, string? Schema = null, string ContentType = "application/json");

    public sealed record Query(string Name, string Description, string Type = "string", bool Required = false);

    static Answer Ok(string schema, string description = "OK") => new(200, description, schema);

    static Answer Problem(int status, string description) => new(status, description, "Problem", Problems.ContentType);

    static readonly Answer Invalid = new(400, "Not valid: the errors name the fields, never their values.", "ValidationProblem", Problems.ContentType);
    static readonly Answer TooLarge = Problem(413, "The body is too large.");
    static readonly Answer WrongType = Problem(415, "The media type is not accepted.");
    static readonly Answer NotFound = Problem(404, "No such case, or not one the caller may see.");
    static readonly Body Json = new("application/json", null);

    /// <summary>Descriptions by "METHOD template" (parameter names do not matter), for every route of api.md.</summary>
    public static readonly IReadOnlyDictionary<string, Operation> Operations = new Dictionary<string, Operation>(StringComparer.Ordinal)
    {
        ["GET api/health"] = new("Health", "Checks storage; reveals nothing else.",
            Answers: [Ok(nameof(Health.HealthResponse)), new(503, "Storage does not answer.", nameof(Health.HealthResponse))]),
        ["GET api/openapi.json"] = new("This document", "The OpenAPI 3 document of every route, generated from the route table.",
            Answers: [Ok("OpenApiDocument")]),
        ["POST api/intake"] = new("Submit an intake", "A partner reports what they saw; opens a case. The reporting organisation is the key's. " +
            "With Idempotency-Key (at most 100 characters), the same key from the same organisation within 7 days answers the original receipt with Idempotent-Replayed: true and opens no second case.",
            Request: [new("application/json", "Intake"), new("application/x-www-form-urlencoded", "IntakeForm")],
            Answers: [new(202, "The case is open.", "IntakeReceipt"), Invalid, TooLarge, WrongType]),
        ["GET intake"] = new("The partner form", "Server-rendered HTML, Swedish by default; `?lang=en` for English. Submitting needs a partner key.",
            Answers: [new(200, "The form.", null, "text/html")],
            Parameters: [new("lang", "`sv` (default) or `en`.")]),
        ["POST intake"] = new("Submit the partner form", "The form's submit (its script sends the key as X-Api-Key): as POST /api/intake, but the receipt is an HTML page showing the case reference.",
            Request: [new("application/x-www-form-urlencoded", "IntakeForm"), new("application/json", "Intake")],
            Answers: [new(202, "The HTML receipt with the case reference.", null, "text/html"), Invalid, TooLarge, WrongType],
            Parameters: [new("lang", "`sv` (default) or `en`.")]),
        ["GET {}"] = new("The coordinator dashboard", "Served at `/`: server-rendered HTML; acting needs a coordinator key or Entra sign-in.",
            Answers: [new(200, "The dashboard.", null, "text/html")]),
        ["GET dashboard/{}"] = new("A page asset", "The dashboard's and the referral inbox's own scripts and stylesheets; nothing is loaded from outside the app.",
            Answers: [new(200, "A script.", null, "text/javascript"), new(200, "A stylesheet.", null, "text/css"), Problem(404, "No such asset.")]),
        ["GET statistics"] = new("The statistics page", "Charts of the IOP figures per month, outreach figures, the referrals by receiving organisation and support kind, and CSV downloads; data needs a coordinator or statistics key.",
            Answers: [new(200, "The page.", null, "text/html")]),
        ["GET accessibility"] = new("The accessibility statement", "The tillgänglighetsredogörelse (DOS-lagen, WCAG 2.1 AA): how accessible the pages are, how to report a problem, where to complain. Every page links to it.",
            Answers: [new(200, "The statement.", null, "text/html")],
            Parameters: [new("lang", "`sv` (default) or `en`.")]),
        ["GET api/cases"] = new("List cases", "No personal data in the items. Page with `next` as `cursor`.",
            Answers: [Ok(nameof(Cases.CaseListPage)), Invalid],
            Parameters: [new("phase", "Filter by phase."), new("municipality", "Filter by municipality."), new("lead", "Filter by lead organisation."),
                new("minor", "`true` or `false`.", "boolean"), new("overdue", "`true`: only cases with an overdue deadline.", "boolean"),
                new("limit", "1–200, default 50.", "integer"), new("cursor", "The previous page's `next`.")]),
        ["GET api/cases/{}"] = new("Read a case", "Includes personal data; every call is written to the access log.",
            Answers: [Ok(nameof(Cases.CaseResponse)), NotFound]),
        ["GET api/cases/{}/timeline"] = new("Read a case's timeline", "Events in order, with notes; refused events are marked. Written to the access log.",
            Answers: [Ok(nameof(Cases.TimelineResponse)), NotFound]),
        ["POST api/cases/{}/events"] = new("Record an event", "Body `{ type, at?, note?, …payload }` as lifecycle.md defines each type.",
            Request: [new("application/json", "CaseEvent")],
            Answers: [new(202, "Accepted.", "EventAccepted"), Invalid, NotFound, Problem(409, "Not allowed in the case's phase now; the problem has `phase` and `allowed`."), TooLarge, WrongType]),
        ["POST api/cases/{}/documents"] = new("Attach a document", "Raw body with Content-Type and X-File-Name, or multipart; pdf, jpeg, png, plain text; at most 10 MiB; encrypted with the case's key.",
            Request: [new("application/pdf", null), new("image/jpeg", null), new("image/png", null), new("text/plain", null), new("multipart/form-data", null)],
            Answers: [new(201, "Stored.", "DocumentCreated"), Invalid, NotFound, Problem(413, "Over 10 MiB."), WrongType]),
        ["GET api/cases/{}/documents"] = new("List a case's documents", "Names, types and sizes. Written to the access log.",
            Answers: [Ok("DocumentList"), NotFound]),
        ["GET api/cases/{}/documents/{}"] = new("Read a document", "The content with its type. Written to the access log.",
            Answers: [new(200, "A pdf.", null, "application/pdf"), new(200, "A jpeg.", null, "image/jpeg"), new(200, "A png.", null, "image/png"), new(200, "Plain text.", null, "text/plain"), NotFound]),
        ["GET api/reminders"] = new("List reminders", "Page with `next` as `cursor`.",
            Answers: [Ok(nameof(ReminderPage)), Invalid],
            Parameters: [new("status", "`open`, `overdue`, `acknowledged` or `all`."), new("organisation", "Filter by organisation."), new("kind", "Filter by reminder kind."),
                new("caseId", "One case's reminders."), new("limit", "1–200, default 50. A page may hold fewer (reminders of cases the caller may not see are left out); only `next: null` ends the listing.", "integer"),
                new("cursor", "The previous page's `next` (opaque).")]),
        ["POST api/reminders/{}/acknowledge"] = new("Acknowledge a reminder", "Idempotent.",
            Answers: [Ok(nameof(ReminderResponse)), Problem(404, "No such reminder.")]),
        ["GET api/referrals"] = new("List the caller's referrals", "Partner keys: the referrals to the caller's organisation, newest first, each with what the person agreed to share with it (`shared`, while the referral is open); a referral whose consent was withdrawn is not listed. Each read of shared fields is written to the access log.",
            Answers: [Ok("ReferralList")]),
        ["GET referrals"] = new("The referral inbox", "The receiving partner's page: server-rendered HTML, Swedish by default; `?lang=en` for English. Its script asks for the partner key and uses GET /api/referrals and POST /api/referrals/{referralId}/{answer}; the page itself holds nothing of a referral.",
            Answers: [new(200, "The page.", null, "text/html")],
            Parameters: [new("lang", "`sv` (default) or `en`.")]),
        ["POST api/referrals/{}/{}"] = new("Answer a referral", "Partner keys, the receiving organisation only: `accept`, `decline` (body `{ \"reason\": … }`) or `complete` (records support given of the referral's kind on the case).",
            Request: [new("application/json", "ReferralDecline")],
            Answers: [new(202, "Accepted.", "EventAccepted"), Invalid, Problem(404, "No such referral to the caller's organisation."), Problem(409, "Not allowed in the referral's state now.")]),
        ["POST api/outreach-sessions"] = new("Record an outreach session", "Counts of one outreach session; no personal data.",
            Request: [new("application/json", "OutreachSession")],
            Answers: [new(201, "Recorded.", "OutreachSessionCreated"), Invalid, TooLarge, WrongType]),
        ["GET api/outreach-sessions"] = new("List outreach sessions", "Sessions held between `from` and `to`.",
            Answers: [Ok("OutreachSessionList"), Invalid],
            Parameters: [new("from", "First date (yyyy-MM-dd)."), new("to", "Last date (yyyy-MM-dd).")]),
        ["GET api/statistics"] = new("Statistics", "Anonymous counts; for the statistics role and in CSV, counts 1–4 show as `<5`. " +
            "`view=figures` (default): the IOP figures per `groupBy` group (`Statistics`). " +
            "`view=referrals`: the referrals sent in the period (UTC days, each counted in the period it was sent, with its current status) per receiving organisation and support kind (`items`), " +
            "per organisation (`organisations`, kind null) and in total, from the anonymous Referrals rows, which erasure leaves alone (`ReferralStatistics`): " +
            "`sent`, `accepted` (every referral the organisation accepted, whatever came after), `declined`, `completed`, `expired`, `cancelled`, `awaitingAnswer` (still sent), " +
            "`medianAnswerHours` (sending to accepting or declining, over the answered referrals), `declinedShare` and `expiredShare` (of those sent, 0–1). " +
            "A median or share is null when there is nothing to compute it from, or when a count it comes from is suppressed. " +
            "In CSV the median and the shares (per cent) have one decimal with a decimal comma; rows are organisation and kind, each organisation's row of all kinds, and the total. " +
            "Labels (`label`, `kindLabel`, CSV) follow `lang`; organisations are named by the city profile.",
            Answers: [Ok("StatisticsAnswer", "`Statistics` for view=figures, `ReferralStatistics` for view=referrals."), new(200, "CSV when format=csv.", null, "text/csv"), Invalid],
            Parameters: [new("from", "First date (yyyy-MM-dd); default 1 January this year."), new("to", "Last date (yyyy-MM-dd), included; default today."),
                new("view", "`figures` (default) or `referrals`."),
                new("groupBy", "`month` (default), `quarter`, `partner` or `municipality`; view=figures only (with view=referrals it is refused)."),
                new("format", "`json` (default) or `csv`."), new("lang", "`sv` (default) or `en`: labels and CSV headers.")]),
        ["GET api/exports/cases"] = new("National export", "The anonymised export for the national follow-up: one record per case registered in the period, coded to the " +
            "Human Trafficking Case Data Standard (HTCDS 2.0), without case ids or dates finer than the month (docs/national-export.md). Every combination of " +
            "quasi-identifiers occurs at least `Exports:MinGroupSize` times (default 5): records of smaller groups are generalised along a fixed ladder or " +
            "suppressed, and the answer counts both. The period is whole months. For the statistics and admin roles.",
            Answers: [Ok("NationalExport"), new(200, "CSV when format=csv (UTF-8 with BOM, semicolons, CRLF); the counts come as the headers Export-Cases, " +
                "Export-Exported, Export-Generalised, Export-Suppressed, Export-Min-Group-Size and Export-Cases-Without-Facts.", null, "text/csv"), Invalid],
            Parameters: [new("from", "First day of a month (yyyy-MM-dd); default 1 January this year."), new("to", "Last day of a month (yyyy-MM-dd); default the end of this month."),
                new("format", "`json` (default) or `csv`.")]),
        ["GET api/access-log"] = new("Read the access log", "Newest first (data-protection.md rule 6).",
            Answers: [Ok(nameof(DataProtection.AccessLogPage)), Invalid],
            Parameters: [new("caseId", "One case's entries."), new("from", "From this time."), new("to", "Until this time."), new("cursor", "The previous page's `next`.")]),
        ["POST api/admin/retention/run"] = new("Run the retention sweep now", "For operators and tests. Synchronous: answers when the sweep is done, within the request's deadline (else 503; the sweep is idempotent, so calling again continues).",
            Answers: [Ok(nameof(Retention.RetentionResult), "What the sweep did.")]),
        ["POST api/admin/data-keys/rewrap"] = new("Re-wrap data keys with the current master key version", "For operators after rotating the master key (README, *Rotating the master key*): " +
            "one run re-wraps for a few seconds, or `limit` keys, and answers where it stands; call again until `complete` is true. Erased cases stay erased. Nothing of a case.",
            Answers: [Ok("DataKeyRewrap"), Invalid],
            Parameters: [new("limit", $"At most this many keys in this run (1–{DataProtection.DataKeyRewrapHandler.MaxLimit}).", "integer")]),
        ["GET api/admin/readiness"] = new("Readiness", "For operators: storage (tables, queues, blobs), the durable engine (dispatching or not, the age of the oldest waiting message) " +
            "and each scheduled job's last successful run against its schedule. `problems` names what needs action (infra/README.md, runbook). Nothing of a case.",
            Answers: [Ok("Readiness", "Ready."), new(503, "Not ready: something in `problems` needs an operator.", "Readiness")]),
    };

    /// <summary>Routes of the table that have no entry in <see cref="Operations"/>.</summary>
    public static IReadOnlyList<string> Undescribed =>
        ApiRoutes.All.Where(r => !Operations.ContainsKey(Key(r))).Select(r => $"{r.Name} ({r.Method} /{r.Template})").ToList();

    /// <summary>The key of <see cref="Operations"/> for a route: method, template, parameter names and constraints left out.</summary>
    public static string Key(ApiRoute route) => $"{route.Method} {Placeholder().Replace(route.Template, "{}")}";

    public static string PathOf(ApiRoute route) => "/" + Regex.Replace(route.Template, @"\{([^}:?]+)[^}]*\}", "{$1}");

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Partners.CityProfile, string> Cached = [];

    /// <summary>The document of the app's city profile (the event bodies name its organisations), made once.</summary>
    public static Task<IResult> GetAsync(Partners.CityProfile profile) =>
        Task.FromResult(Results.Text(Cached.GetValue(profile, p => Document(p).ToJsonString()), "application/json", System.Text.Encoding.UTF8, StatusCodes.Status200OK));

    public static JsonObject Document(Partners.CityProfile profile)
    {
        var paths = new JsonObject();
        foreach (IGrouping<string, ApiRoute> path in ApiRoutes.All.GroupBy(PathOf).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (ApiRoute route in path)
            {
                item[route.Method.ToLowerInvariant()] = OperationOf(route);
            }

            paths[path.Key] = item;
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
                ["schemas"] = Schemas(profile),
            },
        };
    }

    /// <summary>
    /// The hand-kept schemas of api.md, and those generated from the named answer types (<see cref="OpenApiTypes"/>),
    /// which replace the hand-kept ones route by route.
    /// </summary>
    static JsonObject Schemas(Partners.CityProfile profile)
    {
        JsonObject schemas = OpenApiSchemas.All();
        schemas["CaseEvent"] = CaseEventSchema.Build(profile, english: true);
        foreach ((string name, JsonNode schema) in OpenApiTypes.SchemasOf([typeof(Cases.CaseListPage), typeof(DataProtection.AccessLogPage), typeof(Health.HealthResponse), typeof(Documents.DocumentCreated), typeof(Documents.DocumentList), typeof(Cases.CaseResponse), typeof(Cases.TimelineResponse), typeof(ReminderPage), typeof(ReminderResponse), typeof(Retention.RetentionResult)]))
        {
            schemas[name] = schema;
        }

        return schemas;
    }

    internal static JsonObject OperationOf(ApiRoute route)
    {
        Operation? described = Operations.GetValueOrDefault(Key(route));
        var operation = new JsonObject
        {
            ["operationId"] = route.Name,
            ["summary"] = described?.Summary ?? route.Name,
            ["description"] = described?.Description ?? "Not described yet.",
        };
        if (described is null)
        {
            operation["x-undescribed"] = true;
        }

        if (route.Anonymous)
        {
            operation["security"] = new JsonArray();
        }
        else
        {
            operation["security"] = new JsonArray(new JsonObject { ["apiKey"] = new JsonArray() }, new JsonObject { ["appService"] = new JsonArray() });
            operation["x-roles"] = new JsonArray(route.Roles.Select(r => (JsonNode?)KebabCase.Name(r)).ToArray());
        }

        var parameters = new JsonArray();
        foreach (Match match in Regex.Matches(route.Template, @"\{([^}:?]+)[^}]*\}"))
        {
            parameters.Add(new JsonObject
            {
                ["name"] = match.Groups[1].Value, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" },
            });
        }

        if (route.Method == "POST" && route.Template.Contains("intake", StringComparison.Ordinal))
        {
            parameters.Add(new JsonObject
            {
                ["name"] = IntakeHandler.IdempotencyHeader, ["in"] = "header", ["required"] = false,
                ["description"] = "Makes a retried intake safe: the same key from the same organisation within 7 days opens one case.",
                ["schema"] = new JsonObject { ["type"] = "string", ["maxLength"] = IntakeHandler.MaxIdempotencyKey },
            });
        }

        foreach (Query query in described?.Parameters ?? [])
        {
            parameters.Add(new JsonObject
            {
                ["name"] = query.Name, ["in"] = "query", ["required"] = query.Required, ["description"] = query.Description,
                ["schema"] = new JsonObject { ["type"] = query.Type },
            });
        }

        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (described?.Request is { Count: > 0 } request)
        {
            var content = new JsonObject();
            foreach (Body body in request)
            {
                content[body.ContentType] = body.Schema is null ? new JsonObject() : new JsonObject { ["schema"] = Ref(body.Schema) };
            }

            operation["requestBody"] = new JsonObject { ["required"] = true, ["content"] = content };
        }

        var responses = new JsonObject();
        foreach (IGrouping<int, Answer> answers in (described?.Answers ?? [new Answer(200, "OK")]).GroupBy(a => a.Status))
        {
            var content = new JsonObject();
            foreach (Answer answer in answers)
            {
                content[answer.ContentType] = answer.Schema is null ? new JsonObject() : new JsonObject { ["schema"] = Ref(answer.Schema) };
            }

            responses[answers.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new JsonObject
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
        ["content"] = new JsonObject { [Problems.ContentType] = new JsonObject { ["schema"] = Ref("Problem") } },
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

    static JsonObject Ref(string schema) => new() { ["$ref"] = "#/components/schemas/" + schema };

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}

/// <summary>The shapes of api.md as OpenAPI schemas ("fields that must be there; more are welcome").</summary>
static class OpenApiSchemas
{
    static JsonObject Str(int? max = null, string? format = null, IEnumerable<string>? values = null, bool nullable = false)
    {
        var schema = new JsonObject { ["type"] = "string" };
        if (max is { } m)
        {
            schema["maxLength"] = m;
        }

        if (format is not null)
        {
            schema["format"] = format;
        }

        if (values is not null)
        {
            schema["enum"] = new JsonArray([.. values.Select(v => (JsonNode?)v), .. nullable ? new JsonNode?[] { null } : []]);
        }

        if (nullable)
        {
            schema["type"] = new JsonArray("string", "null");
        }

        return schema;
    }

    static JsonObject Enum<T>(bool nullable = false) where T : struct, System.Enum => Str(values: KebabCase.Names<T>(), nullable: nullable);

    static JsonObject Int(int? min = null, int? max = null)
    {
        var schema = new JsonObject { ["type"] = "integer" };
        if (min is { } low)
        {
            schema["minimum"] = low;
        }

        if (max is { } high)
        {
            schema["maximum"] = high;
        }

        return schema;
    }

    /// <summary>A statistics count: a number, or "&lt;5" where small numbers are suppressed.</summary>
    static JsonObject Count() => new() { ["oneOf"] = new JsonArray(Int(0), Str()) };

    static JsonObject Bool() => new() { ["type"] = "boolean" };

    static JsonObject Number(bool nullable = false) => nullable ? new() { ["type"] = new JsonArray("number", "null") } : new() { ["type"] = "number" };

    static JsonObject Time(bool nullable = false) => Str(format: "date-time", nullable: nullable);

    static JsonObject Ref(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

    static JsonObject Array(JsonObject items, int? max = null)
    {
        var schema = new JsonObject { ["type"] = "array", ["items"] = items };
        if (max is { } m)
        {
            schema["maxItems"] = m;
        }

        return schema;
    }

    static JsonObject Object(JsonObject properties, string[]? required = null, bool closed = false)
    {
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required is { Length: > 0 })
        {
            schema["required"] = new JsonArray(required.Select(r => (JsonNode?)r).ToArray());
        }

        if (closed)
        {
            schema["additionalProperties"] = false;
        }

        return schema;
    }

    static JsonObject Page(string item) => Object(new JsonObject { ["items"] = Array(Ref(item)), ["next"] = Str(nullable: true) }, ["items"]);

    public static JsonObject All() => new()
    {
        ["Intake"] = Object(new JsonObject
        {
            ["municipality"] = Str(50),
            ["observedAt"] = Time(),
            ["placeType"] = Enum<PlaceType>(),
            ["location"] = Str(200),
            ["suspicion"] = Enum<Suspicion>(),
            ["description"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["maxLength"] = IntakeValidator.MaxDescription },
            ["policeNotified"] = Bool(),
            ["policeReference"] = Str(50),
            ["person"] = Ref("Person"),
            ["wantsSupport"] = Enum<YesNoUnknown>(),
            ["wantsAuthorityContact"] = Enum<YesNoUnknown>(),
            ["reporterContact"] = Str(200),
            ["outreachSessionId"] = Str(64),
        }, ["municipality", "observedAt", "placeType", "suspicion", "description", "policeNotified"], closed: true),
        ["Person"] = Object(new JsonObject
        {
            ["alias"] = Str(100),
            ["estimatedAge"] = Int(0, 120),
            ["gender"] = Enum<Gender>(),
            ["languages"] = Array(Str(3), 10),
            ["citizenship"] = Array(Str(2), 5),
            ["contact"] = Str(200),
            ["isMinor"] = Bool(),
        }, closed: true),
        ["IntakeForm"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "The Intake's fields as form fields: person fields as `person.alias` etc., booleans as true/false, lists comma-separated.",
            ["additionalProperties"] = Str(),
        },
        ["IntakeReceipt"] = Object(new JsonObject { ["caseId"] = Str(), ["receivedAt"] = Time() }, ["caseId", "receivedAt"]),
        ["Problem"] = Object(new JsonObject
        {
            ["type"] = Str(), ["title"] = Str(), ["status"] = Int(), ["detail"] = Str(),
        }, ["title", "status"]),
        ["ValidationProblem"] = new JsonObject
        {
            ["allOf"] = new JsonArray(Ref("Problem"), Object(new JsonObject
            {
                ["errors"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Field name → messages (rules only, never the submitted values).",
                    ["additionalProperties"] = Array(Str()),
                },
            }, ["errors"])),
        },
        ["StorageCheck"] = Object(new JsonObject { ["ok"] = Bool(), ["latencyMs"] = Int(0), ["error"] = Str(nullable: true) }, ["ok", "latencyMs"]),
        ["Readiness"] = Object(new JsonObject
        {
            ["status"] = Str(values: ["ready", "not-ready"]),
            ["checkedAt"] = Time(),
            ["problems"] = Array(Str()),
            ["storage"] = Object(new JsonObject { ["tables"] = Ref("StorageCheck"), ["queues"] = Ref("StorageCheck"), ["blobs"] = Ref("StorageCheck") }, ["tables", "queues", "blobs"]),
            ["engine"] = Object(new JsonObject
            {
                ["ok"] = Bool(), ["dispatching"] = new JsonObject { ["type"] = new JsonArray("boolean", "null") },
                ["waitingMessages"] = new JsonObject { ["type"] = new JsonArray("integer", "null"), ["minimum"] = 0 },
                ["oldestWaitingMessageAgeSeconds"] = new JsonObject { ["type"] = new JsonArray("number", "null") },
                ["stallAfterSeconds"] = new JsonObject { ["type"] = "number" }, ["error"] = Str(nullable: true),
            }, ["ok", "dispatching", "stallAfterSeconds"]),
            ["jobs"] = Array(Object(new JsonObject
            {
                ["name"] = Str(), ["schedule"] = Str(), ["ok"] = Bool(), ["lastSuccessAt"] = Time(nullable: true), ["lastFailureAt"] = Time(nullable: true),
                ["lastFailure"] = Str(nullable: true), ["lastDueAt"] = Time(), ["watchedSince"] = Time(nullable: true),
            }, ["name", "schedule", "ok", "lastSuccessAt", "lastDueAt"])),
        }, ["status", "checkedAt", "problems", "storage", "engine", "jobs"]),
        ["OpenApiDocument"] = new JsonObject { ["type"] = "object" },
        ["EventAccepted"] = Object(new JsonObject { ["caseId"] = Str(), ["type"] = Enum<CaseEventType>(), ["acceptedAt"] = Time() }, ["caseId", "type", "acceptedAt"]),
        ["Referral"] = Object(new JsonObject
        {
            ["referralId"] = Str(), ["kind"] = Enum<SupportKind>(), ["status"] = Enum<ReferralStatus>(), ["sentAt"] = Time(), ["dueAt"] = Time(),
            ["answeredAt"] = Time(nullable: true), ["closedAt"] = Time(nullable: true), ["declineReason"] = Enum<DeclineReason>(nullable: true),
            ["shared"] = new JsonObject { ["type"] = new JsonArray("object", "null"), ["description"] = "The consented fields (alias, languages, age, gender, citizenship, contact, need)." },
        }, ["referralId", "kind", "status", "sentAt", "dueAt"]),
        ["ReferralList"] = Object(new JsonObject { ["items"] = Array(Ref("Referral")) }, ["items"]),
        ["ReferralDecline"] = Object(new JsonObject { ["reason"] = Enum<DeclineReason>() }, ["reason"], closed: true),
        ["OutreachSession"] = Object(new JsonObject
        {
            ["heldOn"] = Str(format: "date"), ["adsReviewed"] = Int(0), ["contactsAttempted"] = Int(0), ["responses"] = Int(0),
            ["supportAccepted"] = Int(0), ["participants"] = Array(Str()),
        }, ["heldOn"]),
        ["OutreachSessionCreated"] = Object(new JsonObject { ["sessionId"] = Str() }, ["sessionId"]),
        ["OutreachSessionList"] = Object(new JsonObject { ["items"] = Array(Ref("OutreachSession")) }, ["items"]),
        ["StatisticsRow"] = Object(new JsonObject
        {
            ["group"] = Str(), ["incidentsReported"] = Count(), ["personsDocumented"] = Count(), ["supportConversations"] = Count(),
            ["supportGiven"] = Count(), ["supportGivenByKind"] = new JsonObject { ["type"] = "object" }, ["outreachSessions"] = Count(),
            ["adsReviewed"] = Count(), ["contactsAttempted"] = Count(), ["supportAccepted"] = Count(),
            ["casesClosedByReason"] = new JsonObject { ["type"] = "object" }, ["returns"] = Count(),
        }, ["group"]),
        ["Statistics"] = Object(new JsonObject { ["items"] = Array(Ref("StatisticsRow")), ["total"] = Ref("StatisticsRow") }),
        ["ReferralFiguresRow"] = Object(new JsonObject
        {
            ["organisation"] = Str(), ["label"] = Str(), ["kind"] = Enum<SupportKind>(nullable: true), ["kindLabel"] = Str(),
            ["sent"] = Count(), ["accepted"] = Count(), ["declined"] = Count(), ["completed"] = Count(), ["expired"] = Count(), ["cancelled"] = Count(),
            ["awaitingAnswer"] = Count(), ["medianAnswerHours"] = Number(nullable: true), ["declinedShare"] = Number(nullable: true), ["expiredShare"] = Number(nullable: true),
        }, ["organisation", "kind", "sent", "accepted", "declined", "completed", "expired", "cancelled", "awaitingAnswer", "medianAnswerHours", "declinedShare", "expiredShare"]),
        ["ReferralStatistics"] = Object(new JsonObject
        {
            ["from"] = Str(format: "date"), ["to"] = Str(format: "date"), ["view"] = Str(values: ["referrals"]),
            ["suppressedBelow"] = new JsonObject { ["type"] = new JsonArray("integer", "null") },
            ["items"] = Array(Ref("ReferralFiguresRow")), ["organisations"] = Array(Ref("ReferralFiguresRow")), ["total"] = Ref("ReferralFiguresRow"),
        }, ["from", "to", "view", "items", "organisations", "total"]),
        ["StatisticsAnswer"] = new JsonObject { ["oneOf"] = new JsonArray(Ref("Statistics"), Ref("ReferralStatistics")) },
        ["NationalExportRecord"] = Object(new JsonObject
        {
            ["registrationYear"] = Int(2000), ["registrationMonth"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 12, ["type"] = new JsonArray("integer", "null") },
            ["ageBroad"] = Str(nullable: true), ["majorityStatus"] = Str(values: [Exports.Htcds.MajorityMinor, Exports.Htcds.MajorityAdult, Exports.Htcds.MajorityUnknown]),
            ["gender"] = Str(values: [Exports.Htcds.Feminine, Exports.Htcds.Masculine, Exports.Htcds.NonConforming, Exports.Htcds.NonSpecifiedUnknown]),
            ["citizenship"] = Str(), ["suspicion"] = Enum<Suspicion>(), ["traffickingStatus"] = Str(nullable: true), ["typeOfExploitation"] = Str(nullable: true),
            ["referralSource"] = Str(nullable: true), ["referringOrganisationType"] = Str(nullable: true), ["personDocumented"] = Bool(),
            ["supportGiven"] = Array(Enum<SupportKind>()), ["supportPlanTypes"] = Array(Str()),
            ["caseStatus"] = Str(values: System.Enum.GetNames<Exports.ExportStatus>()),
            ["reasonForCaseClosure"] = Enum<CloseReason>(nullable: true), ["returned"] = Bool(),
        }, [.. Exports.ExportRecord.Columns]),
        ["NationalExport"] = Object(new JsonObject
        {
            ["from"] = Str(format: "date"), ["to"] = Str(format: "date"), ["standard"] = Str(), ["minGroupSize"] = Int(Exports.SmallGroups.MinimumGroupSize),
            ["quasiIdentifiers"] = Array(Str()), ["cases"] = Int(0), ["exported"] = Int(0), ["generalised"] = Int(0), ["suppressed"] = Int(0),
            ["casesWithoutFacts"] = Int(0), ["records"] = Array(Ref("NationalExportRecord")),
        }, ["from", "to", "minGroupSize", "cases", "exported", "generalised", "suppressed", "records"]),
        ["DataKeyRewrap"] = Object(new JsonObject
        {
            ["currentKeyId"] = Str(), ["total"] = Int(0), ["done"] = Int(0), ["rewrapped"] = Int(0), ["remaining"] = Int(0), ["failed"] = Int(0), ["complete"] = Bool(),
        }, ["currentKeyId", "total", "done", "rewrapped", "remaining", "failed", "complete"]),
    };
}
