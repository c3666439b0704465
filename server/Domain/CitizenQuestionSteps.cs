using Step = ServiceHall.Server.Domain.CaseStep<ServiceHall.Server.Domain.CitizenQuestion, ServiceHall.Server.Domain.CitizenQuestionState>;

namespace ServiceHall.Server.Domain;

/// <summary>
/// The steps of a question (docs/rules/questions-and-reports.md#question-steps), each declared once. <see cref="CitizenQuestion"/>'s
/// methods run <see cref="Catalog"/>'s guard before their behaviour; the gRPC step call and the console's forms are read from here.
/// </summary>
public static class CitizenQuestionSteps
{
    private static readonly CitizenQuestionState[] Unanswered = [CitizenQuestionState.Received, CitizenQuestionState.Routed];

    public static readonly Step Route = new()
    {
        Name = "route",
        Label = "交办",
        Who = StepActors.HallManager | StepActors.System,
        From = [CitizenQuestionState.Received],
        To = [CitizenQuestionState.Routed],
        Inputs = [new("department_code", "承办部门", StepInputKind.Department), new("note", "交办说明", StepInputKind.LongText, Required: false)],
        Take = (c, by, i, ctx) => c.Route(by, i.Text("department_code"), i.Text("note"), ctx.At),
    };

    public static readonly Step Reroute = new()
    {
        Name = "reroute",
        Label = "改派",
        Who = StepActors.HallManager,
        From = [CitizenQuestionState.Routed],
        Inputs = [new("department_code", "改派至", StepInputKind.Department), new("reason", "改派原因", StepInputKind.LongText)],
        Take = (c, by, i, ctx) => c.Reroute(by, i.Text("department_code"), i.Text("reason"), ctx.At),
    };

    public static readonly Step AnswerStep = new()
    {
        Name = "answer",
        Label = "答复",
        Who = StepActors.AssignedHandler,
        From = [CitizenQuestionState.Routed],
        To = [CitizenQuestionState.AwaitingFaqReview, CitizenQuestionState.Closed],
        Inputs = [new("answer", "答复内容（凭取件码在任一自助终端可查看）", StepInputKind.LongText)],
        Take = (c, by, i, ctx) => c.AnswerWith(by, i.Text("answer"), ctx.RequireEnquiryLimits(), ctx.At),
    };

    public static readonly Step AcceptAsFaq = new()
    {
        Name = "accept_as_faq",
        Label = "收入常见问题",
        Who = StepActors.HallManager,
        From = [CitizenQuestionState.AwaitingFaqReview],
        To = [CitizenQuestionState.Closed],
        // An FAQ entry belongs to a service item: a question about none can only be declined.
        Unless = (c, _) => c.Asked.ServiceItemCode is null ? "咨询未选择事项，无法收入事项的常见问题" : null,
        // The form starts from the citizen's words and the department's answer; the office edits out whatever names anybody.
        Describe = (c, _, input) => input switch
        {
            "faq_question" => new StepInputBounds(null, Default: c.Asked.Text),
            "faq_answer" => new StepInputBounds(null, Default: c.Answer),
            _ => null,
        },
        Inputs =
        [
            new("faq_question", "问题（去除个人信息后）", StepInputKind.LongText),
            new("faq_answer", "答复（去除个人信息后）", StepInputKind.LongText),
        ],
        Take = (c, by, i, ctx) => c.AcceptAsFaq(by, i.Text("faq_question"), i.Text("faq_answer"), ctx.At),
    };

    public static readonly Step DeclineFaq = new()
    {
        Name = "decline_faq",
        Label = "不收入常见问题",
        Who = StepActors.HallManager,
        From = [CitizenQuestionState.AwaitingFaqReview],
        To = [CitizenQuestionState.Closed],
        Inputs = [new("reason", "原因", StepInputKind.LongText)],
        Take = (c, by, i, ctx) => c.DeclineFaq(by, i.Text("reason"), ctx.At),
    };

    public static readonly Step EscalateOverdue = new()
    {
        Name = "escalate_overdue",
        Label = "逾期督办",
        Who = StepActors.System,
        From = Unanswered,
        Unless = (c, ctx) => c.Escalated ? "已督办"
            : !c.IsOverdue(ctx.RequireEnquiryLimits(), ctx.At) ? "答复期限未过"
            : null,
        Take = (c, by, _, ctx) => c.EscalateOverdue(by, ctx.RequireEnquiryLimits(), ctx.At),
    };

    public static readonly CaseStepCatalog<CitizenQuestion, CitizenQuestionState> Catalog = new(
        c => c.State, [Route, Reroute, AnswerStep, AcceptAsFaq, DeclineFaq, EscalateOverdue]);
}
