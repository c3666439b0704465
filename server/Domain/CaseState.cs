namespace ServiceHall.Server.Domain;

/// <summary>Where a 差评 case stands in the closed loop (docs/rules/bad-review-cases.md#states).</summary>
public enum CaseState
{
    /// <summary>Opened from a 差评, not yet given to a department.</summary>
    New = 1,

    /// <summary>Given to the responsible department ("谁办理、谁负责"); the callback is due.</summary>
    Assigned = 2,

    /// <summary>回访核实 done (or skipped for an anonymous rating): a disposition is due.</summary>
    Contacted = 3,

    /// <summary>立行立改: fixed on the spot; feedback to the rater is due.</summary>
    FixedAtOnce = 4,

    /// <summary>限期整改: rectification under way by a due day, with a ledger entry; feedback follows.</summary>
    RectifyingByDeadline = 5,

    /// <summary>解释说明: explained with the legal basis; feedback follows.</summary>
    Explained = 6,

    /// <summary>申诉: the department contests the rating with evidence; a supervisor rules.</summary>
    Appealed = 7,

    /// <summary>申诉成立 (误评/恶意差评): leaves the 差评 figures, record kept; still to be closed.</summary>
    AppealUpheld = 8,

    /// <summary>反馈 given to a real-name rater; their satisfaction with the fix is due.</summary>
    FeedbackGiven = 9,

    /// <summary>办结.</summary>
    Closed = 10,
}

public static class CaseStates
{
    public static string Label(this CaseState state) => state switch
    {
        CaseState.New => "待分派",
        CaseState.Assigned => "已分派",
        CaseState.Contacted => "已回访核实",
        CaseState.FixedAtOnce => "立行立改",
        CaseState.RectifyingByDeadline => "限期整改中",
        CaseState.Explained => "已解释说明",
        CaseState.Appealed => "申诉中",
        CaseState.AppealUpheld => "申诉成立",
        CaseState.FeedbackGiven => "已反馈",
        CaseState.Closed => "已办结",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}

/// <summary>Who may act on cases (docs/rules/bad-review-cases.md#roles).</summary>
public enum CaseRole
{
    /// <summary>Works the cases of their own department: callback, disposition, feedback.</summary>
    DepartmentHandler = 1,

    /// <summary>Assigns and reassigns cases in the hall, escalates, and signs off giving up on reaching a rater.</summary>
    HallManager = 2,

    /// <summary>Rules on appeals.</summary>
    Supervisor = 3,

    /// <summary>Reads the audit trail; changes nothing.</summary>
    Auditor = 4,

    /// <summary>The server itself: opens cases from 差评 and escalates overdue ones.</summary>
    System = 5,

    /// <summary>
    /// The 政务公开 office: registers, assigns and answers information-disclosure requests (docs/rules/disclosure-requests.md#roles).
    /// It takes no step of a 差评 case.
    /// </summary>
    DisclosureOffice = 6,
}

/// <summary>Someone acting on a case; a department handler carries their department's code.</summary>
public sealed record Actor(string Id, CaseRole Role, string? DepartmentCode = null)
{
    public static Actor System { get; } = new("system", CaseRole.System);
}

/// <summary>How one callback attempt (回访) went.</summary>
public enum CallOutcome
{
    Reached = 1,
    NotReached = 2,
    Refused = 3,
}

/// <summary>How the callback stage ended.</summary>
public enum ContactOutcome
{
    /// <summary>The rater was reached and the facts verified (counts for 实名差评回访率).</summary>
    Reached = 1,

    /// <summary>匿名评价，无法回访.</summary>
    Anonymous = 2,

    /// <summary>A real-name rater could not be reached or refused; the hall manager let the case go on.</summary>
    CallbackFailed = 3,
}

/// <summary>The rater's view of the fix: 满意 / 基本满意 / 不满意.</summary>
public enum RaterSatisfaction
{
    Satisfied = 1,
    BasicallySatisfied = 2,
    Dissatisfied = 3,
}

/// <summary>Why an upheld appeal takes the rating out of the 差评 figures.</summary>
public enum AppealFinding
{
    /// <summary>误评: the rater picked the wrong level or object.</summary>
    Misrated = 1,

    /// <summary>恶意差评.</summary>
    Malicious = 2,
}
