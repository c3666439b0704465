using System.Globalization;
using Step = ServiceHall.Server.Domain.CaseStep<ServiceHall.Server.Domain.BadReviewCase, ServiceHall.Server.Domain.CaseState>;

namespace ServiceHall.Server.Domain;

/// <summary>
/// The steps of the 差评整改 case (docs/rules/bad-review-cases.md), each declared once: who takes it, from which states,
/// to which, with which inputs. <see cref="BadReviewCase"/>'s methods run <see cref="Catalog"/>'s guard before their
/// behaviour; the console's list of steps and forms, and the gRPC step call, are read from here.
/// Adding a step: one entry below and its method on the aggregate; BadReviewStepsTests then holds it to its entry.
/// </summary>
public static class BadReviewSteps
{
    /// <summary>"匿名评价，无法回访": an anonymous rater cannot be called back.</summary>
    public const string AnonymousCallbackNote = "匿名评价，无法回访";

    public static readonly StepChoices<CallOutcome> CallOutcomes = new(
        (CallOutcome.Reached, "reached", "已接通"),
        (CallOutcome.NotReached, "not_reached", "未接通"),
        (CallOutcome.Refused, "refused", "拒绝"));

    public static readonly StepChoices<AppealFinding> AppealFindings = new(
        (AppealFinding.Misrated, "misrated", "误评"),
        (AppealFinding.Malicious, "malicious", "恶意差评"));

    public static readonly StepChoices<RaterSatisfaction> Satisfactions = new(
        (RaterSatisfaction.Satisfied, "satisfied", "满意"),
        (RaterSatisfaction.BasicallySatisfied, "basically_satisfied", "基本满意"),
        (RaterSatisfaction.Dissatisfied, "dissatisfied", "不满意（将重新整改）"));

    /// <summary>Every state but 已办结.</summary>
    private static readonly CaseState[] Open = [.. Enum.GetValues<CaseState>().Where(s => s != CaseState.Closed)];

    private static StepInput Text(string name, string label, bool required = true) => new(name, label, StepInputKind.LongText, required);

    private static StepInput Evidence(bool required) =>
        new("evidence", "证据", StepInputKind.Evidence, required) { Hint = "每行一项：上传的照片或 PDF 附件，或文件编号、台账号" };

    /// <summary>
    /// What was done, in a sentence or two for the public disclosure's list of 差评: de-identified and reviewed like a
    /// citizen's text before it is published (docs/rules/indicators-and-disclosure.md#each-bad-review).
    /// </summary>
    private static readonly StepInput PublicSummary = new("public_summary", "公开的整改情况", StepInputKind.LongText, Required: false)
    {
        MaxLength = BadReviewCase.MaxPublicSummaryLength,
        Hint = "将在定期公开的差评清单中公布，请勿写入姓名、电话等个人信息",
    };

    /// <summary>The handler named on assignment: one of the chosen department's handlers, by account.</summary>
    private static readonly StepInput Handler = new("handler_id", "经办人", StepInputKind.Handler, Required: false)
    {
        Hint = "可不选，由部门内经办人认领",
    };

    private static string? AnonymousOnly(BadReviewCase c) => c.IsRealName ? null : AnonymousCallbackNote;

    public static readonly Step Assign = new()
    {
        Name = "assign",
        Label = "分派",
        Who = StepActors.HallManager,
        ExpectedIn = [CaseState.New],
        From = [CaseState.New],
        To = [CaseState.Assigned],
        Inputs =
        [
            new("department_code", "责任部门", StepInputKind.Department),
            Handler,
            Text("note", "备注", required: false),
        ],
        // 谁办理、谁负责: the department the rated window or item belongs to, as the rating was routed.
        Describe = (c, _, input) => input == "department_code" ? new StepInputBounds(null, Default: c.DepartmentCode) : null,
        Take = (c, by, i, ctx) => c.Assign(by, i.Text("department_code"), i.Text("handler_id"), i.Text("note"), ctx.At),
    };

