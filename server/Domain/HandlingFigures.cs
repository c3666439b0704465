namespace ServiceHall.Server.Domain;

/// <summary>
/// Where an open 差评 case waits, as a hall manager triages (docs/rules/indicators-and-disclosure.md#handling-figures):
/// every open state belongs to exactly one stage.
/// </summary>
public enum HandlingStage
{
    /// <summary>待分派: not yet given to a department.</summary>
    AwaitingAssignment = 1,

    /// <summary>待回访: assigned, the callback (回访核实) is due.</summary>
    AwaitingCallback = 2,

    /// <summary>整改中: a disposition is due, or a 限期整改 is under way.</summary>
    Rectifying = 3,

    /// <summary>待反馈: fixed at once or explained; the feedback to the rater is due.</summary>
    AwaitingFeedback = 4,

    /// <summary>待评价整改: feedback given, the rater's verdict on the fix is due.</summary>
    AwaitingVerdict = 5,

    /// <summary>申诉处理: an appeal waits for the supervisor, or an upheld one for closing.</summary>
    Appeal = 6,
}

public static class HandlingStages
{
    /// <summary>Every stage, in the order the loop runs.</summary>
    public static IReadOnlyList<HandlingStage> All { get; } = Enum.GetValues<HandlingStage>();

    /// <summary>The stage a case in <paramref name="state"/> waits in; null once it is closed.</summary>
    public static HandlingStage? Of(CaseState state) => state switch
    {
        CaseState.New => HandlingStage.AwaitingAssignment,
        CaseState.Assigned => HandlingStage.AwaitingCallback,
        CaseState.Contacted or CaseState.RectifyingByDeadline => HandlingStage.Rectifying,
        CaseState.FixedAtOnce or CaseState.Explained => HandlingStage.AwaitingFeedback,
        CaseState.FeedbackGiven => HandlingStage.AwaitingVerdict,
        CaseState.Appealed or CaseState.AppealUpheld => HandlingStage.Appeal,
        CaseState.Closed => null,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Label(this HandlingStage stage) => stage switch
    {
        HandlingStage.AwaitingAssignment => "待分派",
        HandlingStage.AwaitingCallback => "待回访",
        HandlingStage.Rectifying => "整改中",
        HandlingStage.AwaitingFeedback => "待反馈",
        HandlingStage.AwaitingVerdict => "待评价整改",
        HandlingStage.Appeal => "申诉处理",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    /// <summary>
    /// Whether a case is overdue at <paramref name="now"/>: a deadline whose clock still runs in its state has passed
    /// (<see cref="BadReviewCase.ContactClockRuns"/>, <see cref="BadReviewCase.RectificationClockRuns"/>).
    /// </summary>
    public static bool IsOverdue(CaseState state, DateTimeOffset contactDue, DateTimeOffset rectificationDue, DateTimeOffset now) =>
        (BadReviewCase.ContactClockRuns(state) && contactDue < now) || (BadReviewCase.RectificationClockRuns(state) && rectificationDue < now);

    /// <summary>Whether a case not overdue at <paramref name="now"/> will be by <paramref name="dueBy"/> (due today, for the end of today).</summary>
    public static bool IsDueBy(CaseState state, DateTimeOffset contactDue, DateTimeOffset rectificationDue, DateTimeOffset now, DateTimeOffset dueBy) =>
        !IsOverdue(state, contactDue, rectificationDue, now) && IsOverdue(state, contactDue, rectificationDue, dueBy);
}

/// <summary>
/// Cases of one responsible department in one state, how many of them are overdue, and how many fall due before the end of
/// the day (a running deadline not passed yet, but passed by then).
/// </summary>
public sealed record CaseStateCount(string DepartmentCode, CaseState State, int Count, int Overdue, int DueToday = 0);

/// <summary>
/// Cases of one responsible department that took so many working days from receipt to a milestone (the rater reached, the first
/// feedback): what a median of working days is counted from. Working days are counted from the local day of receipt to the local
/// day of the milestone on the district's calendar (<see cref="WorkingCalendar.WorkingDaysBetween"/>).
/// </summary>
public sealed record CaseDuration(string DepartmentCode, int WorkingDays, int Count);

/// <summary>
/// What the handling figures of one period and scope are made of, as the store sums them from the facts kept beside each
/// case (cases rated in the period, appeal-upheld ones left out of the durations as they are of the rates).
/// </summary>
public sealed record HandlingCounts(
    IReadOnlyList<CaseStateCount> States, IReadOnlyList<CaseDuration> ToContact, IReadOnlyList<CaseDuration> ToFeedback)
{
    public static HandlingCounts Empty { get; } = new([], [], []);

    /// <summary>
    /// The same counts made case by case, the reference the store's sums are held to (StoreContractTests).
    /// </summary>
    public static HandlingCounts Of(IEnumerable<BadReviewCase> cases, DateTimeOffset now, DateTimeOffset dueBy, WorkingCalendar calendar)
    {
        var all = cases.ToList();
        var states = all
            .GroupBy(c => (Department: c.AssignedDepartmentCode ?? c.DepartmentCode, c.State))
            .Select(g => new CaseStateCount(g.Key.Department, g.Key.State, g.Count(),
                g.Count(c => HandlingStages.IsOverdue(c.State, c.Deadlines.ContactDue, c.Deadlines.RectificationDue, now)),
                g.Count(c => HandlingStages.IsDueBy(c.State, c.Deadlines.ContactDue, c.Deadlines.RectificationDue, now, dueBy))))
            .ToList();
        List<CaseDuration> Durations(Func<CaseFacts, DateTimeOffset?> milestone) => all
            .Select(c => (Case: c, Facts: CaseFacts.Of(c)))
            .Where(x => !x.Facts.AppealUpheld && milestone(x.Facts) is not null)
            .GroupBy(x => (
                Department: x.Case.AssignedDepartmentCode ?? x.Case.DepartmentCode,
                Days: calendar.WorkingDaysBetween(calendar.LocalDate(x.Case.ReceivedAt), calendar.LocalDate(milestone(x.Facts)!.Value))))
            .Select(g => new CaseDuration(g.Key.Department, g.Key.Days, g.Count()))
            .ToList();
        return new HandlingCounts(states, Durations(f => f.ReachedAt), Durations(f => f.FirstFeedbackAt));
    }
}

/// <summary>Open cases of one stage, those overdue and those falling due today.</summary>
public sealed record StageCount(HandlingStage Stage, int Open, int Overdue, int DueToday = 0)
{
    public string Label => Stage.Label();
}

/// <summary>
/// How 差评 were handled in one period and scope, or for one department of it: received, open and overdue by stage, the
/// case rates (the publication's own, <see cref="Indicators.CaseRates"/>) and the median working days to the milestones.
/// </summary>
public sealed record HandlingSummary(
    int Received, IReadOnlyList<StageCount> Stages, IReadOnlyList<IndicatorValue> Rates, double? MedianDaysToContact, double? MedianDaysToFeedback)
{
    public int Open => Stages.Sum(s => s.Open);

    public int Overdue => Stages.Sum(s => s.Overdue);

    public int DueToday => Stages.Sum(s => s.DueToday);

    public int OpenIn(HandlingStage stage) => Stages.Single(s => s.Stage == stage).Open;

    public IndicatorValue Rate(string code) => Rates.Single(r => r.Code == code);

    /// <summary>
    /// The summary of the cases behind <paramref name="states"/> and <paramref name="figures"/> (the same cases). Working days
    /// run on the district's calendar: a case received on a day and reached on the next working day took 1.
    /// </summary>
    public static HandlingSummary Of(
        IEnumerable<CaseStateCount> states, CaseFigures figures, IEnumerable<CaseDuration> toContact, IEnumerable<CaseDuration> toFeedback,
        int minimumSample)
    {
        var byState = states.ToList();
        return new HandlingSummary(
            byState.Sum(s => s.Count), CaseLoad.Of(byState).Stages, Indicators.CaseRates(figures, minimumSample),
            MedianWorkingDays(toContact), MedianWorkingDays(toFeedback));
    }

    /// <summary>The median of the working days each case took (the mean of the middle two for an even count); null for none.</summary>
    public static double? MedianWorkingDays(IEnumerable<CaseDuration> durations)
    {
        var histogram = durations
            .GroupBy(p => p.WorkingDays)
            .Select(g => (Days: g.Key, Count: g.Sum(p => p.Count)))
            .OrderBy(x => x.Days)
            .ToList();
        var total = histogram.Sum(x => x.Count);
        if (total == 0)
        {
            return null;
        }

        int At(int index)
        {
            foreach (var (days, count) in histogram)
            {
                if (index < count)
                {
                    return days;
                }

                index -= count;
            }

            throw new InvalidOperationException("index beyond the histogram");
        }

        return total % 2 == 1 ? At(total / 2) : (At((total / 2) - 1) + At(total / 2)) / 2.0;
    }
}

/// <summary>The open cases of some scope by stage: what a console's triage header and department table show.</summary>
public sealed record CaseLoad(IReadOnlyList<StageCount> Stages)
{
    public int Open => Stages.Sum(s => s.Open);

    public int Overdue => Stages.Sum(s => s.Overdue);

    public int DueToday => Stages.Sum(s => s.DueToday);

    public static CaseLoad Of(IEnumerable<CaseStateCount> states)
    {
        var byState = states.ToList();
        return new CaseLoad(HandlingStages.All.Select(stage =>
        {
            var inStage = byState.Where(s => HandlingStages.Of(s.State) == stage).ToList();
            return new StageCount(stage, inStage.Sum(s => s.Count), inStage.Sum(s => s.Overdue), inStage.Sum(s => s.DueToday));
        }).ToList());
    }
}

/// <summary>One department's open cases.</summary>
public sealed record DepartmentLoad(string DepartmentCode, string DepartmentName, CaseLoad Load);

/// <summary>One department's handling figures.</summary>
public sealed record DepartmentHandling(string DepartmentCode, string DepartmentName, HandlingSummary Summary);

/// <summary>One month of the trend: 差评 received (rated) in it, and its on-time rectification as of now.</summary>
public sealed record HandlingMonth(int Year, int Month, int Received, IndicatorValue RectifiedInTime);

/// <summary>The handling figures of one period of a scope: the whole, each department, and (for a live screen) the trend.</summary>
public sealed record HandlingPeriod(string Name, DateOnly FirstDay, DateOnly LastDay, HandlingSummary Total, IReadOnlyList<DepartmentHandling> Departments);

/// <summary>What a live screen shows of a hall or the district: today, this month and the year so far, and 12 months of trend.</summary>
public sealed record HandlingFigures(
    string ScopeCode, string ScopeName, DateTimeOffset AsOf, HandlingPeriod Today, HandlingPeriod Month, HandlingPeriod Year,
    IReadOnlyList<HandlingMonth> Trend, CaseLoad OpenNow);

/// <summary>
/// 好评率 and 差评数 of one window's ratings in a period, as the publication's window ranking counts them: what a hall's
/// month-end 通报 ranks windows by, beside their 按时整改率.
/// </summary>
public sealed record WindowRatings(IndicatorValue GoodRate, int BadCount);

/// <summary>One group of a statistics breakdown (a department, window, member of staff, reason tag or channel).</summary>
public sealed record HandlingGroup(string Key, string Name, HandlingSummary Summary, WindowRatings? Ratings = null);
