using System.Globalization;
using System.Net.Http.Json;
using Helsingborg.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Helsingborg.Reminders;

/// <summary>
/// Posts to an organisation's webhook (<c>Notifications__Webhooks__{organisation}</c>): the one sender of the daily
/// digest and the urgent pushes, through one HttpClient whose resilience handler retries a transient failure
/// (<see cref="AddClient"/>). A body carries ids, kinds and times only; a failure is logged by organisation and status
/// or exception type, never by body.
/// </summary>
public sealed partial class WebhookSender(IHttpClientFactory httpClients, IConfiguration configuration, ILogger<WebhookSender> logger)
{
    public const string HttpClientName = "webhook";

    /// <summary>How long one attempt may take before it counts as failed (and is retried).</summary>
    static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a delivery may take in all, retries and their back-off included: a job never hangs on a webhook.</summary>
    static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The webhook's HttpClient, registered for both hosts: a total timeout around retries with doubling delays (no
    /// jitter) around a timeout per attempt. Only transient failures are retried (no answer, a timeout, 408, 429 and
    /// 5xx, honouring Retry-After); a 4xx other than those will not change by asking again. The settings keep their
    /// meaning: <c>Notifications:WebhookAttempts</c> attempts in all (default 4), the first retry after
    /// <c>Notifications:WebhookRetryDelay</c> (default 2 s), each later one after twice the delay before it.
    /// </summary>
    public static void AddClient(IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        int attempts = configuration.GetValue("Notifications:WebhookAttempts", 4);
        TimeSpan firstRetryDelay = configuration.GetValue("Notifications:WebhookRetryDelay", TimeSpan.FromSeconds(2));
        if (attempts < 1 || firstRetryDelay < TimeSpan.Zero)
        {
            throw new InvalidOperationException("Notifications:WebhookAttempts must be at least 1 and Notifications:WebhookRetryDelay not negative.");
        }

        services
            .AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(HttpClientName, pipeline =>
            {
                pipeline.AddTimeout(TotalTimeout);
                if (attempts > 1)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = attempts - 1,
                        Delay = firstRetryDelay,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = false,
                    });
                }

                pipeline.AddTimeout(AttemptTimeout);
            });
    }

    /// <summary>Whether the organisation has a webhook setting (valid or not: a malformed one is a failed delivery).</summary>
    public bool IsConfigured(string organisation) => !string.IsNullOrWhiteSpace(configuration[$"Notifications:Webhooks:{organisation}"]);

    /// <summary>
    /// Posts <paramref name="body"/> to the organisation's webhook: null when it has none, else whether it was delivered
    /// (after the client's retries). <paramref name="what"/> names the message in the log (a digest, a push).
    /// </summary>
    public async Task<bool?> PostAsync<T>(string organisation, T body, string what, CancellationToken cancellationToken)
    {
        string? webhook = configuration[$"Notifications:Webhooks:{organisation}"];
        if (string.IsNullOrWhiteSpace(webhook))
        {
            return null;
        }

        if (!Uri.TryCreate(webhook, UriKind.Absolute, out Uri? target) || target.Scheme is not ("https" or "http"))
        {
            LogDeliveryFailed(logger, what, organisation, "not an http(s) address");
            return false;
        }

        HttpClient client = httpClients.CreateClient(HttpClientName);
        try
        {
            using HttpResponseMessage response = await client.PostAsJsonAsync(target, body, ApiJson.Options, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogDeliveryFailed(logger, what, organisation, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            LogDeliveryFailed(logger, what, organisation, e.GetType().Name);
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The {What} webhook of {Organisation} failed after its retries: {Failure}")]
    static partial void LogDeliveryFailed(ILogger logger, string what, string organisation, string failure);
}
