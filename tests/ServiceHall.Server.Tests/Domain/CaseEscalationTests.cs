using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.CaseTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>Each deadline a case misses escalates once, as its own audit event; a manual escalation stops none.</summary>
public class CaseEscalationTests
{
    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    private static BadReviewCase Assigned()
    {
        var rating = new Rating(
            Guid.CreateVersion7(), null, TestCatalog.HallCode, "370104", "A01", "ITEM-SB", "RSJ", "S01", RatingChannel.HallTerminal,
            RatingLevel.Dissatisfied, ["SLOW"], "T1", "等了一个小时", MondayMorning.AddSeconds(-2), MondayMorning, "13812341234", "kiosk-01");
        var c = BadReviewCase.Open(Guid.CreateVersion7(), rating, Limits);
        c.Assign(Manager, "RSJ", "h1", null, MondayMorning.AddMinutes(10));
        return c;
    }

    private static List<CaseEvent> AutomaticEscalations(BadReviewCase c) =>
        c.Events.Where(e => e.Kind == CaseEventKind.Escalated && e.By.Role == CaseRole.System).ToList();

    [Fact]
    public void Case_MissingContactExtendedRectificationAndReopenedRound_HasThreeEscalations()
    {
        var c = Assigned();
        c.Escalate(Manager, "大厅负责人主动督办", Local(3, 2, 11));

        // 1. First contact due end of 03-03.
        Assert.Single(c.EscalateMissedDeadlines(Local(3, 4, 0, 5)));
        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 4, 0, 10)));
        c.RecordCallback(Handler, CallOutcome.Reached, "核实：排队时间过长", "已接通", Local(3, 4, 9, 10));

        // 2. Rectification extended to 03-13 before its day, then missed.
        c.ExtendRectification(Handler, new DateOnly(2026, 3, 13), "需协调系统改造", Limits, Local(3, 6, 9));
        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 10, 9)));
        Assert.Single(c.EscalateMissedDeadlines(Local(3, 14, 0, 5)));
        c.FixAtOnce(Handler, "增开一个社保窗口", null, Local(3, 16, 9));
        c.GiveFeedback(Handler, "已增开窗口", null, Local(3, 16, 9, 10));

        // 3. The rater is not satisfied: a new round, five working days from 03-16, missed as well.
        c.RecordSatisfaction(Handler, RaterSatisfaction.Dissatisfied, "仍需排队", Limits, Local(3, 16, 10));
        Assert.Equal(new DateOnly(2026, 3, 23), c.Deadlines.RectificationDueDay);
        Assert.Single(c.EscalateMissedDeadlines(Local(3, 24, 0, 5)));
        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 25, 0, 5)));

        var escalations = AutomaticEscalations(c);
        Assert.Equal(3, escalations.Count);
        Assert.Equal(3, escalations.Select(e => e.MissedDeadline).Distinct().Count());
        Assert.Contains("首次联系", escalations[0].Note, StringComparison.Ordinal);
        Assert.Contains("延期", escalations[1].Note, StringComparison.Ordinal);
        Assert.Contains("第 2 轮", escalations[2].Note, StringComparison.Ordinal);
        Assert.All(escalations, e => Assert.Contains("大厅负责人", e.Note, StringComparison.Ordinal));

        // The first two were met within three working days of being missed; the reopened round is still not met three
        // working days after 03-23, so it goes on to the district supervisor at the end of 03-26 — once.
        Assert.Equal(Local(3, 27, 0).AddTicks(-1), c.NextEscalationDue!.Value, TimeSpan.FromSeconds(1));
        var second = Assert.Single(c.EscalateMissedDeadlines(Local(3, 27, 0, 5)));
        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 30, 9)));

        Assert.Equal(EscalationTier.DistrictSupervisor, second.Tier);
        var toSupervisor = AutomaticEscalations(c)[^1];
        Assert.Contains("第 2 轮", toSupervisor.Note, StringComparison.Ordinal);
        Assert.Contains("区级督办人员", toSupervisor.Note, StringComparison.Ordinal);
        Assert.Equal(4, AutomaticEscalations(c).Select(e => e.MissedDeadline).Distinct().Count());
        Assert.True(c.IsEscalatedToSupervisor);
        Assert.Null(c.NextEscalationDue);
    }

    [Fact]
    public void SupervisorTier_CountsWorkingDays_OverNationalDayAndItsMakeUpSaturday()
    {
        // Received Tuesday 2026-09-29: first contact due end of 09-30. 10-01..10-07 are off and Saturday 10-10 is worked,
        // so three working days after 09-30 end on 10-10, not on 10-03 or 10-09.
        var received = new DateTimeOffset(2026, 9, 29, 10, 0, 0, Beijing);
        var rating = new Rating(
            Guid.CreateVersion7(), null, TestCatalog.HallCode, "370104", "A01", "ITEM-SB", "RSJ", "S01", RatingChannel.HallTerminal,
            RatingLevel.Dissatisfied, ["SLOW"], "T1", "等了一个小时", received.AddSeconds(-2), received, null, "kiosk-01");
        var c = BadReviewCase.Open(Guid.CreateVersion7(), rating, Limits);

        Assert.Equal(new DateTimeOffset(2026, 10, 11, 0, 0, 0, Beijing).AddTicks(-1), c.Deadlines.ContactSupervisorDue!.Value, TimeSpan.FromSeconds(1));
        var toManager = c.EscalateMissedDeadlines(new DateTimeOffset(2026, 10, 1, 9, 0, 0, Beijing));
        var nothingOnFriday = c.EscalateMissedDeadlines(new DateTimeOffset(2026, 10, 9, 23, 0, 0, Beijing));
        var toSupervisor = c.EscalateMissedDeadlines(new DateTimeOffset(2026, 10, 11, 9, 0, 0, Beijing));

        Assert.Equal([EscalationTier.HallManager], toManager.Select(d => d.Tier));
        Assert.Empty(nothingOnFriday);
        Assert.Contains(toSupervisor, d => d.Stage == "首次联系" && d.Tier == EscalationTier.DistrictSupervisor);
    }

    [Fact]
    public void SupervisorTier_AfterTheConfiguredWorkingDays_AndNotForADeadlineMetMeanwhile()
    {
        var oneDay = new CaseTimeLimits(Limits.Calendar, new CaseDeadlinePolicy { SupervisorEscalationWorkingDays = 1 });
        var rating = new Rating(
            Guid.CreateVersion7(), null, TestCatalog.HallCode, "370104", "A01", "ITEM-SB", "RSJ", "S01", RatingChannel.HallTerminal,
            RatingLevel.Dissatisfied, ["SLOW"], "T1", "等了一个小时", MondayMorning.AddSeconds(-2), MondayMorning, "13812341234", "kiosk-01");
        var c = BadReviewCase.Open(Guid.CreateVersion7(), rating, oneDay);
        c.Assign(Manager, "RSJ", "h1", null, MondayMorning.AddMinutes(10));

        // Contact due end of 03-03; one working day later is the end of 03-04.
        Assert.Equal([EscalationTier.HallManager], c.EscalateMissedDeadlines(Local(3, 4, 9)).Select(d => d.Tier));
        Assert.Equal(
            [("首次联系", EscalationTier.DistrictSupervisor)],
            c.EscalateMissedDeadlines(Local(3, 5, 0, 5)).Select(d => (d.Stage, d.Tier)));
        c.RecordCallback(Handler, CallOutcome.Reached, "核实", "已接通", Local(3, 5, 9, 10));
        // Rectification due end of 03-09, missed, then fixed on 03-10 before its supervisor tier (end of 03-10).
        Assert.Single(c.EscalateMissedDeadlines(Local(3, 10, 8)));
        c.FixAtOnce(Handler, "已整改", null, Local(3, 10, 9));
        c.GiveFeedback(Handler, "已反馈", null, Local(3, 10, 9, 10));

        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 12, 9)));
        Assert.Equal(3, AutomaticEscalations(c).Count);
        Assert.Single(AutomaticEscalations(c), e => e.Note!.Contains("区级督办人员", StringComparison.Ordinal));
    }

    [Fact]
    public void Case_MissingContactAndRectificationByOneScan_EscalatesEachOnce()
    {
        var c = Assigned();
        Assert.Equal(Local(3, 3, 0).AddDays(1).AddTicks(-1), c.NextEscalationDue!.Value, TimeSpan.FromSeconds(1));

        var missed = c.EscalateMissedDeadlines(Local(3, 12, 9));

        // Contact (due 03-03) is also three working days overdue; rectification (due 03-09) not yet (end of 03-12).
        Assert.Equal(
            [("首次联系", EscalationTier.HallManager), ("首次联系", EscalationTier.DistrictSupervisor), ("整改反馈", EscalationTier.HallManager)],
            missed.Select(d => (d.Stage, d.Tier)));
        Assert.Equal(3, AutomaticEscalations(c).Count);
        Assert.Equal(Local(3, 13, 0).AddTicks(-1), c.NextEscalationDue!.Value, TimeSpan.FromSeconds(1));
        Assert.Equal([EscalationTier.DistrictSupervisor], c.EscalateMissedDeadlines(Local(3, 13, 9)).Select(d => d.Tier));
        Assert.Null(c.NextEscalationDue);
        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 16, 9)));
    }

    [Fact]
    public void Case_NothingMissed_NoEscalationAndNoEvent()
    {
        var c = Assigned();
        var events = c.Events.Count;

        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 3, 17)));
        Assert.Equal(events, c.Events.Count);
    }

    [Fact]
    public void Case_EscalatedAutomaticallyBeforeDeadlinesWereNamed_NotEscalatedAgainForThatDeadline()
    {
        var c = Assigned();
        // An automatic escalation as stored before escalations named their deadline.
        c.Escalate(Actor.System, "首次联系已逾期，自动升级至大厅负责人督办", Local(3, 4, 0, 5));

        Assert.Equal(["整改反馈"], c.DeadlinesToEscalate().Where(d => d.Tier == EscalationTier.HallManager).Select(d => d.Stage));
    }
}
