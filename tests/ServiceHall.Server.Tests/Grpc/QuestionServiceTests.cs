using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Enquiries;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// 办事咨询 and 办不成事反映 through their RPCs on a real store: a kiosk hands them in, the department answers (seen only by
/// that department), any kiosk shows the answer by pickup code without telling which codes exist, the hall manager follows
/// up a report, the server escalates what is late, and every bad field is refused by name.
/// </summary>
public sealed class QuestionServiceTests : IDisposable
{
    private const string Password = "correct horse battery";
    private const string Phone = "13812345678";

    // A service item of the demo district, handled by XZSP.
    private const string Item = "11370104MB2851301K000105001000";

    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private readonly ClockedServer _server = new();

    private string? _kiosk;

    private FakeTimeProvider Clock => _server.Clock;

    private QuestionService.QuestionServiceClient Client(string? bearer) => new(bearer is null
        ? _server.CreateChannel().CreateCallInvoker()
        : _server.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + bearer);
            return m;
        }));

    private QuestionService.QuestionServiceClient Kiosk => Client(_kiosk ??= _server.EnrollKiosk("zone-kiosk", ServerFactory.HallCode));

    private async Task<QuestionService.QuestionServiceClient> StaffAsync(string user, DomainRole role, string? department = null)
    {
        var signIn = _server.Services.GetRequiredService<StaffSignIn>();
        try
        {
            await signIn.CreateAccountAsync(user, user, role, department, Password, CancellationToken.None, null);
        }
        catch (ServiceHall.Server.Domain.InvalidInputException)
        {
            // Made earlier in this test.
        }

        var accounts = new AccountService.AccountServiceClient(_server.CreateChannel());
        return Client((await accounts.SignInAsync(new SignInRequest { UserName = user, Password = Password })).AccessToken);
    }

    private SubmitQuestionRequest Question(string? item = Item, string phone = Phone) => new()
    {
        RequestId = Guid.CreateVersion7().ToString(),
        SubmittedAt = Timestamp.FromDateTimeOffset(Clock.GetUtcNow()),
        Text = "办理营业执照变更需要带哪些材料？",
        ServiceItemCode = item ?? "",
        ContactPhone = phone,
        FaqConsent = true,
    };

    private SubmitCouldNotBeDoneReportRequest Report() => new()
    {
        RequestId = Guid.CreateVersion7().ToString(),
        SubmittedAt = Timestamp.FromDateTimeOffset(Clock.GetUtcNow()),
        What = "营业执照变更，窗口说系统不通，让改天再来",
        Window = "8号窗口",
        HappenedOn = "2026-03-02",
        ContactPhone = Phone,
    };

    private static ActOnQuestionRequest QuestionStep(string id, string step, params (string Name, string Value)[] inputs)
    {
        var request = new ActOnQuestionRequest { QuestionId = id, Step = step };
        request.Inputs.AddRange(inputs.Select(i => new StepInputValue { Name = i.Name, Values = { i.Value } }));
        return request;
    }

    private static ActOnCouldNotBeDoneReportRequest ReportStep(string id, string step, params (string Name, string Value)[] inputs)
    {
        var request = new ActOnCouldNotBeDoneReportRequest { ReportId = id, Step = step };
        request.Inputs.AddRange(inputs.Select(i => new StepInputValue { Name = i.Name, Values = { i.Value } }));
        return request;
    }

    private void MoveTo(int month, int day, int hour = 10) => Clock.SetUtcNow(new DateTimeOffset(2026, month, day, hour, 0, 0, Beijing));

    [Fact]
    public async Task Question_AboutAnItem_RoutedToItsDepartment_AnsweredThere_ShownByPickupCode_ThenAnFaqEntry()
    {
        var submitted = Question();
        var receipt = await Kiosk.SubmitQuestionAsync(submitted);
        Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", receipt.PickupCode);
        Assert.Equal("2026-03-02", receipt.ReceivedDay);
        Assert.Equal("2026-03-05", receipt.AnswerDueDay);
        var resent = await Kiosk.SubmitQuestionAsync(submitted);
        Assert.Equal(receipt.PickupCode, resent.PickupCode);
        Assert.False(resent.Created);

        // Before the answer, the code finds nothing — in the very words an unknown or mistyped code gets.
        var early = await Assert.ThrowsAsync<RpcException>(() => Kiosk.FindAnswerAsync(new FindAnswerRequest { PickupCode = receipt.PickupCode }).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => Kiosk.FindAnswerAsync(new FindAnswerRequest { PickupCode = "ZZZZ2222" }).ResponseAsync);
        var garbage = await Assert.ThrowsAsync<RpcException>(() => Kiosk.FindAnswerAsync(new FindAnswerRequest { PickupCode = "0" }).ResponseAsync);
        Assert.All(new[] { early, unknown, garbage }, e => Assert.Equal(StatusCode.NotFound, e.StatusCode));
        Assert.Equal(early.Status.Detail, unknown.Status.Detail);
        Assert.Equal(early.Status.Detail, garbage.Status.Detail);

        var other = await StaffAsync("rsj", DomainRole.DepartmentHandler, "RSJ");
        Assert.Empty((await other.ListQuestionsAsync(new ListQuestionsRequest())).Questions);
        var xzsp = await StaffAsync("xzsp", DomainRole.DepartmentHandler, "XZSP");
        var summary = Assert.Single((await xzsp.ListQuestionsAsync(new ListQuestionsRequest())).Questions);
        Assert.Equal(QuestionState.Routed, summary.State);
        Assert.Equal("XZSP", summary.AssignedDepartmentCode);
        Assert.True(summary.HasContact);
        var hidden = await Assert.ThrowsAsync<RpcException>(
            () => other.GetQuestionAsync(new GetQuestionRequest { QuestionId = summary.QuestionId }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, hidden.StatusCode);
        var refused = await Assert.ThrowsAsync<RpcException>(() => other.ActOnQuestionAsync(
            QuestionStep(summary.QuestionId, "answer", ("answer", "带身份证"))).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);

        MoveTo(3, 4);
        xzsp = await StaffAsync("xzsp", DomainRole.DepartmentHandler, "XZSP");
        var answered = (await xzsp.ActOnQuestionAsync(QuestionStep(summary.QuestionId, "answer", ("answer", "请带营业执照正副本和变更决议。")))).Question;
        Assert.Equal(QuestionState.AwaitingFaqReview, answered.Summary.State);
        Assert.False(answered.AnsweredLate);
        Assert.Equal(2, answered.WorkingDaysTaken);

        var shown = await Kiosk.FindAnswerAsync(new FindAnswerRequest { PickupCode = receipt.PickupCode.ToLowerInvariant().Insert(4, "-") });
        Assert.Equal("请带营业执照正副本和变更决议。", shown.Answer);
        Assert.Equal("2026-03-04", shown.AnsweredDay);

        var manager = await StaffAsync("manager", DomainRole.HallManager);
        var closed = (await manager.ActOnQuestionAsync(QuestionStep(summary.QuestionId, "accept_as_faq",
            ("faq_question", "营业执照变更要带什么材料？"), ("faq_answer", "营业执照正副本和变更决议。")))).Question;
        Assert.Equal(QuestionState.Closed, closed.Summary.State);
        Assert.Equal("营业执照正副本和变更决议。", closed.FaqAnswer);
        Assert.Equal(["收到咨询", "交办", "答复", "收入常见问题"], closed.Timeline.Select(t => t.Action));

        // The number is stored encrypted only: neither the snapshot nor any other column holds it in clear.
        Assert.Equal(0, _server.Scalar($"SELECT COUNT(*) FROM citizen_questions WHERE snapshot LIKE '%{Phone}%' OR contact_protected LIKE '%{Phone}%'"));
        Assert.Equal(1, _server.Scalar("SELECT COUNT(*) FROM citizen_questions WHERE contact_protected IS NOT NULL"));
    }

    [Fact]
    public async Task AcceptedFaqEntry_AppearsInTheItemsCatalogFaq_AfterItsOwn_DeclinedOnesDoNot()
    {
        var catalog = new CatalogService.CatalogServiceClient(_server.CreateChannel());
        async Task<IReadOnlyList<string>> FaqOfItemAsync() =>
            [.. (await catalog.GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode })).ServiceItems
                .Single(i => i.Code == Item).Faq.Select(f => f.Question + "｜" + f.Answer)];
        var before = await FaqOfItemAsync();

        var xzsp = await StaffAsync("xzsp", DomainRole.DepartmentHandler, "XZSP");
        var manager = await StaffAsync("manager", DomainRole.HallManager);
        var accepted = await Kiosk.SubmitQuestionAsync(Question());
        var declined = await Kiosk.SubmitQuestionAsync(Question());
        var listed = (await xzsp.ListQuestionsAsync(new ListQuestionsRequest())).Questions;
        Assert.Equal(2, listed.Count);
        foreach (var q in listed)
        {
            await xzsp.ActOnQuestionAsync(QuestionStep(q.QuestionId, "answer", ("answer", "请带营业执照正副本和变更决议。")));
            var reviewed = await manager.GetQuestionAsync(new GetQuestionRequest { QuestionId = q.QuestionId });
            var offer = Assert.Single(reviewed.AllowedSteps, s => s.Name == "accept_as_faq");
            // The review form starts from the citizen's words and the department's answer.
            Assert.Equal("办理营业执照变更需要带哪些材料？", offer.Inputs.Single(i => i.Name == "faq_question").DefaultValue);
            Assert.Equal("请带营业执照正副本和变更决议。", offer.Inputs.Single(i => i.Name == "faq_answer").DefaultValue);
        }

        // One is accepted, the other declined; nothing shows before the office's review.
        var (first, second) = (listed[0].QuestionId, listed[1].QuestionId);
        Assert.Equal(before, await FaqOfItemAsync());
        await manager.ActOnQuestionAsync(QuestionStep(first, "accept_as_faq",
            ("faq_question", "营业执照变更要带什么材料？"), ("faq_answer", "营业执照正副本和变更决议。")));
        await manager.ActOnQuestionAsync(QuestionStep(second, "decline_faq", ("reason", "与已收入的问题重复")));

        Assert.Equal([.. before, "营业执照变更要带什么材料？｜营业执照正副本和变更决议。"], await FaqOfItemAsync());
        Assert.NotEqual(accepted.PickupCode, declined.PickupCode);
    }

    [Fact]
    public async Task Question_WithoutItem_WaitsForTheHallManager_EscalatedOnceWhenLate()
    {
        var receipt = await Kiosk.SubmitQuestionAsync(Question(item: null, phone: ""));
        var manager = await StaffAsync("manager", DomainRole.HallManager);
        var summary = Assert.Single((await manager.ListQuestionsAsync(new ListQuestionsRequest { States = { QuestionState.Received } })).Questions);
        Assert.False(summary.HasContact);

        MoveTo(3, 6);
        var desk = _server.Services.GetRequiredService<EnquiryDesk>();
        Assert.Equal(1, await desk.RunOverdueAsync(CancellationToken.None));
        Assert.Equal(0, await desk.RunOverdueAsync(CancellationToken.None));

        manager = await StaffAsync("manager", DomainRole.HallManager);
        var seen = await manager.GetQuestionAsync(new GetQuestionRequest { QuestionId = summary.QuestionId });
        Assert.True(seen.Summary.Escalated);
        Assert.True(seen.Summary.Overdue);
        Assert.Equal("逾期督办", seen.Timeline[^1].Action);
        Assert.Contains(seen.AllowedSteps, s => s.Name == "route");

        var routed = (await manager.ActOnQuestionAsync(QuestionStep(summary.QuestionId, "route", ("department_code", "RSJ")))).Question;
        Assert.Equal("RSJ", routed.Summary.AssignedDepartmentCode);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => manager.ActOnQuestionAsync(QuestionStep(summary.QuestionId, "reroute",
            ("department_code", "NOPE"), ("reason", "不属本部门"))).ResponseAsync);
        Assert.Equal(["department_code"], unknown.FieldsAtFault());
        Assert.NotNull(receipt);
    }

    [Fact]
    public async Task Report_CalledBackAndConcluded_ByTheHallManagerOnly_CountedInTheMonth()
    {
        var receipt = await Kiosk.SubmitCouldNotBeDoneReportAsync(Report());
        Assert.Equal("2026-03-09", receipt.DueDay);

        var handler = await StaffAsync("rsj", DomainRole.DepartmentHandler, "RSJ");
        var denied = await Assert.ThrowsAsync<RpcException>(
            () => handler.ListCouldNotBeDoneReportsAsync(new ListCouldNotBeDoneReportsRequest()).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var manager = await StaffAsync("manager", DomainRole.HallManager);
        var summary = Assert.Single((await manager.ListCouldNotBeDoneReportsAsync(new ListCouldNotBeDoneReportsRequest())).Reports);
        Assert.Equal(receipt.ReportNumber, summary.ReportNumber);
        var tooSoon = await Assert.ThrowsAsync<RpcException>(() => manager.ActOnCouldNotBeDoneReportAsync(ReportStep(summary.ReportId, "conclude",
            ("outcome", "resolved"), ("what_was_done", "已协调"))).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, tooSoon.StatusCode);

        var page = await manager.GetCouldNotBeDoneReportAsync(new GetCouldNotBeDoneReportRequest { ReportId = summary.ReportId });
        Assert.Equal("138****5678", page.MaskedPhone);
        var noReason = await Assert.ThrowsAsync<RpcException>(
            () => manager.RevealReportContactAsync(new RevealReportContactRequest { ReportId = summary.ReportId }).ResponseAsync);
        Assert.Equal(["reason"], noReason.FieldsAtFault());
        var asStep = await Assert.ThrowsAsync<RpcException>(() => manager.ActOnCouldNotBeDoneReportAsync(
            ReportStep(summary.ReportId, "reveal_contact", ("reason", "回访"))).ResponseAsync);
        Assert.Equal(["step"], asStep.FieldsAtFault());
        var revealed = await manager.RevealReportContactAsync(new RevealReportContactRequest { ReportId = summary.ReportId, Reason = "电话回访" });
        Assert.Equal(Phone, revealed.Phone);

        await manager.ActOnCouldNotBeDoneReportAsync(ReportStep(summary.ReportId, "record_callback", ("outcome", "not_reached")));
        await manager.ActOnCouldNotBeDoneReportAsync(ReportStep(summary.ReportId, "record_callback", ("outcome", "reached"), ("note", "已了解情况")));
        var noWhere = await Assert.ThrowsAsync<RpcException>(() => manager.ActOnCouldNotBeDoneReportAsync(ReportStep(summary.ReportId, "conclude",
            ("outcome", "referred"), ("what_was_done", "转市场监管局"))).ResponseAsync);
        Assert.Equal(["referred_to"], noWhere.FieldsAtFault());
        var concluded = (await manager.ActOnCouldNotBeDoneReportAsync(ReportStep(summary.ReportId, "conclude",
            ("outcome", "referred"), ("what_was_done", "转市场监管局当日办理"), ("referred_to", "区市场监管局")))).Report;
        Assert.Equal(CouldNotBeDoneState.Concluded, concluded.Summary.State);
        Assert.Equal(2, concluded.CallAttempts);
        Assert.Equal("已转办", concluded.OutcomeLabel);
        Assert.Equal(["收到反映", "查看回访号码", "回访", "回访", "办结"], concluded.Timeline.Select(t => t.Action));
        Assert.Equal(0, _server.Scalar($"SELECT COUNT(*) FROM could_not_be_done_reports WHERE snapshot LIKE '%{Phone}%' OR contact_protected LIKE '%{Phone}%'"));

        await StaffAsync("district", DomainRole.Supervisor);
        var supervisor = await StaffAsync("district", DomainRole.Supervisor);
        var figures = await supervisor.GetEnquiryMonthFiguresAsync(new GetEnquiryMonthFiguresRequest
        {
            Kind = EnquiryKind.CouldNotBeDoneReport, Year = 2026, Month = 3,
        });
        Assert.Equal((1, 1, 1, 0.0), (figures.Received, figures.Done, figures.DoneOnTime, figures.MedianWorkingDays));
        var badMonth = await Assert.ThrowsAsync<RpcException>(() => supervisor.GetEnquiryMonthFiguresAsync(new GetEnquiryMonthFiguresRequest
        {
            Kind = EnquiryKind.Question, Year = 2026, Month = 13,
        }).ResponseAsync);
        Assert.Equal(["month"], badMonth.FieldsAtFault());

        // The periodic disclosure counts the same way (one computation): March's row of each kind is the month's figures.
        var publication = await _server.Services.GetRequiredService<ServiceHall.Server.Disclosure.PublicationBuilder>().BuildAsync(
            new ServiceHall.Server.Domain.Period(ServiceHall.Server.Domain.PeriodKind.Month, 2026, 3), CancellationToken.None);
        var published = publication.Enquiries!;
        Assert.Equal(["question", "could_not_be_done_report"], published.Select(e => e.Code));
        var reports = published[1];
        Assert.Equal((1, 1, 1, (double?)0.0), (reports.Received, reports.Done, reports.DoneOnTime, reports.MedianWorkingDays));
        var questions = await supervisor.GetEnquiryMonthFiguresAsync(new GetEnquiryMonthFiguresRequest { Kind = EnquiryKind.Question, Year = 2026, Month = 3 });
        Assert.Equal((questions.Received, questions.Done, questions.DoneOnTime), (published[0].Received, published[0].Done, published[0].DoneOnTime));
        Assert.Equal("办不成事反映", reports.Label);
    }

    public static TheoryData<string, string> BadQuestions() => new()
    {
        { "request_id", "not-a-uuid" },
        { "submitted_at", "" },
        { "text", "   " },
        { "text", new string('问', 501) },
        { "contact_phone", "12345" },
        { "service_item_code", "NO-SUCH-ITEM" },
    };

    [Theory]
    [MemberData(nameof(BadQuestions))]
    public async Task SubmitQuestion_BadField_RefusedByName_NothingStored(string field, string value)
    {
        var request = Question();
        switch (field)
        {
            case "request_id": request.RequestId = value; break;
            case "submitted_at": request.SubmittedAt = null; break;
            case "text": request.Text = value; break;
            case "contact_phone": request.ContactPhone = value; break;
            case "service_item_code": request.ServiceItemCode = value; break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => Kiosk.SubmitQuestionAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal([field], e.FieldsAtFault());
        Assert.DoesNotContain("12345", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM citizen_questions"));
    }

    public static TheoryData<string, string> BadReports() => new()
    {
        { "what", "" },
        { "happened_on", "2026-3-2" },
        { "happened_on", "2026-03-03" },
        { "contact_phone", "" },
        { "window", new string('窗', 65) },
    };

    [Theory]
    [MemberData(nameof(BadReports))]
    public async Task SubmitReport_BadField_RefusedByName_NothingStored(string field, string value)
    {
        var request = Report();
        switch (field)
        {
            case "what": request.What = value; break;
            case "happened_on": request.HappenedOn = value; break;
            case "contact_phone": request.ContactPhone = value; break;
            case "window": request.Window = value; break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => Kiosk.SubmitCouldNotBeDoneReportAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal([field], e.FieldsAtFault());
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM could_not_be_done_reports"));
    }

    [Fact]
    public async Task StaffCalls_FromAKiosk_AndKioskCalls_FromStaff_Unauthenticated()
    {
        var kioskAsStaff = await Assert.ThrowsAsync<RpcException>(() => Kiosk.ListQuestionsAsync(new ListQuestionsRequest()).ResponseAsync);
        var manager = await StaffAsync("manager", DomainRole.HallManager);
        var staffAsKiosk = await Assert.ThrowsAsync<RpcException>(() => manager.SubmitQuestionAsync(Question()).ResponseAsync);

        // The other kind of credential does not sign the caller in at all (as for every service: CallerPolicyTests).
        Assert.Equal(StatusCode.Unauthenticated, kioskAsStaff.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, staffAsKiosk.StatusCode);
    }

    public void Dispose() => _server.Dispose();

    private sealed class ClockedServer : ServerFactory
    {
        // Monday 2026-03-02, 10:00 in the district.
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8)));

        public long Scalar(string sql) => TestStore.Scalar(DatabasePath, PostgresConnectionString, sql);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(Clock);
                // The clock jumps days ahead: the periodic jobs would catch up on everything in between, which these tests are not about.
                foreach (var job in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Namespace?.StartsWith(
                    "ServiceHall.Server", StringComparison.Ordinal) == true).ToList())
                {
                    services.Remove(job);
                }
            });
        }
    }
}
