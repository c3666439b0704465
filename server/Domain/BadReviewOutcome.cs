namespace ServiceHall.Server.Domain;

/// <summary>
/// What became of one 差评, as its row in a disclosure shows it (docs/rules/indicators-and-disclosure.md#each-bad-review):
/// how it was disposed of, the handler's public summary (not yet de-identified), when it was rectified and in how many
/// working days, whether on time, whether the rater was called back, and the rater's verdict on the fix.
/// </summary>
public sealed record BadReviewOutcome(
    string Disposition,
    string? PublicSummary,
    DateOnly? RectifiedOn,
    int? WorkingDaysTaken,
    bool? OnTime,
    string CalledBack,
    string CitizenVerdict)
{
    /// <summary>A 差评 whose case is missing (never expected: a 差评 is stored with its case).</summary>
    public static BadReviewOutcome Unknown { get; } = new("处理中", null, null, null, null, "", "");

    /// <summary>The outcome of a case as it stands; days are the district's working days (<paramref name="calendar"/>).</summary>
    public static BadReviewOutcome Of(BadReviewCase c, WorkingCalendar calendar)
    {
        var disposition = c.Events.LastOrDefault(e => e.Kind is CaseEventKind.FixedAtOnce or CaseEventKind.RectificationScheduled
            or CaseEventKind.Explained or CaseEventKind.AppealUpheld)?.Kind switch
        {
            CaseEventKind.FixedAtOnce => "立行立改",
            CaseEventKind.RectificationScheduled => "限期整改",
            CaseEventKind.Explained => "解释说明",
            CaseEventKind.AppealUpheld => "申诉成立",
            _ => c.State == CaseState.Appealed ? "申诉中" : "处理中",
        };

        // The rectification ends with the feedback (整改反馈); a reopened case's last feedback is the one that counts.
        var feedback = c.Events.LastOrDefault(e => e.Kind == CaseEventKind.FeedbackGiven);
        DateOnly? rectifiedOn = c.IsRectified && feedback is not null ? calendar.LocalDate(feedback.At) : null;
        // Counted as a time limit is: from the day of receipt, to the working day of the feedback (a feedback on a day off
        // counts on the next working day, so a late one never shows the limit's own number of days).
        int? days = rectifiedOn is null ? null
            : calendar.WorkingDaysBetween(calendar.DayOfReceipt(c.ReceivedAt), calendar.DayOfReceipt(feedback!.At));
        var calledBack = !c.IsRealName ? "匿名" : c.IsCalledBack ? "是" : "否";
        var verdict = c.Satisfaction switch
        {
            RaterSatisfaction.Satisfied => "满意",
            RaterSatisfaction.BasicallySatisfied => "基本满意",
            RaterSatisfaction.Dissatisfied => "不满意",
            null => c.IsRealName ? "未征询" : "匿名，未征询",
            _ => throw new ArgumentOutOfRangeException(nameof(c), c.Satisfaction, null),
        };
        return new BadReviewOutcome(disposition, feedback?.PublicSummary, rectifiedOn, days, c.RectifiedInTime, calledBack, verdict);
    }
}
