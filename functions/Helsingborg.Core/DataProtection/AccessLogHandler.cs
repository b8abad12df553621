using System.Globalization;
using Helsingborg.Cases;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.DataProtection;

/// <summary><c>GET /api/access-log</c> (admin): the access log, newest first, by case and time window, paged.</summary>
public sealed class AccessLogHandler(AccessLog accessLog)
{
    public async Task<IResult> ListAsync(ApiCall call)
    {
        IQueryCollection query = call.Request.Query;
        var errors = new Dictionary<string, string[]>();
        string? caseId = query["caseId"].FirstOrDefault();
        if (caseId is not null && !CaseIds.IsWellFormed(caseId))
        {
            errors["caseId"] = ["Must be a case id."];
        }

        DateTimeOffset? from = Time(query, "from", errors);
        DateTimeOffset? to = Time(query, "to", errors);
        if (from is not null && to is not null && from > to)
        {
            errors["to"] = ["Must not be before from."];
        }

        (int limit, string? continuation) = Paging.Read(query, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        (IReadOnlyList<AccessLogEntry> items, string? next) = await accessLog.QueryAsync(caseId, from, to, limit, continuation, call.Aborted);
        return Results.Json(new AccessLogPage([.. items.Select(e => e with { At = e.At.ToUniversalTime() })], Paging.Encode(next)), ApiJson.Options);
    }

    static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (query[name].FirstOrDefault() is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset value))
        {
            return value;
        }

        errors[name] = ["Must be an ISO 8601 date or date and time."];
        return null;
    }
}

/// <summary>A page of <c>GET /api/access-log</c>, newest first: <see cref="Next"/> is the cursor of the next page, null at the end.</summary>
public sealed record AccessLogPage(IReadOnlyList<AccessLogEntry> Items, string? Next);
