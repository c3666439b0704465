using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Cases;

/// <summary>The open cases a member of staff answers for, by stage and by department, counted in the database.</summary>
public sealed record TriageView(DateTimeOffset AsOf, CaseLoad Total, IReadOnlyList<DepartmentLoad> Departments);

/// <summary>
/// What a console's triage header shows (docs/rules/bad-review-cases.md#stages): every open case of the caller's hall (all
/// halls for a district account), or of their department for a department handler, whenever it was rated.
/// </summary>
public sealed class CaseTriage(ICaseStore store, CatalogSource catalog, DistrictClock clock)
{
    public async Task<TriageView> CountAsync(StaffAccount account, CancellationToken cancellationToken)
    {
        CaseWorkflow.RequireCaseRole(account);
        var now = clock.UtcNow;
        var endOfToday = clock.DayBounds(clock.LocalDay(now)).To;
        var department = account.Role == StaffRole.DepartmentHandler ? account.DepartmentCode : null;
        var states = await store.CountOpenCasesAsync(account.HallCode, department, now, endOfToday, cancellationToken);
        var order = catalog.Current.Departments.Select((d, i) => (d.Code, i)).ToDictionary(x => x.Code, x => x.i);
        var departments = states.GroupBy(s => s.DepartmentCode)
            .OrderBy(g => order.GetValueOrDefault(g.Key, int.MaxValue)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DepartmentLoad(g.Key, catalog.Current.FindDepartment(g.Key)?.ShortName ?? g.Key, CaseLoad.Of(g)))
            .ToList();
        return new TriageView(now, CaseLoad.Of(states), departments);
    }
}
