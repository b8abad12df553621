using System.Globalization;
using System.Text.Json;
using Helsingborg.Http;
using Helsingborg.Partners;
using Helsingborg.Statistics;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Outreach;

/// <summary>
/// <c>POST /api/outreach-sessions</c> and <c>GET /api/outreach-sessions</c>: the outreach work group's
/// figures. The figures must be consistent: support accepted ≤ responses ≤ contacts attempted (a person
/// can only accept support after answering, and only a contacted person can answer). Contacts attempted
/// may exceed ads reviewed (one ad may be followed up on more than one channel), so that is not checked.
/// </summary>
public sealed class OutreachHandler(OutreachSessionStore sessions, CityProfile profile, TimeProvider clock)
{
    public const int MaxCount = 100_000;
    /// <summary>The fields of the body: those of <see cref="OutreachSessionInput"/>, the documented request.</summary>
    static readonly string[] Fields = [.. ApiJson.Options.GetTypeInfo(typeof(OutreachSessionInput)).Properties.Select(p => p.Name)];

    public async Task<IResult> CreateAsync(ApiCall call)
    {
        if (Intake.IntakeHandler.IdempotencyKeyProblem(call.Request) is { } keyProblem)
        {
            return keyProblem;
        }

        (JsonDocument? document, IResult? problem) = await RequestBody.ReadJsonAsync(call.Request, call.Aborted);
        if (document is null)
        {
            return problem!;
        }

        using (document)
        {
            (OutreachSession? session, Dictionary<string, string[]> errors) = Validate(document.RootElement, clock.GetUtcNow(), call.Authenticated.Id, profile);
            if (session is null)
            {
                return Problems.Validation(errors);
            }

            // A retry with the same Idempotency-Key gets the same id, and the first recording stands.
            if (call.Request.Headers[Intake.IntakeHandler.IdempotencyHeader].FirstOrDefault() is { Length: > 0 } key)
            {
                session = session with { SessionId = OutreachSessionStore.IdFor(call.Authenticated.Organisation, key) };
            }

            await sessions.AddAsync(session, call.Aborted);
            return Results.Json(new OutreachSessionCreated(session.SessionId), ApiJson.Options, statusCode: StatusCodes.Status201Created);
        }
    }

    /// <summary>
    /// The sessions a report may name: those held in the last <see cref="RecentDays"/> days (Swedish dates), by date, type
    /// and id only, for the partner form's choice.
    /// </summary>
    public async Task<IResult> RecentAsync(ApiCall call)
    {
        DateOnly today = DateOnly.FromDateTime(LocalTime.InSweden(clock.GetUtcNow()).DateTime);
        IReadOnlyList<OutreachSession> items = await sessions.ListAsync(today.AddDays(1 - RecentDays), today, call.Aborted);
        return Results.Json(new OutreachSessionChoices([.. items.OrderByDescending(s => s.HeldOn).Select(s => new OutreachSessionChoice(s.SessionId, s.HeldOn, s.Type))]), ApiJson.Options);
    }

    /// <summary>How many days back a report can name the session it was made in.</summary>
    public const int RecentDays = 14;

    public async Task<IResult> ListAsync(ApiCall call)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        (DateOnly from, DateOnly to) = Period.Read(call.Request.Query, clock.GetUtcNow(), errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        IReadOnlyList<OutreachSession> items = await sessions.ListAsync(from, to, call.Aborted);
        return Results.Json(new OutreachSessionList([.. items.Select(OutreachSessionItem.From)]), ApiJson.Options);
    }

