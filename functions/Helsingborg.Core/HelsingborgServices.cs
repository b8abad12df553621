using Azure.Data.Tables;
using Azure.Storage.Blobs;
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
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
        services.AddSingleton(_ => CaseStorage.Create(configuration));
        services.AddSingleton(_ => DataKeyWrapping.FromConfiguration(configuration));
        services.AddSingleton(sp => new CallerResolver(keys, sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>(), profile));
        services.AddSingleton<CaseVault>();
        services.AddSingleton<AccessLog>();
        services.AddSingleton<CaseProjectionStore>();
        services.AddSingleton<TimelineStore>();
        services.AddSingleton<ReminderStore>();
        services.AddSingleton<Referrals.ReferralStore>();
        services.AddSingleton<Referrals.ReferralsHandler>();
        services.AddSingleton<Referrals.ReferralsPage>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<ApplyCaseStep>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection("RateLimits"));
        services.AddSingleton<RateLimits>();
        services.AddSingleton<ApiDispatcher>();
        services.AddSingleton<HealthHandler>();
        services.AddOptions<ReadinessOptions>().Bind(configuration.GetSection("Readiness"));
        services.AddSingleton(_ => TaskHubProbe.Create(configuration));
        services.AddSingleton<JobRuns>();
        services.AddHostedService<JobRuns.Watch>();
        services.AddSingleton<ReadinessHandler>();
        services.AddHostedService<ReadinessMonitor>();
        services.AddSingleton<IntakeHandler>();
        services.AddSingleton<CaseReadHandler>();
        services.AddSingleton<CaseEventsHandler>();
        services.AddSingleton<RemindersHandler>();
        services.AddSingleton<IntakePage>();
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
        services.AddSingleton<DailyDigestJob>();
        DailyDigestJob.AddWebhookClient(services, configuration);
        return services;
    }
}
