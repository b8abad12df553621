using System.Collections.Concurrent;
using Helsingborg.LocalHost;
using Helsingborg.Outreach;
using Helsingborg.Reminders;
using Helsingborg.Retention;
using Helsingborg.Scheduling;
using Helsingborg.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NCrontab;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// The local host's timers read the Functions triggers' own expressions with NCrontab (six fields, with seconds) and
/// run them in UTC, as the Functions host does in Azure, whatever the machine's time zone.
/// </summary>
[Trait("Category", "Unit")]
public sealed class TimerScheduleTests
{
    static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2030-01-01T05:59:59Z", "2030-01-01T06:00:00Z")]
    [InlineData("2030-01-01T06:00:00Z", "2030-01-02T06:00:00Z")]
    [InlineData("2030-01-01T23:00:00Z", "2030-01-02T06:00:00Z")]
    [InlineData("2030-12-31T07:00:00+02:00", "2030-12-31T06:00:00Z")]
    public void The_next_digest_is_the_next_six_oclock_utc(string now, string expected)
    {
        DateTimeOffset next = TimerSchedule.Parse(DailyDigestJob.Schedule).Next(At(now));

        Assert.Equal(At(expected), next);
        Assert.Equal(TimeSpan.Zero, next.Offset);
    }

    [Fact]
    public void The_local_scheduler_finds_the_next_thursday_at_seven_and_the_next_half_past_two()
    {
        CrontabSchedule thursday = TimerSchedule.Parse(OutreachReminderJob.Schedule);
        Assert.Equal(At("2026-11-26T07:00:00Z"), thursday.Next(At("2026-11-20T09:00:00Z")));
        Assert.Equal(At("2026-12-03T07:00:00Z"), thursday.Next(At("2026-11-26T07:00:00Z")));
        CrontabSchedule daily = TimerSchedule.Parse(RetentionSweep.Schedule);
        Assert.Equal(At("2026-11-21T02:30:00Z"), daily.Next(At("2026-11-20T02:30:00Z")));
        Assert.Equal(At("2026-11-20T02:30:00Z"), daily.Next(At("2026-11-20T01:00:00Z")));
    }

    [Theory]
    [InlineData("0 0 7 * * Thu", "2026-03-11T12:00:00Z", "2026-03-05T07:00:00Z")]
    [InlineData("0 0 7 * * Thu", "2026-03-12T07:00:00Z", "2026-03-12T07:00:00Z")]
    [InlineData("0 0 6 * * *", "2026-03-10T05:59:59Z", "2026-03-09T06:00:00Z")]
    [InlineData("0 */5 * * * *", "2026-03-10T05:59:59Z", "2026-03-10T05:55:00Z")]
    [InlineData("0 0 0 29 2 *", "2026-03-10T00:00:00Z", "2024-02-29T00:00:00Z")]
    public void The_last_occurrence_is_found_at_or_before_a_time(string cron, string at, string expected)
    {
        Assert.Equal(At(expected), TimerSchedule.Parse(cron).Previous(At(at)));
    }

    [Theory]
    [InlineData("0 0 6 * *")]       // five fields: the Functions host takes six
    [InlineData("0 0 25 * * *")]    // no such hour
    [InlineData("every day at six")]
    public void An_expression_the_functions_host_would_refuse_is_refused(string cron)
    {
        Assert.Throws<CrontabException>(() => TimerSchedule.Parse(cron));
    }

    [Fact]
    public void The_local_host_runs_each_job_on_the_functions_schedule()
    {
        Assert.Contains((DailyDigestJob.Name, DailyDigestJob.Schedule), LocalJobs.Schedules);
        Assert.All(LocalJobs.Schedules, job => TimerSchedule.Parse(job.Cron));
    }

    [Fact]
    public async Task A_local_job_runs_at_its_occurrences_in_utc_on_the_injected_clock_whatever_the_local_time_zone()
    {
        var time = new FakeTimeProvider(At("2030-01-01T05:59:00Z"));
        time.SetLocalTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm"));
        var runs = new ConcurrentQueue<DateTimeOffset>();
        using var job = new ScheduledJob(DailyDigestJob.Name, DailyDigestJob.Schedule, time, NullLogger<ScheduledJob>.Instance, (at, _) =>
        {
            runs.Enqueue(at);
            return Task.CompletedTask;
        });
        await job.StartAsync(CancellationToken.None);
        try
        {
            await Poll.UntilAsync(() =>
            {
                time.Advance(TimeSpan.FromHours(6));
                return Task.FromResult(runs.Count >= 3);
            }, TimeSpan.FromSeconds(30), "three runs of the job");
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }

        DateTimeOffset[] seen = [.. runs];
        Assert.All(seen, at => Assert.Equal((TimeSpan.Zero, new TimeSpan(6, 0, 0)), (at.Offset, at.TimeOfDay)));
        Assert.Equal(seen.Distinct().Order(), seen);
        Assert.All(seen, at => Assert.True(at <= time.GetUtcNow()));
    }
}
