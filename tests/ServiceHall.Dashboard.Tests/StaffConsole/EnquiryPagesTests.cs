using Bunit;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>
/// The console's 办事咨询 and 办不成事 pages against a fake QuestionService: the queues with their counts and overdue rows, the
/// steps the server offers as forms, the FAQ review starting from the server's proposed text, and the report's number shown
/// masked until revealed with a reason through RevealReportContact.
/// </summary>
public sealed class EnquiryPagesTests : ConsoleTestHost
{
    private const string QuestionId = "0195a4f0-0000-7000-8000-000000000001";
    private const string ReportId = "0195a4f0-0000-7000-8000-000000000002";

    private static QuestionSummary QuestionRow(string id, QuestionState state, bool overdue = false) => new()
    {
        QuestionId = id, State = state, StateLabel = state switch
        {
            QuestionState.Received => "待交办", QuestionState.Routed => "待答复", QuestionState.AwaitingFaqReview => "已答复待审核", _ => "已办结",
        },
        Text = "办理营业执照变更需要带哪些材料？", ServiceItemCode = "ITEM-YYZZ", AssignedDepartmentCode = state == QuestionState.Received ? "" : "SPJ",
        ReceivedDay = "2026-03-02", AnswerDueDay = "2026-03-05", Overdue = overdue, FaqConsent = true, HasContact = true,
    };

    private static CaseStepOffer Offer(string name, string label, params CaseStepInput[] inputs)
    {
        var offer = new CaseStepOffer { Name = name, Label = label };
        offer.Inputs.AddRange(inputs);
        return offer;
    }

    private static CouldNotBeDoneReportSummary ReportRow(string id, string number, CouldNotBeDoneState state, bool overdue = false) => new()
    {
        ReportId = id, ReportNumber = number, State = state, StateLabel = state == CouldNotBeDoneState.Received ? "待回访" : state == CouldNotBeDoneState.CalledBack ? "已回访" : "已办结",
        What = "营业执照变更，窗口说系统不通，让改天再来", Window = "8号", HappenedOn = "2026-03-01", ReceivedDay = "2026-03-02", DueDay = "2026-03-09",
        Overdue = overdue,
    };

