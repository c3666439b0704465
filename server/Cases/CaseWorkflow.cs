using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Cases;

/// <summary>Filters of the console's case queue; each one optional.</summary>
public sealed record CaseFilter(
    IReadOnlyCollection<CaseState> States, string? DepartmentCode, string? WindowCode, bool OverdueOnly, bool DueSoonToo, int Limit,
    string? CaseNumber = null, string? RatingIdEnd = null);

/// <summary>
/// A case as one member of staff may see it: never who rated, and only the steps they may take now (with the context
/// they were judged in, for the hints and day bounds of their forms).
/// </summary>
public sealed record CaseView(
    BadReviewCase Case,
    CaseDeadlineReport Deadlines,
    RatingRecord? Rating,
    string? MaskedPhone,
    FollowUp? FollowUp,
    IReadOnlyList<CaseStep<BadReviewCase, CaseState>> AllowedSteps,
    StepContext Context,
    IReadOnlyList<StaffAccount> Handlers,
    bool TextDeidentified = false,
    IReadOnlyList<EvidenceFile>? EvidenceFiles = null);

/// <summary>
/// The case loop as staff drive it: who may see which case, loading, one step of the domain aggregate, saving with a
/// check that nobody acted in between, and telling open consoles.
/// </summary>
public sealed class CaseWorkflow(
    ICaseStore store, IRatingStore ratings, CaseTimeLimits limits, ChangeFeed changes, ContactProtector contacts, TimeProvider time,
    CatalogSource catalog, IAccountStore accounts, ICaseEvidenceStore evidence, Microsoft.Extensions.Options.IOptions<EvidenceOptions> evidenceOptions)
{
    private const int MaxListed = 200;

    public CaseTimeLimits Limits => limits;

    public async Task<IReadOnlyList<(BadReviewCase Case, CaseDeadlineReport Deadlines)>> ListAsync(
        StaffAccount account, CaseFilter filter, CancellationToken cancellationToken)
    {
        RequireCaseRole(account);
        var now = time.GetUtcNow();
        var limit = filter.Limit is > 0 and <= MaxListed ? filter.Limit : MaxListed;
        // The database filters by state, department, window and the caller's hall and department, and for the late
        // ones by the due columns; whether a deadline's clock still runs is the case's to say, so those are checked here,
        // page by page, until the list is full.
        var query = new CaseQuery(
            filter.States, filter.DepartmentCode, filter.WindowCode, account.HallCode,
            SeenByDepartment: account.Role == StaffRole.DepartmentHandler ? account.DepartmentCode : null,
            DueBefore: filter.OverdueOnly ? (filter.DueSoonToo ? DueSoonBefore(now) : now) : null,
            Limit: limit,
            CaseNumber: filter.CaseNumber,
            RatingIdEnd: filter.RatingIdEnd);
        var listed = new List<(BadReviewCase Case, CaseDeadlineReport Deadlines)>();
        while (true)
        {
            var page = await store.ListCasesAsync(query, cancellationToken);
            listed.AddRange(page.Cases
                .Where(account.MaySee)
                .Select(c => (Case: c, Deadlines: c.DeadlineStatusAt(now, limits)))
                .Where(x => !filter.OverdueOnly || IsLate(x.Deadlines, filter.DueSoonToo))
                .Take(limit - listed.Count));
            if (listed.Count == limit || page.Next is null)
            {
                return listed;
            }

            query = query with { After = page.Next };
        }
    }

    /// <summary>The ratings of listed cases by id, for what a queue row shows of each (level, tags, an excerpt).</summary>
    public async Task<IReadOnlyDictionary<Guid, RatingRecord>> RatingsOfAsync(
        IEnumerable<BadReviewCase> cases, CancellationToken cancellationToken) =>
        (await ratings.FindRatingsAsync(cases.Select(c => c.RatingId).Distinct().ToList(), cancellationToken))
            .ToDictionary(r => r.RatingId);

    /// <summary>
    /// A bound past every deadline that is due soon at <paramref name="now"/>: one due on a day at most the warning's working
    /// days after today is due soon, so one due before the end of the next working day after those is a candidate.
    /// </summary>
    private DateTimeOffset DueSoonBefore(DateTimeOffset now)
    {
        var warning = Math.Max(limits.Policy.ContactWarningWorkingDays, limits.Policy.RectificationWarningWorkingDays);
        return limits.Calendar.EndOfDay(limits.Calendar.AddWorkingDays(limits.Calendar.LocalDate(now), warning + 1));
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
        var departmentBefore = c.AssignedDepartmentCode;
        var handlerBefore = c.AssignedHandlerId;
        step(c, actor, time.GetUtcNow());
        // Whatever step (assign, reassign) gave the case a department, it must be one that can work it. The case is
        // not saved otherwise, so a refused step changes nothing.
        if (c.AssignedDepartmentCode is { } department && department != departmentBefore
            && c.WhyNotResponsible(department, catalog.Current) is { } why)
        {
            throw new InvalidInputException("department_code", why);
        }

        // An uploaded file a step cites must be one kept with this case.
        var cited = c.Events.Skip(eventsBefore).SelectMany(e => e.Evidence)
            .Where(r => r.StartsWith(EvidenceFiles.ReferencePrefix, StringComparison.Ordinal)).ToList();
        if (cited.Count > 0)
        {
            var kept = (await evidence.ListAsync(c.Id, cancellationToken)).Select(f => f.Reference).ToHashSet(StringComparer.Ordinal);
            if (cited.FirstOrDefault(r => !kept.Contains(r)) is { } unknown)
            {
                throw new InvalidInputException("evidence", $"本案件没有附件“{(unknown.Length <= 64 ? unknown : unknown[..64])}”");
            }
        }

        // A named handler must be an account that works this department's cases in the case's hall (and is not disabled).
        if (c.AssignedHandlerId is { } handler && (handler != handlerBefore || c.AssignedDepartmentCode != departmentBefore)
            && !(await accounts.FindStandingAsync(handler, cancellationToken) is { } named
                && !named.Standing.IsDisabled && named.Account.MayHandle(c.AssignedDepartmentCode!, c.HallCode)))
        {
            throw new InvalidInputException("handler_id", "须为所选责任部门的经办人账户");
        }

        await store.SaveCaseAsync(c, eventsBefore, cancellationToken);
        changes.CaseChanged(c, opened: false);
        return await ViewAsync(c, actor, cancellationToken);
    }

    /// <summary>
    /// Keeps an evidence file with the case, for the step that will cite it by its reference. Only whoever may now take
    /// a step that cites evidence may add one; the type is read from the content, never from the name.
    /// </summary>
    public async Task<EvidenceFile> AttachEvidenceAsync(
        StaffAccount account, Guid caseId, string? fileName, byte[] content, CancellationToken cancellationToken)
    {
        var actor = RequireCaseRole(account);
        var c = await LoadVisibleAsync(account, caseId, cancellationToken);
        var now = time.GetUtcNow();
        c.RequireMayAttachEvidence(actor, new StepContext(now, limits));
        var options = evidenceOptions.Value;
        var before = await evidence.CountAsync(caseId, cancellationToken);
        var file = EvidenceFiles.Accept(caseId, fileName, content, options.MaxFileBytes, before, options.MaxFilesPerCase, actor, now);
        return await evidence.AddAsync(file, content, options.MaxFilesPerCase, cancellationToken)
            ? file
            : throw new InvalidInputException("content", $"每个案件最多 {options.MaxFilesPerCase} 个附件");
    }

    /// <summary>One evidence file of a case, for anyone who may see the case (an auditor too).</summary>
    public async Task<(EvidenceFile File, byte[] Content)> EvidenceFileAsync(
        StaffAccount account, Guid caseId, Guid fileId, CancellationToken cancellationToken)
    {
        RequireCaseRole(account);
        await LoadVisibleAsync(account, caseId, cancellationToken);
        return await evidence.FindAsync(caseId, fileId, cancellationToken)
            ?? throw new NotFoundException($"案件 {caseId} 没有附件 {fileId}", "evidence_file", fileId.ToString());
    }

    /// <summary>The rater's number in full, for a handler's callback; the access is recorded in the case first.</summary>
    public async Task<string> RevealContactAsync(StaffAccount account, Guid caseId, string reason, CancellationToken cancellationToken)
    {
        await ActAsync(account, caseId, (c, by, at) => c.RecordContactRevealed(by, reason, at), cancellationToken);
        var c = await store.FindCaseAsync(caseId, cancellationToken);
        var contact = await ratings.FindProtectedContactAsync(c!.RatingId, cancellationToken)
            ?? throw new NotFoundException("该评价没有回访号码");
        return contacts.TryUnprotect(contact) ?? throw new NotNowException("该回访号码已无法读取：加密它的密钥已丢失");
    }

    private async Task<CaseView> ViewAsync(BadReviewCase c, Actor actor, CancellationToken cancellationToken)
    {
        var rating = await ratings.FindRatingAsync(c.RatingId, cancellationToken);
        var contact = await ratings.FindProtectedContactAsync(c.RatingId, cancellationToken);
        var masked = contact is null ? null : contacts.TryUnprotect(contact) is { } phone ? ContactProtector.Mask(phone) : "（密钥丢失，无法读取）";
        var followUp = await ratings.FindFollowUpAsync(c.RatingId, cancellationToken);
        var context = new StepContext(time.GetUtcNow(), limits);
        var allowed = c.AllowedSteps(actor, context);
        // The handlers a form may name, only when a step offered names one.
        var handlers = allowed.Any(s => s.Inputs.Any(i => i.Kind == StepInputKind.Handler))
            ? (await accounts.ListAccountsAsync(cancellationToken))
                .Where(a => !a.Standing.IsDisabled && a.Account.DepartmentCode is { } d && a.Account.MayHandle(d, c.HallCode))
                .Select(a => a.Account)
                .OrderBy(a => a.DepartmentCode, StringComparer.Ordinal).ThenBy(a => a.DisplayName, StringComparer.Ordinal)
                .ToList()
            : [];
        // The department that was rated sees the citizen's words de-identified: a rated member of staff never learns who
        // rated them (docs/rules/privacy.md#in-the-console). The hall manager, supervisor and auditor see them as written.
        var deidentify = actor.Role == CaseRole.DepartmentHandler;
        var files = await evidence.ListAsync(c.Id, cancellationToken);
        return new CaseView(
            c, c.DeadlineStatusAt(context.At, limits), rating, masked, followUp, allowed, context, handlers, deidentify, files);
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
