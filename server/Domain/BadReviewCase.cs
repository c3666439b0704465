namespace ServiceHall.Server.Domain;

/// <summary>
/// The 差评整改 case of one bad rating: the closed loop of docs/rules/bad-review-cases.md, from routing to the responsible
/// department ("谁办理、谁负责", 国办发〔2019〕51号) through callback, disposition, feedback and the rater's verdict to closing.
/// </summary>
/// <remarks>
/// Each step is declared once in <see cref="BadReviewSteps"/> (who, from which states, on which condition); every method
/// below runs that step's guard first, then checks its inputs (<see cref="InvalidInputException"/>), and only then
/// changes the case and appends exactly one <see cref="CaseEvent"/>. A refused step changes nothing.
/// Instants come from the caller (read from a TimeProvider), so the case holds no clock.
/// </remarks>
public sealed partial class BadReviewCase : IWorkedCase
{

    private readonly List<CaseEvent> _events = [];
    private bool _rectifiedLate;

    private BadReviewCase(Guid id, Rating rating, CaseDeadlines deadlines)
        : this(id, rating.Id, rating.HallCode, rating.DepartmentCode, rating.WindowCode, rating.ServiceItemCode, rating.StaffId,
            rating.Level, rating.IsRealName, rating.ReceivedAt, deadlines)
    {
        RatedAt = rating.RatedAt;
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
        RatedAt = receivedAt;
        Deadlines = deadlines;
        State = CaseState.New;
    }