    /// <summary>Validates a session; errors name fields, never values.</summary>
    public static (OutreachSession? Session, Dictionary<string, string[]> Errors) Validate(JsonElement body, DateTimeOffset now, string recordedBy, CityProfile profile)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["The body must be a JSON object."];
            return (null, errors);
        }

        foreach (JsonProperty p in body.EnumerateObject())
        {
            if (!Fields.Contains(p.Name, StringComparer.Ordinal))
            {
                errors[p.Name] = ["Unknown field."];
            }
        }

        DateOnly? heldOn = null;
        if (!body.TryGetProperty("heldOn", out JsonElement held) || held.ValueKind != JsonValueKind.String
            || !DateOnly.TryParseExact(held.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateOnly day))
        {
            errors["heldOn"] = ["Required: a date (yyyy-MM-dd)."];
        }
        else if (day > DateOnly.FromDateTime(now.UtcDateTime).AddDays(1))
        {
            errors["heldOn"] = ["Must not be in the future."];
        }
        else if (day < DateOnly.FromDateTime(now.UtcDateTime).AddYears(-5))
        {
            errors["heldOn"] = ["Must be within the last five years."];
        }
        else
        {
            heldOn = day;
        }

        int? Count(string name)
        {
            if (!body.TryGetProperty(name, out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int n) || n < 0 || n > MaxCount)
            {
                errors[name] = [$"Required: a whole number from 0 to {MaxCount}."];
                return null;
            }

            return n;
        }

        int? ads = Count("adsReviewed");
        int? contacts = Count("contactsAttempted");
        int? responses = Count("responses");
        int? accepted = Count("supportAccepted");
        if (responses is int r && contacts is int c && r > c)
        {
            errors["responses"] = ["Must not exceed contactsAttempted."];
        }

        if (accepted is int a && responses is int r2 && a > r2)
        {
            errors["supportAccepted"] = ["Must not exceed responses."];
        }

        OutreachType type = OutreachType.Internet;
        if (body.TryGetProperty("type", out JsonElement typeValue) && typeValue.ValueKind != JsonValueKind.Null
            && (typeValue.ValueKind != JsonValueKind.String || !KebabCase.TryParse(typeValue.GetString()!, out type)))
        {
            errors["type"] = ["Must be one of: " + string.Join(", ", KebabCase.Names<OutreachType>()) + "."];
        }

        var participants = new List<string>();
        if (!body.TryGetProperty("participants", out JsonElement list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() is 0 or > 20)
        {
            errors["participants"] = ["Required: 1 to 20 partner ids (organisations, not names)."];
        }
        else
        {
            foreach (JsonElement item in list.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String || !profile.IsOrganisation(item.GetString()))
                {
                    errors["participants"] = ["Each participant must be a partner id (organisations, not names)."];
                    break;
                }

                if (!participants.Contains(item.GetString()!, StringComparer.Ordinal))
                {
                    participants.Add(item.GetString()!);
                }
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new OutreachSession(OutreachSessionStore.NewId(), heldOn!.Value, ads!.Value, contacts!.Value, responses!.Value, accepted!.Value, participants, now, recordedBy, type), errors);
    }
}

/// <summary>
/// The body of <c>POST /api/outreach-sessions</c> as the document shows it; <see cref="OutreachHandler.Validate"/> reads
/// these fields and refuses any other (counts 0 to <see cref="OutreachHandler.MaxCount"/>, 1 to 20 partner ids).
/// </summary>
public sealed record OutreachSessionInput(DateOnly HeldOn, int AdsReviewed, int ContactsAttempted, int Responses, int SupportAccepted, IReadOnlyList<string> Participants, OutreachType? Type = null);

/// <summary><c>POST /api/outreach-sessions</c>: the recorded session's id.</summary>
public sealed record OutreachSessionCreated(string SessionId);

/// <summary><c>GET /api/outreach-sessions</c>: the sessions held in the period.</summary>
public sealed record OutreachSessionList(IReadOnlyList<OutreachSessionItem> Items);

/// <summary>One session's counts, as listed (who recorded it is left out).</summary>
public sealed record OutreachSessionItem(
    string SessionId, DateOnly HeldOn, int AdsReviewed, int ContactsAttempted, int Responses, int SupportAccepted, IReadOnlyList<string> Participants, DateTimeOffset RecordedAt, OutreachType Type)
{
    public static OutreachSessionItem From(OutreachSession s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return new(s.SessionId, s.HeldOn, s.AdsReviewed, s.ContactsAttempted, s.Responses, s.SupportAccepted, s.Participants, s.RecordedAt, s.Type);
    }
}

/// <summary><c>GET /api/outreach-sessions/recent</c>: the sessions a report may name, newest first.</summary>
public sealed record OutreachSessionChoices(IReadOnlyList<OutreachSessionChoice> Items);

/// <summary>A session a report may name: its id, date and type, nothing else.</summary>
public sealed record OutreachSessionChoice(string SessionId, DateOnly HeldOn, OutreachType Type);
