using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// What the crash and outage proofs sent, as their clients saw it: the intakes answered 202 (by Idempotency-Key, with
/// their case ids) and the events answered 202 (by their unique notes), what is in doubt because no answer came (the
/// request may or may not have been applied: at most once), what was refused to be sent again, answers nobody
/// expected, and, for the proofs that time the answers, every answer with when it was sent and how long it took.
/// </summary>
public sealed class RequestLedger
{
    public ConcurrentDictionary<string, string> AcceptedIntakes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> DoubtfulIntakes { get; } = new(StringComparer.Ordinal);

    /// <summary>Intakes answered 503, to be sent again with the same key.</summary>
    public ConcurrentDictionary<string, bool> RefusedIntakes { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> AcceptedEvents { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, bool> DoubtfulEvents { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<string> Unexpected { get; } = new();

    public ConcurrentQueue<Answer> Answers { get; } = new();

    /// <summary>Requests that got no answer within the client's timeout.</summary>
    public ConcurrentQueue<string> Failures { get; } = new();

    public int Accepted => AcceptedIntakes.Count + AcceptedEvents.Count;

    public int Doubtful => DoubtfulIntakes.Count + DoubtfulEvents.Count;

    /// <summary>Sends and records the answer and its time; no answer within the client's timeout is a failure.</summary>
    public async Task<Answer?> SendAsync(HttpClient client, string kind, HttpRequestMessage request, Stopwatch clock)
    {
        TimeSpan sent = clock.Elapsed;
        try
        {
            using HttpResponseMessage response = await client.SendAsync(request);
            string body = await response.Content.ReadAsStringAsync();
            bool retryLater = response.Content.Headers.ContentType?.MediaType == "application/problem+json" && response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 };
            var answer = new Answer(kind, (int)response.StatusCode, sent, clock.Elapsed - sent, body, retryLater);
            Answers.Enqueue(answer);
            return answer;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Failures.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{kind} sent at {sent.TotalSeconds:0.0} s: no answer after {(clock.Elapsed - sent).TotalSeconds:0.0} s ({e.GetType().Name})"));
            return null;
        }
    }

    public sealed record Answer(string Kind, int Status, TimeSpan SentAt, TimeSpan Took, string Body, bool ProblemWithRetryAfter);
}
