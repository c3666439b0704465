using ServiceHall.Dashboard.Services;

namespace ServiceHall.Dashboard.Tests;

public class LiveFiguresMappingTests
{
    [Fact]
    public void ToHallFigures_FiveLevelCounts_KeepsOrderAndExactLabels()
    {
        var figures = TestFigures.Message([5, 4, 3, 2, 1]).ToHallFigures();

        Assert.Equal(["非常满意", "满意", "基本满意", "不满意", "非常不满意"], figures.Levels.Select(l => l.Label));
        Assert.Equal([5, 4, 3, 2, 1], figures.Levels.Select(l => l.Count));
        Assert.Equal([false, false, false, true, true], figures.Levels.Select(l => l.Level.IsBadReview()));
    }

    [Fact]
    public void ToHallFigures_HourlyCounts_Has24HoursInOrder()
    {
        var message = TestFigures.Message([1, 0, 0, 0, 0]);
        message.HourlyCounts.Clear();
        message.HourlyCounts.AddRange(Enumerable.Range(0, 24).Select(hour => hour * 10));

        var figures = message.ToHallFigures();

        Assert.Equal(24, figures.HourlyCounts.Count);
        Assert.Equal(0, figures.HourlyCounts[0]);
        Assert.Equal(90, figures.HourlyCounts[9]);
        Assert.Equal(230, figures.HourlyCounts[23]);
    }

    [Fact]
    public void ToHallFigures_ShortLists_PadsWithZerosSoTheScreenKeepsItsShape()
    {
        var message = TestFigures.Message([1, 2, 0, 0, 0]);
        message.LevelCounts.Clear();
        message.LevelCounts.AddRange([1, 2]);
        message.HourlyCounts.Clear();
        message.HourlyCounts.Add(7);

        var figures = message.ToHallFigures();

        Assert.Equal([1, 2, 0, 0, 0], figures.Levels.Select(l => l.Count));
        Assert.Equal(24, figures.HourlyCounts.Count);
        Assert.Equal(7, figures.HourlyCounts[0]);
        Assert.All(figures.HourlyCounts.Skip(1), count => Assert.Equal(0, count));
    }

    [Fact]
    public void ToHallFigures_Departments_KeepsServerRankingAndRates()
    {
        var figures = TestFigures.Typical().ToHallFigures();

        Assert.Equal(["区人力资源社会保障局", "区行政审批服务局", "区医保局"], figures.Departments.Select(d => d.DepartmentName));
        var first = figures.Departments[0];
        Assert.Equal(("RSJ", 8, 7, 1), (first.DepartmentCode, first.RatingCount, first.GoodCount, first.BadCount));
        Assert.Equal(87.5, first.GoodRate);
        Assert.Null(figures.Departments[2].GoodRate); // no ratings: no rate, not 0 %
    }

    [Fact]
    public void ToHallFigures_Headline_CopiesCountsRatesDayAndTime()
    {
        var figures = TestFigures.Typical().ToHallFigures();

        Assert.Equal("370104-ZWZX", figures.HallCode);
        Assert.Equal("槐荫区政务服务中心", figures.HallName);
        Assert.Equal((13, 12, 1), (figures.RatingCount, figures.GoodCount, figures.BadCount));
        Assert.Equal(100.0 * 12 / 13, figures.GoodRate!.Value, precision: 9);
        Assert.Equal(100.0 * 1 / 13, figures.BadRate!.Value, precision: 9);
        Assert.Equal(new DateOnly(2026, 3, 9), figures.Day);
        Assert.Equal(TestFigures.AsOf, figures.AsOf);
    }

    [Fact]
    public void ToHallFigures_NoRatings_RatesAreAbsentNotZero()
    {
        var figures = TestFigures.Empty().ToHallFigures();

        Assert.Equal(0, figures.RatingCount);
        Assert.Null(figures.GoodRate);
        Assert.Null(figures.BadRate);
    }

    [Fact]
    public void ToHallFigures_MalformedDay_LeavesDayEmpty()
    {
        var message = TestFigures.Typical();
        message.Day = "09/03/2026";

        Assert.Null(message.ToHallFigures().Day);
    }
}
