using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>Each anti-fraud detector flags its pattern at its threshold and not below (docs/rules/ratings.md#anti-fraud).</summary>
public class FraudDetectorTests
{
    private static readonly FraudThresholds Defaults = new();
    private static readonly DateTimeOffset At = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private static RatingUnderScan Rating(
        RatingLevel level = RatingLevel.Satisfied, string? staffId = null, string? transaction = "BJ-1", string? textKey = null, string? phoneKey = null) =>
        new(Guid.CreateVersion7(), "370104-ZWZX", "A01", staffId, level, transaction, "kiosk-01", At, textKey, phoneKey);

    private static readonly RatingNeighbours Quiet = new(1, 1, 1, 1, WindowHasPad: false);

    private static IEnumerable<FraudPattern> Patterns(RatingUnderScan r, RatingNeighbours seen) =>
        FraudDetectors.Detect(r, seen, Defaults).Select(f => f.Pattern);

    [Fact]
    public void OrdinaryRating_NoFlag() => Assert.Empty(Patterns(Rating(), Quiet));

    [Fact]
    public void DeviceBurst_AtTheThreshold()
    {
        Assert.Empty(Patterns(Rating(), Quiet with { DeviceRecent = Defaults.BurstRatings - 1 }));
        var flag = Assert.Single(FraudDetectors.Detect(Rating(), Quiet with { DeviceRecent = Defaults.BurstRatings }, Defaults));
        Assert.Equal(FraudPattern.DeviceBurst, flag.Pattern);
        Assert.Contains("kiosk-01", flag.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedPhone_AtTheThreshold_NeverSaysTheNumber()
    {
        var phoneKey = FraudDetectors.PhoneKey("13812345678", [1, 2, 3]);
        Assert.Empty(Patterns(Rating(phoneKey: phoneKey), Quiet with { PhoneRecent = Defaults.PhoneRatings - 1 }));
        var flag = Assert.Single(FraudDetectors.Detect(Rating(phoneKey: phoneKey), Quiet with { PhoneRecent = Defaults.PhoneRatings }, Defaults));
        Assert.Equal(FraudPattern.RepeatedPhone, flag.Pattern);
        Assert.DoesNotContain("1381234", flag.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("5678", flag.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RepeatedText_AtTheThreshold()
    {
        var key = FraudDetectors.TextKey("窗口工作人员态度非常差", Defaults.TextMinLetters);
        Assert.Empty(Patterns(Rating(textKey: key), Quiet with { TextRecent = Defaults.TextRepeats - 1 }));
        Assert.Equal([FraudPattern.RepeatedText], Patterns(Rating(textKey: key), Quiet with { TextRecent = Defaults.TextRepeats }));
    }

    [Fact]
    public void StaffTargeted_OnlyFor差评NamingStaff()
    {
        var seen = Quiet with { StaffBadRecent = Defaults.StaffBadReviews };
        Assert.Equal([FraudPattern.StaffTargeted], Patterns(Rating(RatingLevel.VeryDissatisfied, staffId: "HY0101"), seen));
        Assert.Empty(Patterns(Rating(RatingLevel.Satisfied, staffId: "HY0101"), seen));
        Assert.Empty(Patterns(Rating(RatingLevel.VeryDissatisfied, staffId: null), seen));
        Assert.Empty(Patterns(Rating(RatingLevel.VeryDissatisfied, staffId: "HY0101"), Quiet with { StaffBadRecent = Defaults.StaffBadReviews - 1 }));
    }

    [Fact]
    public void NoTransactionAtPadWindow_OnlyWithoutATransactionWhereAPadStands()
    {
        var padded = Quiet with { WindowHasPad = true };
        Assert.Equal([FraudPattern.NoTransactionAtPadWindow], Patterns(Rating(transaction: null), padded));
        Assert.Empty(Patterns(Rating(transaction: "BJ-9"), padded));
        Assert.Empty(Patterns(Rating(transaction: null), Quiet));
    }

    [Theory]
    [InlineData("窗口工作人员态度非常差！！", "窗口 工作人员 态度 非常差")]
    [InlineData("窗口工作人员态度非常差", "窗口工作人员态度非常差。。。😡")]
    [InlineData("ＷＩＮＤＯＷ staff were rude", "window STAFF were rude!!!")]
    public void TextKey_NearIdenticalTexts_SameKey(string one, string other) =>
        Assert.Equal(FraudDetectors.TextKey(one, Defaults.TextMinLetters), FraudDetectors.TextKey(other, Defaults.TextMinLetters));

    [Fact]
    public void TextKey_DifferentOrShortTexts()
    {
        Assert.NotEqual(
            FraudDetectors.TextKey("窗口工作人员态度非常差", Defaults.TextMinLetters), FraudDetectors.TextKey("窗口工作人员态度非常好", Defaults.TextMinLetters));
        Assert.Null(FraudDetectors.TextKey("很好很好！", Defaults.TextMinLetters));
        Assert.Null(FraudDetectors.TextKey(null, Defaults.TextMinLetters));
    }

    [Fact]
    public void PhoneKey_SameNumberAnyFormat_SameKey_OtherSecretOtherKey()
    {
        byte[] secret = [7, 7, 7];
        Assert.Equal(FraudDetectors.PhoneKey("13812345678", secret), FraudDetectors.PhoneKey("138-1234 5678", secret));
        Assert.NotEqual(FraudDetectors.PhoneKey("13812345678", secret), FraudDetectors.PhoneKey("13812345679", secret));
        Assert.NotEqual(FraudDetectors.PhoneKey("13812345678", secret), FraudDetectors.PhoneKey("13812345678", [8, 8, 8]));
        Assert.DoesNotContain("13812345678", FraudDetectors.PhoneKey("13812345678", secret), StringComparison.Ordinal);
    }

    [Fact]
    public void Thresholds_OfOne_Refused() =>
        Assert.Throws<ArgumentException>(() => new FraudThresholds { BurstRatings = 1 }.Validate());
}
