using Helsingborg.Cases;

namespace Helsingborg.Tests.Intake;

/// <summary>How a case reference is written and read, and which year an intake is numbered in.</summary>
[Trait("Category", "Unit")]
public sealed class CaseReferenceFormatTests
{
    [Theory]
    [InlineData(42, "HBG-2026-0042")]
    [InlineData(9999, "HBG-2026-9999")]
    [InlineData(12345, "HBG-2026-12345")]
    public void A_reference_has_at_least_four_digits_and_more_when_needed(long number, string written)
    {
        var reference = new CaseReference("HBG", 2026, number);

        Assert.Equal(written, reference.ToString());
        Assert.True(CaseReference.TryParse(written, out CaseReference read));
        Assert.Equal(reference, read);
    }

    [Fact]
    public void A_reference_is_read_with_small_letters_as_written_with_capitals()
    {
        Assert.True(CaseReference.TryParse("hbg-2026-0042", out CaseReference read));
        Assert.Equal(new CaseReference("HBG", 2026, 42), read);
    }

    [Theory]
    [InlineData("HBG-2026-42")]
    [InlineData("HBG-2026-00042")]
    [InlineData("HBG-2026-0000")]
    [InlineData("HBG-26-0042")]
    [InlineData("H-2026-0042")]
    [InlineData("HBG 2026 0042")]
    [InlineData("c_8pq92qrjqg1atjh47ph7h9kfam")]
    [InlineData("")]
    public void Anything_but_a_written_reference_is_not_one(string text) =>
        Assert.False(CaseReference.TryParse(text, out _));

    [Fact]
    public void The_year_is_the_intakes_year_in_swedish_time()
    {
        // 23:30 UTC on New Year's Eve is already 00:30 in Sweden (CET, UTC+1).
        Assert.Equal(2027, CaseReference.YearOf(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero)));
        Assert.Equal(2026, CaseReference.YearOf(new DateTimeOffset(2026, 12, 31, 22, 59, 0, TimeSpan.Zero)));
    }
}
