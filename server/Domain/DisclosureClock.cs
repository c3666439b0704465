namespace ServiceHall.Server.Domain;

/// <summary>
/// The statutory time limits of an information-disclosure request, in working days (docs/rules/disclosure-requests.md#the-clock).
/// Section "DisclosureDeadlines". The defaults are the law's (政府信息公开条例, 2019): reply within 20 working days of
/// receipt, one extension of at most 20 (art. 33); a 补正 request within 7 working days of receipt (art. 30); a third party
/// has 15 working days to give its opinion (art. 32). The warning window and the longest supplement period the office may
/// set are local choices.
/// </summary>
public sealed record DisclosureDeadlinePolicy
{
    public const string Section = "DisclosureDeadlines";

    /// <summary>Art. 33: reply within this many working days of receipt (or of the supplement).</summary>
    public int ReplyWorkingDays { get; init; } = 20;

    /// <summary>Art. 33: one extension of at most this many working days.</summary>
    public int MaxExtensionWorkingDays { get; init; } = 20;

    /// <summary>Art. 30: a request for 补正 must be made within this many working days of receipt.</summary>
    public int SupplementRequestWorkingDays { get; init; } = 7;

    /// <summary>The longest period, in working days from the 补正 request, the office may give the applicant to supplement.</summary>
    public int MaxSupplementWorkingDays { get; init; } = 15;

    /// <summary>Art. 32: a third party consulted has this many working days to give its opinion.</summary>
    public int ThirdPartyOpinionWorkingDays { get; init; } = 15;

    /// <summary>The reply deadline shows DueSoon from this many working days before its day.</summary>
    public int WarningWorkingDays { get; init; } = 3;

    /// <exception cref="ArgumentException">The limits are not positive.</exception>
    public void Validate()
    {
        if (ReplyWorkingDays < 1 || MaxExtensionWorkingDays < 1 || SupplementRequestWorkingDays < 1 || MaxSupplementWorkingDays < 1
            || ThirdPartyOpinionWorkingDays < 1 || WarningWorkingDays < 0)
        {
            throw new ArgumentException($"{Section}: every limit must be ≥ 1 working day and the warning window ≥ 0");
        }
    }
}

/// <summary>One consultation (征求意见) of a third party or another agency: its time is not counted (art. 33).</summary>
public sealed record ConsultationPeriod(DateOnly SentDay, DateOnly? AnsweredDay);

/// <summary>Whether the reply clock runs, and why not.</summary>
public enum DisclosureClockState
{
    /// <summary>Counting working days towards the reply.</summary>
    Running = 1,

    /// <summary>Stopped while the applicant supplements (art. 30); it counts afresh from the supplement.</summary>
    StoppedForSupplement = 2,

    /// <summary>Paused while a third party or another agency is consulted (art. 33: not counted).</summary>
    PausedForConsultation = 3,

    /// <summary>Replied, or the request lapsed: nothing runs.</summary>
    Finished = 4,
}

/// <summary>
/// What the reply deadline of one request depends on: the day of receipt, the supplement (if any), the extension (if any) and
/// the consultations. Everything else about the clock is computed from these, so it cannot drift from the trail.
/// </summary>
public sealed record DisclosureClockFacts(
    DateOnly ReceivedDay,
    DateOnly? SupplementReceivedDay,
    int ExtensionWorkingDays,
    IReadOnlyList<ConsultationPeriod> Consultations);

/// <summary>The reply deadline at one instant.</summary>
public sealed record DisclosureDeadline(DateOnly DueDay, DateTimeOffset Due, DisclosureClockState Clock, DeadlineStatus Status, int PausedWorkingDays);

/// <summary>The disclosure time limits of a jurisdiction: its <see cref="DisclosureDeadlinePolicy"/> on its <see cref="WorkingCalendar"/>.</summary>
public sealed class DisclosureTimeLimits
{
    public DisclosureTimeLimits(WorkingCalendar calendar, DisclosureDeadlinePolicy policy)
    {
        policy.Validate();
        Calendar = calendar;
        Policy = policy;
    }

    public WorkingCalendar Calendar { get; }

    public DisclosureDeadlinePolicy Policy { get; }

