using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

/// <summary>The shared level terms (frontend/Terms/SatisfactionLevel.cs) as the kiosk relies on them.</summary>
public class SatisfactionLevelTests
{
    [Fact]
    public void Numbers_AreTheGbt39046CodesTheOutboxAndButtonsUse()
    {
        // Queued ratings in the outbox and the buttons' data-testid="level-N" carry these numbers.
        Assert.Equal([1, 2, 3, 4, 5], SatisfactionLevels.All.Select(l => (int)l));
        Assert.Equal(["非常满意", "满意", "基本满意", "不满意", "非常不满意"], SatisfactionLevels.All.Select(l => l.Label()));
        Assert.Equal([false, false, false, true, true], SatisfactionLevels.All.Select(l => l.IsBadReview()));
    }

    [Fact]
    public void EveryLevel_RoundTripsThroughTheContractByName()
    {
        Assert.All(SatisfactionLevels.All, level =>
        {
            Assert.Equal(level.ToString(), level.ToProto().ToString());
            Assert.Equal(level, level.ToProto().ToSatisfactionLevel());
        });
    }

    [Theory]
    [InlineData(RatingLevel.Unspecified)]
    [InlineData((RatingLevel)6)]
    public void UnspecifiedOrUnknownContractLevel_IsNoLevel(RatingLevel level) => Assert.Null(level.ToSatisfactionLevel());
}
