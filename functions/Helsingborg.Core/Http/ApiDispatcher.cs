using Helsingborg.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Http;

/// <summary>
/// Runs a route for either host: authentication, the role check, the handler, and the one place where a
/// failure becomes a problem+json 500 without details (the exception's message may carry personal data,
/// so only its type and stack trace are logged). It also keeps answers out of caches (<see cref="ApiRoute.Cacheable"/>).
/// </summary>
public sealed partial class ApiDispatcher(IServiceProvider services, CallerResolver callers, ILogger<ApiDispatcher> logger)
{
    public async Task<IResult> InvokeAsync(string routeName, HttpContext context, DurableTaskClient durable, IReadOnlyDictionary<string, string>? routeValues = null)
    {
        ApiRoute route = ApiRoutes.Named(routeName);
        if (!route.Cacheable)
        {
            context.Response.Headers.CacheControl = "no-store";
        }

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
            // Type and stack trace say where it failed; the message is never logged, as it may hold a value.
            LogFailure(logger, route.Name, Types(e), e.StackTrace ?? string.Empty);
            return Problems.ServerError();
        }
    }

    /// <summary>The exception's type and its inner exceptions' types, outermost first.</summary>
    static string Types(Exception e)
    {
        var types = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            types.Add(current.GetType().FullName ?? "unknown");
        }

        return string.Join(" <- ", types);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Route {Route} failed with {ExceptionType} {StackTrace}")]
    static partial void LogFailure(ILogger logger, string route, string exceptionType, string stackTrace);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Route {Route} found sealed data that fails its integrity check: changed or moved outside the app")]
    static partial void LogIntegrityFailure(ILogger logger, string route);
}
