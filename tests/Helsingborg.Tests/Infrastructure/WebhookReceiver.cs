using System.Collections.Concurrent;
using Helsingborg.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// A webhook on loopback (an organisation's, for the digest and the urgent pushes) whose behaviour a test changes while
/// its host runs: it records each body it accepts, answers the failure status to the first requests (and to the next
/// <see cref="FailNext"/> ones), and drops the connection unanswered while <see cref="NeverAnswer"/>.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly int failureStatus;
    int failuresLeft;
    int requests;

    WebhookReceiver(WebApplication app, int port, int failFirst, int failureStatus)
    {
        this.app = app;
        Url = new Uri($"http://127.0.0.1:{port}/hook");
        failuresLeft = failFirst;
        this.failureStatus = failureStatus;
    }

    public Uri Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    public int Requests => Volatile.Read(ref requests);

    public volatile bool NeverAnswer;

    public void FailNext(int times) => Volatile.Write(ref failuresLeft, times);

    /// <summary>Starts the receiver; the first <paramref name="failFirst"/> requests are answered <paramref name="failureStatus"/>.</summary>
    public static async Task<WebhookReceiver> StartAsync(int failFirst = 0, int failureStatus = StatusCodes.Status503ServiceUnavailable)
    {
        int port = LocalApp.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        WebApplication app = builder.Build();
        var receiver = new WebhookReceiver(app, port, failFirst, failureStatus);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            Interlocked.Increment(ref receiver.requests);
            if (receiver.NeverAnswer)
            {
                context.Abort();
                return Results.Empty;
            }

            if (Interlocked.Decrement(ref receiver.failuresLeft) >= 0)
            {
                return Results.StatusCode(receiver.failureStatus);
            }

            using var reader = new StreamReader(context.Request.Body);
            receiver.Bodies.Enqueue(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
