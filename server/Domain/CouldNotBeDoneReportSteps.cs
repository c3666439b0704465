using Step = ServiceHall.Server.Domain.CaseStep<ServiceHall.Server.Domain.CouldNotBeDoneReport, ServiceHall.Server.Domain.CouldNotBeDoneState>;

namespace ServiceHall.Server.Domain;

/// <summary>The steps of a "could not get it done" report (docs/rules/questions-and-reports.md#report-steps), each declared once.</summary>
public static class CouldNotBeDoneReportSteps
{
    public static readonly StepChoices<CallOutcome> CallOutcomes = new(
        (CallOutcome.Reached, "reached", "已联系上"),
        (CallOutcome.NotReached, "not_reached", "未接通"),
        (CallOutcome.Refused, "refused", "群众不愿回访"));

    public static readonly StepChoices<CouldNotBeDoneOutcome> Outcomes = new(
        (CouldNotBeDoneOutcome.Resolved, "resolved", "已解决"),
        (CouldNotBeDoneOutcome.Explained, "explained", "已解释说明"),
        (CouldNotBeDoneOutcome.Referred, "referred", "已转办"),
        (CouldNotBeDoneOutcome.CannotResolve, "cannot_resolve", "无法解决"));

    private static readonly CouldNotBeDoneState[] Open = [CouldNotBeDoneState.Received, CouldNotBeDoneState.CalledBack];

    public static readonly Step RecordCallback = new()
    {
        Name = "record_callback",
        Label = "登记回访",
        Who = StepActors.HallManager,
        From = Open,
        To = Open,
        Inputs =
        [
            new("outcome", "回访结果", StepInputKind.Choice) { Choices = CallOutcomes.Choices },
            new("note", "回访记录", StepInputKind.LongText, Required: false),
        ],
        Take = (c, by, i, ctx) => c.RecordCallback(by, i.Choice("outcome", CallOutcomes), i.Text("note"), ctx.At),
    };

    public static readonly Step Conclude = new()
    {
        Name = "conclude",
        Label = "办结",
        Who = StepActors.HallManager,
        From = Open,
        To = [CouldNotBeDoneState.Concluded],
        Unless = (c, _) => c.CallAttempts == 0 ? "须先登记回访（未接通也须登记）" : null,
        Inputs =
        [
            new("outcome", "办理结果", StepInputKind.Choice) { Choices = Outcomes.Choices },
            new("what_was_done", "处理情况", StepInputKind.LongText),
            new("referred_to", "转办至（转办时必填）", StepInputKind.Text, Required: false),
        ],
        Take = (c, by, i, ctx) => c.Conclude(by, i.Choice("outcome", Outcomes), i.Text("what_was_done"), i.Text("referred_to"),
            ctx.RequireEnquiryLimits(), ctx.At),
    };

    public static readonly Step EscalateOverdue = new()
    {
        Name = "escalate_overdue",
        Label = "逾期督办",
        Who = StepActors.System,
        From = Open,
        Unless = (c, ctx) => c.Escalated ? "已督办"
            : !c.IsOverdue(ctx.RequireEnquiryLimits(), ctx.At) ? "办理期限未过"
            : null,
        Take = (c, by, _, ctx) => c.EscalateOverdue(by, ctx.RequireEnquiryLimits(), ctx.At),
    };

    /// <summary>Taken through RevealReportContact, which answers with the number.</summary>
    public static readonly Step RevealContact = new()
    {
        Name = "reveal_contact",
        Label = "查看回访号码",
        Who = StepActors.HallManager,
        From = Open,
        HasOwnCall = true,
        Inputs = [new("reason", "查看原因", StepInputKind.Text) { MaxLength = TextLimits.Reason }],
        Take = (c, by, i, ctx) => c.RecordContactRevealed(by, i.Text("reason"), ctx.At),
    };

    public static readonly CaseStepCatalog<CouldNotBeDoneReport, CouldNotBeDoneState> Catalog = new(
        c => c.State, [RecordCallback, Conclude, EscalateOverdue, RevealContact]);
}
