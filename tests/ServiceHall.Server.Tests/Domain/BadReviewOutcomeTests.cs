using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.CaseTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>What a disclosure's row says became of a 差评: disposition, day rectified, working days, on time, callback, verdict.</summary>
public sealed class BadReviewOutcomeTests
{
    private static DateTimeOffset Local(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, Beijing);

    // Received Monday 2026-03-02 10:00: contact due end of 03-03, rectification end of 03-09.
    private static BadReviewCase Contacted(bool realName)
    {
        var rating = new Rating(
            Guid.CreateVersion7(), null, TestCatalog.HallCode, "370104", "A01", "ITEM-SB", "RSJ", "S01", RatingChannel.HallTerminal,
            RatingLevel.Dissatisfied, ["SLOW"], "T1", "等了一个小时", MondayMorning.AddSeconds(-2), MondayMorning, realName ? "13812341234" : null,
            "kiosk-01");
        var c = BadReviewCase.Open(Guid.CreateVersion7(), rating, Limits);
        c.Assign(Manager, "RSJ", "h1", null, MondayMorning.AddMinutes(10));
        if (realName)
        {
            c.RecordCallback(Handler, CallOutcome.Reached, "属实", null, MondayMorning.AddMinutes(30));
        }
        else
        {
            c.SkipCallbackAnonymous(Handler, MondayMorning.AddMinutes(30));
        }

        return c;
    }

    [Fact]
    public void Of_FixedTheSameDay_NoWorkingDays_OnTime_Anonymous()
    {
        var c = Contacted(realName: false);
        c.FixAtOnce(Handler, "当场补办", null, MondayMorning.AddHours(1));
        c.GiveFeedback(Handler, "已告知", null, MondayMorning.AddHours(2), "当场补办，已更新告知单");

        var outcome = BadReviewOutcome.Of(c, Limits.Calendar);

        Assert.Equal(
            new BadReviewOutcome("立行立改", "当场补办，已更新告知单", new DateOnly(2026, 3, 2), 0, true, "匿名", "匿名，未征询"), outcome);
    }

    [Fact]
    public void Of_FeedbackTheDayAfterTheDeadline_SixWorkingDays_Late_CalledBackAndSatisfied()
    {
        var c = Contacted(realName: true);
        c.Explain(Handler, "《条例》第十条", "依法须本人到场", Local(3, 3, 9));
        c.GiveFeedback(Handler, "已解释", null, Local(3, 10, 9));
        c.RecordSatisfaction(Handler, RaterSatisfaction.BasicallySatisfied, null, Limits, Local(3, 10, 10));

        var outcome = BadReviewOutcome.Of(c, Limits.Calendar);

        Assert.Equal(new BadReviewOutcome("解释说明", null, new DateOnly(2026, 3, 10), 6, false, "是", "基本满意"), outcome);
    }

    [Fact]
    public void Of_LateFeedbackOnADayOff_CountsOnTheNextWorkingDay()
    {
        var c = Contacted(realName: false);
        c.FixAtOnce(Handler, "补办", null, Local(3, 3, 9));
        // Saturday 03-14, after the deadline of 03-09: counted on Monday 03-16, the 10th working day after receipt.
        c.GiveFeedback(Handler, "已反馈", null, Local(3, 14, 9));

        var outcome = BadReviewOutcome.Of(c, Limits.Calendar);

        Assert.Equal((new DateOnly(2026, 3, 14), 10, false), (outcome.RectifiedOn!.Value, outcome.WorkingDaysTaken!.Value, outcome.OnTime!.Value));
    }

    [Fact]
    public void Of_NotYetDisposed_NothingRectified_RealNameNotYetReached()
    {
        var rating = new Rating(
            Guid.CreateVersion7(), null, TestCatalog.HallCode, "370104", "A01", "ITEM-SB", "RSJ", "S01", RatingChannel.HallTerminal,
            RatingLevel.Dissatisfied, ["SLOW"], "T1", null, MondayMorning, MondayMorning, "13812341234", "kiosk-01");

        var outcome = BadReviewOutcome.Of(BadReviewCase.Open(Guid.CreateVersion7(), rating, Limits), Limits.Calendar);

        Assert.Equal(new BadReviewOutcome("处理中", null, null, null, null, "否", "未征询"), outcome);
    }
}
