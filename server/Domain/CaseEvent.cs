namespace ServiceHall.Server.Domain;

/// <summary>What happened to a case; one kind per action the case accepts.</summary>
public enum CaseEventKind
{
    Opened = 1,
    Assigned = 2,
    Reassigned = 3,
    CallAttempted = 4,
    Contacted = 5,
    CallbackSkippedAnonymous = 6,
    CallbackFailed = 7,
    FixedAtOnce = 8,
    RectificationScheduled = 9,
    Explained = 10,
    Appealed = 11,
    AppealUpheld = 12,
    AppealRejected = 13,
    DeadlineExtended = 14,
    FeedbackGiven = 15,
    SatisfactionRecorded = 16,
    Escalated = 17,
    Closed = 18,
    ContactRevealed = 19,
}

/// <summary>
/// One audit record of a case (docs/rules/bad-review-cases.md#audit-trail: who, when, note, evidence).
/// Appended once, never changed. Fields after <see cref="Evidence"/> carry the details of the kinds that have them;
/// <see cref="MissedDeadline"/> is the key (<see cref="MissableDeadline.Key"/>) of the deadline an automatic escalation
/// was for, null for a manual one.
/// </summary>
public sealed record CaseEvent(
    int Sequence,
    DateTimeOffset At,
    Actor By,
    CaseEventKind Kind,
    CaseState From,
    CaseState To,
    string? Note,
    IReadOnlyList<string> Evidence,
    string? DepartmentCode = null,
    CallOutcome? Call = null,
    DateOnly? DueDay = null,
    string? LegalBasis = null,
    string? LedgerEntry = null,
    AppealFinding? Finding = null,
    RaterSatisfaction? Satisfaction = null,
    string? MissedDeadline = null,
    // 整改反馈: the short summary of what was done that the public disclosure lists (after de-identification).
    string? PublicSummary = null) : ICaseRecord
{
    // Explicit, so a stored snapshot's JSON is unchanged: the label is derived, never stored.
    string ICaseRecord.What => Kind.Label();
}

/// <summary>One logged callback attempt, read off the case's events.</summary>
public sealed record CallAttempt(DateTimeOffset At, string ById, CallOutcome Outcome, string? Note);

public static class CaseEventKinds
{
    /// <summary>What happened, in the words of the audit trail a hall manager reads.</summary>
    public static string Label(this CaseEventKind kind) => kind switch
    {
        CaseEventKind.Opened => "差评立案",
        CaseEventKind.Assigned => "分派",
        CaseEventKind.Reassigned => "改派",
        CaseEventKind.CallAttempted => "回访",
        CaseEventKind.Contacted => "回访核实",
        CaseEventKind.CallbackSkippedAnonymous => "匿名评价，无法回访",
        CaseEventKind.CallbackFailed => "回访未果",
        CaseEventKind.FixedAtOnce => "立行立改",
        CaseEventKind.RectificationScheduled => "限期整改",
        CaseEventKind.Explained => "解释说明",
        CaseEventKind.Appealed => "申诉",
        CaseEventKind.AppealUpheld => "申诉成立",
        CaseEventKind.AppealRejected => "申诉驳回",
        CaseEventKind.DeadlineExtended => "延期",
        CaseEventKind.FeedbackGiven => "整改反馈",
        CaseEventKind.SatisfactionRecorded => "征询整改满意度",
        CaseEventKind.Escalated => "督办升级",
        CaseEventKind.Closed => "办结",
        CaseEventKind.ContactRevealed => "查看回访号码",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
