using System.Text.Json;
using Azure;
using Helsingborg.Health;
using Helsingborg.Http;
using Helsingborg.LocalHost;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace Helsingborg.Tests.Access;

/// <summary>
/// Storage that fails is a 503 with Retry-After, never a 500 (issue 12, 3); a failure of the app stays a 500. The
/// hanging storage and the deadline are exercised for real by StorageOutageTests.
/// </summary>
[Trait("Category", "Unit")]
public sealed class DispatcherUnavailableTests
{
    public static TheoryData<string, Func<Exception>, int> Failures => new()
    {
        { "retries exhausted on timeouts", () => new AggregateException(new RequestFailedException("timed out", new TaskCanceledException()), new TaskCanceledException()), 503 },
        { "no answer", () => new RequestFailedException(0, "no response"), 503 },
        { "server busy", () => new RequestFailedException(503, "busy"), 503 },
        { "refused connection", () => new HttpRequestException("refused", new System.Net.Sockets.SocketException(111)), 503 },
        { "the engine's storage wrapper", () => new InvalidOperationException("wrapped", new RequestFailedException(500, "internal")), 503 },
        { "an unexpected 404 from storage", () => new RequestFailedException(404, "not found"), 500 },
        { "a bug", () => new InvalidOperationException("bug", new FormatException()), 500 },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Storage_failures_answer_503_with_Retry_After_and_other_failures_500(string what, Func<Exception> failure, int status)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHelsingborg(new ConfigurationBuilder().AddInMemoryCollection(LocalSettings.Read(LocalSettings.Find(AppContext.BaseDirectory)!)).Build());
        services.AddSingleton<HealthHandler>(_ => throw failure());
        await using ServiceProvider provider = services.BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = provider };
        context.Response.Body = new MemoryStream();

        IResult result = await provider.GetRequiredService<ApiDispatcher>().InvokeAsync("Health", context, new Mock<DurableTaskClient>("test").Object);
        await result.ExecuteAsync(context);

        Assert.True(context.Response.StatusCode == status, $"{what}: {context.Response.StatusCode}");
        Assert.Equal(Problems.ContentType, context.Response.ContentType);
        using JsonDocument body = JsonDocument.Parse(((MemoryStream)context.Response.Body).ToArray());
        Assert.Equal(status, body.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(status == 503 ? "10" : string.Empty, context.Response.Headers.RetryAfter.ToString());
    }

    [Fact]
    public async Task A_body_read_on_the_clients_time_holds_the_deadline_and_restarts_it()
    {
        var time = new FakeTimeProvider();
        var context = new DefaultHttpContext();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(100), time);
        var call = new ApiCall(context.Request, null, new Mock<DurableTaskClient>("test").Object, new Dictionary<string, string>()) { Deadline = deadline };

        bool cancelledWhileReading = await call.OnClientTimeAsync(aborted =>
        {
            time.Advance(TimeSpan.FromMinutes(5));
            return Task.FromResult(call.Aborted.IsCancellationRequested || aborted.IsCancellationRequested);
        });

        Assert.False(cancelledWhileReading);
        Assert.Equal(deadline.Token, call.Aborted);
        time.Advance(ApiDispatcher.Deadline - TimeSpan.FromMilliseconds(1));
        Assert.False(call.Aborted.IsCancellationRequested, "the deadline starts afresh after the body");
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(call.Aborted.IsCancellationRequested, "and is the whole deadline again");
    }
}
