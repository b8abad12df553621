using Helsingborg.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Http;

/// <summary>
/// Runs a route for either host: authentication, the role check, the handler, and the one place where a
/// failure becomes a problem+json 500 without details (the exception's message may carry personal data,
/// so only its type is logged).
/// </summary>
public sealed partial class ApiDispatcher(IServiceProvider services, CallerResolver callers, ILogger<ApiDispatcher> logger)
{
    public async Task<IResult> InvokeAsync(string routeName, HttpContext context, DurableTaskClient durable, IReadOnlyDictionary<string, string>? routeValues = null)
    {
        ApiRoute route = ApiRoutes.Named(routeName);
        Caller? caller = callers.Resolve(context.Request);
        if (!route.Anonymous)
        {
            if (caller is null)
            {
                return Problems.Unauthorized();
            }

            if (!caller.IsIn(route.Roles))
            {
                return Problems.Forbidden();
            }
        }

        try
        {
            return await route.Handler(services, new ApiCall(context.Request, caller, durable, routeValues ?? new Dictionary<string, string>()));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Sealed data that does not open under its case and field was changed or moved outside the app.
            LogIntegrityFailure(logger, route.Name);
            return Problems.IntegrityFailure();
        }
#pragma warning disable CA1031 // The API's last line: nothing may escape as a stack trace.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFailure(logger, route.Name, e.GetType().FullName ?? "unknown");
            return Problems.ServerError();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Route {Route} failed with {ExceptionType}")]
    static partial void LogFailure(ILogger logger, string route, string exceptionType);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Route {Route} found sealed data that fails its integrity check: changed or moved outside the app")]
    static partial void LogIntegrityFailure(ILogger logger, string route);
}
