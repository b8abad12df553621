using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Storage;

/// <summary>
/// The app's own tables and blob containers (not the task hub's). One place names them, so the
/// canary scan, retention and the stores agree on what exists.
/// </summary>
public sealed class CaseStorage
{
    public const string CasesTable = "Cases";
    public const string OpenCasesTable = "OpenCases";
    public const string DataKeysTable = "CaseDataKeys";
    public const string SecretsTable = "CaseSecrets";
    public const string TimelineTable = "CaseTimeline";
    public const string RemindersTable = "Reminders";
    public const string AccessLogTable = "AccessLog";
    public const string IdempotencyTable = "IntakeIdempotency";
    public const string OutreachTable = "OutreachSessions";
    public const string DigestsTable = "Digests";
    public const string StatisticsTable = "CaseStatistics";
    public const string JobRunsTable = "JobRuns";
    public const string ReferralsTable = "Referrals";

    /// <summary>The national export's coarse facts (<see cref="Exports.ExportFactsStore"/>): counted per month, linked to a case only until erasure.</summary>
    public const string ExportFactsTable = "CaseExportFacts";

    public const string DocumentsContainer = "case-documents";
    public const string DigestsContainer = "digests";

    static readonly string[] AllTables =
    [
        CasesTable, OpenCasesTable, DataKeysTable, SecretsTable, TimelineTable, RemindersTable,
        AccessLogTable, IdempotencyTable, OutreachTable, DigestsTable,
        StatisticsTable, JobRunsTable, ReferralsTable, ExportFactsTable,
    ];

    public CaseStorage(TableServiceClient tables, BlobServiceClient blobs)
    {
        Tables = tables;
        Blobs = blobs;
    }

    public TableServiceClient Tables { get; }

    public BlobServiceClient Blobs { get; }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public BlobContainerClient Documents => Blobs.GetBlobContainerClient(DocumentsContainer);

    /// <summary>The daily digests' payloads (ids, kinds and times only), one blob per organisation and day.</summary>
    public BlobContainerClient Digests => Blobs.GetBlobContainerClient(DigestsContainer);

    /// <summary>Creates the tables and containers; cheap and idempotent, run once at start-up.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(AllTables.Select(t => Tables.CreateTableIfNotExistsAsync(t, cancellationToken)));
        await Task.WhenAll(
            Documents.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            Digests.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
    }

    /// <summary>
    /// The app's storage clients. Locally a connection string (<c>CaseStorage</c>, else
    /// <c>AzureWebJobsStorage</c>; <c>UseDevelopmentStorage=true</c> means Azurite). In Azure no key exists:
    /// <c>CaseStorage__tableServiceUri</c> and <c>__blobServiceUri</c> with the managed identity
    /// <c>CaseStorage__clientId</c> (the same shape as the runtime's identity-based <c>AzureWebJobsStorage__*</c>).
    /// </summary>
    public static CaseStorage Create(IConfiguration configuration)
    {
        IConfigurationSection section = configuration.GetSection("CaseStorage");
        if (string.IsNullOrWhiteSpace(section.Value) && section["tableServiceUri"] is { Length: > 0 } tableUri && section["blobServiceUri"] is { Length: > 0 } blobUri)
        {
            Azure.Core.TokenCredential credential = section["clientId"] is { Length: > 0 } clientId
                ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new Azure.Identity.DefaultAzureCredential();
            return new CaseStorage(new TableServiceClient(new Uri(tableUri), credential, Bounded(new TableClientOptions())), new BlobServiceClient(new Uri(blobUri), credential, Bounded(new BlobClientOptions())));
        }

        string connection = ConnectionString(configuration);
        return new CaseStorage(new TableServiceClient(connection, Bounded(new TableClientOptions())), new BlobServiceClient(connection, Bounded(new BlobClientOptions())));
    }

    /// <summary>
    /// The SDK's retries, bounded: by default one call may wait 100 s per attempt over four attempts, which would
    /// hold a request (and an activity) open through a whole storage outage. Here a call gives up after about 13 s at
    /// worst (4 s per attempt, three attempts); a request gives up sooner, at its deadline (<see cref="Http.ApiDispatcher.Deadline"/>),
    /// and answers 503. Storage within reach answers in milliseconds, so the 4 s are a hang, not a slow answer.
    /// </summary>
    static T Bounded<T>(T options) where T : Azure.Core.ClientOptions
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(4);
        return options;
    }

    /// <summary>
    /// The connection string of the app's storage: <c>CaseStorage</c> when set, else
    /// <c>AzureWebJobsStorage</c>; <c>UseDevelopmentStorage=true</c> means Azurite.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        string? value = configuration["CaseStorage"];
        if (string.IsNullOrWhiteSpace(value))
        {
            value = configuration["AzureWebJobsStorage"];
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException("Neither CaseStorage nor AzureWebJobsStorage is configured.");
        }

        return DevelopmentStorage.Expand(value);
    }
}

/// <summary>Azurite's well-known account, and the expansion of <c>UseDevelopmentStorage=true</c>.</summary>
public static class DevelopmentStorage
{
    public const string AccountName = "devstoreaccount1";

    // The emulator's published, fixed development key (not a secret).
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    public static bool IsDevelopmentStorage(string connectionString) =>
        connectionString.Replace(" ", string.Empty, StringComparison.Ordinal)
            .Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);

    public static string ConnectionString(int blobPort = 10000, int queuePort = 10001, int tablePort = 10002) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};";

    public static string Expand(string connectionString) =>
        IsDevelopmentStorage(connectionString) ? ConnectionString() : connectionString;

    /// <summary>The blob endpoint's port of a development connection string, or null for real Azure.</summary>
    public static (int Blob, int Queue, int Table)? Ports(string connectionString)
    {
        if (IsDevelopmentStorage(connectionString))
        {
            return (10000, 10001, 10002);
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("AccountName", out string? name) || name != AccountName)
        {
            return null;
        }

        static int Port(Dictionary<string, string> parts, string key, int fallback) =>
            parts.TryGetValue(key, out string? endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out Uri? uri) ? uri.Port : fallback;

        return (Port(parts, "BlobEndpoint", 10000), Port(parts, "QueueEndpoint", 10001), Port(parts, "TableEndpoint", 10002));
    }
}
