namespace ServiceHall.Server.Domain;

/// <summary>Where a "could not get it done" report (办不成事反映) stands (docs/rules/questions-and-reports.md#reports).</summary>
public enum CouldNotBeDoneState
{
    /// <summary>Received: the hall manager calls the citizen back.</summary>
    Received = 1,

    /// <summary>The callback reached the citizen (or they declined to talk): the hall manager concludes the report.</summary>
    CalledBack = 2,

    /// <summary>办结, with an outcome.</summary>
    Concluded = 3,
}

/// <summary>How a report ended (docs/rules/questions-and-reports.md#outcomes).</summary>
public enum CouldNotBeDoneOutcome
{
    /// <summary>已解决: the citizen got the matter done after all.</summary>
    Resolved = 1,

    /// <summary>已解释说明: the refusal was right; the reason and the way forward were explained.</summary>
    Explained = 2,

    /// <summary>已转办: sent on to the body that can deal with it (named in the record).</summary>
    Referred = 3,

    /// <summary>无法解决: it cannot be done now (a policy gap, a missing system); recorded for the hall's improvement list.</summary>
    CannotResolve = 4,
}

/// <summary>What happened to a report; one kind per step.</summary>
public enum ReportEventKind
{
    Received = 1,
    CallbackRecorded = 2,
    Concluded = 3,
    Escalated = 4,
    ContactRevealed = 5,
}

/// <summary>One audit record of a report. Appended once, never changed.</summary>
public sealed record ReportEvent(
    int Sequence,
    DateTimeOffset At,
    Actor By,
    ReportEventKind Kind,
    CouldNotBeDoneState From,
    CouldNotBeDoneState To,
    string? Note,
    CallOutcome? Call = null,
    CouldNotBeDoneOutcome? Outcome = null) : ICaseRecord
{
    string ICaseRecord.What => Kind.Label();
}

/// <summary>
/// What a citizen reports at the kiosk: what they could not get done, where (the window, if they know it; the hall is the
/// kiosk's) and on which day. The contact is not part of it: it is encrypted and stored apart.
/// </summary>
public sealed record CouldNotBeDoneAccount(string What, string? Window, string? ServiceItemCode, DateOnly HappenedOn)
{
    public const int MaxWhatLength = 500;

    /// <summary>How far back a report may go: the hall's records of a visit are not kept for ever.</summary>
    public const int MaxDaysBack = 90;

    /// <summary>The account trimmed, or the field at fault; <paramref name="today"/> is the kiosk hall's local day.</summary>
    public CouldNotBeDoneAccount Checked(DateOnly today)
    {
        var what = What.Trim();
        if (what.Length == 0)
        {
            throw new InvalidInputException("what", "请写下没有办成的事");
        }

        TextLimits.Check(what, "what", MaxWhatLength);
        var window = string.IsNullOrWhiteSpace(Window) ? null : Window.Trim();
        TextLimits.Check(window, "window", 64);
        var item = string.IsNullOrWhiteSpace(ServiceItemCode) ? null : ServiceItemCode.Trim();
        TextLimits.Check(item, "service_item_code", CitizenQuestion.MaxCodeLength);
        if (HappenedOn > today)
        {
            throw new InvalidInputException("happened_on", "不能晚于今天");
        }

        if (HappenedOn < today.AddDays(-MaxDaysBack))
        {
            throw new InvalidInputException("happened_on", $"不能早于 {MaxDaysBack} 天前");
        }

        return this with { What = what, Window = window, ServiceItemCode = item };
    }
}

/// <summary>Everything a <see cref="CouldNotBeDoneReport"/> is, for storage.</summary>
public sealed record CouldNotBeDoneReportSnapshot(
    Guid Id,
    string Number,
    string HallCode,
    DateTimeOffset SubmittedAt,
    DateOnly ReceivedDay,
    DateOnly DueDay,
    CouldNotBeDoneAccount Account,
    CouldNotBeDoneState State,
    CouldNotBeDoneOutcome? Outcome,
    string? ReferredTo,
    DateTimeOffset? ConcludedAt,
    DateOnly? ConcludedDay,
    int? WorkingDaysTaken,
    bool ConcludedLate,
    bool Escalated,
    IReadOnlyList<ReportEvent> Events);

/// <summary>
/// A "could not get it done" report (办不成事反映, docs/rules/questions-and-reports.md#reports): a case for the hall manager, who
/// calls the citizen back (each attempt recorded) and concludes it with an outcome within
/// <see cref="EnquiryDeadlinePolicy.ReportWorkingDays"/> working days; the server escalates it when late.
/// </summary>
public sealed class CouldNotBeDoneReport : IWorkedCase
{
    public const int MaxConclusionLength = 2000;

