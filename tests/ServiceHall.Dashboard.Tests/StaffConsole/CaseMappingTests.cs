using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public class CaseMappingTests
{
    private static readonly DateOnly Day = new(2026, 3, 13);

    public static TheoryData<CaseAction> EveryAction() =>
    [
        new AssignCase("RSJ", "", ""),
        new LogCallAttempt(CallResult.Refused, ""),
        new MarkContacted("核实"),
        new SkipCallbackAnonymous(),
        new RecordCallbackFailed("拒绝回访"),
        new FixAtOnce("已更换叫号机", []),
        new RectifyByDeadline("原因", Day, "台账"),
        new ExplainCase("依据", "解释"),
        new AppealCase("理由", ["证据"]),
        new RuleOnAppeal(true, AppealVerdict.Malicious, "裁定"),
        new GiveFeedback("反馈", []),
        new RecordSatisfaction(FixSatisfaction.BasicallySatisfied, ""),
        new CloseCase(""),
        new EscalateCase("督办"),
        new ExtendRectification(Day, "复杂"),
    ];

    [Theory]
    [MemberData(nameof(EveryAction))]
    public void ToRequest_EachAction_SetsTheOneofFieldNamedLikeItsAllowedAction(CaseAction action)
    {
        var request = action.ToRequest("c-1");

        var field = ActOnCaseRequest.Descriptor.Oneofs.Single().Fields.Single(f => f.FieldNumber == (int)request.ActionCase);
        Assert.Equal(action.Name, field.Name);
        Assert.Equal("c-1", request.CaseId);
        Assert.NotNull(CaseActionNames.Label(action.Name));
    }

    [Fact]
    public void ToRequest_EveryOneofField_HasAnActionInTheConsole()
    {
        var covered = ((IEnumerable<object[]>)EveryAction()).Select(row => ((CaseAction)row[0]).Name).ToHashSet();

        Assert.All(ActOnCaseRequest.Descriptor.Oneofs.Single().Fields, field => Assert.Contains(field.Name, covered));
    }

    [Fact]
    public void ToRequest_DaysAndChoices_UseTheContractsFormats()
    {
        Assert.Equal("2026-03-13", new ExtendRectification(Day, "复杂").ToRequest("c").ExtendRectification.NewDueDay);
        Assert.Equal(AppealFinding.Unspecified, new RuleOnAppeal(false, null, "驳回").ToRequest("c").RuleOnAppeal.Finding);
        Assert.Equal(AppealFinding.Misrated, new RuleOnAppeal(true, AppealVerdict.Misrated, "成立").ToRequest("c").RuleOnAppeal.Finding);
        Assert.Equal(RaterSatisfaction.Dissatisfied, new RecordSatisfaction(FixSatisfaction.Dissatisfied, "").ToRequest("c").RecordSatisfaction.Satisfaction);
    }

    [Fact]
    public void ToRow_UnknownEnumsFromANewerServer_ShowAsUnknownNotCrash()
    {
        var row = new CaseSummary { CaseId = "c", State = (CaseState)42, Level = (RatingLevel)9, ContactStatus = (DeadlineStatus)7 }.ToCaseRow();

        Assert.Equal(CaseStage.Unknown, row.Stage);
        Assert.Equal("未知状态", row.StageLabel);
        Assert.Null(row.Level);
        Assert.Equal(DeadlineState.Unknown, row.ContactStatus);
        Assert.Null(row.ContactStatus.BadgeText());
    }

    [Theory]
    [InlineData("HallManager", "大厅负责人")]
    [InlineData("hall-manager", "大厅负责人")]
    [InlineData("STAFF_ROLE_DEPARTMENT_HANDLER", "部门经办人")]
    [InlineData("Supervisor", "督办人员")]
    [InlineData("System", "系统")]
    [InlineData("someone-new", "someone-new")]
    public void LabelOfActorRole_Spellings_ChineseLabel(string role, string label) =>
        Assert.Equal(label, ConsoleRoles.LabelOfActorRole(role));

    [Theory]
    [InlineData("due_day", "整改期限不能早于今天", "整改期限：整改期限不能早于今天")]
    [InlineData("some_new_field", "不能为空", "不能为空")]
    [InlineData(null, "case 1 not found", "case 1 not found")]
    public void InvalidInputMessage_FieldName_ShownInChinese(string? field, string detail, string shown) =>
        Assert.Equal(shown, new ConsoleCallException(ConsoleFailure.InvalidInput, detail, field).UserMessage);

    [Fact]
    public void ToCaseFile_ChineseFromTheServer_KeptAsSent()
    {
        var file = TestCases.File(TestCases.Summary("c"), []);
        file.Timeline[0].Action = "回访（已接通）";

        Assert.Equal("回访（已接通）", file.ToCaseFile().Timeline[0].Action);
        Assert.Equal("政务大厅其他终端", file.ToCaseFile().Rating!.Channel);
    }
}