    public static readonly Step Reassign = new()
    {
        Name = "reassign",
        Label = "改派",
        Who = StepActors.HallManager,
        From = [CaseState.Assigned, CaseState.Contacted],
        Inputs =
        [
            new("department_code", "责任部门", StepInputKind.Department),
            Handler,
            Text("reason", "改派原因"),
        ],
        Take = (c, by, i, ctx) => c.Reassign(by, i.Text("department_code"), i.Text("handler_id"), i.Text("reason"), ctx.At),
    };

    /// <summary>
    /// One callback with its outcome: reached (and what was verified: 回访核实 done), not reached, or refused. The
    /// verification is asked for only when the rater was reached.
    /// </summary>
    public static readonly Step RecordCallback = new()
    {
        Name = "record_callback",
        Label = "登记回访",
        Who = StepActors.AssignedHandler,
        From = [CaseState.Assigned],
        To = [CaseState.Assigned, CaseState.Contacted],
        ExpectedIn = [CaseState.Assigned],
        Unless = (c, _) => AnonymousOnly(c),
        Inputs =
        [
            new("outcome", "回访结果", StepInputKind.Choice) { Choices = CallOutcomes.Choices },
            new("verification", "核实情况", StepInputKind.LongText, Required: false)
            {
                RequiredWhen = new("outcome", CallOutcomes.ValueOf(CallOutcome.Reached)),
                Hint = "已接通时填写：评价人反映的情况是否属实；提交即完成回访核实",
            },
            Text("note", "备注", required: false),
        ],
        Take = (c, by, i, ctx) =>
            c.RecordCallback(by, i.Choice("outcome", CallOutcomes), i.Text("verification"), i.Text("note"), ctx.At),
    };

