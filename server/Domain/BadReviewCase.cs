namespace ServiceHall.Server.Domain;

/// <summary>
/// The 差评整改 case of one bad rating: the closed loop of docs/rules/bad-review-cases.md, from routing to the responsible
/// department ("谁办理、谁负责", 国办发〔2019〕51号) through callback, disposition, feedback and the rater's verdict to closing.
/// </summary>
/// <remarks>
/// Every action checks, in this order, who acts (<see cref="CasePermissionException"/>), whether the current state
/// allows it (<see cref="CaseTransitionException"/>) and its inputs (<see cref="InvalidInputException"/>), and only
/// then changes the case and appends exactly one <see cref="CaseEvent"/>. A refused action changes nothing.
/// Instants come from the caller (read from a TimeProvider), so the case holds no clock.
/// </remarks>
public sealed class BadReviewCase
{
    private const string AnonymousCallbackNote = "匿名评价，无法回访";

    private readonly List<CaseEvent> _events = [];
    private bool _rectifiedLate;

    private BadReviewCase(Guid id, Rating rating, CaseDeadlines deadlines)
        : this(id, rating.Id, rating.HallCode, rating.DepartmentCode, rating.WindowCode, rating.ServiceItemCode, rating.StaffId,
            rating.Level, rating.IsRealName, rating.ReceivedAt, deadlines)
    {
    }

    private BadReviewCase(
        Guid id, Guid ratingId, string hallCode, string departmentCode, string? windowCode, string? serviceItemCode, string? staffId,
        RatingLevel level, bool isRealName, DateTimeOffset receivedAt, CaseDeadlines deadlines)
    {
        Id = id;
        RatingId = ratingId;
        HallCode = hallCode;
        DepartmentCode = departmentCode;
        WindowCode = windowCode;
        ServiceItemCode = serviceItemCode;
        StaffId = staffId;
        Level = level;
        IsRealName = isRealName;
        ReceivedAt = receivedAt;
        Deadlines = deadlines;
        State = CaseState.New;
    }

    /// <summary>A case as it was stored: the same state and trail, no transition replayed.</summary>
    public static BadReviewCase Restore(CaseSnapshot s)
    {
        var restored = new BadReviewCase(s.Id, s.RatingId, s.HallCode, s.DepartmentCode, s.WindowCode, s.ServiceItemCode, s.StaffId,
            s.Level, s.IsRealName, s.ReceivedAt, s.Deadlines)
        {
            State = s.State,
            AssignedDepartmentCode = s.AssignedDepartmentCode,
            AssignedHandlerId = s.AssignedHandlerId,
            Contact = s.Contact,
            UpheldFinding = s.UpheldFinding,
            AppealRejected = s.AppealRejected,
            ReopenCount = s.ReopenCount,
            Satisfaction = s.Satisfaction,
            _rectifiedLate = s.RectifiedLate,
        };
        restored._events.AddRange(s.Events);
        return restored;
    }

    public CaseSnapshot ToSnapshot() => new(
        Id, RatingId, HallCode, DepartmentCode, WindowCode, ServiceItemCode, StaffId, Level, IsRealName, ReceivedAt, State,
        AssignedDepartmentCode, AssignedHandlerId, Deadlines, Contact, UpheldFinding, AppealRejected, ReopenCount, Satisfaction,
        _rectifiedLate, _events.ToList());

    public Guid Id { get; }

    public Guid RatingId { get; }

    public string HallCode { get; }

    /// <summary>The department the rating was routed to when it was received.</summary>
    public string DepartmentCode { get; }

    public string? WindowCode { get; }

    public string? ServiceItemCode { get; }

    public string? StaffId { get; }

    public RatingLevel Level { get; }

    /// <summary>A real-name rater can be called back and asked about the fix; an anonymous one cannot.</summary>
    public bool IsRealName { get; }

    /// <summary>When the server received the rating: the deadlines count from here.</summary>
    public DateTimeOffset ReceivedAt { get; }

    public CaseState State { get; private set; }

    /// <summary>The department answering for the case now; null until the hall manager assigns it.</summary>
    public string? AssignedDepartmentCode { get; private set; }

