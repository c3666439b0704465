using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class DayFiguresTests
{
    private static readonly DistrictCatalog Catalog = TestCatalog.Create();
    private static readonly Hall Hall = Catalog.FindHall(TestCatalog.HallCode)!;
    private static readonly DateTimeOffset AsOf = new(2026, 11, 27, 15, 0, 0, TimeSpan.FromHours(8));

    private static DayFigures Build(params RatingCountRow[] rows) =>
        DayFigures.Build(Hall, Catalog.DepartmentsOf(Hall), DateOnly.FromDateTime(AsOf.DateTime), AsOf, rows);

    [Fact]
    public void Build_NoRatings_ZeroCountsAndZeroRatesAndEveryDepartmentListed()
    {
        var figures = Build();

        Assert.Equal(0, figures.Counts.Total);
        Assert.Equal(0, figures.Counts.GoodRate);
        Assert.Equal(0, figures.Counts.BadRate);
        Assert.Equal(24, figures.HourlyCounts.Count);
        Assert.All(figures.HourlyCounts, h => Assert.Equal(0, h));
        Assert.Equal(["RSJ", "YBJ"], figures.Departments.Select(d => d.Department.Code));
    }

    [Fact]
    public void Build_MixedRatings_CountsGoodBadRatesHoursAndRanksDepartments()
    {
        var figures = Build(
            new RatingCountRow("RSJ", RatingLevel.VerySatisfied, 9, 3),
            new RatingCountRow("RSJ", RatingLevel.BasicallySatisfied, 10, 1),
            new RatingCountRow("YBJ", RatingLevel.Satisfied, 10, 2),
            new RatingCountRow("YBJ", RatingLevel.Dissatisfied, 14, 1),
            new RatingCountRow("YBJ", RatingLevel.VeryDissatisfied, 14, 2));

        Assert.Equal(9, figures.Counts.Total);
        Assert.Equal(6, figures.Counts.Good);
        Assert.Equal(3, figures.Counts.Bad);
        Assert.Equal(66.7, figures.Counts.GoodRate);
        Assert.Equal(33.3, figures.Counts.BadRate);
        Assert.Equal([3, 2, 1, 1, 2], figures.Counts.ByLevel);
        Assert.Equal(3, figures.HourlyCounts[9]);
        Assert.Equal(3, figures.HourlyCounts[10]);
        Assert.Equal(3, figures.HourlyCounts[14]);
        // 医保局 has 5 ratings, 人社局 4: the larger comes first.
        Assert.Equal(["YBJ", "RSJ"], figures.Departments.Select(d => d.Department.Code));
        Assert.Equal(40.0, figures.Departments[0].Counts.GoodRate);
        Assert.Equal(100.0, figures.Departments[1].Counts.GoodRate);
    }

    [Fact]
    public void Build_AllBad_GoodRateZeroBadRateHundred()
    {
        var figures = Build(new RatingCountRow("RSJ", RatingLevel.Dissatisfied, 8, 4));

        Assert.Equal(0, figures.Counts.GoodRate);
        Assert.Equal(100, figures.Counts.BadRate);
    }
}
