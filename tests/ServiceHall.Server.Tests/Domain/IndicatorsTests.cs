using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class IndicatorsTests
{
    private static IndicatorValue Find(IReadOnlyList<IndicatorValue> values, string code) => values.Single(v => v.Code == code);

    [Fact]
    public void Compute_EmptyPeriod_ZeroCountAndEveryRateSampleTooSmall()
    {
        var values = Indicators.Compute(IndicatorCounts.Empty, minimumSample: 1);

        Assert.Equal(0, Find(values, Indicators.RatingCount).Numerator);
        Assert.Equal("0", Find(values, Indicators.RatingCount).Display);
        Assert.All(values.Where(v => v.Denominator is not null), v =>
        {
            Assert.True(v.InsufficientSample);
            Assert.Null(v.Percent);
            Assert.Equal("样本不足", v.Display);
        });
    }

    [Fact]
    public void Compute_HandCountedMonth_EveryFormulaMatches()
    {
        // 40 ratings: 20 非常满意, 10 满意, 4 基本满意, 4 不满意, 2 非常不满意; 38 of them active.
        // 50 transactions offered a rating, 10 ended 未评价. Of the 6 差评 (one more was appeal-upheld and is out):
        // 5 are due, 4 rectified, 3 in time; 4 real-name, 3 of them reached; 3 raters asked, 2 satisfied.
        var counts = new IndicatorCounts(new LevelCounts([20, 10, 4, 4, 2]), 38, 1, 50, 10, 5, 4, 3, 4, 3, 3, 2);

        var values = Indicators.Compute(counts, minimumSample: 1);

        Assert.Equal(40, Find(values, Indicators.RatingCount).Numerator);
        Assert.Equal(95.0, Find(values, Indicators.ActiveRate).Percent);
        Assert.Equal(85.0, Find(values, Indicators.GoodRate).Percent);
        Assert.Equal((34, 40), (Find(values, Indicators.GoodRate).Numerator, Find(values, Indicators.GoodRate).Denominator!.Value));
        Assert.Equal(15.0, Find(values, Indicators.BadRate).Percent);
        Assert.Equal(20.0, Find(values, Indicators.NotRatedRate).Percent);
        Assert.Equal(80.0, Find(values, Indicators.RectifiedRate).Percent);
        Assert.Equal(60.0, Find(values, Indicators.RectifiedInTimeRate).Percent);
        Assert.Equal(75.0, Find(values, Indicators.CallbackRate).Percent);
        Assert.Equal(66.7, Find(values, Indicators.FixSatisfactionRate).Percent);
        Assert.Equal("66.7%", Find(values, Indicators.FixSatisfactionRate).Display);
        Assert.Equal(1, Find(values, Indicators.AppealUpheldCount).Numerator);
    }

    [Fact]
    public void Compute_AllBadPeriod_GoodRateZeroBadRateHundred()
    {
        var counts = IndicatorCounts.Empty with { Levels = new LevelCounts([0, 0, 0, 3, 2]), ActiveRatings = 5 };

        var values = Indicators.Compute(counts, minimumSample: 1);

        Assert.Equal(0.0, Find(values, Indicators.GoodRate).Percent);
        Assert.Equal(100.0, Find(values, Indicators.BadRate).Percent);
    }

    [Fact]
    public void Compute_DenominatorBelowTheMinimum_SampleTooSmallButNumbersKept()
    {
        var counts = IndicatorCounts.Empty with { Levels = new LevelCounts([4, 0, 0, 0, 1]), ActiveRatings = 5, RealNameBad = 1, RealNameBadContacted = 1 };

        var values = Indicators.Compute(counts, minimumSample: 10);

        var good = Find(values, Indicators.GoodRate);
        Assert.True(good.InsufficientSample);
        Assert.Equal("样本不足", good.Display);
        Assert.Equal((4, 5), (good.Numerator, good.Denominator!.Value));
        Assert.Equal("5", Find(values, Indicators.RatingCount).Display);
    }

    [Fact]
    public void Compute_EveryRate_PublishesItsFormula()
    {
        var values = Indicators.Compute(IndicatorCounts.Empty, minimumSample: 0);

        Assert.Equal(10, values.Select(v => v.Code).Distinct().Count());
        Assert.All(values, v => Assert.StartsWith(v.Name + " = ", v.Formula, StringComparison.Ordinal));
    }
}
