namespace ServiceHall.Server.Domain;

/// <summary>
/// The time limits of the 差评 loop, in working days (docs/rules/bad-review-cases.md#deadlines). Section "CaseDeadlines".
/// The defaults are Shandong's, which the 德州 and 槐荫 notices repeat: first contact within 1 working day, rectification
/// and feedback within 5, extendable for complex cases to 15 with a stated reason (鲁政办发〔2020〕10号). Other provinces
/// differ, hence every number is configurable.
/// </summary>
public sealed record CaseDeadlinePolicy
{
    public const string Section = "CaseDeadlines";

    /// <summary>回访核实 within this many working days of receipt.</summary>
    public int ContactWorkingDays { get; init; } = 1;

    /// <summary>Rectification and feedback (整改反馈) within this many working days of receipt.</summary>
    public int RectificationWorkingDays { get; init; } = 5;

    /// <summary>A once-only extension may move the rectification deadline to at most this many working days from receipt.</summary>
    public int MaxExtendedWorkingDays { get; init; } = 15;

    /// <summary>
    /// The contact deadline shows DueSoon when at most this many working days remain after today; 0 = on the
    /// deadline day itself. With a 1-day limit anything earlier would warn from the moment the case opens.
    /// </summary>
    public int ContactWarningWorkingDays { get; init; }

    /// <summary>The rectification deadline shows DueSoon from this many working days before its day (default: the day before).</summary>
    public int RectificationWarningWorkingDays { get; init; } = 1;

    /// <summary>
    /// A missed deadline escalates to the hall manager when it passes, and to the district supervisor when it is still not
    /// met this many working days later (docs/rules/bad-review-cases.md#escalation).
    /// </summary>
    public int SupervisorEscalationWorkingDays { get; init; } = 3;

    /// <summary>Failed attempts to reach a real-name rater before the hall manager may let the case go on without a callback.</summary>
    public int CallAttemptsBeforeGivingUp { get; init; } = 3;

    /// <exception cref="ArgumentException">The limits contradict each other.</exception>
    public void Validate()
    {
        if (ContactWorkingDays < 1 || RectificationWorkingDays < ContactWorkingDays || MaxExtendedWorkingDays < RectificationWorkingDays)
        {
            throw new ArgumentException(
                $"{Section}: need 1 ≤ ContactWorkingDays ≤ RectificationWorkingDays ≤ MaxExtendedWorkingDays, " +
                $"got {ContactWorkingDays}, {RectificationWorkingDays}, {MaxExtendedWorkingDays}");
        }

        if (ContactWarningWorkingDays < 0 || RectificationWarningWorkingDays < 0 || CallAttemptsBeforeGivingUp < 1)
        {
            throw new ArgumentException($"{Section}: warning windows must be ≥ 0 and CallAttemptsBeforeGivingUp ≥ 1");
        }

        if (SupervisorEscalationWorkingDays < 1)
        {
            throw new ArgumentException($"{Section}: SupervisorEscalationWorkingDays must be ≥ 1, got {SupervisorEscalationWorkingDays}");
        }
    }
}

/// <summary>Where one deadline stands at a given instant.</summary>
public enum DeadlineStatus
{
    /// <summary>Running, not yet in the warning window.</summary>
    OnTrack = 1,

    /// <summary>Running and in the warning window: a background job warns the handler.</summary>
    DueSoon = 2,

    /// <summary>Running and past: a background job escalates to the hall manager.</summary>
    Overdue = 3,

    /// <summary>The step it limits is done (or no longer needed, e.g. an upheld appeal); nothing to watch.</summary>
    Done = 4,
}

/// <summary>Both deadlines of a case at one instant.</summary>
public sealed record CaseDeadlineReport(DeadlineStatus Contact, DeadlineStatus Rectification);