    [Fact]
    public async Task QuestionQueue_CountsEachStage_MarksOverdueRows_NamesItemAndDepartment()
    {
        Enquiries.Questions.Add(QuestionRow("q-1", QuestionState.Received));
        Enquiries.Questions.Add(QuestionRow("q-2", QuestionState.Routed, overdue: true));
        Enquiries.Questions.Add(QuestionRow("q-3", QuestionState.Routed));
        Enquiries.Questions.Add(QuestionRow("q-4", QuestionState.AwaitingFaqReview));
        Enquiries.Questions.Add(QuestionRow("q-5", QuestionState.Closed));
        await SignInAsync();

        var layout = RenderInLayout<QuestionQueue>();

        layout.WaitForAssertion(() => Assert.Equal(4, layout.FindAll("[data-testid^=question-row-]").Count), Bound);
        // The open queue asks only for the open states (the closed one is not listed).
        var asked = Assert.IsType<ListQuestionsRequest>(Enquiries.Requests.First(r => r is ListQuestionsRequest));
        Assert.DoesNotContain(QuestionState.Closed, asked.States);
        Assert.Equal("1", layout.Find("[data-testid=question-triage-Received] .triage-count__value").TextContent);
        Assert.Equal("2", layout.Find("[data-testid=question-triage-Routed] .triage-count__value").TextContent);
        Assert.Equal("1", layout.Find("[data-testid=question-triage-AwaitingFaqReview] .triage-count__value").TextContent);
        Assert.Equal("1", layout.Find("[data-testid=question-triage-overdue] .triage-count__value").TextContent);

        var late = layout.Find("[data-testid=question-row-q-2]");
        Assert.Contains("is-overdue", late.ClassName, StringComparison.Ordinal);
        Assert.Contains("已逾期", late.TextContent, StringComparison.Ordinal);
        Assert.Contains("营业执照变更登记", late.TextContent, StringComparison.Ordinal);
        Assert.Contains("区行政审批服务局", late.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("is-overdue", layout.Find("[data-testid=question-row-q-3]").ClassName ?? "", StringComparison.Ordinal);
        Assert.Contains("待交办", layout.Find("[data-testid=question-row-q-1]").TextContent, StringComparison.Ordinal);

        await ClickAsync(layout, "[data-testid=question-triage-overdue]");
        Assert.Single(layout.FindAll("[data-testid^=question-row-]"));
        Assert.All(Enquiries.AuthorizationHeaders, h => Assert.Equal("Bearer " + FakeStaffServer.Token, h));
    }

    [Fact]
    public async Task QuestionPage_DepartmentAnswers_SendsTheAnswerStep_ShowsTheReturnedState_NeverAPhone()
    {
        Server.Accounts.Account = new StaffAccount { UserName = FakeStaffServer.UserName, DisplayName = "李明", Role = StaffRole.DepartmentHandler, DepartmentCode = "SPJ" };
        var file = new GetQuestionResponse { Summary = QuestionRow(QuestionId, QuestionState.Routed) };
        file.Timeline.Add(new EnquiryTimelineEntry { Sequence = 1, ActorId = "system", ActorRole = "System", Action = "收到咨询" });
        file.AllowedSteps.Add(Offer("answer", "答复", new CaseStepInput { Name = "answer", Label = "答复内容", Kind = StepInputKind.LongText, Required = true, MaxLength = 2000 }));
        Enquiries.QuestionFiles[QuestionId] = file;
        Enquiries.OnQuestionStep = step =>
        {
            var answered = new GetQuestionResponse
            {
                Summary = QuestionRow(QuestionId, QuestionState.AwaitingFaqReview), Answer = step.Inputs.Single().Values.Single(),
                AnsweredDay = "2026-03-04", WorkingDaysTaken = 2,
            };
            answered.Timeline.Add(file.Timeline);
            answered.Timeline.Add(new EnquiryTimelineEntry { Sequence = 2, ActorId = FakeStaffServer.UserName, ActorRole = "DepartmentHandler", Action = "答复" });
            return answered;
        };
        await SignInAsync();

        var layout = RenderInLayout<QuestionDetail>(("QuestionId", QuestionId));
        layout.WaitForAssertion(() => Assert.Equal("待答复", Text(layout, "question-state")), Bound);
        Assert.Equal("群众留有电话（不向工作人员显示）", Text(layout, "question-contact"));
        Assert.Contains("2026-03-05", Text(layout, "question-due"), StringComparison.Ordinal);

        await ChangeAsync(layout, "#act-answer-answer", "请带营业执照正副本和股东会变更决议。");
        await SubmitAsync(layout, "[data-testid=action-answer]");

        layout.WaitForAssertion(() => Assert.Equal("已答复待审核", Text(layout, "question-state")), Bound);
        var sent = Assert.IsType<ActOnQuestionRequest>(Enquiries.Requests.Last(r => r is ActOnQuestionRequest));
        Assert.Equal(("answer", QuestionId), (sent.Step, sent.QuestionId));
        Assert.Equal("请带营业执照正副本和股东会变更决议。", sent.Inputs.Single(i => i.Name == "answer").Values.Single());
        Assert.Contains("用时 2 个工作日", Text(layout, "question-answered"), StringComparison.Ordinal);
        Assert.Contains("答复", Text(layout, "timeline"), StringComparison.Ordinal);
        Assert.DoesNotMatch(@"1[3-9]\d{9}", layout.Markup);
    }

    [Fact]
    public async Task QuestionPage_FaqReview_StartsFromTheProposedText_SendsTheOfficesEdits()
    {
        var file = new GetQuestionResponse { Summary = QuestionRow(QuestionId, QuestionState.AwaitingFaqReview), Answer = "请带营业执照正副本，王先生。" };
        file.AllowedSteps.Add(Offer("accept_as_faq", "收入常见问题",
            new CaseStepInput { Name = "faq_question", Label = "问题（去除个人信息后）", Kind = StepInputKind.LongText, Required = true, DefaultValue = "办理营业执照变更需要带哪些材料？" },
            new CaseStepInput { Name = "faq_answer", Label = "答复（去除个人信息后）", Kind = StepInputKind.LongText, Required = true, DefaultValue = "请带营业执照正副本，王先生。" }));
        file.AllowedSteps.Add(Offer("decline_faq", "不收入常见问题", new CaseStepInput { Name = "reason", Label = "原因", Kind = StepInputKind.LongText, Required = true }));
        Enquiries.QuestionFiles[QuestionId] = file;
        Enquiries.OnQuestionStep = step => new GetQuestionResponse
        {
            Summary = QuestionRow(QuestionId, QuestionState.Closed), Answer = file.Answer,
            FaqQuestion = step.Inputs.Single(i => i.Name == "faq_question").Values.Single(), FaqAnswer = step.Inputs.Single(i => i.Name == "faq_answer").Values.Single(),
        };
        await SignInAsync();

        var layout = RenderInLayout<QuestionDetail>(("QuestionId", QuestionId));
        layout.WaitForAssertion(() => Assert.NotNull(layout.Find("[data-testid=faq-review-hint]")), Bound);
        Assert.Equal("办理营业执照变更需要带哪些材料？", layout.Find("#act-accept_as_faq-faq_question").GetAttribute("value"));
        Assert.Equal("请带营业执照正副本，王先生。", layout.Find("#act-accept_as_faq-faq_answer").GetAttribute("value"));

        // The office edits the name out of the answer and keeps the question as proposed.
        await ChangeAsync(layout, "#act-accept_as_faq-faq_answer", "请带营业执照正副本。");
        await SubmitAsync(layout, "[data-testid=action-accept_as_faq]");

        layout.WaitForAssertion(() => Assert.Equal("已办结", Text(layout, "question-state")), Bound);
        var sent = Assert.IsType<ActOnQuestionRequest>(Enquiries.Requests.Last(r => r is ActOnQuestionRequest));
        Assert.Equal("accept_as_faq", sent.Step);
        Assert.Equal("办理营业执照变更需要带哪些材料？", sent.Inputs.Single(i => i.Name == "faq_question").Values.Single());
        Assert.Equal("请带营业执照正副本。", sent.Inputs.Single(i => i.Name == "faq_answer").Values.Single());
        Assert.Contains("请带营业执照正副本。", Text(layout, "question-faq"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportQueue_CountsAndMarksOverdue_LinksEachReport()
    {
        Enquiries.Reports.Add(ReportRow("r-1", "办不成-20260302-0001", CouldNotBeDoneState.Received, overdue: true));
        Enquiries.Reports.Add(ReportRow("r-2", "办不成-20260302-0002", CouldNotBeDoneState.CalledBack));
        await SignInAsync();

        var layout = RenderInLayout<ReportQueue>();

        layout.WaitForAssertion(() => Assert.Equal(2, layout.FindAll("[data-testid^=report-row-]").Count), Bound);
        Assert.Equal("1", layout.Find("[data-testid=report-triage-Received] .triage-count__value").TextContent);
        Assert.Equal("1", layout.Find("[data-testid=report-triage-overdue] .triage-count__value").TextContent);
        var late = layout.Find("[data-testid=report-row-办不成-20260302-0001]");
        Assert.Contains("is-overdue", late.ClassName, StringComparison.Ordinal);
        Assert.Equal("/console/could-not-be-done/r-1", late.QuerySelector("a.row-link")!.GetAttribute("href"));
        Assert.Contains("2026-03-09", late.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportPage_NumberMasked_RevealNeedsAReason_ThenAudited_CallbackAndConclusionSent()
    {
        var file = new GetCouldNotBeDoneReportResponse { Summary = ReportRow(ReportId, "办不成-20260302-0001", CouldNotBeDoneState.Received), MaskedPhone = "138****5678" };
        file.AllowedSteps.Add(new CaseStepOffer { Name = "reveal_contact", Label = "查看回访号码", HasOwnCall = true });
        var callback = Offer("record_callback", "登记回访",
            new CaseStepInput { Name = "outcome", Label = "回访结果", Kind = StepInputKind.Choice, Required = true },
            new CaseStepInput { Name = "note", Label = "回访记录", Kind = StepInputKind.LongText });
        callback.Inputs[0].Choices.Add(new StepInputChoice { Value = "reached", Label = "已联系上" });
        callback.Inputs[0].Choices.Add(new StepInputChoice { Value = "not_reached", Label = "未接通" });
        file.AllowedSteps.Add(callback);
        Enquiries.ReportFiles[ReportId] = file;
        Enquiries.OnReportStep = step =>
        {
            var after = file.Clone();
            after.Summary.State = CouldNotBeDoneState.CalledBack;
            after.Summary.StateLabel = "已回访";
            after.CallAttempts = 1;
            return after;
        };
        await SignInAsync();

        var layout = RenderInLayout<ReportDetail>(("ReportId", ReportId));
        layout.WaitForAssertion(() => Assert.Equal("138****5678", Text(layout, "report-contact")), Bound);
        Assert.Contains("2026-03-09", Text(layout, "report-due"), StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("[data-testid=step-reveal_contact]"));

        // No reason, no call.
        await layout.Find("[data-testid=reveal-report-contact]").SubmitAsync();
        Assert.Equal("请填写查看原因。", Text(layout, "reveal-report-contact-error"));
        Assert.DoesNotContain(Enquiries.Requests, r => r is RevealReportContactRequest);

        await ChangeAsync(layout, "[data-testid=reveal-report-contact-reason]", "回访");
        await layout.Find("[data-testid=reveal-report-contact]").SubmitAsync();
        layout.WaitForAssertion(() => Assert.Equal("13812345678", Text(layout, "report-contact")), Bound);
        Assert.Equal("回访", Assert.IsType<RevealReportContactRequest>(Enquiries.Requests.Single(r => r is RevealReportContactRequest)).Reason);
        Assert.Contains("查看回访号码", Text(layout, "timeline"), StringComparison.Ordinal);

        layout.FindAll("[data-testid=action-record_callback] input[type=radio]")[0].Change(true);
        await ChangeAsync(layout, "#act-record_callback-note", "已说明次日可办");
        await SubmitAsync(layout, "[data-testid=action-record_callback]");
        layout.WaitForAssertion(() => Assert.Equal("已回访", Text(layout, "report-state")), Bound);
        var sent = Assert.IsType<ActOnCouldNotBeDoneReportRequest>(Enquiries.Requests.Last(r => r is ActOnCouldNotBeDoneReportRequest));
        Assert.Equal("record_callback", sent.Step);
        Assert.Equal("reached", sent.Inputs.Single(i => i.Name == "outcome").Values.Single());
        Assert.Equal("1 次", Text(layout, "report-calls"));
    }

    [Fact]
    public async Task ConsoleNavigation_HallManagerSeesBoth_DepartmentHandlerOnlyQuestions()
    {
        await SignInAsync();
        var layout = RenderInLayout<QuestionQueue>();
        layout.WaitForAssertion(() => Assert.NotNull(layout.Find("[data-testid=nav-questions]")), Bound);
        Assert.Equal("/console/could-not-be-done", layout.Find("[data-testid=nav-could-not-be-done]").GetAttribute("href"));

        await Session.SignOutAsync();
        Server.Accounts.Account = new StaffAccount { UserName = FakeStaffServer.UserName, DisplayName = "李明", Role = StaffRole.DepartmentHandler, DepartmentCode = "SPJ" };
        await SignInAsync();
        layout.WaitForAssertion(() => Assert.Equal("/console/questions", layout.Find("[data-testid=nav-questions]").GetAttribute("href")), Bound);
        Assert.Empty(layout.FindAll("[data-testid=nav-could-not-be-done]"));
    }

    [Fact]
    public async Task StatisticsSection_DistrictSupervisor_EachMonthOfThePeriod_HallManagerToldItIsTheDistricts()
    {
        Server.Cases.HandlingFigures = new GetHandlingFiguresResponse { Period = new HandlingPeriod { Name = "期间", FirstDay = "2026-03-01", LastDay = "2026-03-31", Total = new HandlingSummary() } };
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        await SignInAsync();
        var period = ServiceHall.Dashboard.Services.Casework.StatisticsPeriod.Quarter(2026, 1);

        // A hall manager: the server refuses the district's figures, and the page says whose they are.
        var refused = Ctx.Render<EnquiryStatisticsSection>(p => p.Add(x => x.Period, period));
        refused.WaitForAssertion(() => Assert.NotNull(refused.Find("[data-testid=stat-enquiries-not-allowed]")), Bound);

        Enquiries.OnMonthFigures = r => new GetEnquiryMonthFiguresResponse
        {
            Kind = r.Kind, Year = r.Year, Month = r.Month, Received = r.Month * 10 + (r.Kind == EnquiryKind.Question ? 1 : 2), Done = 1, DoneOnTime = 1,
            MedianWorkingDays = 2,
        };
        var section = Ctx.Render<EnquiryStatisticsSection>(p => p.Add(x => x.Period, period));
        section.WaitForAssertion(() => Assert.Equal(6, section.FindAll("[data-testid=stat-enquiry-figures-row]").Count), Bound);
        var asked = Enquiries.Requests.OfType<GetEnquiryMonthFiguresRequest>().Skip(1).Select(r => (r.Month, r.Kind)).ToList();
        Assert.Equal([(1, EnquiryKind.Question), (1, EnquiryKind.CouldNotBeDoneReport), (2, EnquiryKind.Question), (2, EnquiryKind.CouldNotBeDoneReport),
            (3, EnquiryKind.Question), (3, EnquiryKind.CouldNotBeDoneReport)], asked);
        var third = section.FindAll("[data-testid=stat-enquiry-figures-row]")[3].TextContent;
        Assert.Contains("2026年2月", third, StringComparison.Ordinal);
        Assert.Contains("办不成事反映", third, StringComparison.Ordinal);
        Assert.Contains("22", third, StringComparison.Ordinal);
    }
}
