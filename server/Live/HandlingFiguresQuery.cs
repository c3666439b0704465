using Microsoft.Extensions.Options;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Live;

/// <summary>
/// How 差评 were handled (docs/rules/indicators-and-disclosure.md#handling-figures), all summed in the database from the facts
/// kept beside each case. The rates are the publication's own: the same store call <see cref="IndicatorQuery"/> makes for a
/// disclosure (<see cref="ICaseStore.CountCasesAsync"/>, cases by the period their citizen rated, due or done now) and the
/// same formulas (<see cref="Indicators.CaseRates"/>).
/// </summary>
public sealed class HandlingFiguresQuery(
    ICaseStore cases, CatalogSource catalog, DistrictClock clock, IOptions<DisclosureOptions> options, IndicatorQuery indicators)
{
    /// <summary>The district, as a live screen names it.</summary>
    public const string DistrictName = "全区";

    /// <summary>
    /// Whose 差评 a member of staff sees the figures of, as their case queue: a department handler its department's, a hall
    /// account its hall's, a district account every hall's.
    /// </summary>
    public static Scope ScopeOf(StaffAccount account) => account switch
    {
        { Role: StaffRole.DepartmentHandler, DepartmentCode: { } department } => new Scope(ScopeKind.Department, department),
        { HallCode: { } hall } => new Scope(ScopeKind.Hall, hall),
        _ => Scope.District,
    };

    /// <summary>Today, this month and the year so far, and the 12 months to this one, of a hall (or the district for null).</summary>
    public async Task<HandlingFigures> LiveAsync(Hall? hall, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var today = DateOnly.FromDateTime(now.DateTime);
        var scope = hall is null ? Scope.District : new Scope(ScopeKind.Hall, hall.Code);
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        var periods = new List<HandlingPeriod>(3);
        foreach (var (name, first) in new[] { ("今日", today), ("本月", monthStart), ("本年", new DateOnly(today.Year, 1, 1)) })
        {
            periods.Add(await PeriodAsync(name, scope, first, today, cancellationToken));
        }

        var months = Enumerable.Range(0, 13).Select(i => monthStart.AddMonths(i - 11)).ToList();
        var trend = await cases.CountCasesByPeriodAsync(
            months.Select(m => clock.DayBounds(m).From).ToList(), scope, clock.UtcNow, cancellationToken);
        var minimum = options.Value.MinimumSample;
        var trendMonths = trend.Select((g, i) => new HandlingMonth(
                months[i].Year, months[i].Month, g.Received,
                Indicators.CaseRates(g.Figures, minimum).Single(r => r.Code == Indicators.RectifiedInTimeRate)))
            .ToList();
        var openNow = CaseLoad.Of(await cases.CountOpenCasesAsync(hall?.Code, null, clock.UtcNow, clock.DayBounds(today).To, cancellationToken));
        return new HandlingFigures(hall?.Code ?? "", hall?.Name ?? DistrictName, now, periods[0], periods[1], periods[2], trendMonths, openNow);
    }

    /// <summary>The handling figures of some local days of a scope, in total and by responsible department.</summary>
    public async Task<HandlingPeriod> PeriodAsync(string name, Scope scope, DateOnly firstDay, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var from = clock.DayBounds(firstDay).From;
        var to = clock.DayBounds(lastDay).To;
        var asOf = clock.UtcNow;
        var minimum = options.Value.MinimumSample;
        // One store call: the figures, stages and durations of each responsible department; the scope's are their sums (each case
        // has exactly one responsible department).
        var byDepartment = (await cases.CountHandlingByAsync(
                from, to, scope, asOf, clock.DayBounds(clock.LocalDay(asOf)).To, clock.Now.Offset, HandlingGrouping.Department, cancellationToken))
            .ToDictionary(g => g.Key);
        var groups = byDepartment.Values.ToList();
        var summary = HandlingSummary.Of(
            groups.SelectMany(g => g.Counts.States), groups.Aggregate(CaseFigures.Empty, (sum, g) => sum.Plus(g.Figures.Figures)),
            groups.SelectMany(g => g.Counts.ToContact), groups.SelectMany(g => g.Counts.ToFeedback), minimum);
        var order = catalog.Current.Departments.Select((d, i) => (d.Code, i)).ToDictionary(x => x.Code, x => x.i);
        var departments = byDepartment.Keys
            .OrderBy(code => order.GetValueOrDefault(code, int.MaxValue)).ThenBy(code => code, StringComparer.Ordinal)
            .Select(code => new DepartmentHandling(
                code,
                catalog.Current.FindDepartment(code)?.ShortName ?? code,
                HandlingSummary.Of(
                    byDepartment[code].Counts.States, byDepartment[code].Figures.Figures,
                    byDepartment[code].Counts.ToContact, byDepartment[code].Counts.ToFeedback, minimum)))
            .ToList();
        return new HandlingPeriod(name, firstDay, lastDay, summary, departments);
    }

    /// <summary>
    /// The handling figures of some local days of a scope by <paramref name="by"/>, each group summed in the database like the
    /// whole. By window, every window of the scope is listed (one without a 差评 too, for the month-end ranking), each with its
    /// 好评率 and 差评数 counted as the publication's window ranking counts them (<see cref="IndicatorQuery"/>).
    /// </summary>
    public async Task<IReadOnlyList<HandlingGroup>> BreakdownAsync(
        Scope scope, DateOnly firstDay, DateOnly lastDay, HandlingGrouping by, CancellationToken cancellationToken)
    {
        var from = clock.DayBounds(firstDay).From;
        var to = clock.DayBounds(lastDay).To;
        var asOf = clock.UtcNow;
        var minimum = options.Value.MinimumSample;
        var current = catalog.Current;
        var counted = (await cases.CountHandlingByAsync(
                from, to, scope, asOf, clock.DayBounds(clock.LocalDay(asOf)).To, clock.Now.Offset, by, cancellationToken))
            .ToDictionary(g => g.Key);
        HandlingSummary SummaryOf(string key) => counted.TryGetValue(key, out var g)
            ? HandlingSummary.Of(g.Counts.States, g.Figures.Figures, g.Counts.ToContact, g.Counts.ToFeedback, minimum)
            : HandlingSummary.Of([], CaseFigures.Empty, [], [], minimum);
        if (by != HandlingGrouping.Window)
        {
            return counted.Keys
                .Select(key => new HandlingGroup(key, NameOf(current, scope, by, key), SummaryOf(key)))
                .OrderByDescending(g => g.Summary.Received).ThenBy(g => g.Key, StringComparer.Ordinal)
                .ToList();
        }

        var windows = current.Halls
            .Where(h => scope.Kind is not ScopeKind.Hall || h.Code == scope.Code)
            .OrderBy(h => h.Code, StringComparer.Ordinal)
            .SelectMany(h => h.Windows
                .Where(w => scope.Kind is not ScopeKind.Department || w.DepartmentCode == scope.Code)
                .Select(w => (Hall: h, Window: w)))
            .ToList();
        var groups = new List<HandlingGroup>();
        foreach (var (hall, window) in windows)
        {
            var key = hall.Code + "/" + window.Code;
            var counts = await indicators.CountAsync(new Scope(ScopeKind.Window, window.Code, hall.Code), firstDay, lastDay, cancellationToken);
            var goodRate = Indicators.Compute(counts, minimum).Single(v => v.Code == Indicators.GoodRate);
            groups.Add(new HandlingGroup(key, NameOf(current, scope, by, key), SummaryOf(key), new WindowRatings(goodRate, counts.Levels.Bad)));
        }

        // 差评 at a window the catalog no longer has, or at none: listed after the windows, without ratings.
        groups.AddRange(counted.Keys.Where(key => groups.All(g => g.Key != key)).Order(StringComparer.Ordinal)
            .Select(key => new HandlingGroup(key, NameOf(current, scope, by, key), SummaryOf(key))));
        return groups;
    }

    // What a page shows for a group's key; "未注明" for none, the key itself for one the catalog no longer names. A window is
    // named with its hall only where the scope spans halls.
    private static string NameOf(DistrictCatalog current, Scope scope, HandlingGrouping by, string key)
    {
        if (key.Length == 0)
        {
            return Unstated;
        }

        return by switch
        {
            HandlingGrouping.Department => current.FindDepartment(key)?.ShortName ?? key,
            HandlingGrouping.Window => key.Split('/') is [var hallCode, var windowCode] && current.FindHall(hallCode) is { } hall
                ? (hall.FindWindow(windowCode) is { } w ? $"{w.Code} {w.Name}" : windowCode) + (scope.Kind is ScopeKind.Hall ? "" : $"（{hall.Name}）")
                : key,
            HandlingGrouping.Staff => current.Halls.SelectMany(h => h.Windows).SelectMany(w => w.Staff).FirstOrDefault(s => s.StaffId == key)?.Name ?? key,
            HandlingGrouping.ReasonTags => current.ReasonTags.Find(key)?.Label ?? key,
            HandlingGrouping.Channel => long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
                && Enum.IsDefined((RatingChannel)n) ? ((RatingChannel)n).Label() : key,
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
        };
    }

    /// <summary>The name of the group of 差评 without the key (no window, no staff number, no reason tag).</summary>
    public const string Unstated = "未注明";
}
