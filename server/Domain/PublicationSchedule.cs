namespace ServiceHall.Server.Domain;

/// <summary>
/// When a periodic disclosure is ready: once its figures are final (docs/rules/indicators-and-disclosure.md#when-a-period-is-published).
/// A period's ratings may still arrive for <see cref="LateRatingWorkingDays"/> working days after it closes (a kiosk that
/// was offline), and each 差评 received then has <see cref="RectificationWorkingDays"/> working days to be rectified
/// (鲁政办发〔2020〕10号); the period is ready on the working day after both have run out. Every closed period from the
/// one holding the district's first rating on is ready in turn, also those missed while the server was down; none
/// before the first rating.
/// </summary>
public sealed class PublicationSchedule
{
    public PublicationSchedule(WorkingCalendar calendar, int lateRatingWorkingDays, int rectificationWorkingDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lateRatingWorkingDays);
        ArgumentOutOfRangeException.ThrowIfNegative(rectificationWorkingDays);
        Calendar = calendar;
        LateRatingWorkingDays = lateRatingWorkingDays;
        RectificationWorkingDays = rectificationWorkingDays;
    }

    public WorkingCalendar Calendar { get; }

    /// <summary>Working days after a period closes in which its late ratings are waited for.</summary>
    public int LateRatingWorkingDays { get; }

    /// <summary>Working days a 差评 received on the last of those days has to be rectified.</summary>
    public int RectificationWorkingDays { get; }

    /// <summary>
    /// The local day a period's disclosure is ready from: the working day after its last day plus the late-rating and
    /// rectification working days.
    /// </summary>
    public DateOnly ReadyOn(Period period) =>
        Calendar.AddWorkingDays(period.LastDay, LateRatingWorkingDays + RectificationWorkingDays + 1);

    /// <summary>
    /// The periods of the given cadences that are ready on <paramref name="today"/> and not in
    /// <paramref name="published"/>, oldest first (a month before the quarter and year it closes); none when the district
    /// has no rating yet (<paramref name="firstRatingDay"/> null), none before the period of its first rating.
    /// </summary>
    public IReadOnlyList<Period> Due(
        IEnumerable<PeriodKind> cadences, DateOnly? firstRatingDay, DateOnly today, IReadOnlySet<string> published)
    {
        if (firstRatingDay is not { } first)
        {
            return [];
        }

        var due = new List<Period>();
        foreach (var kind in cadences.Distinct())
        {
            for (var period = Period.Containing(kind, first); period.LastDay < today && ReadyOn(period) <= today; period = period.Next())
            {
                if (!published.Contains(period.Key))
                {
                    due.Add(period);
                }
            }
        }

        return due.OrderBy(p => p.LastDay).ThenBy(p => p.Kind).ToList();
    }

    /// <summary>
    /// Whether a period may appear at all (in a trend, say): only from the period of the first rating on.
    /// </summary>
    public static bool HasData(Period period, DateOnly? firstRatingDay) => firstRatingDay is { } first && period.LastDay >= first;
}
