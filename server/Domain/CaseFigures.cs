namespace ServiceHall.Server.Domain;

/// <summary>
/// What the indicators and the overdue scan need to know of one 差评 case, as plain facts. The store keeps these beside
/// each case (written from the case itself whenever it is saved), so a period's figures are sums and the overdue scan
/// reads only the cases whose deadline has passed, not every case.
/// </summary>
public sealed record CaseFacts(
    bool AppealUpheld, bool Closed, bool Rectified, bool RectifiedInTime, bool RealName, bool CalledBack, bool RaterAsked,
    bool RaterSatisfied, DateTimeOffset RectificationDue, DateTimeOffset ContactDue, bool Escalated, DateTimeOffset? ReachedAt = null,
    DateTimeOffset? FirstFeedbackAt = null)
{
    /// <summary>
    /// The facts of a case. <see cref="ReachedAt"/> is when its rater was first reached (回访核实), <see cref="FirstFeedbackAt"/>
    /// when the first 整改反馈 was given: the milestones the handling figures' median working days count to.
    /// </summary>
    public static CaseFacts Of(BadReviewCase c) => new(
        c.IsExcludedFromStatistics, c.IsClosed, c.IsRectified, c.RectifiedInTime == true, c.IsRealName, c.IsCalledBack,
        c.Satisfaction is not null, c.Satisfaction is RaterSatisfaction.Satisfied or RaterSatisfaction.BasicallySatisfied,
        c.Deadlines.RectificationDue, c.Deadlines.ContactDue, c.IsEscalated,
        c.Events.FirstOrDefault(e => e.Kind == CaseEventKind.Contacted)?.At,
        c.Events.FirstOrDefault(e => e.Kind == CaseEventKind.FeedbackGiven)?.At);
}

/// <summary>
/// The case counts of one period and scope (docs/rules/indicators-and-disclosure.md#indicators): the numerators and
/// denominators of the case rates.
/// </summary>
public sealed record CaseFigures(
    // 差评 taken out of the figures by an upheld appeal (误评/恶意差评): shown as their own count.
    int AppealUpheld,
    // 差评 cases (appeal-upheld ones excluded) that are due: closed, or past their rectification deadline.
    int BadDue,
    int BadRectified,
    int BadRectifiedInTime,
    // Real-name 差评 whose callback is due: reached, or past the contact deadline; and those whose rater was reached (回访).
    int RealNameBad,
    int RealNameBadContacted,
    // Raters asked about the fix, and those 满意 or 基本满意 with it.
    int RatersAsked,
    int RatersSatisfied)
{
    public static CaseFigures Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>The counts of two sets of cases taken together (a breakdown's groups merged).</summary>
    public CaseFigures Plus(CaseFigures other) => new(
        AppealUpheld + other.AppealUpheld, BadDue + other.BadDue, BadRectified + other.BadRectified, BadRectifiedInTime + other.BadRectifiedInTime,
        RealNameBad + other.RealNameBad, RealNameBadContacted + other.RealNameBadContacted, RatersAsked + other.RatersAsked,
        RatersSatisfied + other.RatersSatisfied);

    /// <summary>
    /// The counts over some cases at <paramref name="asOf"/>. A rate counts a case only once it is due or done
    /// (docs/rules/indicators-and-disclosure.md#due-or-done): the rectification rates once it is closed or its
    /// rectification deadline has passed, the callback rate once its rater was reached or its contact deadline has passed.
    /// </summary>
    public static CaseFigures Of(IEnumerable<CaseFacts> cases, DateTimeOffset asOf)
    {
        var all = cases.ToList();
        var counted = all.Where(c => !c.AppealUpheld).ToList();
        return new CaseFigures(
            all.Count(c => c.AppealUpheld),
            BadDue: counted.Count(c => c.Closed || asOf > c.RectificationDue),
            BadRectified: counted.Count(c => c.Rectified),
            BadRectifiedInTime: counted.Count(c => c.RectifiedInTime),
            RealNameBad: counted.Count(c => c.RealName && (c.CalledBack || asOf > c.ContactDue)),
            RealNameBadContacted: counted.Count(c => c.RealName && c.CalledBack),
            RatersAsked: counted.Count(c => c.RaterAsked),
            RatersSatisfied: counted.Count(c => c.RaterSatisfied));
    }
}
