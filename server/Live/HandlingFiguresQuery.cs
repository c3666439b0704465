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
    ICaseStore cases, CatalogSource catalog, DistrictClock clock, CaseTimeLimits limits, IOptions<DisclosureOptions> options)
{
    /// <summary>The district, as a live screen names it.</summary>
    public const string DistrictName = "全区";

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
        var total = await cases.CountCasesAsync(from, to, scope, asOf, cancellationToken);
        var byDepartment = (await cases.CountCasesByAsync(from, to, scope, asOf, CaseGrouping.Department, cancellationToken))
            .ToDictionary(g => g.Key);
        var counts = await cases.CountHandlingAsync(
            from, to, scope, asOf, clock.DayBounds(clock.LocalDay(asOf)).To, clock.Now.Offset, cancellationToken);
        var calendar = limits.Calendar;
        var summary = HandlingSummary.Of(counts.States, total, counts.ToContact, counts.ToFeedback, calendar, minimum);
        var order = catalog.Current.Departments.Select((d, i) => (d.Code, i)).ToDictionary(x => x.Code, x => x.i);
        var departments = byDepartment.Keys
            .OrderBy(code => order.GetValueOrDefault(code, int.MaxValue)).ThenBy(code => code, StringComparer.Ordinal)
            .Select(code => new DepartmentHandling(
                code,
                catalog.Current.FindDepartment(code)?.ShortName ?? code,
                HandlingSummary.Of(
                    counts.States.Where(s => s.DepartmentCode == code), byDepartment[code].Figures,
                    counts.ToContact.Where(p => p.DepartmentCode == code), counts.ToFeedback.Where(p => p.DepartmentCode == code), calendar, minimum)))
            .ToList();
        return new HandlingPeriod(name, firstDay, lastDay, summary, departments);
    }
}
