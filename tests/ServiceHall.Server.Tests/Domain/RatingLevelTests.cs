using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class RatingLevelTests
{
    [Theory]
    [InlineData(RatingLevel.VerySatisfied, "非常满意", 1, 5, false)]
    [InlineData(RatingLevel.Satisfied, "满意", 2, 4, false)]
    [InlineData(RatingLevel.BasicallySatisfied, "基本满意", 3, 3, false)]
    [InlineData(RatingLevel.Dissatisfied, "不满意", 4, 2, true)]
    [InlineData(RatingLevel.VeryDissatisfied, "非常不满意", 5, 1, true)]
    public void Level_LabelsAndBothNationalCodings_AreExact(
        RatingLevel level, string label, int gbtCode, int provincialCode, bool isBad)
    {
        Assert.Equal(label, level.Label());
        Assert.Equal(gbtCode, level.ToGbt39046Code());
        Assert.Equal(provincialCode, level.ToProvincialCode());
        Assert.Equal(isBad, level.IsBad());
        Assert.Equal(level, RatingLevels.FromGbt39046Code(gbtCode));
        Assert.Equal(level, RatingLevels.FromProvincialCode(provincialCode));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void FromCode_OutOfRange_Throws(int code)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RatingLevels.FromGbt39046Code(code));
        Assert.Throws<ArgumentOutOfRangeException>(() => RatingLevels.FromProvincialCode(code));
    }
}
