using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public class CaseMappingTests
{
    [Fact]
    public void ToRequest_Submission_CarriesTheStepAndEachInputByName()
    {
        var step = TestCases.Offer("appeal").ToOfferedStep();
        var inputs = new Dictionary<string, IReadOnlyList<string>> { ["grounds"] = ["误评"], ["evidence"] = ["录像", "叫号记录"] };

        var request = new StepSubmission(step, inputs).ToRequest("c-1");

        Assert.Equal("c-1", request.CaseId);
        Assert.Equal("appeal", request.Step);
        Assert.Equal(["grounds", "evidence"], request.Inputs.Select(i => i.Name));
        Assert.Equal(["录像", "叫号记录"], request.Inputs[1].Values);
    }

    [Theory]
    [InlineData("差评-20261206-0007", "差评-20261206-0007", "")]
    [InlineData(" 20261206-7 ", "20261206-7", "")]
    [InlineData("7F3A-2C91", "", "7F3A-2C91")]
    [InlineData("7f3a 2c91", "", "7f3a 2c91")]
    [InlineData("7F3A2C91", "", "7F3A2C91")]
    public void ToRequest_OneSearchBox_CaseNumberOrTheCitizensRatingReference(string typed, string caseNumber, string reference)
    {
        var request = (CaseQueueFilter.Any with { CaseNumber = typed }).ToRequest();
        Assert.Equal((caseNumber, reference), (request.CaseNumber, request.RatingReference));
    }

    [Fact]
    public void ToOfferedStep_KindsBoundsAndChoices_Kept()
    {
        var rectify = TestCases.Offer("rectify_by_deadline").ToOfferedStep();
        var call = TestCases.Offer("record_callback").ToOfferedStep();
        var assign = TestCases.Offer("assign").ToOfferedStep();

        var due = rectify.Fields.Single(f => f.Name == "due_day");
        Assert.Equal(StepFieldKind.Day, due.Kind);
        Assert.Equal(new DateOnly(2026, 3, 16), due.MaxDay);
        Assert.Equal(new DateOnly(2026, 3, 9), due.MinDay);
        Assert.Equal(["reached", "not_reached", "refused"], call.Fields[0].Choices.Select(c => c.Value));
        Assert.False(call.Fields[1].Required);
        Assert.Equal(new StepFieldCondition("outcome", "reached"), call.Fields[1].RequiredWhen);
        Assert.Null(call.Fields[2].RequiredWhen);
        Assert.True(call.Expected);
        Assert.False(rectify.Expected);
        Assert.Equal("RSJ", assign.Fields[0].Default);
        Assert.Equal(StepFieldKind.Handler, assign.Fields[1].Kind);
        Assert.Equal(new StepFieldChoice("spj-07", "赵娜", "SPJ"), assign.Fields[1].Choices[2]);
        Assert.True(TestCases.Offer("reveal_contact").ToOfferedStep().HasOwnCall);
    }

    [Fact]
    public void ToOfferedStep_InputKindOfANewerServer_ShownAsText()
    {
        var offer = new CaseStepOffer { Name = "x", Label = "新操作", Inputs = { new CaseStepInput { Name = "a", Kind = (StepInputKind)99 } } };

        Assert.Equal(StepFieldKind.Unknown, offer.ToOfferedStep().Fields[0].Kind);
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
    [InlineData("user_name", "不能为空", "用户名：不能为空")]
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
