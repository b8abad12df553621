namespace Helsingborg.Cases;

/// <summary>
/// The coordinator who holds a case, as the API shows it: the id the case's history carries and the name found for it when
/// read (the id itself when the person is no longer known), and since when, where known.
/// </summary>
public sealed record AssignedWorker(string Id, string Name, DateTimeOffset? Since = null)
{
    public static async Task<AssignedWorker?> OfAsync(Access.WorkerDirectory workers, string? id, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workers);
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        Access.Worker worker = await workers.DescribeAsync(id, cancellationToken);
        return new AssignedWorker(worker.Id, worker.Name, since);
    }
}
