namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>How one callback attempt (回访) went.</summary>
public enum CallResult
{
    Reached,
    NotReached,
    Refused,
}

/// <summary>Which kind of wrong rating an upheld appeal found.</summary>
public enum AppealVerdict
{
    Misrated,
    Malicious,
}

/// <summary>The rater's verdict on the fix.</summary>
public enum FixSatisfaction
{
    Satisfied,
    BasicallySatisfied,
    Dissatisfied,
}

/// <summary>
/// One step of the case loop, as <c>ActOnCaseRequest</c> takes it. <see cref="Name"/> equals the oneof field name the
/// server lists in <c>allowed_actions</c>.
/// </summary>
public abstract record CaseAction
{
    public abstract string Name { get; }
}

public sealed record AssignCase(string DepartmentCode, string HandlerId, string Note) : CaseAction
{
    public override string Name => CaseActionNames.Assign;
}

public sealed record LogCallAttempt(CallResult Outcome, string Note) : CaseAction
{
    public override string Name => CaseActionNames.LogCallAttempt;
}

public sealed record MarkContacted(string Verification) : CaseAction
{
    public override string Name => CaseActionNames.MarkContacted;
}

public sealed record SkipCallbackAnonymous : CaseAction
{
    public override string Name => CaseActionNames.SkipCallbackAnonymous;
}

/// <summary>Hall manager: the real-name rater refused, or could not be reached after the configured attempts.</summary>
public sealed record RecordCallbackFailed(string Reason) : CaseAction
{
    public override string Name => CaseActionNames.RecordCallbackFailed;
}

public sealed record FixAtOnce(string WhatWasDone, IReadOnlyList<string> Evidence) : CaseAction
{
    public override string Name => CaseActionNames.FixAtOnce;
}

public sealed record RectifyByDeadline(string Reason, DateOnly DueDay, string LedgerEntry) : CaseAction
{
    public override string Name => CaseActionNames.RectifyByDeadline;
}

public sealed record ExplainCase(string LegalBasis, string Explanation) : CaseAction
{
    public override string Name => CaseActionNames.Explain;
}

public sealed record AppealCase(string Grounds, IReadOnlyList<string> Evidence) : CaseAction
{
    public override string Name => CaseActionNames.Appeal;
}

/// <param name="Uphold">True to uphold the appeal; <paramref name="Finding"/> is then required.</param>
/// <param name="Finding">误评 or 恶意差评; null when the appeal is rejected.</param>
/// <param name="Ruling">The ruling's reasons.</param>
public sealed record RuleOnAppeal(bool Uphold, AppealVerdict? Finding, string Ruling) : CaseAction
{
    public override string Name => CaseActionNames.RuleOnAppeal;
}

public sealed record GiveFeedback(string Content, IReadOnlyList<string> Evidence) : CaseAction
{
    public override string Name => CaseActionNames.GiveFeedback;
}

public sealed record RecordSatisfaction(FixSatisfaction Satisfaction, string Note) : CaseAction
{
    public override string Name => CaseActionNames.RecordSatisfaction;
}

public sealed record CloseCase(string Note) : CaseAction
{
    public override string Name => CaseActionNames.Close;
}

public sealed record EscalateCase(string Note) : CaseAction
{
    public override string Name => CaseActionNames.Escalate;
}

public sealed record ExtendRectification(DateOnly NewDueDay, string Reason) : CaseAction
{
    public override string Name => CaseActionNames.ExtendRectification;
}

/// <summary>The action names of <c>allowed_actions</c> (the <c>ActOnCaseRequest</c> oneof field names), with their labels.</summary>
public static class CaseActionNames
{
    public const string Assign = "assign";
    public const string LogCallAttempt = "log_call_attempt";
    public const string MarkContacted = "mark_contacted";
    public const string SkipCallbackAnonymous = "skip_callback_anonymous";
    public const string RecordCallbackFailed = "record_callback_failed";
    public const string FixAtOnce = "fix_at_once";
    public const string RectifyByDeadline = "rectify_by_deadline";
    public const string Explain = "explain";
    public const string Appeal = "appeal";
    public const string RuleOnAppeal = "rule_on_appeal";
    public const string GiveFeedback = "give_feedback";
    public const string RecordSatisfaction = "record_satisfaction";
    public const string Close = "close";
    public const string Escalate = "escalate";
    public const string ExtendRectification = "extend_rectification";

    /// <summary>The form title of an action; null for a name this console does not know (a newer server).</summary>
    public static string? Label(string name) => name switch
    {
        Assign => "分派",
        LogCallAttempt => "登记回访",
        MarkContacted => "确认回访核实",
        SkipCallbackAnonymous => "匿名评价，无法回访",
        RecordCallbackFailed => "确认回访失败",
        FixAtOnce => "立行立改",
        RectifyByDeadline => "限期整改",
        Explain => "解释说明",
        Appeal => "申诉",
        RuleOnAppeal => "裁定申诉",
        GiveFeedback => "整改反馈",
        RecordSatisfaction => "登记整改满意度",
        Close => "办结",
        Escalate => "督办升级",
        ExtendRectification => "延长办理时限",
        _ => null,
    };
}
