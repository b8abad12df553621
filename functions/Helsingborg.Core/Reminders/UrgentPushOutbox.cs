using System.Net;
using Azure;
using Azure.Data.Tables;
using Helsingborg.Lifecycle;
using Helsingborg.Storage;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Reminders;

/// <summary>One urgent reminder in the outbox: when it was put there, the rounds of delivery tried, and whether it failed.</summary>
public sealed record PushEntry(string ReminderId, DateTimeOffset EnqueuedAt, int Rounds, bool Failed, ETag ETag);

/// <summary>
/// The outbox of urgent pushes: the step activity that creates an urgent reminder (the city profile's urgent kinds, or
/// escalated) puts its id here, and <see cref="UrgentPushJob"/> delivers it. A row stays while the push is pending, and
/// after it failed until the reminder is acknowledged, so readiness can count failed pushes. One partition per task
/// hub, as the job runs: hosts sharing a storage account push only their own. Ids only.
/// </summary>
public sealed class UrgentPushOutbox(CaseStorage storage, Partners.CityProfile profile, IConfiguration configuration)
{
    readonly TableClient table = storage.Table(CaseStorage.UrgentPushesTable);

    /// <summary>The task hub's name: the partition of this app's rows.</summary>
    public string Partition { get; } = Health.TaskHubProbe.HubName(configuration);

    /// <summary>Whether the reminder is pushed at once (<see cref="Partners.CityProfile.IsUrgent"/>).</summary>
    public bool IsUrgent(ReminderDue reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        return profile.IsUrgent(reminder.Kind, reminder.Escalated);
    }

    /// <summary>Puts the reminder in the outbox unless it is there; a retried step finds its first entry.</summary>
    public async Task EnqueueAsync(string reminderId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition, reminderId) { ["EnqueuedAt"] = now, ["Rounds"] = 0, ["Failed"] = false }, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.Conflict)
        {
        }
    }

    public async Task<IReadOnlyList<PushEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = new List<PushEntry>();
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(e => e.PartitionKey == Partition, cancellationToken: cancellationToken))
        {
            entries.Add(new PushEntry(row.RowKey, row.GetDateTimeOffset("EnqueuedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue, row.GetInt32("Rounds") ?? 0, row.GetBoolean("Failed") == true, row.ETag));
        }

        return entries;
    }

    /// <summary>How many pushes failed and wait for their reminder to be acknowledged.</summary>
    public async Task<int> FailedAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).Count(e => e.Failed);

    /// <summary>Another round failed: counted, and marked failed when it was the last.</summary>
    public Task FailedRoundAsync(PushEntry entry, bool last, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return table.UpdateEntityAsync(
            new TableEntity(Partition, entry.ReminderId) { ["Rounds"] = entry.Rounds + 1, ["Failed"] = last },
            ETag.All,
            TableUpdateMode.Merge,
            cancellationToken);
    }

    /// <summary>Takes the reminder out: delivered, nobody to push to, or its failure seen.</summary>
    public async Task RemoveAsync(string reminderId, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.DeleteEntityAsync(Partition, reminderId, ETag.All, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == (int)HttpStatusCode.NotFound)
        {
        }
    }
}
