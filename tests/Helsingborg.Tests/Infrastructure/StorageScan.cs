using System.IO.Compression;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Helsingborg.Tests.Infrastructure;

/// <summary>
/// Reads every table, queue and blob of the storage account as text (gzip blobs unpacked, binary
/// properties read as UTF-8) and reports where any of the given values appears in plain text.
/// </summary>
public static class StorageScan
{
    public static async Task<IReadOnlyList<string>> FindAsync(string connectionString, IEnumerable<string> values)
    {
        string[] needles = values.ToArray();
        var hits = new List<string>();
        void Check(string where, string text)
        {
            foreach (string needle in needles)
            {
                if (text.Contains(needle, StringComparison.OrdinalIgnoreCase))
                {
                    hits.Add($"{where} contains a canary value");
                }
            }
        }

        var tables = new TableServiceClient(connectionString);
        await foreach (var table in tables.QueryAsync())
        {
            TableClient client = tables.GetTableClient(table.Name);
            await foreach (TableEntity entity in client.QueryAsync<TableEntity>())
            {
                foreach ((string key, object? value) in entity)
                {
                    string text = value switch
                    {
                        byte[] bytes => Encoding.UTF8.GetString(bytes),
                        BinaryData data => data.ToString(),
                        _ => value?.ToString() ?? string.Empty,
                    };
                    Check($"table {table.Name} row {entity.PartitionKey}/{entity.RowKey} property {key}", text);
                }
            }
        }

        var queues = new QueueServiceClient(connectionString);
        await foreach (QueueItem queue in queues.GetQueuesAsync())
        {
            PeekedMessage[] messages = (await queues.GetQueueClient(queue.Name).PeekMessagesAsync(32)).Value;
            foreach (PeekedMessage message in messages)
            {
                string text = message.Body.ToString();
                Check($"queue {queue.Name}", text);
                try
                {
                    Check($"queue {queue.Name} (base64)", Encoding.UTF8.GetString(Convert.FromBase64String(text)));
                }
                catch (FormatException)
                {
                }
            }
        }

        var blobs = new BlobServiceClient(connectionString);
        await foreach (var container in blobs.GetBlobContainersAsync())
        {
            BlobContainerClient client = blobs.GetBlobContainerClient(container.Name);
            await foreach (var blob in client.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, default))
            {
                byte[] content = (await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray();
                Check($"blob {container.Name}/{blob.Name}", Encoding.UTF8.GetString(Unzip(content)));
            }
        }

        return hits;
    }

    static byte[] Unzip(byte[] content)
    {
        if (content.Length < 2 || content[0] != 0x1f || content[1] != 0x8b)
        {
            return content;
        }

        using var input = new GZipStream(new MemoryStream(content), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