    private readonly List<ReportEvent> _events = [];

    private CouldNotBeDoneReport(
        Guid id, string number, string hallCode, DateTimeOffset submittedAt, DateOnly receivedDay, DateOnly dueDay, CouldNotBeDoneAccount account)
    {
        Id = id;
        Number = number;
        HallCode = hallCode;
        SubmittedAt = submittedAt;
        ReceivedDay = receivedDay;
        DueDay = dueDay;
        Account = account;
    }

    public Guid Id { get; }

    /// <summary>The number on the citizen's receipt ("20261009-3F9A2C1B", the shape of a disclosure request's number).</summary>
    public string Number { get; }

    public string HallCode { get; }

    public DateTimeOffset SubmittedAt { get; }

    public DateOnly ReceivedDay { get; }

    /// <summary>The day the report must be concluded by.</summary>
    public DateOnly DueDay { get; }

    public CouldNotBeDoneAccount Account { get; }

    public CouldNotBeDoneState State { get; private set; } = CouldNotBeDoneState.Received;

    public string StateLabel => State.Label();

    /// <summary>A report is the hall manager's, not a department's: no handler acts on it.</summary>
    public string? AssignedDepartmentCode => null;

    public CouldNotBeDoneOutcome? Outcome { get; private set; }

    /// <summary>Who the matter was sent on to (已转办).</summary>
    public string? ReferredTo { get; private set; }

    public DateTimeOffset? ConcludedAt { get; private set; }

    /// <summary>The local day of <see cref="ConcludedAt"/>.</summary>
    public DateOnly? ConcludedDay { get; private set; }

    public int? WorkingDaysTaken { get; private set; }

    public bool ConcludedLate { get; private set; }

    public bool Escalated { get; private set; }

    public IReadOnlyList<ReportEvent> Events => _events.AsReadOnly();

    /// <summary>How many callback attempts were recorded.</summary>
    public int CallAttempts => _events.Count(e => e.Kind == ReportEventKind.CallbackRecorded);

    public IReadOnlyList<CaseStep<CouldNotBeDoneReport, CouldNotBeDoneState>> AllowedSteps(Actor actor, StepContext context) =>
        CouldNotBeDoneReportSteps.Catalog.Allowed(this, actor, context);

    public DateTimeOffset Due(EnquiryTimeLimits limits) => limits.Calendar.EndOfDay(DueDay);

    public bool IsOverdue(EnquiryTimeLimits limits, DateTimeOffset at) => State != CouldNotBeDoneState.Concluded && at > Due(limits);

    public static string NumberOf(Guid id, DateOnly submittedDay) => $"{submittedDay:yyyyMMdd}-{id.ToString("N")[^8..].ToUpperInvariant()}";

    public static CouldNotBeDoneReport Receive(Guid id, string hallCode, CouldNotBeDoneAccount account, DateTimeOffset submittedAt, EnquiryTimeLimits limits)
    {
        if (id == Guid.Empty)
        {
            throw new InvalidInputException("request_id", "不能为空");
        }

        var today = limits.Calendar.LocalDate(submittedAt);
        var received = limits.Calendar.DayOfReceipt(submittedAt);
        var report = new CouldNotBeDoneReport(id, NumberOf(id, today), hallCode, submittedAt, received, limits.ReportDueDay(received), account.Checked(today));
        report.Append(Actor.System, submittedAt, ReportEventKind.Received, CouldNotBeDoneState.Received, null);
        return report;
    }

    public static CouldNotBeDoneReport Restore(CouldNotBeDoneReportSnapshot s)
    {
        var restored = new CouldNotBeDoneReport(s.Id, s.Number, s.HallCode, s.SubmittedAt, s.ReceivedDay, s.DueDay, s.Account)
        {
            State = s.State,
            Outcome = s.Outcome,
            ReferredTo = s.ReferredTo,
            ConcludedAt = s.ConcludedAt,
            ConcludedDay = s.ConcludedDay,
            WorkingDaysTaken = s.WorkingDaysTaken,
            ConcludedLate = s.ConcludedLate,
            Escalated = s.Escalated,
        };
        restored._events.AddRange(s.Events);
        return restored;
    }

    public CouldNotBeDoneReportSnapshot ToSnapshot() => new(
        Id, Number, HallCode, SubmittedAt, ReceivedDay, DueDay, Account, State, Outcome, ReferredTo, ConcludedAt, ConcludedDay, WorkingDaysTaken, ConcludedLate,
        Escalated, _events.ToList());

    // ---- steps (docs/rules/questions-and-reports.md#report-steps) ----

