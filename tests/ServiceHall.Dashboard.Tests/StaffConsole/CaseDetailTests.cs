using Bunit;
using Grpc.Core;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class CaseDetailTests : ConsoleTestHost
{
    private async Task<IRenderedComponent<ConsoleLayout>> OpenAsync(GetCaseResponse file)
    {
        Server.Cases.Files[file.Summary.CaseId] = file;
        await SignInAsync();
        var layout = RenderInLayout<CaseDetail>(("CaseId", file.Summary.CaseId));
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=timeline]")), Bound);
        return layout;
    }

    private static GetCaseResponse Contacted(params string[] allowed) => TestCases.File(
        TestCases.Summary("c-9", CaseState.Contacted, "已回访核实", contact: DeadlineStatus.Done, rectification: DeadlineStatus.DueSoon),
        allowed);

    [Fact]
    public async Task Render_Case_ShowsRatingDeadlinesAndOrderedTimeline()
    {
        var file = Contacted();
        file.Timeline.Add(new CaseTimelineEntry
        {
            Sequence = 3,
            At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestCases.Received.AddHours(3)),
            ActorId = "rsj-01",
            ActorRole = "DepartmentHandler",
            Action = "回访核实",
            FromState = CaseState.Assigned,
            ToState = CaseState.Contacted,
            Note = "已与评价人通话，情况属实",
            Evidence = { "通话记录 0309-01" },
        });
        file.Timeline.Add(new CaseTimelineEntry
        {
            Sequence = 2,
            At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestCases.Received.AddHours(1)),
            ActorId = "wangli",
            ActorRole = "HallManager",
            Action = "分派",
            FromState = CaseState.New,
            ToState = CaseState.Assigned,
        });

        var layout = await OpenAsync(file);

        var rating = layout.Find("[data-testid=case-rating]").TextContent;
        Assert.Contains("不满意", rating, StringComparison.Ordinal);
        Assert.Contains("办事效率低", rating, StringComparison.Ordinal);
        Assert.Contains("排队两个小时，窗口人员态度不好。", rating, StringComparison.Ordinal);
        Assert.Contains("2026-03-09 10:15", rating, StringComparison.Ordinal);
        Assert.Contains("政务大厅其他终端", rating, StringComparison.Ordinal);
        Assert.Equal("138****1234", Text(layout, "rater-contact"));
        Assert.Equal("7F3A-2C91", Text(layout, "rating-reference")); // what the kiosk showed the citizen
        Assert.Equal("预警", Text(layout, "rectification-status"));
        Assert.Equal("已完成", Text(layout, "contact-status"));
        Assert.Equal("已回访核实", Text(layout, "case-state"));

        var entries = layout.FindAll("[data-testid=timeline] > li");
        Assert.Equal(3, entries.Count);
        Assert.Equal(["1", "2", "3"], entries.Select(e => e.QuerySelector(".timeline__seq")!.TextContent));
        Assert.Contains("大厅负责人", entries[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("待分派 → 已分派", entries[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("部门经办人", entries[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-03-09 13:15", entries[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("已与评价人通话，情况属实", entries[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("通话记录 0309-01", entries[2].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_FollowUp_ShownWithItsTime_OnlyWhenThereIsOne()
    {
        var file = TestCases.File(TestCases.Summary("c-f"), []);
        file.Rating.FollowUpText = "第二天窗口打电话道歉了";
        file.Rating.FollowUpWrittenAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(TestCases.Received.AddDays(2));

        var withFollowUp = await OpenAsync(file);

        Assert.Contains("第二天窗口打电话道歉了", Text(withFollowUp, "follow-up"), StringComparison.Ordinal);
        Assert.Contains(TestCases.Received.AddDays(2).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm"), Text(withFollowUp, "follow-up"), StringComparison.Ordinal);
        Assert.Empty((await OpenAsync(TestCases.File(TestCases.Summary("c-n"), []))).FindAll("[data-testid=follow-up]"));
    }

    [Fact]
    public async Task Render_AnonymousRating_SaysAnonymousInsteadOfAPhone()
    {
        var layout = await OpenAsync(TestCases.File(TestCases.Summary("c-a", realName: false), [], maskedPhone: ""));

        Assert.Equal("匿名评价", Text(layout, "rater-contact"));
        Assert.Equal("当前状态下您没有可执行的操作。", Text(layout, "no-actions"));
    }

    [Fact]
    public async Task Render_AllowedActions_RendersExactlyThoseForms()
    {
        var layout = await OpenAsync(Contacted("rectify_by_deadline", "explain", "appeal"));

        var buttons = layout.FindAll("button[data-testid^=act-]").Select(b => b.GetAttribute("data-testid"));
        Assert.Equal(["act-rectify_by_deadline", "act-explain", "act-appeal"], buttons);
        Assert.Equal("整改期限", layout.Find("label[for=act-rectify_by_deadline-due_day]").TextContent);
        Assert.Equal("date", layout.Find("#act-rectify_by_deadline-due_day").GetAttribute("type"));
        Assert.Equal("法律政策依据", layout.Find("label[for=act-explain-legal_basis]").TextContent);
        Assert.Equal("证据", layout.Find("label[for=act-appeal-evidence]").TextContent);
        Assert.Empty(layout.FindAll("[data-testid=act-assign]"));
    }

    [Fact]
    public async Task RevealContact_WithoutAReason_RefusedAndThePhoneStaysMasked()
    {
        var layout = await OpenAsync(Contacted("reveal_contact", "explain"));

        Assert.Equal(["act-explain"], layout.FindAll("button[data-testid^=act-]").Select(b => b.GetAttribute("data-testid")));
        await layout.Find("[data-testid=reveal-contact]").SubmitAsync();

        Assert.Equal("138****1234", Text(layout, "rater-contact"));
        Assert.Empty(Server.Cases.RevealRequests);
    }

    [Fact]
    public async Task RevealContact_WithAReason_ShowsTheNumberAndSendsTheReason()
    {
        var layout = await OpenAsync(Contacted("reveal_contact", "explain"));

        await ChangeAsync(layout, "#reveal-reason", "回访核实");
        await layout.Find("[data-testid=reveal-contact]").SubmitAsync();

        layout.WaitForAssertion(() => Assert.Equal("13812341234", Text(layout, "rater-contact")), Bound);
        Assert.Equal("回访核实", Assert.Single(Server.Cases.RevealRequests).Reason);
    }

    [Fact]
    public async Task Render_RevealContactNotAllowed_NoWayToSeeTheNumber()
    {
        var layout = await OpenAsync(Contacted("explain"));

        Assert.Empty(layout.FindAll("[data-testid=reveal-contact]"));
        Assert.Equal("138****1234", Text(layout, "rater-contact"));
    }

    [Fact]
    public async Task Render_ManyAllowedActions_FormsStartFoldedFewStartOpen()
    {
        var many = await OpenAsync(Contacted("fix_at_once", "rectify_by_deadline", "explain", "appeal"));

        Assert.All(many.FindAll("details.action-form"), details => Assert.False(details.HasAttribute("open")));
        Assert.Contains("不晚于办理时限 2026-03-16", many.Find("#act-rectify_by_deadline-due_day-hint").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RectifyByDeadline_Submit_SendsTheStepWithItsInputsAndShowsTheReturnedCase()
    {
        var before = Contacted("rectify_by_deadline", "explain");
        Server.Cases.OnAct = request => TestCases.After(
            before, CaseState.RectifyingByDeadline, "限期整改中", "限期整改", Inputs(request)["reason"][0], ["give_feedback"]);
        var layout = await OpenAsync(before);

        await ChangeAsync(layout, "#act-rectify_by_deadline-reason", "叫号系统故障，需更换设备");
        await ChangeAsync(layout, "#act-rectify_by_deadline-due_day", "2026-03-13");
        await ChangeAsync(layout, "#act-rectify_by_deadline-ledger_entry", "台账 2026-031");
        await SubmitAsync(layout, "[data-testid=action-rectify_by_deadline]");

        layout.WaitForAssertion(() => Assert.Equal("限期整改中", Text(layout, "case-state")), Bound);
        var request = Assert.Single(Server.Cases.ActRequests);
        Assert.Equal("c-9", request.CaseId);
        Assert.Equal("rectify_by_deadline", request.Step);
        Assert.Equal(["叫号系统故障，需更换设备"], Inputs(request)["reason"]);
        Assert.Equal(["2026-03-13"], Inputs(request)["due_day"]);
        Assert.Equal(["台账 2026-031"], Inputs(request)["ledger_entry"]);
        Assert.Contains("叫号系统故障，需更换设备", layout.FindAll("[data-testid=timeline] > li").Last().TextContent, StringComparison.Ordinal);
        // The forms follow the returned case's allowed_steps.
        Assert.Equal(["act-give_feedback"], layout.FindAll("button[data-testid^=act-]").Select(b => b.GetAttribute("data-testid")));
        Assert.Contains("已提交：限期整改", Text(layout, "act-done"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appeal_Submit_SendsEvidenceOnePerLine()
    {
        var before = Contacted("appeal");
        Server.Cases.OnAct = _ => TestCases.After(before, CaseState.Appealed, "申诉中", "申诉", "", []);
        var layout = await OpenAsync(before);

        await ChangeAsync(layout, "#act-appeal-grounds", "评价时间该窗口无人办件");
        await ChangeAsync(layout, "#act-appeal-evidence", "监控录像 A05-0309\n\n  叫号记录 0309  \n");
        await SubmitAsync(layout, "[data-testid=action-appeal]");

        layout.WaitForAssertion(() => Assert.Equal("申诉中", Text(layout, "case-state")), Bound);
        var request = Assert.Single(Server.Cases.ActRequests);
        Assert.Equal(["监控录像 A05-0309", "叫号记录 0309"], Inputs(request)["evidence"]);
    }

    [Fact]
    public async Task Assign_DefaultsToTheRoutedDepartment_HandlerPickedFromItsAccountsByName()
    {
        var before = TestCases.File(TestCases.Summary("c-9"), ["assign", "escalate"]);
        Server.Cases.OnAct = _ => TestCases.After(before, CaseState.Assigned, "已分派", "分派", "", ["escalate"]);
        var layout = await OpenAsync(before);
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("#act-assign-department_code option[value=SPJ]")), Bound);

        // The department the case was routed to is chosen already; its handlers are listed by name, no one else's.
        Assert.Equal("RSJ", layout.Find("#act-assign-department_code").GetAttribute("value"));
        Assert.Equal(["不指定经办人", "李敏", "周强"], layout.FindAll("#act-assign-handler_id option").Select(o => o.TextContent));
        Assert.Equal("经办人（可不填）", layout.Find("label[for=act-assign-handler_id]").TextContent);
        await ChangeAsync(layout, "#act-assign-handler_id", "rsj-02");
        await SubmitAsync(layout, "[data-testid=action-assign]");

        layout.WaitForAssertion(() => Assert.Equal("已分派", Text(layout, "case-state")), Bound);
        var request = Assert.Single(Server.Cases.ActRequests);
        Assert.Equal("assign", request.Step);
        Assert.Equal(["RSJ"], Inputs(request)["department_code"]);
        Assert.Equal(["rsj-02"], Inputs(request)["handler_id"]);
        Assert.False(Inputs(request).ContainsKey("note")); // an optional input left empty is not sent
    }

    [Fact]
    public async Task Assign_AnotherDepartmentChosen_ListsItsHandlersAndDropsTheOneNamedBefore()
    {
        var before = TestCases.File(TestCases.Summary("c-9"), ["assign"]);
        Server.Cases.OnAct = _ => TestCases.After(before, CaseState.Assigned, "已分派", "分派", "", []);
        var layout = await OpenAsync(before);
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("#act-assign-department_code option[value=SPJ]")), Bound);

        await ChangeAsync(layout, "#act-assign-handler_id", "rsj-01");
        await ChangeAsync(layout, "#act-assign-department_code", "SPJ");

        Assert.Equal(["不指定经办人", "赵娜"], layout.FindAll("#act-assign-handler_id option").Select(o => o.TextContent));
        await SubmitAsync(layout, "[data-testid=action-assign]");
        layout.WaitForAssertion(() => Assert.Single(Server.Cases.ActRequests), Bound);
        Assert.Equal(["SPJ"], Inputs(Server.Cases.ActRequests[0])["department_code"]);
        Assert.False(Inputs(Server.Cases.ActRequests[0]).ContainsKey("handler_id"));
    }

    [Fact]
    public async Task Render_ExpectedStep_ComesMarkedAsTheNextStepAndOpen()
    {
        var layout = await OpenAsync(TestCases.File(TestCases.Summary("c-9"), ["assign", "escalate"]));

        var assign = layout.Find("[data-testid=step-assign]");
        Assert.Equal("下一步", assign.QuerySelector("[data-testid=next-step]")!.TextContent);
        Assert.True(assign.HasAttribute("open"));
        Assert.Contains("action-form--expected", assign.ClassList);
        var escalate = layout.Find("[data-testid=step-escalate]");
        Assert.Null(escalate.QuerySelector("[data-testid=next-step]"));
        Assert.False(escalate.HasAttribute("open"));
    }

    [Fact]
    public async Task RecordCallback_Reached_AsksForTheVerificationAndSendsBothInOneStep()
    {
        var before = TestCases.File(TestCases.Summary("c-9", CaseState.Assigned, "已分派"), ["record_callback"]);
        Server.Cases.OnAct = _ => TestCases.After(before, CaseState.Contacted, "已回访核实", "回访核实（已接通）", "属实", []);
        var layout = await OpenAsync(before);
        Assert.Empty(layout.FindAll("#act-record_callback-verification")); // asked for only once the rater was reached

        layout.FindAll("[data-testid=action-record_callback] input[type=radio]")[0].Change(true); // 已接通
        await SubmitAsync(layout, "[data-testid=action-record_callback]");
        layout.WaitForAssertion(() => Assert.Equal("请填写：核实情况", Text(layout, "act-record_callback-error")), Bound);
        Assert.Empty(Server.Cases.ActRequests);

        await ChangeAsync(layout, "#act-record_callback-verification", "评价人反映属实");
        await SubmitAsync(layout, "[data-testid=action-record_callback]");

        layout.WaitForAssertion(() => Assert.Equal("已回访核实", Text(layout, "case-state")), Bound);
        var request = Assert.Single(Server.Cases.ActRequests);
        Assert.Equal("record_callback", request.Step);
        Assert.Equal(["reached"], Inputs(request)["outcome"]);
        Assert.Equal(["评价人反映属实"], Inputs(request)["verification"]);
    }

    [Fact]
    public async Task RecordCallback_NotReached_SendsTheOutcomeWithoutAVerification()
    {
        var before = TestCases.File(TestCases.Summary("c-9", CaseState.Assigned, "已分派"), ["record_callback"]);
        Server.Cases.OnAct = _ => before;
        var layout = await OpenAsync(before);

        layout.FindAll("[data-testid=action-record_callback] input[type=radio]")[0].Change(true);
        await ChangeAsync(layout, "#act-record_callback-verification", "写了又改");
        layout.FindAll("[data-testid=action-record_callback] input[type=radio]")[1].Change(true); // 未接通
        await ChangeAsync(layout, "#act-record_callback-note", "无人接听");
        await SubmitAsync(layout, "[data-testid=action-record_callback]");

        layout.WaitForAssertion(() => Assert.Single(Server.Cases.ActRequests), Bound);
        Assert.Equal(["not_reached"], Inputs(Server.Cases.ActRequests[0])["outcome"]);
        Assert.Equal(["无人接听"], Inputs(Server.Cases.ActRequests[0])["note"]);
        Assert.False(Inputs(Server.Cases.ActRequests[0]).ContainsKey("verification"));
    }

    [Fact]
    public async Task Evidence_UploadedFromTheForm_CitedByItsReference_AndListedWithTheCase()
    {
        var before = Contacted("fix_at_once");
        Server.Cases.OnAct = _ => before;
        var layout = await OpenAsync(before);

        var upload = layout.FindComponent<CaseStepForm>().FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>();
        upload.UploadFiles(InputFileContent.CreateFromBinary([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3], "整改后窗口.png", contentType: "image/png"));

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid=evidence-files] li")), Bound);
        Assert.Contains("整改后窗口.png", layout.Find("[data-testid=evidence-files]").TextContent, StringComparison.Ordinal);
        var sent = Assert.Single(Server.Cases.Uploads);
        Assert.Equal("整改后窗口.png", sent.FileName);
        Assert.Equal(11, sent.Content.Length);

        await ChangeAsync(layout, "#act-fix_at_once-what_was_done", "增开窗口");
        await SubmitAsync(layout, "[data-testid=action-fix_at_once]");
        layout.WaitForAssertion(() => Assert.Single(Server.Cases.ActRequests), Bound);
        Assert.Equal(["附件:e-1"], Inputs(Server.Cases.ActRequests[0])["evidence"]);
    }

    [Fact]
    public async Task Evidence_RefusedByTheServer_SaysWhyUnderTheForm_NothingCited()
    {
        Server.Cases.OnUpload = _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "content: 只接受 JPEG、PNG 照片或 PDF 文件（按文件内容判断）"));
        var layout = await OpenAsync(Contacted("fix_at_once"));

        layout.FindComponent<CaseStepForm>().FindComponent<Microsoft.AspNetCore.Components.Forms.InputFile>()
            .UploadFiles(InputFileContent.CreateFromText("not a photo", "伪装.png"));

        layout.WaitForAssertion(() => Assert.Contains("“伪装.png”未上传", Text(layout, "act-fix_at_once-error"), StringComparison.Ordinal), Bound);
        Assert.Empty(layout.FindAll("[data-testid=evidence-files]"));
        Assert.Equal("", layout.Find("#act-fix_at_once-evidence").GetAttribute("value") ?? "");
    }

    [Fact]
    public async Task Submit_RequiredInputMissing_NamesItAndSendsNothing()
    {
        var layout = await OpenAsync(Contacted("explain"));

        await ChangeAsync(layout, "#act-explain-legal_basis", "《政务服务事项实施办法》第十条");
        await SubmitAsync(layout, "[data-testid=action-explain]");

        // The submit handler is asynchronous: the message appears on its next render.
        layout.WaitForAssertion(() => Assert.Equal("请填写：解释内容", Text(layout, "act-explain-error")), Bound);
        Assert.Empty(Server.Cases.ActRequests);
    }

    [Fact]
    public async Task Submit_FailedPrecondition_ShowsStateMessageNextToTheForm()
    {
        Server.Cases.OnAct = _ => throw new RpcException(new Status(StatusCode.FailedPrecondition, "案件当前状态为“已回访核实”，不能申诉：申诉已被驳回，须整改或解释说明"));
        var layout = await OpenAsync(Contacted("appeal"));

        await ChangeAsync(layout, "#act-appeal-grounds", "误评");
        await ChangeAsync(layout, "#act-appeal-evidence", "监控录像");
        await SubmitAsync(layout, "[data-testid=action-appeal]");

        layout.WaitForAssertion(
            () => Assert.Equal(
                "当前状态不允许此操作：案件当前状态为“已回访核实”，不能申诉：申诉已被驳回，须整改或解释说明",
                Text(layout, "act-appeal-error")),
            Bound);
        Assert.Equal("已回访核实", Text(layout, "case-state"));
        Assert.Equal("误评", layout.Find("#act-appeal-grounds").GetAttribute("value")); // the input is kept for a retry
    }

    [Fact]
    public async Task Submit_InvalidArgument_ShowsTheServersMessageWithTheFieldInChinese()
    {
        Server.Cases.OnAct = _ => throw RpcErrorsTests.FieldRefused("due_day", "整改期限不能早于今天");
        var layout = await OpenAsync(Contacted("rectify_by_deadline"));

        await ChangeAsync(layout, "#act-rectify_by_deadline-reason", "原因");
        await ChangeAsync(layout, "#act-rectify_by_deadline-due_day", "2026-03-01");
        await ChangeAsync(layout, "#act-rectify_by_deadline-ledger_entry", "台账");
        await SubmitAsync(layout, "[data-testid=action-rectify_by_deadline]");

        layout.WaitForAssertion(() => Assert.Equal("整改期限：整改期限不能早于今天", Text(layout, "act-rectify_by_deadline-error")), Bound);
    }

    [Fact]
    public async Task Submit_PermissionDenied_SaysNoPermission()
    {
        Server.Cases.OnAct = _ => throw new RpcException(new Status(StatusCode.PermissionDenied, "只有督办人员可以裁定申诉"));
        var layout = await OpenAsync(Contacted("escalate"));

        await ChangeAsync(layout, "#act-escalate-note", "逾期未回访");
        await SubmitAsync(layout, "[data-testid=action-escalate]");

        layout.WaitForAssertion(() => Assert.Equal("无权限：只有督办人员可以裁定申诉", Text(layout, "act-escalate-error")), Bound);
    }

    [Fact]
    public async Task Render_UnknownCase_SaysNotFound()
    {
        await SignInAsync();

        var layout = RenderInLayout<CaseDetail>(("CaseId", "no-such-case"));

        layout.WaitForAssertion(() => Assert.Equal("未找到该案件，或您无权查看。", Text(layout, "case-error")), Bound);
    }

    private static Dictionary<string, string[]> Inputs(ActOnCaseRequest request) =>
        request.Inputs.ToDictionary(i => i.Name, i => i.Values.ToArray());
}
