using System.Text.Json;
using Helsingborg.Health;
using Helsingborg.Http;
using Helsingborg.LocalHost;
using Helsingborg.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Moq;

namespace Helsingborg.Tests.Access;

/// <summary>
/// A failure is diagnosable without leaking (issue 11, 4): the dispatcher logs the exception's type and stack
/// trace, never its message, which may hold a value from the request; the caller gets a bare 500 problem.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DispatcherFailureTests
{
    [Fact]
    public async Task An_unhandled_exception_is_logged_by_type_and_stack_trace_without_its_message()
    {
        string canary = "canary-" + Guid.NewGuid().ToString("N");
        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(logs));
        services.AddHelsingborg(new ConfigurationBuilder().AddInMemoryCollection(LocalSettings.Read(LocalSettings.Find(AppContext.BaseDirectory)!)).Build());
        services.AddSingleton<HealthHandler>(_ => throw new InvalidOperationException($"Person {canary} could not be read", new FormatException(canary)));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Response.Body = new MemoryStream();

        IResult result = await provider.GetRequiredService<ApiDispatcher>().InvokeAsync("Health", context, new Mock<DurableTaskClient>("test").Object);
        await result.ExecuteAsync(context);

        Assert.Equal(StatusCodes.Status500InternalServerError, context.Response.StatusCode);
        string body = System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        Assert.DoesNotContain(canary, body);
        Assert.Equal(500, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());

        string failure = Assert.Single(logs.Lines, l => l.Contains("Route Health failed", StringComparison.Ordinal));
        Assert.Contains("System.InvalidOperationException <- System.FormatException", failure);
        Assert.Contains(" at ", failure); // the stack trace
        Assert.DoesNotContain(logs.Lines, l => l.Contains(canary, StringComparison.Ordinal));
    }
}
