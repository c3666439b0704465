using System.Globalization;
using Step = ServiceHall.Server.Domain.CaseStep<ServiceHall.Server.Domain.DisclosureRequest, ServiceHall.Server.Domain.DisclosureRequestState>;

namespace ServiceHall.Server.Domain;

/// <summary>
/// The steps of an information-disclosure request (docs/rules/disclosure-requests.md#steps), each declared once: who takes
/// it, from which states, to which, with which inputs. <see cref="DisclosureRequest"/>'s methods run <see cref="Catalog"/>'s
/// guard before their behaviour; the console's forms and the gRPC step call are read from here.
/// </summary>
public static class DisclosureRequestSteps
{
    public static readonly StepChoices<DisclosureOutcome> Outcomes = new(
        [.. DisclosureOutcomes.All.Select(o => (o, Value(o), o.ChoiceLabel()))]);

    public static readonly StepChoices<DeliveryMethod> Deliveries = new(
        (DeliveryMethod.Collect, "collect", "当面领取"),
        (DeliveryMethod.Post, "post", "邮寄"),
        (DeliveryMethod.Email, "email", "电子邮件"));

    public static readonly StepChoices<ConsultedParty> Parties = new(
        (ConsultedParty.ThirdParty, "third_party", "第三方（15 个工作日内答复）"),
        (ConsultedParty.OtherAgency, "other_agency", "其他机关"));

    private static readonly DisclosureRequestState[] Open =
        [.. Enum.GetValues<DisclosureRequestState>().Where(s => s is not (DisclosureRequestState.ReplySent or DisclosureRequestState.Closed))];

    /// <summary>The states in which the reply clock runs and the one extension may be approved.</summary>
    private static readonly DisclosureRequestState[] ClockRunning =
    [
        DisclosureRequestState.Received, DisclosureRequestState.Registered, DisclosureRequestState.Assigned,
        DisclosureRequestState.ReplyDrafted, DisclosureRequestState.ReplyApproved,
    ];

    private static StepInput Text(string name, string label, bool required = true) => new(name, label, StepInputKind.LongText, required);

    private static StepInput Line(string name, string label, bool required = true) => new(name, label, StepInputKind.Text, required);

