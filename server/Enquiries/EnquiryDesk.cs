using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Enquiries;

/// <summary>A question as one member of staff may see it, with the steps they may take now.</summary>
public sealed record QuestionView(
    CitizenQuestion Question, IReadOnlyList<CaseStep<CitizenQuestion, CitizenQuestionState>> AllowedSteps, StepContext Context);

/// <summary>A report as a hall manager (or supervisor, auditor) sees it, with the steps they may take now.</summary>
public sealed record ReportView(
    CouldNotBeDoneReport Report, IReadOnlyList<CaseStep<CouldNotBeDoneReport, CouldNotBeDoneState>> AllowedSteps, StepContext Context);

/// <summary>
/// Questions (办事咨询) and "could not get it done" reports (办不成事反映) as kiosks hand them in and staff work them
/// (docs/rules/questions-and-reports.md): intake (checks, the contact encrypted, routing by service item), the pickup-code
/// lookup, who may see which, one step at a time with a check that nobody acted in between, the server's escalations and the
/// monthly figures.
/// </summary>
public sealed class EnquiryDesk(
    IEnquiryStore store, EnquiryTimeLimits limits, ContactProtector contacts, CatalogSource catalog, IAnswerNotifier notifier, TimeProvider time,
    ILogger<EnquiryDesk> logger)
{
    /// <summary>A kiosk's clock may run this far ahead of the server's.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>How long an enquiry may wait in a kiosk's outbox before its submission instant is not believed.</summary>
    public static readonly TimeSpan MaxOutboxDelay = TimeSpan.FromDays(30);

    public const int MaxListed = 200;

    /// <summary>What a kiosk shows when a pickup code finds no answer, whatever the reason.</summary>
    public const string NoAnswerFound = "没有找到答复：请核对取件码；如刚提交咨询，请在答复期限后再查询";

    public EnquiryTimeLimits Limits => limits;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// Hands a question in from a kiosk: checked, its contact encrypted, routed at once when it names a service item, stored
    /// once per id. A resend of a stored id answers with the stored question (and its pickup code).
    /// </summary>
    public async Task<(CitizenQuestion Question, bool Created)> SubmitQuestionAsync(
        EnrolledKiosk device, Guid id, QuestionAsked asked, string? phone, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        CheckIntake(id, submittedAt);
        var checkedAsked = asked.Checked();
        var contact = CheckPhone(phone, required: false);
        var item = checkedAsked.ServiceItemCode is { } code
            ? catalog.Current.FindServiceItem(code) ?? throw new InvalidInputException("service_item_code", "没有这个事项")
            : null;
        return await store.ReceiveQuestionAsync(id, device.DeviceId, contact is null ? null : contacts.Protect(contact), pickupCode =>
        {
            var q = CitizenQuestion.Receive(id, pickupCode, device.HallCode, checkedAsked, contact is not null, submittedAt, limits);
            if (item is not null)
            {
                q.Route(Actor.System, item.DepartmentCode, $"按所选事项“{item.Name}”交办", submittedAt);
            }

            return q;
        }, cancellationToken);
    }

    /// <summary>The answered question with this code; <see cref="NotFoundException"/> with the same words whatever is missing.</summary>
    public async Task<CitizenQuestion> FindAnswerAsync(string typedCode, CancellationToken cancellationToken) =>
        PickupCode.Normalize(typedCode) is { } code && await store.FindAnsweredQuestionAsync(code, cancellationToken) is { } q
            ? q
            : throw new NotFoundException(NoAnswerFound);

    /// <summary>Hands a report in from a kiosk: checked, its contact (required: it is followed up by a call) encrypted, stored once per id.</summary>
    public async Task<(CouldNotBeDoneReport Report, bool Created)> SubmitReportAsync(
        EnrolledKiosk device, Guid id, CouldNotBeDoneAccount account, string? phone, DateTimeOffset submittedAt, CancellationToken cancellationToken)
    {
        CheckIntake(id, submittedAt);
        var contact = CheckPhone(phone, required: true)!;
        if (account.ServiceItemCode is { Length: > 0 } code && catalog.Current.FindServiceItem(code.Trim()) is null)
        {
            throw new InvalidInputException("service_item_code", "没有这个事项");
        }

        var report = CouldNotBeDoneReport.Receive(id, device.HallCode, account, submittedAt, limits);
        return await store.ReceiveReportAsync(report, device.DeviceId, contacts.Protect(contact), cancellationToken);
    }

    public async Task<IReadOnlyList<CitizenQuestion>> ListQuestionsAsync(
        StaffAccount account, IReadOnlyCollection<CitizenQuestionState> states, int limit, CancellationToken cancellationToken)
    {
        RequireActor(account);
        var query = new EnquiryQuery([.. states.Select(s => (int)s)],
            account.Role == StaffRole.DepartmentHandler ? account.DepartmentCode ?? "" : null, account.HallCode, Limit(limit));
        return await store.ListQuestionsAsync(query, cancellationToken);
    }

    public async Task<QuestionView> GetQuestionAsync(StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var actor = RequireActor(account);
        return View(await LoadQuestionAsync(account, id, cancellationToken), actor);
    }

    /// <summary>Takes one step on a question, named as the contract names it, and saves it; a refused step changes nothing.</summary>
    public async Task<QuestionView> ActOnQuestionAsync(StaffAccount account, Guid id, string step, StepInputs inputs, CancellationToken cancellationToken)
    {
        var actor = RequireActor(account);
        var q = await LoadQuestionAsync(account, id, cancellationToken);
        var eventsBefore = q.Events.Count;
        var departmentBefore = q.AssignedDepartmentCode;
        CitizenQuestionSteps.Catalog.Take(q, step, actor, inputs, Context());
        if (q.AssignedDepartmentCode is { } department && department != departmentBefore && catalog.Current.FindDepartment(department) is null)
        {
            throw new InvalidInputException("department_code", "没有这个部门");
        }

        await store.SaveQuestionAsync(q, eventsBefore, cancellationToken);
        if (q.AnsweredAt is not null && q.Events[^1].Kind == QuestionEventKind.Answered && q.HasContact)
        {
            await NotifyAsync(q, cancellationToken);
        }

        return View(q, actor);
    }

    public async Task<IReadOnlyList<CouldNotBeDoneReport>> ListReportsAsync(
        StaffAccount account, IReadOnlyCollection<CouldNotBeDoneState> states, int limit, CancellationToken cancellationToken)
    {
        RequireReportReader(account);
        return await store.ListReportsAsync(new EnquiryQuery([.. states.Select(s => (int)s)], null, account.HallCode, Limit(limit)), cancellationToken);
    }

    public async Task<ReportView> GetReportAsync(StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var actor = RequireReportReader(account);
        return View(await LoadReportAsync(account, id, cancellationToken), actor);
    }

    public async Task<ReportView> ActOnReportAsync(StaffAccount account, Guid id, string step, StepInputs inputs, CancellationToken cancellationToken)
    {
        var actor = RequireReportReader(account);
        var r = await LoadReportAsync(account, id, cancellationToken);
        var eventsBefore = r.Events.Count;
        CouldNotBeDoneReportSteps.Catalog.Take(r, step, actor, inputs, Context());
        await store.SaveReportAsync(r, eventsBefore, cancellationToken);
        return View(r, actor);
    }

    /// <summary>The citizen's number in full, for the hall manager's callback; the access is recorded in the report first.</summary>
    public async Task<string> RevealReportContactAsync(StaffAccount account, Guid id, string reason, CancellationToken cancellationToken)
    {
        var actor = RequireReportReader(account);
        var r = await LoadReportAsync(account, id, cancellationToken);
        var eventsBefore = r.Events.Count;
        r.RecordContactRevealed(actor, reason, time.GetUtcNow());
        await store.SaveReportAsync(r, eventsBefore, cancellationToken);
        var cipher = await store.FindContactProtectedAsync(EnquiryKind.CouldNotBeDoneReport, id, cancellationToken)
            ?? throw new NotFoundException("该反映没有联系电话");
        return contacts.TryUnprotect(cipher) ?? throw new NotNowException("该联系电话已无法读取：加密它的密钥已丢失");
    }

    /// <summary>The citizen's number masked (138****5678), for the report's page.</summary>
    public async Task<string> MaskedReportContactAsync(Guid id, CancellationToken cancellationToken) =>
        await store.FindContactProtectedAsync(EnquiryKind.CouldNotBeDoneReport, id, cancellationToken) is { } cipher
            ? contacts.TryUnprotect(cipher) is { } phone ? ContactProtector.Mask(phone) : "（密钥丢失，无法读取）"
            : "";

    /// <summary>The server's own steps, now: each question or report past its limit is escalated once. Returns how many changed.</summary>
    public async Task<int> RunOverdueAsync(CancellationToken cancellationToken)
    {
        var context = Context();
        var changed = 0;
        foreach (var q in await store.ListOpenQuestionsAsync(cancellationToken))
        {
            if (q.AllowedSteps(Actor.System, context).Contains(CitizenQuestionSteps.EscalateOverdue))
            {
                var before = q.Events.Count;
                q.EscalateOverdue(Actor.System, limits, context.At);
                changed += await SavedAsync(() => store.SaveQuestionAsync(q, before, cancellationToken));
            }
        }

        foreach (var r in await store.ListOpenReportsAsync(cancellationToken))
        {
            if (r.AllowedSteps(Actor.System, context).Contains(CouldNotBeDoneReportSteps.EscalateOverdue))
            {
                var before = r.Events.Count;
                r.EscalateOverdue(Actor.System, limits, context.At);
                changed += await SavedAsync(() => store.SaveReportAsync(r, before, cancellationToken));
            }
        }

        return changed;
    }

    /// <summary>
    /// The FAQ entries the office accepted, by service item, in the order the questions were handed in: the catalog a kiosk
    /// receives shows them after the item's own (docs/rules/questions-and-reports.md#questions).
    /// </summary>
    public async Task<ILookup<string, FaqEntry>> AcceptedFaqEntriesAsync(CancellationToken cancellationToken) =>
        (await store.ListAcceptedFaqEntriesAsync(cancellationToken)).ToLookup(e => e.ServiceItemCode, e => e.Entry, StringComparer.Ordinal);

    /// <summary>One month's figures of one kind (docs/rules/questions-and-reports.md#monthly-figures).</summary>
    public Task<EnquiryMonthFigures> MonthFiguresAsync(EnquiryKind kind, int year, int month, CancellationToken cancellationToken)
    {
        if (year is < 2000 or > 9999)
        {
            throw new InvalidInputException("year", "须为 2000 至 9999");
        }

        if (month is < 1 or > 12)
        {
            throw new InvalidInputException("month", "须为 1 至 12");
        }

        return store.MonthFiguresAsync(kind, year, month, cancellationToken);
    }

    // ---- helpers ----

    private StepContext Context() => new(time.GetUtcNow()) { EnquiryLimits = limits };

    private QuestionView View(CitizenQuestion q, Actor actor)
    {
        var context = Context();
        return new QuestionView(q, q.AllowedSteps(actor, context), context);
    }

    private ReportView View(CouldNotBeDoneReport r, Actor actor)
    {
        var context = Context();
        return new ReportView(r, r.AllowedSteps(actor, context), context);
    }

    private void CheckIntake(Guid id, DateTimeOffset submittedAt)
    {
        if (id == Guid.Empty)
        {
            throw new InvalidInputException("request_id", "不能为空");
        }

        var now = time.GetUtcNow();
        if (submittedAt > now + MaxClockSkew)
        {
            throw new InvalidInputException("submitted_at", "提交时间晚于服务器时间，请校准设备时钟");
        }

        if (submittedAt < now - MaxOutboxDelay)
        {
            throw new InvalidInputException("submitted_at", $"提交时间早于 {MaxOutboxDelay.TotalDays:0} 天前，请联系系统管理员");
        }
    }

    private static string? CheckPhone(string? phone, bool required)
    {
        var trimmed = phone?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return required ? throw new InvalidInputException("contact_phone", "请留下联系电话，以便回访") : null;
        }

        // The number itself is never echoed back: a refusal may reach a log.
        return trimmed.Length <= 20 && IdentityNumbers.IsPhone(trimmed)
            ? trimmed
            : throw new InvalidInputException("contact_phone", "须为 11 位手机号码，或带区号的固定电话");
    }

    private static int Limit(int limit) => limit is > 0 and <= MaxListed ? limit : MaxListed;

    private static Actor RequireActor(StaffAccount account) =>
        account.AsCaseActor() ?? throw new AccessDeniedException("该账号不办理咨询");

    /// <summary>Reports are the hall's: a department handler neither sees nor works them.</summary>
    private static Actor RequireReportReader(StaffAccount account) =>
        account.Role is StaffRole.HallManager or StaffRole.Supervisor or StaffRole.Auditor && account.AsCaseActor() is { } actor
            ? actor
            : throw new AccessDeniedException("只有大厅负责人、督办人员和审计人员查看“办不成事”反映");

    private async Task<CitizenQuestion> LoadQuestionAsync(StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var q = await store.FindQuestionAsync(id, cancellationToken);
        // A question out of the caller's scope is answered exactly as one that does not exist.
        var visible = q is not null && (account.HallCode is null || account.HallCode == q.HallCode)
            && (account.Role != StaffRole.DepartmentHandler || q.AssignedDepartmentCode == account.DepartmentCode);
        return visible ? q! : throw new NotFoundException("没有这条咨询", "question", id.ToString());
    }

    private async Task<CouldNotBeDoneReport> LoadReportAsync(StaffAccount account, Guid id, CancellationToken cancellationToken)
    {
        var r = await store.FindReportAsync(id, cancellationToken);
        return r is not null && (account.HallCode is null || account.HallCode == r.HallCode)
            ? r
            : throw new NotFoundException("没有这条反映", "could_not_be_done_report", id.ToString());
    }

    private async Task NotifyAsync(CitizenQuestion q, CancellationToken cancellationToken)
    {
        try
        {
            if (await store.FindContactProtectedAsync(EnquiryKind.Question, q.Id, cancellationToken) is { } cipher
                && contacts.TryUnprotect(cipher) is { } phone)
            {
                await notifier.AnswerReadyAsync(q, phone, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The answer is stored and shown by pickup code whatever the gateway does: a failed message is logged, not the step.
            logger.LogWarning(e, "Notifying the citizen of question {QuestionId} failed", q.Id);
        }
    }

    private static async Task<int> SavedAsync(Func<Task> save)
    {
        try
        {
            await save();
            return 1;
        }
        catch (ConcurrentChangeException)
        {
            // Someone acted in between: the next run looks again.
            return 0;
        }
    }
}
