using System.Text.Json;
using System.Text.Json.Nodes;
using Helsingborg.Cases;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Intake;

/// <summary>
/// <c>POST /api/intake/{caseId}/police-informed</c>: the routine says the reporter calls the police, so the reporting
/// organisation tells its own case, by the case id of its receipt, that it did. Recorded as the event
/// <see cref="PoliceInformed"/> through the events route's path (inbox, Idempotency-Key, 202); the police's reference
/// is sealed in the vault as the event's note. Another organisation's key gets the same 404 as a case that does not
/// exist, so a case id reveals nothing.
/// </summary>
public sealed class PoliceInformedHandler(CaseProjectionStore projections, CaseEventsHandler events, Partners.CityProfile profile, TimeProvider clock)
{
    /// <summary>The body field that carries the police's reference (a diarienummer).</summary>
    public const string ReferenceField = "policeReference";

    /// <summary>As the intake's police reference.</summary>
    public const int MaxReferenceLength = 50;

    public async Task<IResult> PostAsync(ApiCall call)
    {
        if (IntakeHandler.IdempotencyKeyProblem(call.Request) is { } keyProblem)
        {
            return keyProblem;
        }

        string caseId = call.Route("caseId");
        string organisation = call.Authenticated.Organisation;
        CaseRow? row = CaseIds.IsWellFormed(caseId) ? await projections.GetAsync(caseId, call.Aborted) : null;
        if (row is null || !string.Equals(row.ReportedBy, organisation, StringComparison.Ordinal))
        {
            return Problems.NotFound("No such case reported by the caller's organisation.");
        }

        (JsonDocument? document, IResult? problem) = await RequestBody.ReadJsonAsync(call.Request, call.Aborted);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            (JsonObject? body, Dictionary<string, string[]>? errors) = EventBody(document.RootElement);
            if (body is null)
            {
                return Problems.Validation(errors!);
            }

            string? key = CaseEventsHandler.Key(call);
            string eventId = key is null ? "e_" + Guid.NewGuid().ToString("N") : CaseInbox.EventIdFor(organisation, row.CaseId, key);
            using JsonDocument translated = JsonDocument.Parse(body.ToJsonString());
            ParseResult parsed = CaseEventParser.Parse(translated.RootElement, eventId, organisation, clock.GetUtcNow(), profile);
            if (parsed.Event is not { } informed)
            {
                return Problems.Validation(parsed.Errors.ToDictionary(e => e.Key == CaseEventParser.NoteField ? ReferenceField : e.Key, e => e.Value));
            }

            if (row.State is not { } state)
            {
                return Problems.Conflict("The case is still being opened; try again in a moment.");
            }

            if (state.Erased && parsed.Note is { Length: > 0 })
            {
                return Problems.Validation(new Dictionary<string, string[]>
                {
                    [ReferenceField] = ["The case's personal data has been erased, so a reference cannot be stored. Send it without one."],
                });
            }

            return await events.SubmitAsync(call, row, state, informed, parsed.Note, "police-informed\n" + JsonSerializer.Serialize(document.RootElement));
        }
    }

    /// <summary>The body as the event reader reads it: <c>policeReference</c> becomes the event's note, <c>at</c> stays; nothing else is taken.</summary>
    static (JsonObject? Body, Dictionary<string, string[]>? Errors) EventBody(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return (null, new() { [string.Empty] = ["Must be a JSON object."] });
        }

        var body = new JsonObject { [CaseEventParser.TypeField] = KebabCase.Name(CaseEventType.PoliceInformed) };
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (JsonProperty field in root.EnumerateObject())
        {
            if (field.Name == ReferenceField)
            {
                if (field.Value.ValueKind == JsonValueKind.String && field.Value.GetString()!.Length > MaxReferenceLength)
                {
                    errors[ReferenceField] = [$"At most {MaxReferenceLength} characters."];
                }

                body[CaseEventParser.NoteField] = JsonNode.Parse(field.Value.GetRawText());
            }
            else if (field.Name == "at")
            {
                body["at"] = JsonNode.Parse(field.Value.GetRawText());
            }
            else
            {
                errors[field.Name] = ["Unknown field."];
            }
        }

        return errors.Count == 0 ? (body, null) : (null, errors);
    }
}

/// <summary>The body of <c>POST /api/intake/{caseId}/police-informed</c>: the police's reference (optional, sealed) and when they were told (default now).</summary>
public sealed record PoliceInformedBody(string? PoliceReference, DateTimeOffset? At);