    /// <summary>A case as it was stored: the same state and trail, no transition replayed.</summary>
    public static BadReviewCase Restore(CaseSnapshot s)
    {
        var restored = new BadReviewCase(s.Id, s.RatingId, s.HallCode, s.DepartmentCode, s.WindowCode, s.ServiceItemCode, s.StaffId,
            s.Level, s.IsRealName, s.ReceivedAt, s.Deadlines)
        {
            // A snapshot stored before cases kept the rating time has none; its store row has it (from the rating).
            RatedAt = s.RatedAt ?? s.ReceivedAt,
            CaseNumber = s.CaseNumber,
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
        _rectifiedLate, _events.ToList(), RatedAt, CaseNumber);

    /// <summary>The public summary of what was done (整改反馈) is a sentence or two, not a report.</summary>
    public const int MaxPublicSummaryLength = 200;

    public Guid Id { get; }

    /// <summary>
    /// The number staff read out and search by (差评-yyyyMMdd-NNNN, docs/rules/bad-review-cases.md#case-numbers), given by the
    /// store when the case is first stored and never changed; <see cref="Id"/> stays the key everything else uses.
    /// </summary>
    public string? CaseNumber { get; private set; }

    /// <summary>Gives the case its number, once.</summary>
    public void Number(string caseNumber)
    {
        if (CaseNumber is not null)
        {
            throw new InvalidOperationException($"case {Id} already has number {CaseNumber}");
        }

        CaseNumber = CaseNumbers.IsWellFormed(caseNumber) ? caseNumber : throw new ArgumentException($"not a case number: {caseNumber}", nameof(caseNumber));
    }

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

    /// <summary>
    /// When the citizen rated: the case and its figures belong to the period of this instant, as the rating does
    /// (docs/rules/indicators-and-disclosure.md#which-period).
    /// </summary>
    public DateTimeOffset RatedAt { get; private init; }

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
        _events.Where(e => e.Call is not null).Select(e => new CallAttempt(e.At, e.By.Id, e.Call!.Value, e.Note)).ToList();

    public bool IsClosed => State == CaseState.Closed;

    /// <summary>Escalated to the hall manager (督办) at least once, by hand or by the overdue job.</summary>
    public bool IsEscalated => _events.Any(e => e.Kind == CaseEventKind.Escalated);

    /// <summary>A missed deadline went on to the district supervisor (the second tier of escalation).</summary>
    public bool IsEscalatedToSupervisor => _events.Any(e => e.Kind == CaseEventKind.Escalated && e.MissedDeadline?.EndsWith(MissableDeadline.SupervisorKeySuffix, StringComparison.Ordinal) == true);

    public string StateLabel => State.Label();

    /// <summary>The steps <paramref name="actor"/> may take now, from <see cref="BadReviewSteps.Catalog"/>.</summary>
    public IReadOnlyList<CaseStep<BadReviewCase, CaseState>> AllowedSteps(Actor actor, StepContext context) =>
        BadReviewSteps.Catalog.Allowed(this, actor, context);

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

    /// <summary>
    /// The deadlines running now that no automatic escalation was made for yet, earliest first: each deadline a case
    /// can miss (first contact, rectification, the extended rectification, each reopened round's) escalates once, when
    /// missed (docs/rules/bad-review-cases.md#escalation). A manual escalation does not count: it stops no automatic one.
    /// </summary>
    public IReadOnlyList<MissableDeadline> DeadlinesToEscalate()
    {
        var running = new List<MissableDeadline>(4);
        void Add(string stage, DateTimeOffset due, DateTimeOffset? supervisorDue)
        {
            running.Add(new MissableDeadline(stage, due));
            if (supervisorDue is { } later)
            {
                // Still not met some working days after it was missed: the second tier, to the district supervisor.
                running.Add(new MissableDeadline(stage, later, EscalationTier.DistrictSupervisor, due));
            }
        }

        if (ContactRunning)
        {
            Add("首次联系", Deadlines.ContactDue, Deadlines.ContactSupervisorDue);
        }

        if (RectificationRunning)
        {
            var stage = ReopenCount > 0 ? $"第 {ReopenCount + 1} 轮整改反馈" : "整改反馈";
            Add(Deadlines.Extended ? stage + "（延期）" : stage, Deadlines.RectificationDue, Deadlines.RectificationSupervisorDue);
        }

        return running
            .Where(d => !_events.Any(e => e.Kind == CaseEventKind.Escalated && (e.MissedDeadline == d.Key || CoveredByUnkeyed(e, d))))
            .OrderBy(d => d.Due)
            .ToList();
    }

    // An automatic escalation stored before escalations named their deadline covered whatever was overdue when it was
    // made: such a deadline is not escalated a second time.
    private static bool CoveredByUnkeyed(CaseEvent e, MissableDeadline d) =>
        e.MissedDeadline is null && e.By.Role == CaseRole.System && d.Tier == EscalationTier.HallManager && d.Due < e.At;

    /// <summary>When the next automatic escalation falls due, or null: what the overdue scan selects cases by.</summary>
    public DateTimeOffset? NextEscalationDue => DeadlinesToEscalate() is [var first, ..] ? first.Due : null;

    private bool ContactRunning => ContactClockRuns(State);

    private bool RectificationRunning => RectificationClockRuns(State);

    /// <summary>Whether the first-contact deadline is running in <paramref name="state"/> (a case there can be overdue on it).</summary>
    public static bool ContactClockRuns(CaseState state) => state switch
    {
        CaseState.New or CaseState.Assigned => true,
        CaseState.Contacted or CaseState.FixedAtOnce or CaseState.RectifyingByDeadline or CaseState.Explained
            or CaseState.Appealed or CaseState.AppealUpheld or CaseState.FeedbackGiven or CaseState.Closed => false,
        _ => throw new InvalidOperationException($"unknown case state {state}"),
    };

    /// <summary>
    /// Whether the rectification-and-feedback deadline is running in <paramref name="state"/>. An appeal does not stop the
    /// clock: if it is rejected the department still owes a fix within the limit.
    /// </summary>
    public static bool RectificationClockRuns(CaseState state) => state switch
    {
        CaseState.New or CaseState.Assigned or CaseState.Contacted or CaseState.FixedAtOnce
            or CaseState.RectifyingByDeadline or CaseState.Explained or CaseState.Appealed => true,
        CaseState.AppealUpheld or CaseState.FeedbackGiven or CaseState.Closed => false,
        _ => throw new InvalidOperationException($"unknown case state {state}"),
    };

    /// <summary>Where the contact and rectification deadlines stand at <paramref name="at"/>, for warnings and escalation.</summary>
    public CaseDeadlineReport DeadlineStatusAt(DateTimeOffset at, CaseTimeLimits limits)
    {
        var contactRunning = ContactRunning;
        var rectificationRunning = RectificationRunning;
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

    private void Guard(CaseStep<BadReviewCase, CaseState> step, Actor by, DateTimeOffset at, CaseTimeLimits? limits = null) =>
        BadReviewSteps.Catalog.Guard(step, this, by, new StepContext(at, limits));

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

    /// <summary>The longest code (department, handler) a step accepts: a longer one is no code of this district.</summary>
    public const int MaxCodeLength = 64;

    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(value))]
    private static string? Code(string? value, string field) =>
        value is { Length: > MaxCodeLength } ? throw new InvalidInputException(field, $"不能超过 {MaxCodeLength} 个字符") : value;

    /// <summary>
    /// Why <paramref name="departmentCode"/> cannot answer for this case, or null: it must be a department of the
    /// catalog that owns the case's service item or has a window (or handles an item) in the case's hall. A case
    /// assigned elsewhere could be worked by nobody. Checked by the workflow, which knows the catalog.
    /// </summary>
    public string? WhyNotResponsible(string departmentCode, DistrictCatalog catalog)
    {
        if (catalog.FindDepartment(departmentCode) is null)
        {
            return "没有这个部门";
        }

        var ownsItem = ServiceItemCode is not null && catalog.FindServiceItem(ServiceItemCode)?.DepartmentCode == departmentCode;
        var inHall = catalog.FindHall(HallCode) is { } hall && catalog.DepartmentsOf(hall).Any(d => d.Code == departmentCode);
        return ownsItem || inHall ? null : "该部门不办理本案事项，在本大厅也没有窗口";
    }

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
