using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Health;

/// <summary>What the task hub's queues show: how many messages wait, and how long the oldest has waited.</summary>
/// <param name="Queues">The task hub's queues (control queues and the work-item queue).</param>
/// <param name="Waiting">Visible messages at the front of those queues (at most 32 are looked at per queue).</param>
/// <param name="OldestWaiting">How long the oldest of them has been waiting to be taken; null when none waits.</param>
public sealed record TaskHubSnapshot(int Queues, int Waiting, TimeSpan? OldestWaiting);

/// <summary>
/// Looks at the durable engine from outside, the same way in both hosts: the Azure Storage provider keeps each task
/// hub's work in queues (<c>{hub}-control-NN</c> for orchestrations, <c>{hub}-workitems</c> for activities), and an
/// engine that dispatches takes their visible messages within seconds. A message still visible long after it became
/// visible means nothing is taking it: the engine is stopped, stuck, or keeps failing on it. A durable timer's
/// message is enqueued invisible until it fires, so its waiting starts at its <c>FireAt</c>, not at its insertion.
/// Only the messages' insertion times and timer times are read; the payloads are ids, enums and dates
/// (data-protection.md rule 1) and are not kept. The queue client is the runtime storage's, from DI
/// (<see cref="HelsingborgServices"/>).
/// </summary>
public sealed partial class TaskHubProbe(QueueServiceClient queues, string hubName)
{
    const int PeekLimit = 32;

    /// <summary>The task hub's name: <c>Durable:HubName</c> locally, else the hub of host.json.</summary>
    public static string HubName(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration["Durable:HubName"] ?? "HelsingborgCases";
    }

    public async Task<TaskHubSnapshot> InspectAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        int count = 0, waiting = 0;
        DateTimeOffset? oldest = null;
        await foreach (QueueItem queue in queues.GetQueuesAsync(prefix: hubName.ToLowerInvariant() + "-", cancellationToken: cancellationToken))
        {
            count++;
            PeekedMessage[] messages = (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(PeekLimit, cancellationToken)).Value;
            foreach (PeekedMessage message in messages)
            {
                waiting++;
                DateTimeOffset since = VisibleSince(message);
                if (oldest is null || since < oldest)
                {
                    oldest = since;
                }
            }
        }

        return new TaskHubSnapshot(count, waiting, oldest is { } o ? (now - o < TimeSpan.Zero ? TimeSpan.Zero : now - o) : null);
    }

    /// <summary>When the message became visible: its insertion, or a timer's fire time when that is later.</summary>
    internal static DateTimeOffset VisibleSince(PeekedMessage message)
    {
        DateTimeOffset inserted = message.InsertedOn ?? DateTimeOffset.MinValue;
        return FireAt(Text(message.Body)) is { } fireAt && fireAt > inserted ? fireAt : inserted;
    }

    /// <summary>A TimerFired event's <c>FireAt</c> in the provider's JSON message, if it is one.</summary>
    internal static DateTimeOffset? FireAt(string text)
    {
        Match match = FireAtPattern().Match(text);
        return match.Success && DateTimeOffset.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset at)
            ? at
            : null;
    }

    /// <summary>The provider writes UTF-8 JSON by default; a Base64-encoding queue client is read too.</summary>
    static string Text(BinaryData body)
    {
        string text = body.ToString();
        if (text.TrimStart().StartsWith('{'))
        {
            return text;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            return string.Empty;
        }
    }

    [GeneratedRegex("\"FireAt\"\\s*:\\s*\"([^\"]+)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex FireAtPattern();
}
