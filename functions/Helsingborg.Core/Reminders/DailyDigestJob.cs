using System.Globalization;
using Azure.Data.Tables;
using Helsingborg.Cases;
using Helsingborg.Http;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;
using Microsoft.Extensions.Logging;

namespace Helsingborg.Reminders;

/// <summary>One reminder in a digest: ids, the case's reference (null for none), kind and times only — nothing personal.</summary>
public sealed record DigestItem(string ReminderId, string? CaseId, string? Reference, string Kind, DateTimeOffset DueAt, bool Escalated, bool Overdue);

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
/// configured, retried with back-off by the resilience handler of the webhooks' HttpClient (<see cref="WebhookSender"/>).
/// The payload carries ids, case references, kinds and times only.
/// </summary>
public sealed partial class DailyDigestJob(
    ReminderStore reminders,
    CaseProjectionStore projections,
    Referrals.ReferralStore referrals,
    CaseStorage storage,
    Partners.CityProfile profile,
    WebhookSender webhooks,
    ILogger<DailyDigestJob> logger)
{
    public const string Name = "DailyDigest";
    public const string Schedule = "0 0 6 * * *";

    readonly TableClient table = storage.Table(CaseStorage.DigestsTable);

    public async Task<IReadOnlyList<Digest>> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<Reminder> open = await reminders.ListAsync(null, acknowledged: false, cancellationToken);
        var rows = new Dictionary<string, CaseRow?>(StringComparer.Ordinal);
        var references = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string caseId in open.Select(r => r.CaseId).OfType<string>().Distinct())
        {
            CaseRow? row = await projections.GetAsync(caseId, cancellationToken);
            rows[caseId] = row;
            references[caseId] = row?.State?.Reference;
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
                .Where(r => r.CaseId is null || (rows.GetValueOrDefault(r.CaseId) is { } row ? row.AccessOf(profile, caller) : Access.CaseAccess.Of(profile, caller, null, null, [])).ShowsReminder(r.Organisation, caller))
                .OrderBy(r => r.DueAt)
                .Select(r => new DigestItem(r.ReminderId, r.CaseId, r.Reference ?? (r.CaseId is null ? null : references.GetValueOrDefault(r.CaseId)), KebabCase.Name(r.Kind), r.DueAt.ToUniversalTime(), r.Escalated, r.IsOverdue(now)))];
            var digest = new Digest(organisation, now.ToUniversalTime(), items.Count, items.Count(i => i.Overdue), items, awaiting.Count, awaiting);
            digests.Add(digest);

            bool? delivered = await webhooks.PostAsync(organisation, digest, "daily digest", cancellationToken);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Daily digest for {Organisation}: {Open} open, {Overdue} overdue, {AwaitingAnswer} referrals awaiting its answer, delivered {Delivered}")]
    static partial void LogDigest(ILogger logger, string organisation, int open, int overdue, int awaitingAnswer, bool? delivered);
}