    public static readonly Step SkipCallbackAnonymous = new()
    {
        Name = "skip_callback_anonymous",
        Label = AnonymousCallbackNote,
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.Assigned],
        From = [CaseState.Assigned],
        To = [CaseState.Contacted],
        Unless = (c, _) => c.IsRealName ? "实名差评须回访" : null,
        Take = (c, by, _, ctx) => c.SkipCallbackAnonymous(by, ctx.At),
    };

    /// <summary>After a refusal, or <see cref="CaseDeadlinePolicy.CallAttemptsBeforeGivingUp"/> attempts that did not reach the rater.</summary>
    public static readonly Step RecordCallbackFailed = new()
    {
        Name = "record_callback_failed",
        Label = "确认回访失败",
        Who = StepActors.HallManager,
        From = [CaseState.Assigned],
        To = [CaseState.Contacted],
        Unless = (c, ctx) => AnonymousOnly(c) ?? CallbackGivenUp(c, ctx.RequireLimits().Policy.CallAttemptsBeforeGivingUp),
        Inputs = [Text("reason", "回访失败原因")],
        Take = (c, by, i, ctx) => c.RecordCallbackFailed(by, i.Text("reason"), ctx.RequireLimits(), ctx.At),
    };

    public static readonly Step FixAtOnce = new()
    {
        Name = "fix_at_once",
        Label = "立行立改",
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.Contacted],
        From = [CaseState.Contacted],
        To = [CaseState.FixedAtOnce],
        Inputs = [Text("what_was_done", "整改措施"), Evidence(required: false)],
        Take = (c, by, i, ctx) => c.FixAtOnce(by, i.Text("what_was_done"), i.List("evidence"), ctx.At),
    };

    public static readonly Step RectifyByDeadline = new()
    {
        Name = "rectify_by_deadline",
        Label = "限期整改",
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.Contacted],
        From = [CaseState.Contacted],
        To = [CaseState.RectifyingByDeadline],
        Inputs = [Text("reason", "原因"), new("due_day", "整改期限", StepInputKind.Day), Text("ledger_entry", "整改台账")],
        Describe = (c, ctx, input) => input == "due_day"
            ? new StepInputBounds(
                $"不晚于办理时限 {Day(c.Deadlines.RectificationDueDay)}；更晚请先延长办理时限。",
                ctx.RequireLimits().Calendar.LocalDate(ctx.At),
                c.Deadlines.RectificationDueDay)
            : null,
        Take = (c, by, i, ctx) =>
            c.RectifyByDeadline(by, i.Text("reason"), i.Day("due_day"), i.Text("ledger_entry"), ctx.RequireLimits(), ctx.At),
    };

    public static readonly Step Explain = new()
    {
        Name = "explain",
        Label = "解释说明",
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.Contacted],
        From = [CaseState.Contacted],
        To = [CaseState.Explained],
        Inputs = [Text("legal_basis", "法律政策依据"), Text("explanation", "解释内容")],
        Take = (c, by, i, ctx) => c.Explain(by, i.Text("legal_basis"), i.Text("explanation"), ctx.At),
    };

    public static readonly Step Appeal = new()
    {
        Name = "appeal",
        Label = "申诉",
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.Contacted],
        From = [CaseState.Contacted],
        To = [CaseState.Appealed],
        Unless = (c, _) => c.AppealRejected ? "申诉已被驳回，须整改或解释说明" : null,
        Inputs = [Text("grounds", "申诉理由"), Evidence(required: true)],
        Take = (c, by, i, ctx) => c.Appeal(by, i.Text("grounds"), i.List("evidence"), ctx.At),
    };

    public static readonly Step UpholdAppeal = new()
    {
        Name = "uphold_appeal",
        Label = "裁定申诉成立",
        Who = StepActors.Supervisor,
        ExpectedIn = [CaseState.Appealed],
        From = [CaseState.Appealed],
        To = [CaseState.AppealUpheld],
        Inputs = [new("finding", "认定", StepInputKind.Choice) { Choices = AppealFindings.Choices }, Text("ruling", "裁定理由")],
        Take = (c, by, i, ctx) => c.UpholdAppeal(by, i.Choice("finding", AppealFindings), i.Text("ruling"), ctx.At),
    };

    public static readonly Step RejectAppeal = new()
    {
        Name = "reject_appeal",
        Label = "驳回申诉",
        Who = StepActors.Supervisor,
        ExpectedIn = [CaseState.Appealed],
        From = [CaseState.Appealed],
        To = [CaseState.Contacted],
        Inputs = [Text("ruling", "裁定理由")],
        Take = (c, by, i, ctx) => c.RejectAppeal(by, i.Text("ruling"), ctx.At),
    };

    /// <summary>Once, before the deadline has passed (鲁政办发〔2020〕10号: complex cases up to 15 working days).</summary>
    public static readonly Step ExtendRectification = new()
    {
        Name = "extend_rectification",
        Label = "延长办理时限",
        Who = StepActors.AssignedHandler,
        From = [CaseState.Assigned, CaseState.Contacted, CaseState.RectifyingByDeadline],
        Unless = (c, ctx) => c.Deadlines.Extended ? "办理时限只能延长一次"
            : ctx.At > c.Deadlines.RectificationDue ? "办理时限已过，不能再延期"
            : null,
        Inputs = [new("new_due_day", "新办理时限", StepInputKind.Day), Text("reason", "延期原因")],
        Describe = (c, ctx, input) => input == "new_due_day"
            ? new StepInputBounds(
                $"现办理时限 {Day(c.Deadlines.RectificationDueDay)}；只能延长一次，最多至受理后第 "
                    + $"{ctx.RequireLimits().Policy.MaxExtendedWorkingDays} 个工作日（{Day(c.Deadlines.ExtensionLimitDay)}），须为工作日。",
                c.Deadlines.RectificationDueDay.AddDays(1),
                c.Deadlines.ExtensionLimitDay)
            : null,
        Take = (c, by, i, ctx) => c.ExtendRectification(by, i.Day("new_due_day"), i.Text("reason"), ctx.RequireLimits(), ctx.At),
    };

    public static readonly Step GiveFeedback = new()
    {
        Name = "give_feedback",
        Label = "整改反馈",
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.FixedAtOnce, CaseState.RectifyingByDeadline, CaseState.Explained],
        From = [CaseState.FixedAtOnce, CaseState.RectifyingByDeadline, CaseState.Explained],
        To = [CaseState.FeedbackGiven, CaseState.Closed],
        Inputs = [Text("content", "反馈内容"), Evidence(required: false), PublicSummary],
        Take = (c, by, i, ctx) => c.GiveFeedback(by, i.Text("content"), i.List("evidence"), ctx.At, i.Text("public_summary")),
    };

    public static readonly Step RecordSatisfaction = new()
    {
        Name = "record_satisfaction",
        Label = "登记整改满意度",
        Who = StepActors.AssignedHandler,
        ExpectedIn = [CaseState.FeedbackGiven],
        From = [CaseState.FeedbackGiven],
        To = [CaseState.Contacted, CaseState.Closed],
        Inputs =
        [
            new("satisfaction", "评价人对整改的满意度", StepInputKind.Choice) { Choices = Satisfactions.Choices },
            Text("note", "备注", required: false),
        ],
        Take = (c, by, i, ctx) =>
            c.RecordSatisfaction(by, i.Choice("satisfaction", Satisfactions), i.Text("note"), ctx.RequireLimits(), ctx.At),
    };

    public static readonly Step Close = new()
    {
        Name = "close",
        Label = "办结",
        Who = StepActors.HallManager | StepActors.Supervisor,
        ExpectedIn = [CaseState.AppealUpheld],
        From = [CaseState.AppealUpheld],
        To = [CaseState.Closed],
        Inputs = [Text("note", "办结说明", required: false)],
        Take = (c, by, i, ctx) => c.Close(by, i.Text("note"), ctx.At),
    };

    public static readonly Step CloseWithoutSatisfaction = new()
    {
        Name = "close_without_satisfaction",
        Label = "未获评价办结",
        Who = StepActors.HallManager,
        From = [CaseState.FeedbackGiven],
        To = [CaseState.Closed],
        Inputs = [Text("reason", "未获评价的原因")],
        Take = (c, by, i, ctx) => c.CloseWithoutSatisfaction(by, i.Text("reason"), ctx.At),
    };

    public static readonly Step Escalate = new()
    {
        Name = "escalate",
        Label = "督办升级",
        Who = StepActors.HallManager | StepActors.System,
        From = Open,
        Inputs = [Text("note", "督办说明")],
        Take = (c, by, i, ctx) => c.Escalate(by, i.Text("note"), ctx.At),
    };

    /// <summary>Taken through RevealRaterContact, which answers with the number.</summary>
    public static readonly Step RevealContact = new()
    {
        Name = "reveal_contact",
        Label = "查看回访号码",
        Who = StepActors.AssignedHandler,
        From = Open,
        Unless = (c, _) => AnonymousOnly(c),
        HasOwnCall = true,
        Inputs = [Text("reason", "查看原因")],
        Take = (c, by, i, ctx) => c.RecordContactRevealed(by, i.Text("reason"), ctx.At),
    };

    public static readonly CaseStepCatalog<BadReviewCase, CaseState> Catalog = new(
        c => c.State,
        [
            Assign, Reassign, RecordCallback, SkipCallbackAnonymous, RecordCallbackFailed, FixAtOnce,
            RectifyByDeadline, Explain, Appeal, UpholdAppeal, RejectAppeal, ExtendRectification, GiveFeedback, RecordSatisfaction,
            Close, CloseWithoutSatisfaction, Escalate, RevealContact,
        ]);

    private static string? CallbackGivenUp(BadReviewCase c, int attemptsBeforeGivingUp) =>
        c.CallAttempts.Any(a => a.Outcome == CallOutcome.Refused)
        || c.CallAttempts.Count(a => a.Outcome == CallOutcome.NotReached) >= attemptsBeforeGivingUp
            ? null
            : $"须有拒绝回访记录或至少 {attemptsBeforeGivingUp} 次未接通记录";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
