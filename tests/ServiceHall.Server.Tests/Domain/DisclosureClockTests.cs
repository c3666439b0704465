using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.DisclosureTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>
/// The statutory clock of 依申请公开 on the 2026 calendar: around National Day (10-01 to 10-07 off, with the Mid-Autumn days
/// 09-25 to 09-27) and its make-up Saturday 10-10, the supplement that stops and restarts the clock, consultation that is not
/// counted, and the one extension.
/// </summary>
public class DisclosureClockTests
{
    private static DisclosureClockFacts Facts(DateOnly received, DateOnly? supplement = null, int extension = 0, params ConsultationPeriod[] consultations) =>
        new(received, supplement, extension, consultations);

    [Fact]
    public void ReplyDueDay_AcrossNationalDay_CountsTheMakeUpSaturdayAndSkipsTheHolidays()
    {
        // Received Wed 09-23. Working days after it: 09-24 (1); 09-25..27 off; 09-28, 29, 30 (4); 10-01..07 off; 10-08, 09 (6);
        // Sat 10-10 is a make-up workday (7); 10-12..16 (12); 10-19..23 (17); 10-26, 27, 28 (20).
        var due = Limits.ReplyDueDay(Facts(new DateOnly(2026, 9, 23)), new DateOnly(2026, 9, 23));

        Assert.Equal(new DateOnly(2026, 10, 28), due);
    }

    [Fact]
    public void DayOfReceipt_HandedInOnAHoliday_IsTheNextWorkingDay_AndOnTheMakeUpSaturday_ThatSaturday()
    {
        Assert.Equal(new DateOnly(2026, 10, 8), Limits.DayOfReceipt(At(10, 3)));
        Assert.Equal(new DateOnly(2026, 10, 10), Limits.DayOfReceipt(At(10, 10)));
        Assert.Equal(new DateOnly(2026, 10, 12), Limits.DayOfReceipt(At(10, 11)));
    }

    [Fact]
    public void SupplementRequestLastDay_SevenWorkingDaysAcrossTheHoliday_IsTheMakeUpSaturday()
    {
        // 09-24, 09-28, 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, make-up).
        Assert.Equal(new DateOnly(2026, 10, 10), Limits.SupplementRequestLastDay(new DateOnly(2026, 9, 23)));
    }

    [Fact]
    public void ReplyDueDay_AfterASupplement_CountsAfreshFromTheSupplement()
    {
        // Supplement received Mon 10-12: 10-13..16 (4), 10-19..23 (9), 10-26..30 (14), 11-02..06 (19), 11-09 (20).
        var due = Limits.ReplyDueDay(Facts(new DateOnly(2026, 9, 23), supplement: new DateOnly(2026, 10, 12)), new DateOnly(2026, 10, 12));

        Assert.Equal(new DateOnly(2026, 11, 9), due);
    }

    [Fact]
    public void ReplyDueDay_ConsultationAnswered_MovesTheDayByTheWorkingDaysItTook()
    {
        // Sent Wed 10-14, answered Tue 10-20: 10-15, 16, 19, 20 are not counted, so 11-09 moves four working days to 11-13.
        var facts = Facts(new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 12), 0,
            new ConsultationPeriod(new DateOnly(2026, 10, 14), new DateOnly(2026, 10, 20)));

