using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;

namespace Helsingborg.Storage;

/// <summary>
/// The app's own tables and blob containers (not the task hub's). One place names them, so the
/// canary scan, retention and the stores agree on what exists. Its clients come from DI
/// (<see cref="HelsingborgServices"/>, Microsoft.Extensions.Azure).
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
    public const string InboxTable = "CaseInbox";

    /// <summary>The urgent reminders still to push, or whose push failed (<see cref="Reminders.UrgentPushOutbox"/>).</summary>
    public const string UrgentPushesTable = "UrgentPushes";

    /// <summary>The national export's coarse facts (<see cref="Exports.ExportFactsStore"/>): counted per month, linked to a case only until erasure.</summary>
    public const string ExportFactsTable = "CaseExportFacts";

    /// <summary>The case references' counters per prefix and year, and which case got which number (<see cref="Cases.CaseReferenceStore"/>).</summary>
    public const string ReferencesTable = "CaseReferences";

    /// <summary>The coordinators signed in with Entra: object id, organisation and display name (<see cref="Access.WorkerDirectory"/>).</summary>
    public const string WorkersTable = "Workers";

    /// <summary>The keyed hashes of each case's alias and contact, never the values (<see cref="PersonHints.PersonHintStore"/>).</summary>
    public const string PersonHintsTable = "PersonHints";

    /// <summary>The person hints' key, wrapped by the master key (<see cref="PersonHints.PersonHintKey"/>).</summary>
    public const string PersonHintKeysTable = "PersonHintKeys";

    /// <summary>Which reports are of one person: one row per direct link and direction, case ids and anonymous facts only (<see cref="Persons.PersonLinkStore"/>).</summary>
    public const string PersonLinksTable = "PersonLinks";

    public const string DocumentsContainer = "case-documents";
    public const string DigestsContainer = "digests";

    static readonly string[] AllTables =
    [
        CasesTable, OpenCasesTable, DataKeysTable, SecretsTable, TimelineTable, RemindersTable,
        AccessLogTable, IdempotencyTable, OutreachTable, DigestsTable,
        StatisticsTable, JobRunsTable, ReferralsTable, ExportFactsTable, InboxTable, UrgentPushesTable, ReferencesTable, WorkersTable,
        PersonHintsTable, PersonHintKeysTable, PersonLinksTable,
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