    public static readonly Step Register = new()
    {
        Name = "register",
        Label = "登记",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.Received],
        To = [DisclosureRequestState.Registered],
        Inputs = [Text("note", "备注", required: false)],
        Take = (c, by, i, ctx) => c.Register(by, i.Text("note"), ctx.At),
    };

    public static readonly Step RequestSupplement = new()
    {
        Name = "request_supplement",
        Label = "告知补正",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.Registered, DisclosureRequestState.Assigned],
        To = [DisclosureRequestState.AwaitingSupplement],
        Unless = (c, ctx) => c.SupplementDueDay is not null ? "补正只能一次性告知"
            : ctx.RequireDisclosureLimits() is var limits && limits.Calendar.LocalDate(ctx.At) > limits.SupplementRequestLastDay(c.ReceivedDay)
                ? $"已超过收到申请之日起 {limits.Policy.SupplementRequestWorkingDays} 个工作日（{Day(limits.SupplementRequestLastDay(c.ReceivedDay))}）"
            : null,
        Inputs =
        [
            Text("what", "需要补正的事项") with { Hint = "一次性写明需要补正的全部内容，如：请写明所需文件的名称或文号" },
            new("due_day", "补正期限", StepInputKind.Day),
        ],
        Describe = (c, ctx, input) => input == "due_day" && ctx.RequireDisclosureLimits() is var limits
            ? new StepInputBounds(
                $"补正期间答复期限暂停，收到补正后重新计算；期限最长 {limits.Policy.MaxSupplementWorkingDays} 个工作日。",
                limits.Calendar.LocalDate(ctx.At).AddDays(1),
                limits.SupplementLatestDueDay(limits.Calendar.LocalDate(ctx.At)))
            : null,
        Take = (c, by, i, ctx) => c.RequestSupplement(by, i.Text("what"), i.Day("due_day"), ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step RecordSupplement = new()
    {
        Name = "record_supplement",
        Label = "登记收到补正",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.AwaitingSupplement],
        To = [DisclosureRequestState.Registered, DisclosureRequestState.Assigned],
        Unless = (c, ctx) => ctx.RequireDisclosureLimits().Calendar.LocalDate(ctx.At) > c.SupplementDueDay
            ? $"补正期限 {Day(c.SupplementDueDay!.Value)} 已过" : null,
        Inputs = [Text("content", "补正内容")],
        Take = (c, by, i, ctx) => c.RecordSupplement(by, i.Text("content"), ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step Lapse = new()
    {
        Name = "lapse",
        Label = "逾期未补正，视为放弃",
        Who = StepActors.DisclosureOffice | StepActors.System,
        From = [DisclosureRequestState.AwaitingSupplement],
        To = [DisclosureRequestState.Closed],
        Unless = (c, ctx) => ctx.RequireDisclosureLimits().Calendar.LocalDate(ctx.At) <= c.SupplementDueDay
            ? $"补正期限 {Day(c.SupplementDueDay!.Value)} 尚未届满" : null,
        Inputs = [Text("note", "备注", required: false)],
        Take = (c, by, i, ctx) => c.Lapse(by, i.Text("note"), ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step Assign = new()
    {
        Name = "assign",
        Label = "交办",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.Registered],
        To = [DisclosureRequestState.Assigned],
        Inputs =
        [
            new("department_code", "掌握信息的部门", StepInputKind.Department),
            new("handler_id", "经办人工号", StepInputKind.StaffId, Required: false),
            Text("note", "备注", required: false),
        ],
        Take = (c, by, i, ctx) => c.Assign(by, i.Text("department_code"), i.Text("handler_id"), i.Text("note"), ctx.At),
    };

    public static readonly Step Consult = new()
    {
        Name = "consult",
        Label = "征求意见",
        Who = StepActors.AssignedHandler | StepActors.DisclosureOffice,
        From = [DisclosureRequestState.Assigned, DisclosureRequestState.Consulting],
        To = [DisclosureRequestState.Consulting],
        Inputs =
        [
            new("party_kind", "征求对象", StepInputKind.Choice) { Choices = Parties.Choices },
            Line("party", "第三方或机关名称"),
            Text("question", "征求意见的事项"),
        ],
        Describe = (c, ctx, input) => input == "party_kind"
            ? new StepInputBounds("征求意见的时间不计入答复期限；第三方应在 "
                + $"{ctx.RequireDisclosureLimits().Policy.ThirdPartyOpinionWorkingDays} 个工作日内提出意见。")
            : null,
        Take = (c, by, i, ctx) =>
            c.Consult(by, i.Choice("party_kind", Parties), i.Text("party"), i.Text("question"), ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step RecordOpinion = new()
    {
        Name = "record_opinion",
        Label = "登记意见",
        Who = StepActors.AssignedHandler | StepActors.DisclosureOffice,
        From = [DisclosureRequestState.Consulting],
        To = [DisclosureRequestState.Consulting, DisclosureRequestState.Assigned],
        Inputs = [Line("party", "第三方或机关名称"), Text("opinion", "意见（逾期未提出的，写明）")],
        Describe = (c, _, input) => input == "party"
            ? new StepInputBounds("正在征求：" + string.Join("、", c.Consultations.Where(x => x.AnsweredDay is null).Select(x => x.Party)))
            : null,
        Take = (c, by, i, ctx) => c.RecordOpinion(by, i.Text("party"), i.Text("opinion"), ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step DraftReply = new()
    {
        Name = "draft_reply",
        Label = "拟定答复",
        Who = StepActors.AssignedHandler | StepActors.DisclosureOffice,
        From = [DisclosureRequestState.Registered, DisclosureRequestState.Assigned],
        To = [DisclosureRequestState.ReplyDrafted],
        Inputs =
        [
            new("outcome", "答复类型", StepInputKind.Choice) { Choices = Outcomes.Choices },
            Text("content", "答复内容") with { Hint = "部分公开的，写明公开的部分和不予公开的部分" },
            Text("legal_basis", "理由和依据", required: false) with { Hint = "除予以公开外，须写明理由和法律依据" },
        ],
        Take = (c, by, i, ctx) => c.DraftReplyWith(by, i.Choice("outcome", Outcomes), i.Text("content"), i.Text("legal_basis"), ctx.At),
    };

    public static readonly Step ReturnDraft = new()
    {
        Name = "return_draft",
        Label = "退回答复稿",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.ReplyDrafted],
        To = [DisclosureRequestState.Registered, DisclosureRequestState.Assigned],
        Inputs = [Text("reason", "退回原因")],
        Take = (c, by, i, ctx) => c.ReturnDraft(by, i.Text("reason"), ctx.At),
    };

    public static readonly Step ApproveReply = new()
    {
        Name = "approve_reply",
        Label = "审批答复",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.ReplyDrafted],
        To = [DisclosureRequestState.ReplyApproved],
        Inputs = [Line("approver", "审批人"), Text("note", "审批意见", required: false)],
        Take = (c, by, i, ctx) => c.ApproveReply(by, i.Text("approver"), i.Text("note"), ctx.At),
    };

    public static readonly Step SendReply = new()
    {
        Name = "send_reply",
        Label = "送达答复",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.ReplyApproved],
        To = [DisclosureRequestState.ReplySent],
        Inputs =
        [
            new("delivered_by", "送达方式", StepInputKind.Choice) { Choices = Deliveries.Choices },
            Text("note", "送达记录（如邮件单号）", required: false),
        ],
        Take = (c, by, i, ctx) => c.SendReply(by, i.Choice("delivered_by", Deliveries), i.Text("note"), ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step Extend = new()
    {
        Name = "extend",
        Label = "延长答复期限",
        Who = StepActors.DisclosureOffice,
        From = ClockRunning,
        Unless = (c, ctx) => c.IsExtended ? "答复期限只能延长一次"
            : ctx.At > c.ReplyDeadline(ctx.RequireDisclosureLimits(), ctx.At).Due ? "答复期限已过，不能再延长"
            : null,
        Inputs =
        [
            new("new_due_day", "延长后的答复期限", StepInputKind.Day),
            Line("approver", "批准人（政务公开工作机构负责人）"),
            Text("reason", "延长理由"),
            Text("applicant_told", "告知申请人的方式和时间"),
        ],
        Describe = (c, ctx, input) => input == "new_due_day" && ctx.RequireDisclosureLimits() is var limits
            ? new StepInputBounds(
                $"现答复期限 {Day(c.ReplyDeadline(limits, ctx.At).DueDay)}；只能延长一次，最多 {limits.Policy.MaxExtensionWorkingDays} 个工作日，须为工作日。",
                c.ReplyDeadline(limits, ctx.At).DueDay.AddDays(1),
                limits.LatestExtendedDueDay(c.ClockFacts, limits.Calendar.LocalDate(ctx.At)))
            : null,
        Take = (c, by, i, ctx) => c.Extend(by, i.Day("new_due_day"), i.Text("approver"), i.Text("reason"), i.Text("applicant_told"),
            ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step Escalate = new()
    {
        Name = "escalate",
        Label = "督办",
        Who = StepActors.DisclosureOffice,
        From = Open,
        Inputs = [Text("note", "督办说明")],
        Take = (c, by, i, ctx) => c.Escalate(by, i.Text("note"), ctx.At),
    };

    public static readonly Step EscalateOverdue = new()
    {
        Name = "escalate_overdue",
        Label = "逾期自动督办",
        Who = StepActors.System,
        From = Open,
        Unless = (c, ctx) => c.MissedDeadlineKey(ctx.RequireDisclosureLimits(), ctx.At) is null ? "没有已过而未督办的答复期限" : null,
        Take = (c, by, _, ctx) => c.EscalateOverdue(by, ctx.RequireDisclosureLimits(), ctx.At),
    };

    public static readonly Step Close = new()
    {
        Name = "close",
        Label = "办结归档",
        Who = StepActors.DisclosureOffice,
        From = [DisclosureRequestState.ReplySent],
        To = [DisclosureRequestState.Closed],
        Inputs = [Text("note", "备注", required: false)],
        Take = (c, by, i, ctx) => c.Close(by, i.Text("note"), ctx.At),
    };

    public static readonly CaseStepCatalog<DisclosureRequest, DisclosureRequestState> Catalog = new(
        c => c.State,
        [
            Register, RequestSupplement, RecordSupplement, Lapse, Assign, Consult, RecordOpinion, DraftReply, ReturnDraft, ApproveReply,
            SendReply, Extend, Escalate, EscalateOverdue, Close,
        ]);

    /// <summary>The outcome's code on the wire, e.g. "not_disclosed_state_secret".</summary>
    public static string Value(DisclosureOutcome outcome) => outcome switch
    {
        DisclosureOutcome.Disclosed => "disclosed",
        DisclosureOutcome.PartlyDisclosed => "partly_disclosed",
        DisclosureOutcome.NotDisclosedStateSecret => "not_disclosed_state_secret",
        DisclosureOutcome.NotDisclosedOtherLaw => "not_disclosed_other_law",
        DisclosureOutcome.NotDisclosedSecurityStability => "not_disclosed_security_stability",
        DisclosureOutcome.NotDisclosedThirdPartyRights => "not_disclosed_third_party_rights",
        DisclosureOutcome.NotDisclosedInternalAffairs => "not_disclosed_internal_affairs",
        DisclosureOutcome.NotDisclosedProcessInformation => "not_disclosed_process_information",
        DisclosureOutcome.NotDisclosedEnforcementFile => "not_disclosed_enforcement_file",
        DisclosureOutcome.NotDisclosedAdministrativeQuery => "not_disclosed_administrative_query",
        DisclosureOutcome.CannotProvideNotHeld => "cannot_provide_not_held",
        DisclosureOutcome.CannotProvideWouldNeedCreating => "cannot_provide_would_need_creating",
        DisclosureOutcome.CannotProvideStillUnclear => "cannot_provide_still_unclear",
        DisclosureOutcome.NotHandledPetitionOrComplaint => "not_handled_petition_or_complaint",
        DisclosureOutcome.NotHandledRepeated => "not_handled_repeated",
        DisclosureOutcome.NotHandledPublication => "not_handled_publication",
        DisclosureOutcome.NotHandledMassRepeated => "not_handled_mass_repeated",
        DisclosureOutcome.NotHandledConfirmHeldInformation => "not_handled_confirm_held_information",
        DisclosureOutcome.OtherNoSupplement => "other_no_supplement",
        DisclosureOutcome.OtherFeeNotPaid => "other_fee_not_paid",
        DisclosureOutcome.OtherOther => "other_other",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
