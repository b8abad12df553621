using Azure.Data.Tables;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// An instance's row and history as the Azure Storage provider stored them, one line a row, for a test to print when a
/// case did not move: the history says why an orchestration failed when its failure details do not.
/// </summary>
public static class StoredHistory
{
    static readonly string[] Skipped = ["odata.etag", "PartitionKey", "Timestamp"];

    /// <summary>The row and history of every instance the provider shows as failed.</summary>
    public static async Task<IReadOnlyList<string>> ReadFailedAsync(string connection, string hub)
    {
        var lines = new List<string>();
        try
        {
            await foreach (TableEntity row in new TableServiceClient(connection).GetTableClient(hub + "Instances").QueryAsync<TableEntity>(e => e.GetString("RuntimeStatus") == "Failed"))
            {
                lines.AddRange(await ReadAsync(connection, hub, row.PartitionKey));
            }
        }
        catch (Azure.RequestFailedException e)
        {
            lines.Add($"could not read the task hub's instances: {e.Status} {e.ErrorCode}");
        }

        return lines;
    }

    public static async Task<IReadOnlyList<string>> ReadAsync(string connection, string hub, string instanceId)
    {
        var lines = new List<string>();
        var service = new TableServiceClient(connection);
        try
        {
            await foreach (TableEntity row in service.GetTableClient(hub + "Instances").QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
            {
                lines.Add("instance " + Describe(row));
            }

            await foreach (TableEntity row in service.GetTableClient(hub + "History").QueryAsync<TableEntity>(e => e.PartitionKey == instanceId))
            {
                lines.Add("history " + Describe(row));
            }
        }
        catch (Azure.RequestFailedException e)
        {
            lines.Add($"could not read the task hub's tables: {e.Status} {e.ErrorCode}");
        }

        return lines;
    }

    static string Describe(TableEntity row) =>
        string.Join(" ", row.Where(p => !Skipped.Contains(p.Key)).Select(p => $"{p.Key}={Shorten(p.Value)}"));

    static string Shorten(object? value)
    {
        string text = value switch
        {
            DateTimeOffset at => at.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null",
        };
        return text.Length > 160 ? text[..160] + "…" : text;
    }
}