    /// <summary>登记回访: one callback attempt and how it went; reaching the citizen (or their refusal) ends the callback.</summary>
    public void RecordCallback(Actor by, CallOutcome outcome, string? note, DateTimeOffset at)
    {
        Guard(CouldNotBeDoneReportSteps.RecordCallback, by, at);
        var to = outcome is CallOutcome.Reached or CallOutcome.Refused ? CouldNotBeDoneState.CalledBack : State;
        Append(by, at, ReportEventKind.CallbackRecorded, to, CitizenQuestion.Blank(note), call: outcome);
    }

    /// <summary>办结: the outcome and what was done; a referral names where it went.</summary>
    public void Conclude(Actor by, CouldNotBeDoneOutcome outcome, string? whatWasDone, string? referredTo, EnquiryTimeLimits limits, DateTimeOffset at)
    {
        Guard(CouldNotBeDoneReportSteps.Conclude, by, at, limits);
        var done = CitizenQuestion.Required(whatWasDone, "what_was_done");
        TextLimits.Check(done, "what_was_done", MaxConclusionLength);
        var referred = CitizenQuestion.Blank(referredTo);
        TextLimits.Check(referred, "referred_to", 200);
        if (outcome == CouldNotBeDoneOutcome.Referred && referred is null)
        {
            throw new InvalidInputException("referred_to", "转办须写明转至何处");
        }

        Outcome = outcome;
        ReferredTo = outcome == CouldNotBeDoneOutcome.Referred ? referred : null;
        ConcludedAt = at;
        ConcludedDay = limits.Calendar.LocalDate(at);
        WorkingDaysTaken = limits.WorkingDaysTaken(ReceivedDay, at);
        ConcludedLate = at > Due(limits);
        Append(by, at, ReportEventKind.Concluded, CouldNotBeDoneState.Concluded, done, outcome: outcome);
    }

    /// <summary>逾期督办: the server's escalation of a report not concluded in time, once.</summary>
    public void EscalateOverdue(Actor by, EnquiryTimeLimits limits, DateTimeOffset at)
    {
        Guard(CouldNotBeDoneReportSteps.EscalateOverdue, by, at, limits);
        Escalated = true;
        Append(by, at, ReportEventKind.Escalated, State, $"办理期限 {DueDay:yyyy-MM-dd} 已过，未办结");
    }

    /// <summary>查看回访号码: recorded, with its reason, before the number is shown (docs/rules/questions-and-reports.md#reports).</summary>
    public void RecordContactRevealed(Actor by, string? reason, DateTimeOffset at)
    {
        Guard(CouldNotBeDoneReportSteps.RevealContact, by, at);
        var why = CitizenQuestion.Required(reason, "reason");
        TextLimits.Check(why, "reason", TextLimits.Reason);
        Append(by, at, ReportEventKind.ContactRevealed, State, why);
    }

    private void Guard(CaseStep<CouldNotBeDoneReport, CouldNotBeDoneState> step, Actor by, DateTimeOffset at, EnquiryTimeLimits? limits = null)
    {
        CouldNotBeDoneReportSteps.Catalog.Guard(step, this, by, new StepContext(at) { EnquiryLimits = limits });
        if (_events.Count > 0 && at < _events[^1].At)
        {
            throw new InvalidInputException("at", "早于上一条记录的时间");
        }
    }

    private void Append(
        Actor by, DateTimeOffset at, ReportEventKind kind, CouldNotBeDoneState to, string? note, CallOutcome? call = null,
        CouldNotBeDoneOutcome? outcome = null)
    {
        _events.Add(new ReportEvent(_events.Count + 1, at, by, kind, State, to, note, call, outcome));
        State = to;
    }
}

public static class CouldNotBeDoneStates
{
    public static string Label(this CouldNotBeDoneState state) => state switch
    {
        CouldNotBeDoneState.Received => "待回访",
        CouldNotBeDoneState.CalledBack => "已回访",
        CouldNotBeDoneState.Concluded => "已办结",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Label(this ReportEventKind kind) => kind switch
    {
        ReportEventKind.Received => "收到反映",
        ReportEventKind.CallbackRecorded => "回访",
        ReportEventKind.Concluded => "办结",
        ReportEventKind.Escalated => "逾期督办",
        ReportEventKind.ContactRevealed => "查看回访号码",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Label(this CouldNotBeDoneOutcome outcome) => outcome switch
    {
        CouldNotBeDoneOutcome.Resolved => "已解决",
        CouldNotBeDoneOutcome.Explained => "已解释说明",
        CouldNotBeDoneOutcome.Referred => "已转办",
        CouldNotBeDoneOutcome.CannotResolve => "无法解决",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
