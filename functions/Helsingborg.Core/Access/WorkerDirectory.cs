using System.Collections.Concurrent;
using Azure.Data.Tables;
using Helsingborg.Storage;

namespace Helsingborg.Access;

/// <summary>
/// Who the coordinators are, so that a case's history carries only a worker's id and the name is found when read: the
/// API keys that name a person (<c>ApiKeys__N__Name</c>) from configuration, and the Entra users from the app's own
/// <see cref="CaseStorage.WorkersTable"/>, written when they call (<see cref="RememberAsync"/>).
/// </summary>
public sealed class WorkerDirectory
{
    const string Partition = "worker";

    readonly IReadOnlyDictionary<string, Worker> keys;
    readonly TableClient table;
    readonly ConcurrentDictionary<string, Worker> seen = new(StringComparer.Ordinal);

    public WorkerDirectory(IEnumerable<ApiKeyOptions> configuredKeys, CaseStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        keys = configuredKeys
            .Where(k => !string.IsNullOrWhiteSpace(k.Sha256) && k.Roles.Contains(nameof(Role.Coordinator), StringComparer.OrdinalIgnoreCase))
            .GroupBy(k => k.Id, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new Worker(g.Key, string.IsNullOrWhiteSpace(g.First().Name) ? g.Key : g.First().Name!.Trim(), g.First().Organisation), StringComparer.Ordinal);
        table = storage.Table(CaseStorage.WorkersTable);
    }

    /// <summary>
    /// Keeps an Entra coordinator's display name for their id (once per process while it does not change); an API key's
    /// person is in configuration already.
    /// </summary>
    public async Task RememberAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.Roles.Contains(Role.Coordinator) || keys.ContainsKey(caller.Id))
        {
            return;
        }

        var worker = new Worker(caller.Id, caller.Name ?? caller.Id, caller.Organisation);
        if (seen.TryGetValue(caller.Id, out Worker? known) && known == worker)
        {
            return;
        }

        await table.UpsertEntityAsync(
            new TableEntity(Partition, caller.Id) { ["Name"] = worker.Name, ["Organisation"] = worker.Organisation },
            TableUpdateMode.Replace,
            cancellationToken);
        seen[caller.Id] = worker;
    }

    /// <summary>The coordinator of an id, or null when no key or signed-in user has it.</summary>
    public async Task<Worker?> FindAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (keys.TryGetValue(id, out Worker? key))
        {
            return key;
        }

        if (seen.TryGetValue(id, out Worker? known))
        {
            return known;
        }

        if (id.Length > 200 || id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            return null;
        }

        Azure.NullableResponse<TableEntity> row = await table.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken);
        if (!row.HasValue)
        {
            return null;
        }

        var stored = new Worker(id, row.Value!.GetString("Name") ?? id, row.Value.GetString("Organisation") ?? string.Empty);
        seen[id] = stored;
        return stored;
    }

    /// <summary>How a worker id is shown: the person's name, or the id itself when the person is no longer known.</summary>
    public async Task<Worker> DescribeAsync(string id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? new Worker(id, id, string.Empty);

    /// <summary>The coordinators of an organisation, by name.</summary>
    public async Task<IReadOnlyList<Worker>> ColleaguesAsync(string organisation, CancellationToken cancellationToken)
    {
        var found = keys.Values.Where(w => w.Organisation == organisation).ToDictionary(w => w.Id, StringComparer.Ordinal);
        await foreach (TableEntity row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Organisation eq {organisation}"), cancellationToken: cancellationToken))
        {
            found.TryAdd(row.RowKey, new Worker(row.RowKey, row.GetString("Name") ?? row.RowKey, organisation));
        }

        return [.. found.Values.OrderBy(w => w.Name, StringComparer.CurrentCulture).ThenBy(w => w.Id, StringComparer.Ordinal)];
    }
}