    /// <summary>
    /// The day of receipt of a request handed in at the hall (art. 31(1): the day it is handed in), or the next working day
    /// when that day is not one — a kiosk in a hall open on a day off does not make the office work on it.
    /// </summary>
    public DateOnly DayOfReceipt(DateTimeOffset submittedAt) => Calendar.DayOfReceipt(submittedAt);

    /// <summary>Art. 30: the last day on which the applicant may be asked to supplement.</summary>
    public DateOnly SupplementRequestLastDay(DateOnly receivedDay) => Calendar.AddWorkingDays(receivedDay, Policy.SupplementRequestWorkingDays);

    /// <summary>The latest supplement due day the office may set when it asks on <paramref name="requestDay"/>.</summary>
    public DateOnly SupplementLatestDueDay(DateOnly requestDay) => Calendar.AddWorkingDays(requestDay, Policy.MaxSupplementWorkingDays);

    /// <summary>Art. 32: the day a third party consulted on <paramref name="sentDay"/> must answer by.</summary>
    public DateOnly ThirdPartyDueDay(DateOnly sentDay) => Calendar.AddWorkingDays(sentDay, Policy.ThirdPartyOpinionWorkingDays);

    /// <summary>
    /// The reply due day: the <see cref="DisclosureDeadlinePolicy.ReplyWorkingDays"/> (plus the extension) working day after
    /// the day counting starts from — receipt, or the supplement's receipt (art. 30: counted from the supplement) — skipping
    /// every working day spent consulting (art. 33). A consultation sent on day A and answered on day B takes the working
    /// days after A up to and including B out of the count; one still open takes them up to <paramref name="today"/>, so
    /// the day shown moves on each day the consultation stays open.
    /// </summary>
    public DateOnly ReplyDueDay(DisclosureClockFacts facts, DateOnly today)
    {
        var from = facts.SupplementReceivedDay ?? facts.ReceivedDay;
        var target = Policy.ReplyWorkingDays + facts.ExtensionWorkingDays;
        var day = from;
        for (var counted = 0; counted < target;)
        {
            day = day.AddDays(1);
            if (Calendar.IsWorkingDay(day) && !IsPaused(facts, day, today))
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>The working days after the counting start, up to <paramref name="today"/>, that consultation took out of the count.</summary>
    public int PausedWorkingDays(DisclosureClockFacts facts, DateOnly today)
    {
        var from = facts.SupplementReceivedDay ?? facts.ReceivedDay;
        var last = facts.Consultations.Select(c => c.AnsweredDay ?? today).DefaultIfEmpty(from).Max();
        var count = 0;
        for (var day = from.AddDays(1); day <= last; day = day.AddDays(1))
        {
            if (Calendar.IsWorkingDay(day) && IsPaused(facts, day, today))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The reply deadline at <paramref name="at"/>, with how the clock stands.</summary>
    public DisclosureDeadline ReplyDeadline(DisclosureClockFacts facts, DisclosureClockState clock, DateTimeOffset at)
    {
        var today = Calendar.LocalDate(at);
        var dueDay = ReplyDueDay(facts, today);
        var due = Calendar.EndOfDay(dueDay);
        var status = clock switch
        {
            DisclosureClockState.Finished or DisclosureClockState.StoppedForSupplement or DisclosureClockState.PausedForConsultation
                => DeadlineStatus.Done,
            DisclosureClockState.Running when at > due => DeadlineStatus.Overdue,
            DisclosureClockState.Running => Calendar.WorkingDaysBetween(today, dueDay) <= Policy.WarningWorkingDays
                ? DeadlineStatus.DueSoon
                : DeadlineStatus.OnTrack,
            _ => throw new ArgumentOutOfRangeException(nameof(clock), clock, null),
        };
        return new DisclosureDeadline(dueDay, due, clock, status, PausedWorkingDays(facts, today));
    }

    /// <summary>The latest due day an extension approved now may set: the current due day plus the most the law allows.</summary>
    public DateOnly LatestExtendedDueDay(DisclosureClockFacts facts, DateOnly today) =>
        ReplyDueDay(facts with { ExtensionWorkingDays = Policy.MaxExtensionWorkingDays }, today);

    private static bool IsPaused(DisclosureClockFacts facts, DateOnly day, DateOnly today) =>
        facts.Consultations.Any(c => c.SentDay < day && day <= (c.AnsweredDay ?? today));
}
