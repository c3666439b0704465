using ServiceHall.Dashboard.Components.Live;

namespace ServiceHall.Dashboard.Tests;

public class FigureFormatTests
{
    [Theory]
    [InlineData(92.3076923, "92.3%")]
    [InlineData(100.0, "100.0%")]
    [InlineData(0.04, "0.0%")]
    [InlineData(7.69, "7.7%")]
    public void Percent_Value_OneDecimalWithPercentSign(double percent, string expected) =>
        Assert.Equal(expected, FigureFormat.Percent(percent));

    [Fact]
    public void Percent_NoValue_Dash() => Assert.Equal("—", FigureFormat.Percent(null));

    [Fact]
    public void TimeOfDay_UtcInstant_ShownInHallZone()
    {
        var shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

        Assert.Equal("10:15:30", FigureFormat.TimeOfDay(TestFigures.AsOf, shanghai));
    }

    [Fact]
    public void Day_Date_ChineseWithWeekday() =>
        Assert.Equal("2026年3月9日 星期一", FigureFormat.Day(new DateOnly(2026, 3, 9)));
}
