using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Cases;

/// <summary>Filters of the console's case queue; each one optional.</summary>
public sealed record CaseFilter(
    IReadOnlyCollection<CaseState> States, string? DepartmentCode, string? WindowCode, bool OverdueOnly, bool DueSoonToo, int Limit);

/// <summary>A case as one member of staff may see it: never who rated, and only the actions their role may take.</summary>
public sealed record CaseView(
    BadReviewCase Case, CaseDeadlineReport Deadlines, RatingRecord? Rating, string? MaskedPhone, IReadOnlyList<string> AllowedActions);

/// <summary>
/// The case loop as staff drive it: who may see which case, loading, one step of the domain aggregate, saving with a
/// check that nobody acted in between, and telling open consoles.
/// </summary>
public sealed class CaseWorkflow(
    IServiceHallStore store, CaseTimeLimits limits, ChangeFeed changes, ContactProtector contacts, TimeProvider time)
{
    private const int MaxListed = 200;

    public CaseTimeLimits Limits => limits;

    public async Task<IReadOnlyList<(BadReviewCase Case, CaseDeadlineReport Deadlines)>> ListAsync(
        StaffAccount account, CaseFilter filter, CancellationToken cancellationToken)
    {
        RequireCaseRole(account);
        var now = time.GetUtcNow();
        var limit = filter.Limit is > 0 and <= MaxListed ? filter.Limit : MaxListed;
        // Filtering in memory keeps the SQL portable; a hall's open and recent cases are a few hundred at most.
        var cases = await store.ListCasesAsync(null, openOnly: false, limit: 5000, cancellationToken);
        return cases
            .Where(account.MaySee)
            .Where(c => filter.States.Count == 0 || filter.States.Contains(c.State))
            .Where(c => filter.DepartmentCode is null || (c.AssignedDepartmentCode ?? c.DepartmentCode) == filter.DepartmentCode)
            .Where(c => filter.WindowCode is null || c.WindowCode == filter.WindowCode)
            .Select(c => (Case: c, Deadlines: c.DeadlineStatusAt(now, limits)))
            .Where(x => !filter.OverdueOnly || IsLate(x.Deadlines, filter.DueSoonToo))
            .Take(limit)
            .ToList();
    }

    public async Task<CaseView> GetAsync(StaffAccount account, Guid caseId, CancellationToken cancellationToken)
    {
        var actor = RequireCaseRole(account);
        var c = await LoadVisibleAsync(account, caseId, cancellationToken);
        return await ViewAsync(c, actor, cancellationToken);
    }

    /// <summary>Applies one step to a case for the account and saves it; refused steps change nothing.</summary>
    public async Task<CaseView> ActAsync(
        StaffAccount account, Guid caseId, Action<BadReviewCase, Actor, DateTimeOffset> step, CancellationToken cancellationToken)
    {
        var actor = RequireCaseRole(account);
        var c = await LoadVisibleAsync(account, caseId, cancellationToken);
        var eventsBefore = c.Events.Count;
        step(c, actor, time.GetUtcNow());
        await store.SaveCaseAsync(c, eventsBefore, cancellationToken);
        changes.CaseChanged(c, opened: false);
        return await ViewAsync(c, actor, cancellationToken);
    }

    /// <summary>The rater's number in full, for a handler's callback; the access is recorded in the case first.</summary>
    public async Task<string> RevealContactAsync(StaffAccount account, Guid caseId, string reason, CancellationToken cancellationToken)
    {
        await ActAsync(account, caseId, (c, by, at) => c.RecordContactRevealed(by, reason, at), cancellationToken);
        var c = await store.FindCaseAsync(caseId, cancellationToken);
        var contact = await store.FindProtectedContactAsync(c!.RatingId, cancellationToken)
            ?? throw new NotFoundException("该评价没有回访号码");
        return contacts.Unprotect(contact);
    }

    private async Task<CaseView> ViewAsync(BadReviewCase c, Actor actor, CancellationToken cancellationToken)
    {
        var rating = await store.FindRatingAsync(c.RatingId, cancellationToken);
        var contact = await store.FindProtectedContactAsync(c.RatingId, cancellationToken);
        var masked = contact is null ? null : ContactProtector.Mask(contacts.Unprotect(contact));
        return new CaseView(c, c.DeadlineStatusAt(time.GetUtcNow(), limits), rating, masked, c.AllowedActions(actor));
    }

    private async Task<BadReviewCase> LoadVisibleAsync(StaffAccount account, Guid caseId, CancellationToken cancellationToken)
    {
        var c = await store.FindCaseAsync(caseId, cancellationToken) ?? throw new NotFoundException($"没有案件 {caseId}", "case", caseId.ToString());
        return account.MaySee(c) ? c : throw new AccessDeniedException("该案件不属于本部门");
    }

    /// <summary>Where a case's deadlines stand now.</summary>
    public CaseDeadlineReport DeadlinesOf(BadReviewCase c) => c.DeadlineStatusAt(time.GetUtcNow(), limits);

    /// <summary>The account as a case actor; PermissionDenied for a role that works no cases.</summary>
    public static Actor RequireCaseRole(StaffAccount account) =>
        account.AsCaseActor() ?? throw new AccessDeniedException("系统管理员账户不处理差评案件");

    private static bool IsLate(CaseDeadlineReport report, bool dueSoonToo) =>
        report.Contact == DeadlineStatus.Overdue || report.Rectification == DeadlineStatus.Overdue
        || (dueSoonToo && (report.Contact == DeadlineStatus.DueSoon || report.Rectification == DeadlineStatus.DueSoon));
}
