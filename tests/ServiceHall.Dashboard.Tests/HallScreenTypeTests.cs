using ServiceHall.Dashboard.Charts;

namespace ServiceHall.Dashboard.Tests;

public sealed class HallScreenTypeTests
{
    [Theory]
    [InlineData(1920, 1080, false, 32)] // read at 5 m on a 65-inch wall
    [InlineData(3840, 2160, false, 64)] // the same wall at twice the pixels
    [InlineData(1920, 1200, false, 32)] // a taller screen is bound by its width
    [InlineData(390, 844, false, 16)] // a phone: never under 16 px
    [InlineData(390, 844, true, 20)] // 长辈版 read close: 1.25 ×
    [InlineData(1280, 720, true, 27)]
    [InlineData(1920, 1080, true, 32)] // 长辈版 on a wall: the 5-m size already serves every reader
    [InlineData(3840, 2160, true, 64)]
    public void LabelSize_ScalesWithTheScreen_AndIsReadableFromAfarOnAWall(int width, int height, bool large, double expected)
    {
        Assert.Equal(expected, HallScreenType.LabelSize(width, height, large));
    }
}