        Assert.Equal(new DateOnly(2026, 11, 13), Limits.ReplyDueDay(facts, new DateOnly(2026, 10, 21)));
        Assert.Equal(4, Limits.PausedWorkingDays(facts, new DateOnly(2026, 10, 21)));
    }

    [Fact]
    public void ReplyDueDay_OverlappingConsultations_CountEachPausedDayOnce()
    {
        var facts = Facts(new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 12), 0,
            new ConsultationPeriod(new DateOnly(2026, 10, 14), new DateOnly(2026, 10, 20)),
            new ConsultationPeriod(new DateOnly(2026, 10, 15), new DateOnly(2026, 10, 19)));

        Assert.Equal(new DateOnly(2026, 11, 13), Limits.ReplyDueDay(facts, new DateOnly(2026, 10, 21)));
    }

    [Fact]
    public void ReplyDueDay_ConsultationStillOpen_MovesOnEachDayItStaysOpen()
    {
        var facts = Facts(new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 12), 0, new ConsultationPeriod(new DateOnly(2026, 10, 14), null));

        var onFriday = Limits.ReplyDueDay(facts, new DateOnly(2026, 10, 16));
        var onMonday = Limits.ReplyDueDay(facts, new DateOnly(2026, 10, 19));

        Assert.Equal(new DateOnly(2026, 11, 11), onFriday);
        Assert.Equal(new DateOnly(2026, 11, 12), onMonday);
    }

    [Fact]
    public void LatestExtendedDueDay_IsTwentyMoreWorkingDays()
    {
        // From 11-13: 11-16..20 (5), 11-23..27 (10), 11-30..12-04 (15), 12-07..11 (20).
        var facts = Facts(new DateOnly(2026, 9, 23), new DateOnly(2026, 10, 12), 0,
            new ConsultationPeriod(new DateOnly(2026, 10, 14), new DateOnly(2026, 10, 20)));

        Assert.Equal(new DateOnly(2026, 12, 11), Limits.LatestExtendedDueDay(facts, new DateOnly(2026, 10, 21)));
        Assert.Equal(new DateOnly(2026, 12, 11), Limits.ReplyDueDay(facts with { ExtensionWorkingDays = 20 }, new DateOnly(2026, 10, 21)));
    }

    [Fact]
    public void ReplyDeadline_WarnsInTheWindow_IsOverdueAfter_AndStopsWhileStoppedOrPaused()
    {
        var facts = Facts(new DateOnly(2026, 9, 23));

        Assert.Equal(DeadlineStatus.OnTrack, Limits.ReplyDeadline(facts, DisclosureClockState.Running, At(10, 20)).Status);
        Assert.Equal(DeadlineStatus.DueSoon, Limits.ReplyDeadline(facts, DisclosureClockState.Running, At(10, 23)).Status);
        Assert.Equal(DeadlineStatus.DueSoon, Limits.ReplyDeadline(facts, DisclosureClockState.Running, At(10, 28, 23)).Status);
        Assert.Equal(DeadlineStatus.Overdue, Limits.ReplyDeadline(facts, DisclosureClockState.Running, At(10, 29, 0)).Status);
        Assert.Equal(DeadlineStatus.Done, Limits.ReplyDeadline(facts, DisclosureClockState.StoppedForSupplement, At(10, 29)).Status);
        Assert.Equal(DeadlineStatus.Done, Limits.ReplyDeadline(facts, DisclosureClockState.PausedForConsultation, At(10, 29)).Status);
    }

    [Fact]
    public void ThirdPartyDueDay_FifteenWorkingDays()
    {
        // Sent Fri 09-18: 09-20 (Sun, make-up) counts: 09-20, 21, 22, 23, 24 (5), 09-28, 29, 30 (8), 10-08, 09, 10 (11), 10-12..15 (15).
        Assert.Equal(new DateOnly(2026, 10, 15), Limits.ThirdPartyDueDay(new DateOnly(2026, 9, 18)));
    }

    [Fact]
    public void Request_WholeClock_SupplementStopsAndRestarts_ConsultationNotCounted_ExtendedOnce()
    {
        var r = Received(At(9, 23));
        Assert.Equal(new DateOnly(2026, 10, 28), r.ReplyDeadline(Limits, At(9, 23)).DueDay);

        r.Register(Office, null, At(9, 24));
        r.RequestSupplement(Office, "请写明文件名称", new DateOnly(2026, 10, 16), Limits, At(10, 10));
        Assert.Equal(DisclosureClockState.StoppedForSupplement, r.Clock);
        Assert.Equal(DeadlineStatus.Done, r.ReplyDeadline(Limits, At(11, 30)).Status);

        r.RecordSupplement(Office, "文件名称：……", Limits, At(10, 12));
        Assert.Equal(DisclosureClockState.Running, r.Clock);
        Assert.Equal(new DateOnly(2026, 11, 9), r.ReplyDeadline(Limits, At(10, 12)).DueDay);

        r.Assign(Office, "RSJ", null, null, At(10, 13));
        r.Consult(Holder, ConsultedParty.ThirdParty, "某公司", "是否同意公开", Limits, At(10, 14));
        Assert.Equal(DisclosureClockState.PausedForConsultation, r.Clock);
        // The third party answers within 15 working days: 10-15, 16 (2), 10-19..23 (7), 10-26..30 (12), 11-02, 03, 04 (15).
        Assert.Equal(new DateOnly(2026, 11, 4), r.Consultations.Single().DueDay);
        r.RecordOpinion(Holder, "某公司", "不同意公开联系人信息", Limits, At(10, 20));
        Assert.Equal(new DateOnly(2026, 11, 13), r.ReplyDeadline(Limits, At(10, 21)).DueDay);

        r.Extend(Office, new DateOnly(2026, 12, 11), "王主任", "需区分处理", "2026-10-21 电话告知", Limits, At(10, 21));
        Assert.Equal(new DateOnly(2026, 12, 11), r.ReplyDeadline(Limits, At(10, 21)).DueDay);
        Assert.Equal(20, r.ExtensionWorkingDays);
        var second = Assert.Throws<CaseTransitionException>(
            () => r.Extend(Office, new DateOnly(2026, 12, 14), "王主任", "再延", "电话", Limits, At(10, 22)));
        Assert.Contains("只能延长一次", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordSupplement_OnADayOff_CountsFromTheNextWorkingDay()
    {
        var r = Received(At(9, 23));
        r.Register(Office, null, At(9, 24));
        r.RequestSupplement(Office, "请写明文件名称", new DateOnly(2026, 10, 9), Limits, At(9, 28));

        // Handed in at the hall on 10-03, in the holiday: received 10-08; 20 working days after it (Sat 10-10 counts) end 11-04.
        r.RecordSupplement(Office, "文件名称", Limits, At(10, 3));

        Assert.Equal(new DateOnly(2026, 10, 8), r.SupplementReceivedDay);
        Assert.Equal(new DateOnly(2026, 11, 4), r.ReplyDeadline(Limits, At(10, 8)).DueDay);
    }

    [Fact]
    public void Extend_BeyondTwentyWorkingDaysOrToADayOff_RefusedWithTheDay()
    {
        var r = Received(At(9, 23));
        r.Register(Office, null, At(9, 24));

        var tooFar = Assert.Throws<InvalidInputException>(
            () => r.Extend(Office, new DateOnly(2026, 11, 26), "王主任", "复杂", "电话", Limits, At(9, 24)));
        var dayOff = Assert.Throws<InvalidInputException>(
            () => r.Extend(Office, new DateOnly(2026, 11, 1), "王主任", "复杂", "电话", Limits, At(9, 24)));

        Assert.Equal("new_due_day", tooFar.Field);
        Assert.Equal("new_due_day", dayOff.Field);
        Assert.False(r.IsExtended);
    }

    [Fact]
    public void RequestSupplement_AfterSevenWorkingDays_Refused()
    {
        var r = Received(At(9, 23));
        r.Register(Office, null, At(9, 24));

        var e = Assert.Throws<CaseTransitionException>(
            () => r.RequestSupplement(Office, "请写明", new DateOnly(2026, 10, 20), Limits, At(10, 12)));

        Assert.Contains("2026-10-10", e.Message, StringComparison.Ordinal);
        Assert.Equal(DisclosureRequestState.Registered, r.State);
    }

    [Fact]
    public void Lapse_NoSupplementByTheDueDay_ClosesAsOtherHandlingNoSupplement()
    {
        var r = Received(At(9, 23));
        r.Register(Office, null, At(9, 24));
        r.RequestSupplement(Office, "请写明文件名称", new DateOnly(2026, 10, 16), Limits, At(9, 28));

        Assert.Throws<CaseTransitionException>(() => r.Lapse(Office, null, Limits, At(10, 16, 23)));
        Assert.Throws<CaseTransitionException>(() => r.RecordSupplement(Office, "迟到的补正", Limits, At(10, 19)));
        r.Lapse(Actor.System, null, Limits, At(10, 19));

        Assert.Equal(DisclosureRequestState.Closed, r.State);
        Assert.Equal(DisclosureOutcome.OtherNoSupplement, r.Outcome);
        Assert.Equal(At(10, 19), r.ConcludedAt);
    }

    [Fact]
    public void EscalateOverdue_OncePerMissedReplyDeadline_AndAgainAfterTheExtendedOneIsMissed()
    {
        var r = Received(At(9, 23));
        r.Register(Office, null, At(9, 24));
        Assert.Null(r.MissedDeadlineKey(Limits, At(10, 28, 23)));

        r.EscalateOverdue(Actor.System, Limits, At(10, 29));
        Assert.Throws<CaseTransitionException>(() => r.EscalateOverdue(Actor.System, Limits, At(10, 30)));

        Assert.Single(r.Events, e => e.Kind == DisclosureEventKind.Escalated);
        Assert.Equal("答复@2026-10-28", r.Events[^1].MissedDeadline);
    }

    [Fact]
    public void SendReply_AfterTheDeadline_IsRecordedAsLate_NotRefused()
    {
        var r = Received(At(9, 23));
        r.Register(Office, null, At(9, 24));
        r.DraftReplyWith(Office, DisclosureOutcome.Disclosed, "予以公开，见附件", null, At(10, 27));
        r.ApproveReply(Office, "王主任", null, At(10, 28));
        r.SendReply(Office, DeliveryMethod.Collect, null, Limits, At(10, 29));

        Assert.True(r.RepliedLate);
        Assert.Equal(DisclosureRequestState.ReplySent, r.State);
    }
}
