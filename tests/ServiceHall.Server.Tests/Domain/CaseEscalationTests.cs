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
        c.LogCallAttempt(Handler, CallOutcome.Reached, "已接通", Local(3, 4, 9));
        c.MarkContacted(Handler, "核实：排队时间过长", Local(3, 4, 9, 10));

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
        Assert.Null(c.NextEscalationDue);
    }

    [Fact]
    public void Case_MissingContactAndRectificationByOneScan_EscalatesEachOnce()
    {
        var c = Assigned();
        Assert.Equal(Local(3, 3, 0).AddDays(1).AddTicks(-1), c.NextEscalationDue!.Value, TimeSpan.FromSeconds(1));

        var missed = c.EscalateMissedDeadlines(Local(3, 12, 9));

        Assert.Equal(["首次联系", "整改反馈"], missed.Select(d => d.Stage));
        Assert.Equal(2, AutomaticEscalations(c).Count);
        Assert.Null(c.NextEscalationDue);
        Assert.Empty(c.EscalateMissedDeadlines(Local(3, 13, 9)));
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

        Assert.Equal(["整改反馈"], c.DeadlinesToEscalate().Select(d => d.Stage));
    }
}
