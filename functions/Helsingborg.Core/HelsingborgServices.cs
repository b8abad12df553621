using Azure.Storage.Queues;
using Helsingborg.Access;
using Helsingborg.Cases;
using Helsingborg.DataProtection;
using Helsingborg.Health;
using Helsingborg.Http;
using Helsingborg.Intake;
using Helsingborg.Lifecycle;
using Helsingborg.Partners;
using Helsingborg.Reminders;
using Helsingborg.Storage;
using Helsingborg.Timeline;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helsingborg;

/// <summary>The services both hosts register: stores, vault, handlers and activities, all singletons.</summary>
public static class HelsingborgServices
{
    /// <summary>
    /// Registers the app. The city profile (<see cref="CityProfiles"/>) is read and validated here, so an invalid
    /// profile stops either host at start-up with <see cref="InvalidCityProfileException"/> naming the settings.
    /// </summary>
    public static IServiceCollection AddHelsingborg(this IServiceCollection services, IConfiguration configuration)
    {
        IConfiguration layered = CityProfiles.Layered(configuration);
        CityProfile profile = CityProfiles.Read(layered);
        IReadOnlyList<ApiKeyOptions> keys = CityProfiles.UsableKeys(profile, CallerResolver.ReadKeys(configuration), out IReadOnlyList<string> ignoredKeys);
        services.AddSingleton(profile);
        services.AddHostedService(sp => new CityProfileReport(profile, ignoredKeys, sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<CityProfileReport>>()));
        services.AddOptions<CasePolicy>().Bind(layered.GetSection(CasePolicy.SectionName));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection("Auth"));
        services.AddSingleton(TimeProvider.System);
        AddStorageClients(services, configuration);
        services.AddSingleton<CaseStorage>();
        services.AddSingleton(_ => DataKeyWrapping.FromConfiguration(configuration));
        services.AddSingleton(sp => new CallerResolver(keys, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>(), profile));
        services.AddSingleton(sp => new WorkerDirectory(keys, sp.GetRequiredService<CaseStorage>()));
        services.AddSingleton<WorkersHandler>();
        services.AddSingleton<CaseVault>();
        services.AddSingleton<PersonHints.PersonHintKey>();
        services.AddSingleton<PersonHints.PersonHintStore>();
        services.AddSingleton<PersonHints.PossiblySamePersonHandler>();
        services.AddSingleton<AccessLog>();
        services.AddSingleton<CaseProjectionStore>();
        services.AddSingleton<TimelineStore>();
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<Referrals.ReferralStore>();
        services.AddSingleton<Referrals.ReferralsHandler>();
        services.AddSingleton<Referrals.ReferralsPage>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<CaseReferenceStore>();
        services.AddSingleton<Persons.PersonLinkStore>();
        services.AddSingleton<ApplyCaseStep>();
        services.AddSingleton<ReadCaseInbox>();
        services.AddSingleton<CaseInbox>();
        services.AddSingleton<CaseAdminHandler>();
        services.AddSingleton<InboxRedeliveryJob>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("RateLimits"));
        services.AddSingleton<RateLimits>();
        services.AddSingleton<ApiDispatcher>();
        services.AddSingleton<HealthHandler>();
        services.AddOptions<ReadinessOptions>().Bind(configuration.GetSection("Readiness"));
        services.AddSingleton(sp => new TaskHubProbe(sp.GetRequiredService<QueueServiceClient>(), TaskHubProbe.HubName(configuration)));
        services.AddSingleton<JobRuns>();
        services.AddHostedService<JobRuns.Watch>();
        services.AddSingleton<ReadinessHandler>();
        services.AddHostedService<ReadinessMonitor>();
        services.AddSingleton<IntakeHandler>();
        services.AddSingleton<CaseReadHandler>();
        services.AddSingleton<CaseEventsHandler>();
        services.AddSingleton<PoliceInformedHandler>();
        services.AddSingleton<RemindersHandler>();
        services.AddSingleton<IntakePage>();
        services.AddSingleton<Outreach.OutreachPage>();
        services.AddOptions<Statistics.StatisticsOptions>().Bind(configuration.GetSection("Statistics"));
        services.AddOptions<Outreach.OutreachOptions>().Bind(layered.GetSection("Outreach"));
        services.AddOptions<Retention.RetentionOptions>().Bind(configuration.GetSection("Retention"));
        services.AddSingleton<Statistics.StatisticsStore>();
        services.AddSingleton<Statistics.StatisticsHandler>();
        services.AddOptions<Exports.ExportOptions>().Bind(configuration.GetSection(Exports.ExportOptions.SectionName))
            .Validate(o => o.MinGroupSize >= Exports.SmallGroups.MinimumGroupSize, $"{Exports.ExportOptions.SectionName}:MinGroupSize must be at least {Exports.SmallGroups.MinimumGroupSize}.")
            .ValidateOnStart();
        services.AddSingleton<Exports.ExportFactsStore>();
        services.AddSingleton<Exports.NationalExportHandler>();
        services.AddSingleton<Outreach.OutreachSessionStore>();
        services.AddSingleton<Outreach.OutreachHandler>();
        services.AddSingleton<Outreach.OutreachReminderJob>();
        services.AddSingleton<Retention.RetentionSweep>();
        services.AddSingleton<Retention.RetentionHandler>();
        services.AddSingleton<CaseListHandler>();
        services.AddSingleton<Documents.DocumentStore>();
        services.AddSingleton<Documents.DocumentsHandler>();
        services.AddSingleton<AccessLogHandler>();
        services.AddSingleton<DataKeyRewrap>();
        services.AddSingleton<DataKeyRewrapHandler>();
        services.AddSingleton<Web.DashboardPage>();
        services.AddSingleton<Web.AccessibilityStatementPage>();
        services.AddSingleton<WebhookSender>();
        WebhookSender.AddClient(services, configuration);
        services.AddSingleton<DailyDigestJob>();
        services.AddSingleton<UrgentPushOutbox>();
        services.AddSingleton<UrgentPushJob>();
        return services;
    }

    /// <summary>
    /// The storage clients, registered with Microsoft.Extensions.Azure. The app's tables and blobs: locally a
    /// connection string (<c>CaseStorage</c>, else <c>AzureWebJobsStorage</c>; <c>UseDevelopmentStorage=true</c> means
    /// Azurite). In Azure no key exists: <c>CaseStorage__tableServiceUri</c> and <c>__blobServiceUri</c> with
    /// <c>__credential</c> <c>managedidentity</c> and the identity's <c>__clientId</c>, the shape of the runtime's own
    /// identity-based <c>AzureWebJobsStorage__*</c> (infra/modules/functionapp.bicep). The queues are the task hub's, in
    /// the runtime's storage (<c>AzureWebJobsStorage__queueServiceUri</c> in Azure, the same connection string
    /// locally), read by <see cref="TaskHubProbe"/>.
    /// </summary>
    static void AddStorageClients(IServiceCollection services, IConfiguration configuration)
    {
        // Microsoft.Extensions.Azure forwards the SDK's own event sources to the log, down to every request; only their
        // warnings and errors are kept (no request lines for every table call in either host's log and telemetry).
        services.AddLogging(logging =>
        {
            foreach (string sdk in (string[])["Azure.Core", "Azure.Identity", "Azure.Data", "Azure.Storage"])
            {
                logging.AddFilter(sdk, LogLevel.Warning);
            }
        });
        IConfigurationSection own = configuration.GetSection("CaseStorage");
        IConfigurationSection runtime = configuration.GetSection("AzureWebJobsStorage");
        services.AddAzureClients(clients =>
        {
            if (string.IsNullOrWhiteSpace(own.Value) && own["tableServiceUri"] is { Length: > 0 } tableUri && own["blobServiceUri"] is { Length: > 0 } blobUri)
            {
                clients.AddTableServiceClient(new Uri(tableUri)).WithCredential(sp => Credential(sp, own));
                clients.AddBlobServiceClient(new Uri(blobUri)).WithCredential(sp => Credential(sp, own));
            }
            else
            {
                string connection = CaseStorage.ConnectionString(configuration);
                clients.AddTableServiceClient(connection);
                clients.AddBlobServiceClient(connection);
            }

            // The probe tries once more at most: the next probe comes soon, and readiness must answer quickly.
            (string.IsNullOrWhiteSpace(runtime.Value) && runtime["queueServiceUri"] is { Length: > 0 } queueUri
                    ? clients.AddQueueServiceClient(new Uri(queueUri)).WithCredential(sp => Credential(sp, runtime))
                    : clients.AddQueueServiceClient(CaseStorage.ConnectionString(configuration)))
                .ConfigureOptions(options => options.Retry.MaxRetries = 1);
            clients.ConfigureDefaults(Bounded);
        });
    }

    /// <summary>
    /// The identity a section names (<c>credential</c> <c>managedidentity</c> with <c>clientId</c>), read the way
    /// Microsoft.Extensions.Azure reads it; a section that names none gets <c>DefaultAzureCredential</c>.
    /// </summary>
    static Azure.Core.TokenCredential Credential(IServiceProvider services, IConfiguration section) =>
        services.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(section);

    /// <summary>
    /// The SDK's retries, bounded: by default one call may wait 100 s per attempt over four attempts, which would
    /// hold a request (and an activity) open through a whole storage outage. Here a call gives up after about 13 s at
    /// worst (4 s per attempt, three attempts); a request gives up sooner, at its deadline (<see cref="ApiDispatcher.Deadline"/>),
    /// and answers 503. Storage within reach answers in milliseconds, so the 4 s are a hang, not a slow answer.
    /// </summary>
    static void Bounded(Azure.Core.ClientOptions options)
    {
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = Azure.Core.RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(4);
    }
}
