using System.Globalization;
using System.Net.Http.Json;
using Azure.Data.Tables;
using Helsingborg.Cases;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;

namespace Helsingborg.Reminders;

/// <summary>One reminder in a digest: ids, kind and times only — nothing personal.</summary>
public sealed record DigestItem(string ReminderId, string? CaseId, string Kind, DateTimeOffset DueAt, bool Escalated, bool Overdue);

/// <summary>
/// A referral awaiting the answer of the digest's organisation: the referral's id (what its answer routes take), kind
/// and dates. No case id: a receiving organisation reads nothing of a case, and its inbox shows none either.
/// </summary>
public sealed record DigestReferral(string ReferralId, string Kind, DateTimeOffset SentAt, DateTimeOffset DueAt, bool Overdue);

/// <summary>
/// An organisation's digest: its open reminders (overdue ones flagged and counted) when it coordinates, and the
/// referrals awaiting its answer.
/// </summary>
public sealed record Digest(string Organisation, DateTimeOffset GeneratedAt, int Open, int Overdue, IReadOnlyList<DigestItem> Items, int AwaitingAnswer, IReadOnlyList<DigestReferral> Referrals);

/// <summary>
/// The daily digest (api.md, scheduled functions, 06:00 UTC), written once for both hosts: per coordinating
/// organisation of the city profile, the open and overdue reminders it may see; and per organisation, coordinating or
/// not, the referrals awaiting its answer (sent, consent in force), because the receiving organisation is the one
/// that has to act on them (the referring coordinators hear of a late one through the escalated referral-overdue
/// reminder in their own digest). An organisation that does not coordinate gets a digest only on a day it has
/// referrals awaiting its answer, and never reminders: those carry case ids, which a partner may not see. Stored in
/// the Digests table (one row per organisation and day, its counts and delivery; the payload, which grows with the
/// reminders and would soon pass a table property's 64 KiB, in the <c>digests</c> container as
/// <c>{organisation}/{yyyyMMdd}.json</c>) and posted to <c>Notifications__Webhooks__{organisation}</c> when
/// configured, retried with back-off by the resilience handler of its HttpClient (<see cref="AddWebhookClient"/>).
/// The payload carries ids, kinds and times only.
/// </summary>
public sealed partial class DailyDigestJob(
    ReminderStore reminders,
    CaseProjectionStore projections,
    Referrals.ReferralStore referrals,
    CaseStorage storage,
    Partners.CityProfile profile,
    IHttpClientFactory httpClients,
    IConfiguration configuration,
    ILogger<DailyDigestJob> logger)
{
    public const string Name = "DailyDigest";
    public const string Schedule = "0 0 6 * * *";
    public const string HttpClientName = "digest-webhook";

    readonly TableClient table = storage.Table(CaseStorage.DigestsTable);

    /// <summary>How long one attempt may take before it counts as failed (and is retried).</summary>
    static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(15);

    /// <summary>How long a delivery may take in all, retries and their back-off included: the job never hangs on a webhook.</summary>
    static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The webhook's HttpClient, registered for both hosts: a total timeout around retries with doubling delays (no
    /// jitter) around a timeout per attempt. Only transient failures are retried (no answer, a timeout, 408, 429 and
    /// 5xx, honouring Retry-After); a 4xx other than those will not change by asking again. The settings keep their
    /// meaning: <c>Notifications:WebhookAttempts</c> attempts in all (default 4), the first retry after
    /// <c>Notifications:WebhookRetryDelay</c> (default 2 s), each later one after twice the delay before it.
    /// </summary>
    public static void AddWebhookClient(IServiceCollection services, IConfiguration configuration)
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

    public async Task<IReadOnlyList<Digest>> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Reminder> open = await reminders.ListAsync(null, acknowledged: false, cancellationToken);
        var leads = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string caseId in open.Select(r => r.CaseId).OfType<string>().Distinct())
        {
            CaseRow? row = await projections.GetAsync(caseId, cancellationToken);
            leads[caseId] = row?.State?.Lead;
        }

        var digests = new List<Digest>();
        foreach (Partners.OrganisationProfile member in profile.Organisations)
        {
            string organisation = member.Id;
            bool coordinates = member.Holds(Partners.OrganisationProfile.CoordinatorRole);
            List<DigestReferral> awaiting = [.. (await referrals.AwaitingAnswerAsync(organisation, cancellationToken))
                .Select(r => new DigestReferral(r.ReferralId, KebabCase.Name(r.Kind), r.SentAt.ToUniversalTime(), r.DueAt.ToUniversalTime(), r.DueAt <= now))];
            if (!coordinates && awaiting.Count == 0)
            {
                continue;
            }

            var caller = new Access.Caller("daily-digest", organisation, new HashSet<Access.Role> { Access.Role.Coordinator });
            List<DigestItem> items = !coordinates ? [] : [.. open
                .Where(r => r.Organisation is null || r.Organisation == organisation)
                .Where(r => r.CaseId is null || profile.MaySee(caller, leads.GetValueOrDefault(r.CaseId)))
                .OrderBy(r => r.DueAt)
                .Select(r => new DigestItem(r.ReminderId, r.CaseId, KebabCase.Name(r.Kind), r.DueAt.ToUniversalTime(), r.Escalated, r.IsOverdue(now)))];
            var digest = new Digest(organisation, now.ToUniversalTime(), items.Count, items.Count(i => i.Overdue), items, awaiting.Count, awaiting);
            digests.Add(digest);

            string? webhook = configuration[$"Notifications:Webhooks:{organisation}"];
            bool? delivered = null;
            if (!string.IsNullOrWhiteSpace(webhook))
            {
                delivered = Uri.TryCreate(webhook, UriKind.Absolute, out Uri? target) && target.Scheme is "https" or "http"
                    ? await PostAsync(target, digest, cancellationToken)
                    : false;
            }

            string day = now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            string payload = PayloadBlobName(organisation, day);
            await storage.Digests.GetBlobClient(payload).UploadAsync(
                BinaryData.FromObjectAsJson(digest, ApiJson.Options),
                new Azure.Storage.Blobs.Models.BlobUploadOptions { HttpHeaders = new() { ContentType = "application/json" } },
                cancellationToken);
            await table.UpsertEntityAsync(
                new TableEntity(organisation, day)
                {
                    ["GeneratedAt"] = digest.GeneratedAt,
                    ["Open"] = digest.Open,
                    ["Overdue"] = digest.Overdue,
                    ["AwaitingAnswer"] = digest.AwaitingAnswer,
                    ["Payload"] = payload,
                    ["Delivered"] = delivered,
                },
                TableUpdateMode.Replace,
                cancellationToken);
            LogDigest(logger, organisation, digest.Open, digest.Overdue, digest.AwaitingAnswer, delivered);
            if (coordinates)
            {
                Telemetry.AppTelemetry.RemindersOverdue(organisation, digest.Overdue);
            }
        }

        return digests;
    }

    /// <summary>The blob (in <see cref="CaseStorage.Digests"/>) that holds an organisation's digest of a day (<c>yyyyMMdd</c>).</summary>
    public static string PayloadBlobName(string organisation, string day) => $"{organisation}/{day}.json";

    /// <summary>Posts the digest; the client's resilience handler retries a transient failure.</summary>
    async Task<bool> PostAsync(Uri webhook, Digest digest, CancellationToken cancellationToken)
    {
        HttpClient client = httpClients.CreateClient(HttpClientName);
        try
        {
            using HttpResponseMessage response = await client.PostAsJsonAsync(webhook, digest, ApiJson.Options, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            LogDeliveryFailed(logger, digest.Organisation, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is HttpRequestException or Polly.Timeout.TimeoutRejectedException)
        {
            LogDeliveryFailed(logger, digest.Organisation, e.GetType().Name);
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily digest for {Organisation}: {Open} open, {Overdue} overdue, {AwaitingAnswer} referrals awaiting its answer, delivered {Delivered}")]
    static partial void LogDigest(ILogger logger, string organisation, int open, int overdue, int awaitingAnswer, bool? delivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Daily digest webhook for {Organisation} failed after its retries: {Failure}")]
    static partial void LogDeliveryFailed(ILogger logger, string organisation, string failure);
}
