using System.Diagnostics;
using Helsingborg.Http;
using Microsoft.AspNetCore.Http;

namespace Helsingborg.Telemetry;

/// <summary>
/// One span per API call, named by its route template ("POST /api/intake", "GET /api/cases/{caseId}"), the same in
/// both hosts: the local host's endpoints and the Functions app's HTTP triggers call the <see cref="ApiDispatcher"/>
/// through it. The span is ended, and the intake latency recorded, once the answer is written, so its status code is
/// the one the caller got. Tags: method, route template, route name, status code and the case id when it is well formed (a caller may put anything in a path); nothing from the
/// request's query, headers or body. The case's orchestration, started under this span, joins its trace.
/// </summary>
public static class RouteTelemetry
{
    static readonly HashSet<string> IntakeRoutes = ["SubmitIntake", "SubmitIntakeForm"];

    public static async Task<IResult> TraceAsync(string routeName, IReadOnlyDictionary<string, string> routeValues, Func<Task<IResult>> dispatch)
    {
        ArgumentNullException.ThrowIfNull(routeValues);
        ArgumentNullException.ThrowIfNull(dispatch);
        ApiRoute route = ApiRoutes.Named(routeName);
        string template = OpenApiDocument.PathOf(route);
        long started = Stopwatch.GetTimestamp();

        // ASP.NET Core starts an Activity of its own for its logs, exported by nobody and not sampled: the route's span
        // takes its place as the request's server span (continuing a caller's traceparent, if one came). Under a
        // Functions invocation's span (a recorded one) it is an inner span.
        ActivityContext parent = default;
        if (Activity.Current is { Recorded: false } host && host.Source.Name.Length == 0)
        {
            if (host.ParentSpanId != default)
            {
                parent = new ActivityContext(host.TraceId, host.ParentSpanId, host.ActivityTraceFlags, host.TraceStateString, isRemote: true);
            }

            Activity.Current = null;
        }

        ActivityKind kind = Activity.Current is null ? ActivityKind.Server : ActivityKind.Internal;
        Activity? activity = AppTelemetry.Source.StartActivity($"{route.Method} {template}", kind, parent);
        activity?.SetTag(AppTelemetry.Tags.HttpMethod, route.Method)
            .SetTag(AppTelemetry.Tags.HttpRoute, template)
            .SetTag(AppTelemetry.Tags.Route, route.Name);
        if (activity is not null && routeValues.TryGetValue("caseId", out string? caseId) && Cases.CaseIds.IsWellFormed(caseId))
        {
            activity.SetTag(AppTelemetry.Tags.CaseId, caseId);
        }

        try
        {
            IResult result = await dispatch();
            return new Traced(result, activity, route.Name, started);
        }
        catch
        {
            // The dispatcher answers every failure itself; this is for a host that could not even call it.
            activity?.SetStatus(ActivityStatusCode.Error);
            activity?.Dispose();
            throw;
        }
    }

    /// <summary>Writes the answer, then ends the span with the status code the caller got.</summary>
    sealed class Traced(IResult inner, Activity? activity, string route, long started) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            try
            {
                await inner.ExecuteAsync(httpContext);
            }
            finally
            {
                int status = httpContext.Response.StatusCode;
                if (activity is not null)
                {
                    activity.SetTag(AppTelemetry.Tags.HttpStatus, status);
                    if (status >= StatusCodes.Status500InternalServerError)
                    {
                        activity.SetStatus(ActivityStatusCode.Error);
                    }

                    activity.Dispose();
                }

                if (IntakeRoutes.Contains(route))
                {
                    AppTelemetry.IntakeAnswered(route, status, Stopwatch.GetElapsedTime(started));
                }
            }
        }
    }
}
