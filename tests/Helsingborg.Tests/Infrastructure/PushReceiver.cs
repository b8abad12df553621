using System.Collections.Concurrent;
using Helsingborg.LocalHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// A webhook on loopback whose behaviour a test changes while its host runs: it records each body it accepts, answers
/// 503 to the next <see cref="FailNext"/> requests, and drops the connection unanswered while <see cref="NeverAnswer"/>.
/// </summary>
public sealed class PushReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    int failuresLeft;
    int requests;

    PushReceiver(WebApplication app, int port)
    {
        this.app = app;
        Url = new Uri($"http://127.0.0.1:{port}/hook");
    }

    public Uri Url { get; }

    public ConcurrentQueue<string> Bodies { get; } = new();

    public int Requests => Volatile.Read(ref requests);

    public volatile bool NeverAnswer;

    public void FailNext(int times) => Volatile.Write(ref failuresLeft, times);

    public static async Task<PushReceiver> StartAsync()
    {
        int port = LocalApp.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        WebApplication app = builder.Build();
        var receiver = new PushReceiver(app, port);
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
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
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