    /// <summary>The handler the hall manager named, if any (recorded; any handler of the department may act).</summary>
    public string? AssignedHandlerId { get; private set; }

    public CaseDeadlines Deadlines { get; private set; }

    /// <summary>How the callback stage ended; null while it is open.</summary>
    public ContactOutcome? Contact { get; private set; }

    /// <summary>
    /// Set once a supervisor upholds an appeal: the rating leaves the 差评 figures
    /// (docs/rules/bad-review-cases.md#appeals).
    /// </summary>
    public AppealFinding? UpheldFinding { get; private set; }

    /// <summary>A rejected appeal cannot be made again: the department must fix or explain.</summary>
    public bool AppealRejected { get; private set; }

    /// <summary>0 or 1: a 不满意 reopens the case once.</summary>
    public int ReopenCount { get; private set; }

    /// <summary>The rater's latest verdict on the fix; null if never asked (anonymous, or not reached).</summary>
    public RaterSatisfaction? Satisfaction { get; private set; }

    /// <summary>The audit trail, oldest first.</summary>
    public IReadOnlyList<CaseEvent> Events => _events.AsReadOnly();

    public IReadOnlyList<CallAttempt> CallAttempts =>
        _events.Where(e => e.Kind == CaseEventKind.CallAttempted).Select(e => new CallAttempt(e.At, e.By.Id, e.Call!.Value, e.Note)).ToList();

    public bool IsClosed => State == CaseState.Closed;

    /// <summary>Escalated to the hall manager (督办) at least once, by hand or by the overdue job.</summary>
    public bool IsEscalated => _events.Any(e => e.Kind == CaseEventKind.Escalated);

    /// <summary>
    /// The steps <paramref name="actor"/> may try now, named as in the case contract ("assign", "fix_at_once", …).
    /// It mirrors the role and state checks of the actions below; an action listed may still refuse bad input.
    /// </summary>
    public IReadOnlyList<string> AllowedActions(Actor actor)
    {
        var manager = actor.Role == CaseRole.HallManager;
        var handler = actor.Role == CaseRole.DepartmentHandler && AssignedDepartmentCode is not null
            && actor.DepartmentCode == AssignedDepartmentCode;
        var supervisor = actor.Role == CaseRole.Supervisor;
        var allowed = new List<string>();
        void If(bool condition, string action)
        {
            if (condition)
            {
                allowed.Add(action);
            }
        }

        If(manager && State is CaseState.New or CaseState.Assigned or CaseState.Contacted, "assign");
        If(handler && State == CaseState.Assigned && IsRealName, "log_call_attempt");
        If(handler && State == CaseState.Assigned && IsRealName && CallAttempts.Any(a => a.Outcome == CallOutcome.Reached), "mark_contacted");
        If(handler && State == CaseState.Assigned && !IsRealName, "skip_callback_anonymous");
        If(manager && State == CaseState.Assigned && IsRealName && CallAttempts.Count > 0, "record_callback_failed");
        If(handler && State == CaseState.Contacted, "fix_at_once");
        If(handler && State == CaseState.Contacted, "rectify_by_deadline");
        If(handler && State == CaseState.Contacted, "explain");
        If(handler && State == CaseState.Contacted && !AppealRejected, "appeal");
        If(supervisor && State == CaseState.Appealed, "rule_on_appeal");
        If(handler && !Deadlines.Extended && State is CaseState.Assigned or CaseState.Contacted or CaseState.RectifyingByDeadline,
            "extend_rectification");
        If(handler && State is CaseState.FixedAtOnce or CaseState.RectifyingByDeadline or CaseState.Explained, "give_feedback");
        If(handler && State == CaseState.FeedbackGiven, "record_satisfaction");
        If((manager && State is CaseState.AppealUpheld or CaseState.FeedbackGiven) || (supervisor && State == CaseState.AppealUpheld), "close");
        If(manager && !IsClosed, "escalate");
        If(handler && IsRealName && !IsClosed, "reveal_contact");
        return allowed;
    }

