using System.Reflection;
using Helsingborg.Http;
using Helsingborg.LocalHost;
using Microsoft.Azure.Functions.Worker;

namespace Helsingborg.Tests.Foundation;

/// <summary>local-runtime.md: a route, orchestrator, activity or timer job exists in both hosts or in neither.</summary>
[Trait("Category", "Unit")]
public sealed class HostParityTests
{
    static readonly Assembly Functions = typeof(Helsingborg.Functions.HttpFunctions).Assembly;

    static IEnumerable<(string Name, ParameterInfo Trigger)> FunctionsWith<TTrigger>() where TTrigger : Attribute =>
        Functions.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(f => f.Function is not null)
            .SelectMany(f => f.Method.GetParameters().Where(p => p.GetCustomAttribute<TTrigger>() is not null).Select(p => (f.Function!.Name, p)));

    [Fact]
    public void Every_http_route_exists_in_both_hosts()
    {
        var functions = FunctionsWith<HttpTriggerAttribute>()
            .Select(f => (f.Name, Trigger: f.Trigger.GetCustomAttribute<HttpTriggerAttribute>()!))
            .Select(f => $"{f.Name} {string.Join(",", f.Trigger.Methods!.Select(m => m.ToUpperInvariant()))} {f.Trigger.Route}")
            .Order()
            .ToList();
        var local = ApiRoutes.All.Select(r => $"{r.Name} {r.Method} {r.Template}").Order().ToList();

        Assert.Equal(local, functions);
    }

    [Fact]
    public void Every_orchestrator_exists_in_both_hosts()
    {
        var functions = FunctionsWith<OrchestrationTriggerAttribute>().Select(f => f.Name).Order().ToList();
        Assert.Equal(DurableEngine.Orchestrators.Order().ToList(), functions);
    }

    [Fact]
    public void Every_activity_exists_in_both_hosts()
    {
        var functions = FunctionsWith<ActivityTriggerAttribute>().Select(f => f.Name).Order().ToList();
        Assert.Equal(DurableEngine.Activities.Order().ToList(), functions);
    }

    [Fact]
    public void Every_timer_job_exists_in_both_hosts()
    {
        var functions = FunctionsWith<TimerTriggerAttribute>()
            .Select(f => $"{f.Name} {f.Trigger.GetCustomAttribute<TimerTriggerAttribute>()!.Schedule}")
            .Order()
            .ToList();
        var local = LocalJobs.Schedules.Select(j => $"{j.Name} {j.Cron}").Order().ToList();
        Assert.Equal(local, functions);
    }
}