/// <summary>
/// A case's deadlines, fixed when the case opens (and when a 不满意 reopens it) so the handler, the hall manager and
/// the audit all see the same dates even if a calendar file is added later. Every due instant is the end of its
/// local due day.
/// </summary>
public sealed record CaseDeadlines(
    DateOnly CountedFrom,
    DateOnly ContactDueDay,
    DateTimeOffset ContactDue,
    DateOnly RectificationDueDay,
    DateTimeOffset RectificationDue,
    DateOnly ExtensionLimitDay,
    bool Extended)
{
    /// <summary>
    /// When a missed contact deadline goes on to the district supervisor (the end of the working day
    /// <see cref="CaseDeadlinePolicy.SupervisorEscalationWorkingDays"/> after it); null in cases opened before the tier existed.
    /// </summary>
    public DateTimeOffset? ContactSupervisorDue { get; init; }

    /// <summary>The same for the rectification deadline in force (extended or reopened: its own).</summary>
    public DateTimeOffset? RectificationSupervisorDue { get; init; }
}

/// <summary>The case time limits of a jurisdiction: its <see cref="CaseDeadlinePolicy"/> on its <see cref="WorkingCalendar"/>.</summary>
public sealed class CaseTimeLimits
{
    public CaseTimeLimits(WorkingCalendar calendar, CaseDeadlinePolicy policy)
    {
        policy.Validate();
        Calendar = calendar;
        Policy = policy;
    }

    public WorkingCalendar Calendar { get; }

    public CaseDeadlinePolicy Policy { get; }

    /// <summary>The deadlines of a case whose rating was received at <paramref name="receivedAt"/>.</summary>
    public CaseDeadlines ForReceipt(DateTimeOffset receivedAt)
    {
        var from = Calendar.DayOfReceipt(receivedAt);
        var contact = Calendar.AddWorkingDays(from, Policy.ContactWorkingDays);
        return Rectification(from) with
        {
            ContactDueDay = contact, ContactDue = Calendar.EndOfDay(contact), ContactSupervisorDue = SupervisorDue(contact),
        };
    }

    /// <summary>
    /// After a 不满意 reopens a case: a fresh rectification round counted from the reopening, as if the complaint had
    /// been received again. The callback stage is behind the case, so the contact deadline stays as it was.
    /// </summary>
    public CaseDeadlines ForReopening(CaseDeadlines current, DateTimeOffset reopenedAt) =>
        Rectification(Calendar.DayOfReceipt(reopenedAt)) with
        {
            ContactDueDay = current.ContactDueDay, ContactDue = current.ContactDue, ContactSupervisorDue = current.ContactSupervisorDue,
        };

    /// <summary>The deadline moved to the end of <paramref name="newDueDay"/>; the caller has checked it is allowed.</summary>
    public CaseDeadlines Extend(CaseDeadlines current, DateOnly newDueDay) =>
        current with
        {
            RectificationDueDay = newDueDay, RectificationDue = Calendar.EndOfDay(newDueDay), Extended = true,
            RectificationSupervisorDue = SupervisorDue(newDueDay),
        };

    /// <summary>The end of the working day <see cref="CaseDeadlinePolicy.SupervisorEscalationWorkingDays"/> after a due day.</summary>
    public DateTimeOffset SupervisorDue(DateOnly dueDay) => Calendar.EndOfDay(Calendar.AddWorkingDays(dueDay, Policy.SupervisorEscalationWorkingDays));

    /// <summary>
    /// Where a running deadline stands at <paramref name="at"/>: Overdue once the due instant has passed; DueSoon when
    /// at most <paramref name="warningWorkingDays"/> working days lie between today (local) and the due day; else OnTrack.
    /// Counting whole working days, not hours, keeps the rule one a hall manager can check on a wall calendar.
    /// </summary>
    public DeadlineStatus StatusOf(DateOnly dueDay, DateTimeOffset due, int warningWorkingDays, DateTimeOffset at)
    {
        if (at > due)
        {
            return DeadlineStatus.Overdue;
        }

        return Calendar.WorkingDaysBetween(Calendar.LocalDate(at), dueDay) <= warningWorkingDays
            ? DeadlineStatus.DueSoon
            : DeadlineStatus.OnTrack;
    }

    private CaseDeadlines Rectification(DateOnly from)
    {
        var due = Calendar.AddWorkingDays(from, Policy.RectificationWorkingDays);
        return new CaseDeadlines(
            from, default, default, due, Calendar.EndOfDay(due), Calendar.AddWorkingDays(from, Policy.MaxExtendedWorkingDays), false)
        {
            RectificationSupervisorDue = SupervisorDue(due),
        };
    }
}
