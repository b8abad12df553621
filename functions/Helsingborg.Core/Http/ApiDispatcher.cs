using Helsingborg.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Http;

/// <summary>
/// Runs a route for either host: authentication, the role check, the rate limits (<see cref="RateLimits"/>), the
/// handler within its deadline, and the one place where a failure becomes a problem+json answer without details (the
/// exception's message may carry personal data, so only its type and stack trace are logged): 503 with Retry-After
/// when storage did not answer in time, else 500. It also keeps answers out of caches (<see cref="ApiRoute.Cacheable"/>).
/// </summary>
public sealed partial class ApiDispatcher(IServiceProvider services, CallerResolver callers, WorkerDirectory workers, RateLimits limits, ILogger<ApiDispatcher> logger)
{
    /// <summary>
    /// How long a handler may wait for storage and the durable engine: the handler's calls see it through
    /// <see cref="ApiCall.Aborted"/>, and when it passes the answer is 503. With the response's own time, every
    /// request is answered within 10 s even when storage hangs (StorageOutageTests).
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(8);

    /// <summary>What a 503 tells the client to wait before trying again.</summary>
    public static readonly TimeSpan RetryUnavailableAfter = TimeSpan.FromSeconds(10);

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
            // Behind the Functions host the worker's ASP.NET Core integration has already taken the client's
            // address from X-Forwarded-For; the local host is reached directly.
            string address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (limits.Authentication(address) is { } blocked)
            {
                return TooMany(context, blocked, "Too many failed authentications from this address.");
            }

            if (caller is null)
            {
                return limits.FailedAuthentication(address) is { } wait ? TooMany(context, wait, "Too many failed authentications from this address.") : Problems.Unauthorized();
            }

            if (!caller.IsIn(route.Roles))
            {
                return Problems.Forbidden();
            }

            if (route.IntakeLimited && limits.Intake(caller.Id) is { } intakeWait)
            {
                return TooMany(context, intakeWait, "Too many intakes from this key.");
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(Deadline);
        try
        {
            if (!route.Anonymous && caller is not null)
            {
                await workers.RememberAsync(caller, deadline.Token);
            }

            return await route.Handler(services, new ApiCall(context.Request, caller, durable, routeValues ?? new Dictionary<string, string>()) { Deadline = deadline });
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
        catch (Exception e) when (deadline.IsCancellationRequested || StorageUnavailable(e))
        {
            // The deadline passed (storage or the engine hung), or storage failed after the SDK's bounded retries.
            LogUnavailable(logger, route.Name, Types(e));
            context.Response.Headers.RetryAfter = Seconds(RetryUnavailableAfter);
            return Problems.StorageUnavailable();
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

    static IResult TooMany(HttpContext context, TimeSpan wait, string title)
    {
        context.Response.Headers.RetryAfter = Seconds(wait);
        return Problems.TooManyRequests(title);
    }

    /// <summary>Whole seconds, rounded up, at least 1: the form Retry-After takes.</summary>
    static string Seconds(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A failure of storage rather than of the app: no answer (a timeout, a refused or broken connection) or a server
    /// error or throttling from the service, anywhere in the exception's chain (the Azure SDK reports exhausted retries
    /// as an AggregateException of the attempts' failures). A 4xx that the code did not expect stays a 500.
    /// </summary>
    static bool StorageUnavailable(Exception e) => e switch
    {
        Azure.RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500 || (failed.InnerException is { } inner && StorageUnavailable(inner)),
        AggregateException all => all.InnerExceptions.Count > 0 && all.InnerExceptions.All(StorageUnavailable),
        TimeoutException or HttpRequestException or IOException or System.Net.Sockets.SocketException or OperationCanceledException => true,
        _ => e.InnerException is { } cause && StorageUnavailable(cause),
    };

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Route {Route} answered 503: storage did not answer in time ({ExceptionType})")]
    static partial void LogUnavailable(ILogger logger, string route, string exceptionType);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Route {Route} found sealed data that fails its integrity check: changed or moved outside the app")]
    static partial void LogIntegrityFailure(ILogger logger, string route);
}
