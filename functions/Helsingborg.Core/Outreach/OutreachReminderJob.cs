using System.Globalization;
using Helsingborg.Lifecycle;
using Helsingborg.Reminders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helsingborg.Outreach;

/// <summary>Configuration section <c>Outreach</c>.</summary>
public sealed class OutreachOptions
{
    /// <summary>The ISO weeks with a session: <c>even</c> (default) or <c>odd</c>.</summary>
    public string WeekParity { get; set; } = "even";
}

/// <summary>
/// The outreach reminder (api.md, scheduled functions): on Thursdays of the configured ISO week parity
/// it creates one <c>outreach-session</c> reminder for all coordinators (organisation null), due at 07:00
/// UTC that day. Running it again the same day finds the same reminder. Both hosts call
/// <see cref="RunAsync"/> on the schedule <see cref="Schedule"/>. Years with an ISO week 53 have two
/// odd weeks in a row; the work group then moves one session by hand.
/// </summary>
public sealed partial class OutreachReminderJob(ReminderStore reminders, IOptionsMonitor<OutreachOptions> options, ILogger<OutreachReminderJob> logger)
{
    public const string Name = "OutreachReminder";
    public const string Schedule = "0 0 7 * * Thu";

    /// <summary>Whether <paramref name="day"/> is a session day: a Thursday of the configured week parity.</summary>
    public static bool IsSessionDay(DateOnly day, string weekParity)
    {
        if (day.DayOfWeek != DayOfWeek.Thursday)
        {
            return false;
        }

        bool even = ISOWeek.GetWeekOfYear(day.ToDateTime(TimeOnly.MinValue)) % 2 == 0;
        return string.Equals(weekParity, "odd", StringComparison.OrdinalIgnoreCase) ? !even : even;
    }

    /// <summary>Creates the reminder when <paramref name="now"/> falls on a session day; true when this run created it.</summary>
    public async Task<bool> RunAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        DateOnly day = DateOnly.FromDateTime(now.UtcDateTime);
        if (!IsSessionDay(day, options.CurrentValue.WeekParity))
        {
            return false;
        }

        var dueAt = new DateTimeOffset(day.ToDateTime(new TimeOnly(7, 0)), TimeSpan.Zero);
        bool created = await reminders.CreateAsync(null, ReminderKind.OutreachSession, dueAt, organisation: null, escalated: false, cancellationToken);
        if (created)
        {
            LogCreated(logger, dueAt);
        }

        return created;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outreach session reminder created for {DueAt}")]
    static partial void LogCreated(ILogger logger, DateTimeOffset dueAt);
}