    /// <summary>
    /// Appeal upheld (误评/恶意差评): out of the 差评 figures, still counted as such (docs/rules/bad-review-cases.md#appeals).
    /// </summary>
    public bool IsExcludedFromStatistics => UpheldFinding is not null;

    /// <summary>Counts for 实名差评回访率: a real-name rater actually reached and the facts verified.</summary>
    public bool IsCalledBack => Contact == ContactOutcome.Reached;

    /// <summary>Counts for 差评整改率: closed and not taken out by an upheld appeal.</summary>
    public bool IsRectified => IsClosed && !IsExcludedFromStatistics;

    /// <summary>
    /// For 按时整改率: null while open or when an upheld appeal took the case out; otherwise whether every feedback
    /// was given by the rectification deadline then in force (the extended one, or the reopened round's own).
    /// </summary>
    public bool? RectifiedInTime => IsRectified ? !_rectifiedLate : null;

    /// <summary>Opens the case of a 差评 at the moment the rating was received, with its deadlines.</summary>
    public static BadReviewCase Open(Guid caseId, Rating rating, CaseTimeLimits limits)
    {
        if (caseId == Guid.Empty)
        {
            throw new InvalidInputException("case_id", "不能为空");
        }

        if (!rating.IsBad)
        {
            throw new InvalidInputException("level", "只有差评（不满意、非常不满意）才立案整改");
        }

        var opened = new BadReviewCase(caseId, rating, limits.ForReceipt(rating.ReceivedAt));
        opened.Append(Event(opened, Actor.System, rating.ReceivedAt, CaseEventKind.Opened, CaseState.New, null) with
        {
            DepartmentCode = rating.DepartmentCode,
        });
        return opened;
    }

    /// <summary>The hall manager gives a new case to the responsible department, optionally naming a handler.</summary>
    public void Assign(Actor by, string departmentCode, string? handlerId, string? note, DateTimeOffset at)
    {
        const string action = "分派";
        RequireRole(by, action, CaseRole.HallManager);
        RequireState(action, CaseState.New);
        var department = Required(departmentCode, "department_code");
        RequireNotBeforeLastEvent(at);

        AssignedDepartmentCode = department;
        AssignedHandlerId = NullIfBlank(handlerId);
        Append(Event(this, by, at, CaseEventKind.Assigned, CaseState.Assigned, NullIfBlank(note)) with { DepartmentCode = department });
    }

    /// <summary>The hall manager moves a wrongly routed case to another department before a disposition is made.</summary>
    public void Reassign(Actor by, string departmentCode, string? handlerId, string reason, DateTimeOffset at)
    {
        const string action = "改派";
        RequireRole(by, action, CaseRole.HallManager);
        RequireState(action, CaseState.Assigned, CaseState.Contacted);
        var department = Required(departmentCode, "department_code");
        if (department == AssignedDepartmentCode)
        {
            throw new InvalidInputException("department_code", "已分派给该部门");
        }

        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);

