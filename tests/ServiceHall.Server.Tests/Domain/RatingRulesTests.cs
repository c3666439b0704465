using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public class RatingRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DistrictCatalog Catalog = TestCatalog.Create();

    private static RatingSubmission Valid(RatingLevel level = RatingLevel.VerySatisfied) => new(
        RatingId: Guid.CreateVersion7().ToString(),
        TransactionNumber: "",
        HallCode: TestCatalog.HallCode,
        WindowCode: "A01",
        ServiceItemCode: "",
        StaffId: "",
        Channel: RatingChannel.HallTerminal,
        Level: level,
        ReasonTagCodes: [],
        ReasonTagListVersion: "",
        Text: "",
        RatedAt: Now.AddSeconds(-3),
        CallbackPhone: "",
        DeviceId: "kiosk-01");

    private static (Rating? Rating, RatingRejection? Rejection) Check(RatingSubmission s) =>
        RatingRules.Check(s, Catalog, new RatingLimits(), Now);

    [Fact]
    public void Check_GoodRatingOfAWindow_AcceptedAndRoutedToTheWindowsDepartment()
    {
        var (rating, rejection) = Check(Valid() with { StaffId = "S01" });

        Assert.Null(rejection);
        Assert.NotNull(rating);
        Assert.Equal("RSJ", rating.DepartmentCode);
        Assert.Equal("370104", rating.RegionCode);
        Assert.Equal(RatingLevel.VerySatisfied, rating.Level);
        Assert.False(rating.IsRealName);
        Assert.Equal(Now, rating.ReceivedAt);
    }

    [Fact]
    public void Check_ItemRatedAtTheGeneralWindow_RoutedToTheItemsDepartment()
    {
        var (rating, _) = Check(Valid() with { WindowCode = "A03", ServiceItemCode = "ITEM-YB" });

        Assert.Equal("YBJ", rating!.DepartmentCode);
    }

    [Fact]
    public void Check_BadRatingWithATag_Accepted()
    {
        var (rating, rejection) = Check(Valid(RatingLevel.VeryDissatisfied) with { ReasonTagCodes = ["SLOW"], ReasonTagListVersion = "T1" });

        Assert.Null(rejection);
        Assert.True(rating!.IsBad);
        Assert.Equal("T1", rating.ReasonTagListVersion);
    }

    [Fact]
    public void Check_BadRatingWithOnlyText_Accepted()
    {
        var (rating, _) = Check(Valid(RatingLevel.Dissatisfied) with { Text = "  等了一个小时  " });

        Assert.Equal("等了一个小时", rating!.Text);
    }

    [Fact]
    public void Check_RealNameRating_KeepsThePhoneForTheCallback()
    {
        var (rating, _) = Check(Valid(RatingLevel.Dissatisfied) with { Text = "材料被退回三次", CallbackPhone = "13812341234" });

        Assert.True(rating!.IsRealName);
        Assert.Equal("13812341234", rating.CallbackPhone);
    }

    public static TheoryData<string, Func<RatingSubmission, RatingSubmission>> Invalid => new()
    {
        { "rating_id", s => s with { RatingId = "" } },
        { "rating_id", s => s with { RatingId = "not-a-uuid" } },
        { "rating_id", s => s with { RatingId = Guid.Empty.ToString() } },
        { "hall_code", s => s with { HallCode = "" } },
        { "hall_code", s => s with { HallCode = "NOPE" } },
        { "window_code", s => s with { WindowCode = "" } },
        { "window_code", s => s with { WindowCode = "Z99" } },
        { "service_item_code", s => s with { ServiceItemCode = "NOPE" } },
        { "staff_id", s => s with { StaffId = new string('s', 65) } },
        { "rated_at", s => s with { RatedAt = null, UnreadableField = "rated_at" } },
        { "channel", s => s with { Channel = null } },
        { "level", s => s with { Level = null } },
        { "reason_tag_codes", s => s with { Level = RatingLevel.Dissatisfied } },
        { "reason_tag_codes", s => s with { Level = RatingLevel.VeryDissatisfied, Text = "   " } },
        { "reason_tag_codes", s => s with { ReasonTagCodes = ["NOPE"], ReasonTagListVersion = "T1" } },
        { "reason_tag_codes", s => s with { ReasonTagCodes = ["SLOW"], ReasonTagListVersion = "T1" } },
        { "reason_tag_codes", s => s with { ReasonTagCodes = ["FAST", "FAST"], ReasonTagListVersion = "T1" } },
        { "reason_tag_list_version", s => s with { ReasonTagCodes = ["FAST"], ReasonTagListVersion = "T0" } },
        { "text", s => s with { Text = new string('慢', 501) } },
        { "rated_at", s => s with { RatedAt = null } },
        { "rated_at", s => s with { RatedAt = Now.AddMinutes(6) } },
        { "callback_phone", s => s with { CallbackPhone = "12345" } },
        { "callback_phone", s => s with { CallbackPhone = "0531-87654321" } },
        { "transaction_number", s => s with { TransactionNumber = new string('1', 65) } },
        { "device_id", s => s with { DeviceId = new string('k', 65) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Check_InvalidSubmission_RejectedWithTheFieldAtFault(string field, Func<RatingSubmission, RatingSubmission> spoil)
    {
        var (rating, rejection) = Check(spoil(Valid()));

        Assert.Null(rating);
        Assert.NotNull(rejection);
        Assert.Equal(field, rejection.Field);
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
    }

    [Theory]
    [InlineData("A01", "S02")]
    [InlineData("", "S99")]
    public void Check_StaffNotOnTodaysRoster_AcceptedAndMarkedForReview(string window, string staffId)
    {
        var (rating, rejection) = Check(Valid() with { WindowCode = window, ServiceItemCode = "ITEM-SB", StaffId = staffId });

        Assert.Null(rejection);
        Assert.True(rating!.StaffNotOnRoster);
        Assert.Equal(staffId, rating.StaffId);
    }

    [Fact]
    public void Check_StaffOnTheRoster_NotMarked()
    {
        Assert.False(Check(Valid() with { StaffId = "S01" }).Rating!.StaffNotOnRoster);
    }

    [Fact]
    public void Check_ClockAheadWithinTheAllowedSkew_Accepted()
    {
        var (rating, _) = Check(Valid() with { RatedAt = Now.AddMinutes(4) });

        Assert.NotNull(rating);
    }

    [Fact]
    public void Check_TextAtTheLimit_Accepted()
    {
        var (rating, _) = Check(Valid() with { Text = new string('好', 500) });

        Assert.NotNull(rating);
    }
}
