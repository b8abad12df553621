using System.Globalization;

namespace Helsingborg.Tests.Foundation;

/// <summary>
/// Every time a person reads is Swedish wall-clock time written 2026-12-07 14:05: summer time starts at 01:00 UTC on
/// the last Sunday of March (02:00 becomes 03:00) and ends at 01:00 UTC on the last Sunday of October (03:00 becomes 02:00).
/// </summary>
[Trait("Category", "Unit")]
public sealed class LocalTimeTests
{
    static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("2026-12-07T13:05:00Z", "2026-12-07 14:05")]
    [InlineData("2026-03-29T00:59:00Z", "2026-03-29 01:59")]
    [InlineData("2026-03-29T01:00:00Z", "2026-03-29 03:00")]
    [InlineData("2026-07-01T10:00:00Z", "2026-07-01 12:00")]
    [InlineData("2026-10-25T00:30:00Z", "2026-10-25 02:30")]
    [InlineData("2026-10-25T00:59:00Z", "2026-10-25 02:59")]
    [InlineData("2026-10-25T01:00:00Z", "2026-10-25 02:00")]
    [InlineData("2026-10-25T01:30:00Z", "2026-10-25 02:30")]
    [InlineData("2027-03-28T01:00:00Z", "2027-03-28 03:00")]
    public void A_time_is_shown_on_the_Swedish_clock_across_the_summer_time_changes(string utc, string shown) =>
        Assert.Equal(shown, LocalTime.Format(Utc(utc)));

    [Fact]
    public void The_same_instant_with_any_offset_is_shown_alike_and_its_machine_form_stays_UTC()
    {
        DateTimeOffset utc = Utc("2026-10-25T01:30:00Z");
        DateTimeOffset elsewhere = utc.ToOffset(TimeSpan.FromHours(-5));

        Assert.Equal(LocalTime.Format(utc), LocalTime.Format(elsewhere));
        Assert.Equal("2026-10-25T01:30:00Z", LocalTime.Machine(elsewhere));
        Assert.Equal(TimeSpan.FromHours(1), LocalTime.InSweden(utc).Offset);
        Assert.Equal(TimeSpan.FromHours(2), LocalTime.InSweden(utc.AddHours(-1)).Offset);
    }

    [Theory]
    [InlineData("2026-12-07T22:59:00Z", "2026-12-07")]
    [InlineData("2026-12-07T23:00:00Z", "2026-12-08")]
    [InlineData("2026-06-30T21:59:00Z", "2026-06-30")]
    [InlineData("2026-06-30T22:00:00Z", "2026-07-01")]
    public void A_date_is_the_date_in_Sweden_not_in_UTC(string utc, string shown) =>
        Assert.Equal(shown, LocalTime.FormatDate(Utc(utc)));
}
