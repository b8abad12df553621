using Helsingborg.Http;
using Helsingborg.Storage;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Health;

/// <summary><c>GET /api/health</c>: 200 when storage answers, 503 otherwise; reveals nothing else.</summary>
public sealed class HealthHandler(CaseStorage storage)
{
    public async Task<IResult> CheckAsync(ApiCall call)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await storage.Table(CaseStorage.CasesTable).GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("health", "health", select: ["PartitionKey"], cancellationToken: timeout.Token);
            return Results.Json(new HealthResponse("ok"), ApiJson.Options);
        }
#pragma warning disable CA1031 // Any storage failure means "unavailable".
        catch (Exception)
#pragma warning restore CA1031
        {
            return Results.Json(new HealthResponse("unavailable"), ApiJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}

/// <summary>The answer of <c>GET /api/health</c>: <c>ok</c>, or <c>unavailable</c> with 503; nothing else is revealed.</summary>
public sealed record HealthResponse(string Status);