        AssignedDepartmentCode = department;
        AssignedHandlerId = NullIfBlank(handlerId);
        Append(Event(this, by, at, CaseEventKind.Reassigned, State, why) with { DepartmentCode = department });
    }

    /// <summary>Logs one callback attempt (回访) to a real-name rater, whatever its outcome.</summary>
    public void LogCallAttempt(Actor by, CallOutcome outcome, string? note, DateTimeOffset at)
    {
        const string action = "登记回访";
        RequireHandler(by, action);
        RequireState(action, CaseState.Assigned);
        RequireRealName(action);
        if (!Enum.IsDefined(outcome))
        {
            throw new InvalidInputException("outcome", "回访结果须为接通、未接通或拒绝之一");
        }

        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.CallAttempted, State, NullIfBlank(note)) with { Call = outcome });
    }

    /// <summary>回访核实 done: needs a callback attempt that reached the rater, and what was verified.</summary>
    public void MarkContacted(Actor by, string verification, DateTimeOffset at)
    {
        const string action = "确认回访核实";
        RequireHandler(by, action);
        RequireState(action, CaseState.Assigned);
        RequireRealName(action);
        if (!CallAttempts.Any(a => a.Outcome == CallOutcome.Reached))
        {
            throw new CaseTransitionException(Id, State, action, "尚无接通的回访记录");
        }

        var note = Required(verification, "verification");
        RequireNotBeforeLastEvent(at);

        Contact = ContactOutcome.Reached;
        Append(Event(this, by, at, CaseEventKind.Contacted, CaseState.Contacted, note));
    }

    /// <summary>An anonymous rating cannot be called back; the step is recorded as such ("匿名评价，无法回访").</summary>
    public void SkipCallbackAnonymous(Actor by, DateTimeOffset at)
    {
        const string action = "记录匿名无法回访";
        RequireHandler(by, action);
        RequireState(action, CaseState.Assigned);
        if (IsRealName)
        {
            throw new CaseTransitionException(Id, State, action, "实名差评须回访");
        }

        RequireNotBeforeLastEvent(at);
        Contact = ContactOutcome.Anonymous;
        Append(Event(this, by, at, CaseEventKind.CallbackSkippedAnonymous, CaseState.Contacted, AnonymousCallbackNote));
    }

    /// <summary>
    /// The hall manager lets a real-name case go on without a callback after the rater refused, or after
    /// <see cref="CaseDeadlinePolicy.CallAttemptsBeforeGivingUp"/> attempts did not reach them. The case then does not
    /// count as called back.
    /// </summary>
    public void RecordCallbackFailed(Actor by, string reason, CaseTimeLimits limits, DateTimeOffset at)
    {
        const string action = "确认回访失败";
        RequireRole(by, action, CaseRole.HallManager);
        RequireState(action, CaseState.Assigned);
        RequireRealName(action);
        var attempts = CallAttempts;
        if (!attempts.Any(a => a.Outcome == CallOutcome.Refused)
            && attempts.Count(a => a.Outcome == CallOutcome.NotReached) < limits.Policy.CallAttemptsBeforeGivingUp)
        {
            throw new CaseTransitionException(
                Id, State, action, $"须有拒绝回访记录或至少 {limits.Policy.CallAttemptsBeforeGivingUp} 次未接通记录");
        }

        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);

        Contact = ContactOutcome.CallbackFailed;
        Append(Event(this, by, at, CaseEventKind.CallbackFailed, CaseState.Contacted, why));
    }

    /// <summary>立行立改: fixed on the spot; says what was done.</summary>
    public void FixAtOnce(Actor by, string whatWasDone, IReadOnlyList<string>? evidence, DateTimeOffset at)
    {
        const string action = "立行立改";
        RequireHandler(by, action);
        RequireState(action, CaseState.Contacted);
        var note = Required(whatWasDone, "note");
        var refs = Evidence(evidence, required: false);
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.FixedAtOnce, CaseState.FixedAtOnce, note) with { Evidence = refs });
    }

    /// <summary>
    /// 限期整改: the reason, a ledger entry (整改台账) and a due day from today up to the case's rectification deadline;
    /// a later day needs <see cref="ExtendRectification"/> first.
    /// </summary>
    public void RectifyByDeadline(Actor by, string reason, DateOnly dueDay, string ledgerEntry, CaseTimeLimits limits, DateTimeOffset at)
    {
        const string action = "限期整改";
        RequireHandler(by, action);
        RequireState(action, CaseState.Contacted);
        var why = Required(reason, "reason");
        var ledger = Required(ledgerEntry, "ledger_entry");
        if (dueDay < limits.Calendar.LocalDate(at))
        {
            throw new InvalidInputException("due_day", "整改期限不能早于今天");
        }

        if (dueDay > Deadlines.RectificationDueDay)
        {
            throw new InvalidInputException("due_day", $"整改期限晚于办理时限 {Deadlines.RectificationDueDay:yyyy-MM-dd}，请先申请延期");
        }

        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.RectificationScheduled, CaseState.RectifyingByDeadline, why) with
        {
            DueDay = dueDay,
            LedgerEntry = ledger,
        });
    }

    /// <summary>解释说明: the rater's demand has no basis; the legal basis cited and the explanation given.</summary>
    public void Explain(Actor by, string legalBasis, string explanation, DateTimeOffset at)
    {
        const string action = "解释说明";
        RequireHandler(by, action);
        RequireState(action, CaseState.Contacted);
        var basis = Required(legalBasis, "legal_basis");
        var note = Required(explanation, "explanation");
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Explained, CaseState.Explained, note) with { LegalBasis = basis });
    }

    /// <summary>申诉: the department contests the rating (误评/恶意差评) with grounds and at least one piece of evidence. Once only.</summary>
    public void Appeal(Actor by, string grounds, IReadOnlyList<string> evidence, DateTimeOffset at)
    {
        const string action = "申诉";
        RequireHandler(by, action);
        RequireState(action, CaseState.Contacted);
        if (AppealRejected)
        {
            throw new CaseTransitionException(Id, State, action, "申诉已被驳回，须整改或解释说明");
        }

        var note = Required(grounds, "grounds");
        var refs = Evidence(evidence, required: true);
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Appealed, CaseState.Appealed, note) with { Evidence = refs });
    }

    /// <summary>A supervisor upholds the appeal: the rating leaves the 差评 figures; the record stays and the case is then closed.</summary>
    public void UpholdAppeal(Actor by, AppealFinding finding, string ruling, DateTimeOffset at)
    {
        const string action = "裁定申诉成立";
        RequireRole(by, action, CaseRole.Supervisor);
        RequireState(action, CaseState.Appealed);
        if (!Enum.IsDefined(finding))
        {
            throw new InvalidInputException("finding", "须为误评或恶意差评");
        }

        var note = Required(ruling, "ruling");
        RequireNotBeforeLastEvent(at);

        UpheldFinding = finding;
        Append(Event(this, by, at, CaseEventKind.AppealUpheld, CaseState.AppealUpheld, note) with { Finding = finding });
    }

    /// <summary>A supervisor rejects the appeal: back to needing a disposition, which can no longer be an appeal.</summary>
    public void RejectAppeal(Actor by, string ruling, DateTimeOffset at)
    {
        const string action = "驳回申诉";
        RequireRole(by, action, CaseRole.Supervisor);
        RequireState(action, CaseState.Appealed);
        var note = Required(ruling, "ruling");
        RequireNotBeforeLastEvent(at);

        AppealRejected = true;
        Append(Event(this, by, at, CaseEventKind.AppealRejected, CaseState.Contacted, note));
    }

    /// <summary>
    /// Moves the rectification deadline once (per rectification round) to a later working day no further than
    /// <see cref="CaseDeadlinePolicy.MaxExtendedWorkingDays"/> from receipt, with a stated reason (鲁政办发〔2020〕10号:
    /// complex cases up to 15 working days). Only before the deadline has passed and before a disposition other than
    /// 限期整改 is made.
    /// </summary>
    public void ExtendRectification(Actor by, DateOnly newDueDay, string reason, CaseTimeLimits limits, DateTimeOffset at)
    {
        const string action = "延期";
        RequireHandler(by, action);
        RequireState(action, CaseState.Assigned, CaseState.Contacted, CaseState.RectifyingByDeadline);
        if (Deadlines.Extended)
        {
            throw new CaseTransitionException(Id, State, action, "办理时限只能延长一次");
        }

        if (at > Deadlines.RectificationDue)
        {
            throw new CaseTransitionException(Id, State, action, "办理时限已过，不能再延期");
        }

        var why = Required(reason, "reason");
        if (newDueDay <= Deadlines.RectificationDueDay)
        {
            throw new InvalidInputException("new_due_day", $"须晚于现办理时限 {Deadlines.RectificationDueDay:yyyy-MM-dd}");
        }

        if (newDueDay > Deadlines.ExtensionLimitDay)
        {
            throw new InvalidInputException(
                "new_due_day", $"最多延至受理后第 {limits.Policy.MaxExtendedWorkingDays} 个工作日（{Deadlines.ExtensionLimitDay:yyyy-MM-dd}）");
        }

        if (!limits.Calendar.IsWorkingDay(newDueDay))
        {
            throw new InvalidInputException("new_due_day", "须为工作日");
        }

        RequireNotBeforeLastEvent(at);
        Deadlines = limits.Extend(Deadlines, newDueDay);
        Append(Event(this, by, at, CaseEventKind.DeadlineExtended, State, why) with { DueDay = newDueDay });
    }

    /// <summary>
    /// 反馈: the outcome told to the rater. A real-name rater is then asked about the fix; an anonymous rating's feedback
    /// is recorded for publication with the de-identified 差评 list (docs/rules/bad-review-cases.md#reopening), and the
    /// case closes at once, since nobody can be asked.
    /// </summary>
    public void GiveFeedback(Actor by, string content, IReadOnlyList<string>? evidence, DateTimeOffset at)
    {
        const string action = "反馈";
        RequireHandler(by, action);
        RequireState(action, CaseState.FixedAtOnce, CaseState.RectifyingByDeadline, CaseState.Explained);
        var note = Required(content, "content");
        var refs = Evidence(evidence, required: false);
        RequireNotBeforeLastEvent(at);

        // "整改反馈 within 5 working days" (鲁政办发〔2020〕10号): feedback closes the rectification clock.
        _rectifiedLate |= at > Deadlines.RectificationDue;
        var to = IsRealName ? CaseState.FeedbackGiven : CaseState.Closed;
        Append(Event(this, by, at, CaseEventKind.FeedbackGiven, to, note) with { Evidence = refs });
    }

    /// <summary>
    /// The rater's verdict on the fix. 满意/基本满意 close the case. The first 不满意 reopens it to a new disposition with a
    /// fresh rectification round; a second 不满意 closes it with the verdict recorded.
    /// </summary>
    public void RecordSatisfaction(Actor by, RaterSatisfaction satisfaction, string? note, CaseTimeLimits limits, DateTimeOffset at)
    {
        const string action = "登记整改满意度";
        RequireHandler(by, action);
        RequireState(action, CaseState.FeedbackGiven);
        var reopen = satisfaction switch
        {
            RaterSatisfaction.Satisfied or RaterSatisfaction.BasicallySatisfied => false,
            RaterSatisfaction.Dissatisfied => ReopenCount == 0,
            _ => throw new InvalidInputException("satisfaction", "须为满意、基本满意或不满意之一"),
        };
        RequireNotBeforeLastEvent(at);

        Satisfaction = satisfaction;
        if (reopen)
        {
            ReopenCount++;
            Deadlines = limits.ForReopening(Deadlines, at);
        }

        Append(Event(this, by, at, CaseEventKind.SatisfactionRecorded, reopen ? CaseState.Contacted : CaseState.Closed, NullIfBlank(note)) with
        {
            Satisfaction = satisfaction,
        });
    }

    /// <summary>The hall manager closes a case whose real-name rater could not be asked about the fix; no verdict is recorded.</summary>
    public void CloseWithoutSatisfaction(Actor by, string reason, DateTimeOffset at)
    {
        const string action = "未获评价办结";
        RequireRole(by, action, CaseRole.HallManager);
        RequireState(action, CaseState.FeedbackGiven);
        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Closed, CaseState.Closed, why));
    }

    /// <summary>Closes a case whose appeal was upheld; the record is kept, out of the 差评 figures.</summary>
    public void Close(Actor by, string? note, DateTimeOffset at)
    {
        const string action = "办结";
        RequireRole(by, action, CaseRole.Supervisor, CaseRole.HallManager);
        RequireState(action, CaseState.AppealUpheld);
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Closed, CaseState.Closed, NullIfBlank(note)));
    }

    /// <summary>Escalation of an open case (督办), by the hall manager or by the overdue job; the state does not change.</summary>
    /// <summary>
    /// A handler of the assigned department asks to see the rater's number in full to call back. Only with a reason,
    /// and the request stays in the audit trail (51号: the rater's identity is protected, every access logged). The
    /// state does not change; the caller shows the number only after this succeeded.
    /// </summary>
    public void RecordContactRevealed(Actor by, string reason, DateTimeOffset at)
    {
        const string action = "查看回访号码";
        RequireHandler(by, action);
        RequireRealName(action);
        if (IsClosed)
        {
            throw new CaseTransitionException(Id, State, action);
        }

        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.ContactRevealed, State, why));
    }

    public void Escalate(Actor by, string note, DateTimeOffset at)
    {
        const string action = "督办";
        RequireRole(by, action, CaseRole.HallManager, CaseRole.System);
        if (IsClosed)
        {
            throw new CaseTransitionException(Id, State, action);
        }

        var why = Required(note, "note");
        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.Escalated, State, why));
    }

    /// <summary>Where the contact and rectification deadlines stand at <paramref name="at"/>, for warnings and escalation.</summary>
    public CaseDeadlineReport DeadlineStatusAt(DateTimeOffset at, CaseTimeLimits limits)
    {
        var contactRunning = State switch
        {
            CaseState.New or CaseState.Assigned => true,
            CaseState.Contacted or CaseState.FixedAtOnce or CaseState.RectifyingByDeadline or CaseState.Explained
                or CaseState.Appealed or CaseState.AppealUpheld or CaseState.FeedbackGiven or CaseState.Closed => false,
            _ => throw new InvalidOperationException($"unknown case state {State}"),
        };

        // An appeal does not stop the clock: if it is rejected the department still owes a fix within the limit.
        var rectificationRunning = State switch
        {
            CaseState.New or CaseState.Assigned or CaseState.Contacted or CaseState.FixedAtOnce
                or CaseState.RectifyingByDeadline or CaseState.Explained or CaseState.Appealed => true,
            CaseState.AppealUpheld or CaseState.FeedbackGiven or CaseState.Closed => false,
            _ => throw new InvalidOperationException($"unknown case state {State}"),
        };

        var contact = contactRunning
            ? limits.StatusOf(Deadlines.ContactDueDay, Deadlines.ContactDue, limits.Policy.ContactWarningWorkingDays, at)
            : DeadlineStatus.Done;
        var rectification = rectificationRunning
            ? limits.StatusOf(Deadlines.RectificationDueDay, Deadlines.RectificationDue, limits.Policy.RectificationWarningWorkingDays, at)
            : DeadlineStatus.Done;
        return new CaseDeadlineReport(contact, rectification);
    }

    private static CaseEvent Event(BadReviewCase c, Actor by, DateTimeOffset at, CaseEventKind kind, CaseState to, string? note) =>
        new(c._events.Count + 1, at, by, kind, c.State, to, note, []);

    private void Append(CaseEvent e)
    {
        _events.Add(e);
        State = e.To;
    }

    private void RequireRole(Actor by, string action, params CaseRole[] roles)
    {
        if (!roles.Contains(by.Role))
        {
            throw new CasePermissionException(Id, by, action);
        }
    }

    // 谁办理、谁负责: only a handler of the department the case is assigned to works it.
    private void RequireHandler(Actor by, string action)
    {
        if (by.Role != CaseRole.DepartmentHandler || AssignedDepartmentCode is null || by.DepartmentCode != AssignedDepartmentCode)
        {
            throw new CasePermissionException(Id, by, action);
        }
    }

    private void RequireState(string action, params CaseState[] allowed)
    {
        if (!allowed.Contains(State))
        {
            throw new CaseTransitionException(Id, State, action);
        }
    }

    private void RequireRealName(string action)
    {
        if (!IsRealName)
        {
            throw new CaseTransitionException(Id, State, action, AnonymousCallbackNote);
        }
    }

    // The audit trail reads in time order; an instant before the last record is a clock or client error.
    private void RequireNotBeforeLastEvent(DateTimeOffset at)
    {
        if (_events.Count > 0 && at < _events[^1].At)
        {
            throw new InvalidInputException("at", "早于案件上一条记录的时间");
        }
    }

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidInputException(field, "不能为空") : value.Trim();

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Evidence(IReadOnlyList<string>? evidence, bool required)
    {
        var refs = evidence ?? [];
        if (required && refs.Count == 0)
        {
            throw new InvalidInputException("evidence", "申诉须附证据");
        }

        if (refs.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidInputException("evidence", "证据引用不能为空");
        }

        return refs.Select(r => r.Trim()).ToList();
    }
}
