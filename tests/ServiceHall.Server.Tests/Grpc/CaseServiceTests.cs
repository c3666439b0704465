using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>The case loop through its RPCs, with real accounts, tokens and a real SQLite file.</summary>
public sealed class CaseServiceTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Password = "correct horse battery";

    private async Task<Metadata> SignInAsync(string user, DomainRole role, string? department = null, string? hall = null)
    {
        var signIn = factory.Services.GetRequiredService<StaffSignIn>();
        try
        {
            await signIn.CreateAccountAsync(user, user, role, department, Password, CancellationToken.None, hall);
        }
        catch (ServiceHall.Server.Domain.InvalidInputException)
        {
            // Created by an earlier test of this class.
        }

        var accounts = new AccountService.AccountServiceClient(factory.CreateChannel());
        var response = await accounts.SignInAsync(new SignInRequest { UserName = user, Password = Password });
        return new Metadata { { "authorization", "Bearer " + response.AccessToken } };
    }

    private CaseService.CaseServiceClient Cases => new(factory.CreateChannel());

    /// <summary>Submits a 差评 of window A01 (区行政审批服务局) and returns its case.</summary>
    private async Task<CaseSummary> NewBadReviewAsync(Metadata manager, string phone = "")
    {
        var rating = ServerFactory.GoodRating();
        rating.Level = RatingLevel.Dissatisfied;
        rating.Text = "材料清单与实际要求不一致，跑了两趟";
        rating.CallbackPhone = phone;
        await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var list = await Cases.ListCasesAsync(new ListCasesRequest(), manager);
        var summary = list.Cases.First();
        var detail = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = summary.CaseId }, manager);
        Assert.Equal(rating.RatingId, detail.Rating.RatingId);
        return summary;
    }

    private async Task<GetCaseResponse> ActAsync(Metadata who, string caseId, string step, params (string Name, string Value)[] inputs) =>
        (await Cases.ActOnCaseAsync(StepRequests.Step(caseId, step, inputs), who)).Case;

    [Fact]
    public async Task BadReview_OpensACaseRoutedToTheWindowsDepartmentWithWorkingDayDeadlines()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);

        var summary = await NewBadReviewAsync(manager);

        Assert.Equal(CaseState.New, summary.State);
        Assert.Equal("XZSP", summary.DepartmentCode);
        Assert.True(summary.ContactDue.ToDateTimeOffset() > summary.ReceivedAt.ToDateTimeOffset());
        Assert.True(summary.RectificationDue.ToDateTimeOffset() > summary.ContactDue.ToDateTimeOffset());
    }

    [Fact]
    public async Task GoodRating_OpensNoCase()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var before = (await Cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases.Count;

        await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ServerFactory.GoodRating() } });

        Assert.Equal(before, (await Cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases.Count);
    }

    [Fact]
    public async Task RealNameCase_TakenToClosed_AuditTrailHasEveryStepAndPhoneOnlyMasked()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var c = await NewBadReviewAsync(manager, phone: "13812341234");

        var detail = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, handler);
        Assert.Equal("138****1234", detail.Rating.MaskedPhone);
        Assert.DoesNotContain("13812341234", detail.ToString(), StringComparison.Ordinal);

        await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"), ("note", "请核实材料清单"));
        await ActAsync(handler, c.CaseId, "record_callback", ("outcome", "not_reached"), ("note", "无人接听"));
        await ActAsync(handler, c.CaseId, "record_callback", ("outcome", "reached"), ("verification", "群众反映属实：清单未更新"));
        await ActAsync(handler, c.CaseId, "fix_at_once", ("what_was_done", "当日更新办事指南材料清单"));
        await ActAsync(handler, c.CaseId, "give_feedback", ("content", "已电话告知整改结果"));
        var closed = await ActAsync(handler, c.CaseId, "record_satisfaction", ("satisfaction", "satisfied"));

        Assert.Equal(CaseState.Closed, closed.Summary.State);
        Assert.Equal("回访核实（已接通）", closed.Timeline[3].Action);
        Assert.Equal(
            [CaseState.New, CaseState.Assigned, CaseState.Assigned, CaseState.Contacted, CaseState.FixedAtOnce, CaseState.FeedbackGiven, CaseState.Closed],
            closed.Timeline.Select(t => t.ToState));
        Assert.Equal(["system", "manager", "handler-xzsp", "handler-xzsp", "handler-xzsp", "handler-xzsp", "handler-xzsp"],
            closed.Timeline.Select(t => t.ActorId));
        Assert.Empty(closed.AllowedActions);
        // The whole trail is kept with the stored case.
        var stored = await factory.Services.GetRequiredService<ServiceHall.Server.Storage.ICaseStore>().FindCaseAsync(Guid.Parse(c.CaseId), CancellationToken.None);
        Assert.Equal(7, stored!.Events.Count);
    }

    [Fact]
    public async Task ActOnCase_HostileStepOrInputs_InvalidArgumentWithTheFieldAndNothingChanges()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var c = await NewBadReviewAsync(manager);
        var nameless = StepRequests.Step(c.CaseId, "assign", ("department_code", "XZSP"));
        nameless.Inputs.Add(new StepInputValue { Name = "", Values = { "x" } });
        var twice = StepRequests.Step(c.CaseId, "assign", ("department_code", "XZSP"));
        twice.Inputs.Add(new StepInputValue { Name = "department_code", Values = { "RSJ" } });
        var hugeStep = StepRequests.Step(c.CaseId, new string('a', 10_240));

        foreach (var (request, field) in new[] { (nameless, "inputs"), (twice, "department_code"), (hugeStep, "step") })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => Cases.ActOnCaseAsync(request, manager).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal([field], e.FieldsAtFault());
            Assert.True(e.Status.Detail.Length < 200, "the refusal does not echo a huge input back");
        }

        Assert.Equal(CaseState.New, (await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager)).Summary.State);
    }

    [Fact]
    public async Task WrongStep_FailedPreconditionAndNothingChanges()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var c = await NewBadReviewAsync(manager);
        await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"));

        var e = await Assert.ThrowsAsync<RpcException>(
            () => ActAsync(handler, c.CaseId, "give_feedback", ("content", "还没整改就反馈")));

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        var after = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager);
        Assert.Equal(CaseState.Assigned, after.Summary.State);
        Assert.Equal(2, after.Timeline.Count);
    }

    [Fact]
    public async Task HandlerOfAnotherDepartment_CannotSeeOrActOnTheCase()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var other = await SignInAsync("handler-rsj", DomainRole.DepartmentHandler, "RSJ");
        var c = await NewBadReviewAsync(manager);

        var list = await Cases.ListCasesAsync(new ListCasesRequest(), other);
        var get = await Assert.ThrowsAsync<RpcException>(() => Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, other).ResponseAsync);
        var act = await Assert.ThrowsAsync<RpcException>(
            () => ActAsync(other, c.CaseId, "assign", ("department_code", "RSJ")));

        Assert.DoesNotContain(list.Cases, x => x.CaseId == c.CaseId);
        Assert.Equal(StatusCode.PermissionDenied, get.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, act.StatusCode);
    }

    [Fact]
    public async Task ManagerOfAnotherHall_CannotSeeTheCase()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var streetManager = await SignInAsync("street-manager", DomainRole.HallManager, hall: "370104-ZZLJD");
        var c = await NewBadReviewAsync(manager);

        var list = await Cases.ListCasesAsync(new ListCasesRequest(), streetManager);
        var get = await Assert.ThrowsAsync<RpcException>(
            () => Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, streetManager).ResponseAsync);

        Assert.DoesNotContain(list.Cases, x => x.CaseId == c.CaseId);
        Assert.Equal(StatusCode.PermissionDenied, get.StatusCode);
    }

    [Fact]
    public async Task HandlerAssigning_PermissionDenied()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var c = await NewBadReviewAsync(manager);

        var e = await Assert.ThrowsAsync<RpcException>(() => ActAsync(handler, c.CaseId, "assign", ("department_code", "XZSP")));

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task NoToken_Unauthenticated()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Cases.ListCasesAsync(new ListCasesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task SignIn_WrongPassword_UnauthenticatedWithoutSayingWhichPartWasWrong()
    {
        await SignInAsync("manager", DomainRole.HallManager);
        var accounts = new AccountService.AccountServiceClient(factory.CreateChannel());

        var wrongPassword = await Assert.ThrowsAsync<RpcException>(
            () => accounts.SignInAsync(new SignInRequest { UserName = "manager", Password = "not the password" }).ResponseAsync);
        var unknownUser = await Assert.ThrowsAsync<RpcException>(
            () => accounts.SignInAsync(new SignInRequest { UserName = "nobody", Password = "not the password" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.Status.Detail, unknownUser.Status.Detail);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM staff_accounts WHERE password_hash LIKE '%correct horse%'"));
    }

    [Fact]
    public async Task WatchCases_NewBadReview_NoticeMarkedOpened()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var watch = Cases.WatchCases(new WatchCasesRequest(), manager, cancellationToken: timeout.Token);
        // The stream is open once the server has answered headers.
        await watch.ResponseHeadersAsync;

        var summary = await NewBadReviewAsync(manager);

        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        Assert.True(watch.ResponseStream.Current.Opened);
        Assert.Equal(summary.CaseId, watch.ResponseStream.Current.Summary.CaseId);
    }

    [Fact]
    public async Task RevealRaterContact_HandlerWithAReason_GetsTheNumberAndTheAccessIsAudited()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var c = await NewBadReviewAsync(manager, phone: "13598765432");
        await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"));

        var noReason = await Assert.ThrowsAsync<RpcException>(
            () => Cases.RevealRaterContactAsync(new RevealRaterContactRequest { CaseId = c.CaseId }, handler).ResponseAsync);
        var tooLong = await Assert.ThrowsAsync<RpcException>(() => Cases.RevealRaterContactAsync(
            new RevealRaterContactRequest { CaseId = c.CaseId, Reason = new string('因', 201) }, handler).ResponseAsync);
        var byManager = await Assert.ThrowsAsync<RpcException>(
            () => Cases.RevealRaterContactAsync(new RevealRaterContactRequest { CaseId = c.CaseId, Reason = "查看" }, manager).ResponseAsync);
        var revealed = await Cases.RevealRaterContactAsync(new RevealRaterContactRequest { CaseId = c.CaseId, Reason = "回访核实" }, handler);

        Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.Equal(["reason"], tooLong.FieldsAtFault());
        Assert.Equal(StatusCode.PermissionDenied, byManager.StatusCode);
        Assert.Equal("13598765432", revealed.Phone);
        var timeline = (await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager)).Timeline;
        var access = Assert.Single(timeline, t => t.ActionCode == "ContactRevealed");
        Assert.Equal("查看回访号码", access.Action);
        Assert.Equal("handler-xzsp", access.ActorId);
        Assert.Equal("回访核实", access.Note);
    }

    [Fact]
    public async Task PublicLiveFigures_NeverCarryTheRatersPhoneOrText()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        await NewBadReviewAsync(manager, phone: "13700001111");
        var live = new LiveFiguresService.LiveFiguresServiceClient(factory.CreateChannel());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var call = live.WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = ServerFactory.HallCode }, cancellationToken: timeout.Token);

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var published = call.ResponseStream.Current.ToString();

        Assert.True(call.ResponseStream.Current.BadCount > 0);
        Assert.DoesNotContain("13700001111", published, StringComparison.Ordinal);
        Assert.DoesNotContain("材料清单", published, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CaseTriage_NewBadReviewAndAssignment_MoveTheCountsBetweenStages_AndTheNumberFindsTheCase()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var before = await Cases.GetCaseTriageAsync(new GetCaseTriageRequest(), manager);
        int Stage(GetCaseTriageResponse t, HandlingStage stage) => t.Total.Stages.Single(s => s.Stage == stage).Open;

        var c = await NewBadReviewAsync(manager);
        var opened = await Cases.GetCaseTriageAsync(new GetCaseTriageRequest(), manager);
        Assert.Equal(before.Total.Open + 1, opened.Total.Open);
        Assert.Equal(Stage(before, HandlingStage.AwaitingAssignment) + 1, Stage(opened, HandlingStage.AwaitingAssignment));
        Assert.Equal(opened.Total.Open, opened.Departments.Sum(d => d.Load.Open));
        Assert.Contains(opened.Departments, d => d.DepartmentCode == "XZSP" && d.DepartmentName.Length > 0);

        await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"));
        var assigned = await Cases.GetCaseTriageAsync(new GetCaseTriageRequest(), manager);
        Assert.Equal(Stage(before, HandlingStage.AwaitingAssignment), Stage(assigned, HandlingStage.AwaitingAssignment));
        Assert.Equal(Stage(opened, HandlingStage.AwaitingCallback) + 1, Stage(assigned, HandlingStage.AwaitingCallback));
        // The department's handler sees their department's load only.
        var own = await Cases.GetCaseTriageAsync(new GetCaseTriageRequest(), handler);
        Assert.Equal("XZSP", Assert.Single(own.Departments).DepartmentCode);

        // The readable number, whole or without its prefix, finds the case.
        Assert.Matches(@"^差评-\d{8}-\d{4}$", c.CaseNumber);
        foreach (var query in new[] { c.CaseNumber, c.CaseNumber["差评-".Length..] })
        {
            var found = await Cases.ListCasesAsync(new ListCasesRequest { CaseNumber = query }, manager);
            Assert.Equal(c.CaseId, Assert.Single(found.Cases).CaseId);
        }

        // A stage's count leads to the stage's cases: 待回访 lists it (assigned), 待分派 does not.
        var awaitingCallback = await Cases.ListCasesAsync(new ListCasesRequest { Stages = { HandlingStage.AwaitingCallback } }, manager);
        Assert.Contains(awaitingCallback.Cases, x => x.CaseId == c.CaseId);
        Assert.All(awaitingCallback.Cases, x => Assert.Equal(CaseState.Assigned, x.State));
        Assert.DoesNotContain(
            (await Cases.ListCasesAsync(new ListCasesRequest { Stages = { HandlingStage.AwaitingAssignment } }, manager)).Cases, x => x.CaseId == c.CaseId);

        var refused = await Assert.ThrowsAsync<RpcException>(() => Cases.ListCasesAsync(new ListCasesRequest { CaseNumber = "0007" }, manager).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Equal(["case_number"], refused.FieldsAtFault());
    }

    [Fact]
    public async Task ListCases_ByTheRatingReferenceTheCitizenReadsOut_FindsItsCase_AndNoReferenceIsRefusedByField()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var c = await NewBadReviewAsync(manager);
        var ratingId = (await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager)).Rating.RatingId;
        // As the kiosk's thank-you screen shows it (the id's last eight hex digits, two groups), and as it may be typed.
        var hex = Guid.Parse(ratingId).ToString("N").ToUpperInvariant();
        var reference = $"{hex[24..28]}-{hex[28..]}";
        foreach (var query in new[] { reference, reference.ToLowerInvariant(), reference.Replace('-', ' '), reference.Replace("-", "", StringComparison.Ordinal) })
        {
            var found = await Cases.ListCasesAsync(new ListCasesRequest { RatingReference = query }, manager);
            Assert.Equal(c.CaseId, Assert.Single(found.Cases).CaseId);
        }

        // Another rating's reference finds nothing of this case.
        var other = hex[28] == '0' ? "1" : "0";
        var none = await Cases.ListCasesAsync(new ListCasesRequest { RatingReference = $"{hex[24..28]}-{other}{hex[29..]}" }, manager);
        Assert.DoesNotContain(none.Cases, x => x.CaseId == c.CaseId);

        foreach (var bad in new[] { "7F3A-2C9", "7F3A-2C91-0", "ZZZZ-2C91", "差评-7F3A" })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => Cases.ListCasesAsync(new ListCasesRequest { RatingReference = bad }, manager).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Equal(["rating_reference"], refused.FieldsAtFault());
        }
    }

    [Fact]
    public async Task GetHandlingFigures_AnyPeriod_CountsItsBadReviews_AndABadPeriodIsRefusedByField()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var before = await Cases.GetHandlingFiguresAsync(new GetHandlingFiguresRequest { FromDay = today, ToDay = today }, manager);

        await NewBadReviewAsync(manager);

        var after = await Cases.GetHandlingFiguresAsync(new GetHandlingFiguresRequest { FromDay = today, ToDay = today }, manager);
        Assert.Equal(before.Period.Total.Received + 1, after.Period.Total.Received);
        Assert.Equal(after.Period.Total.Received, after.Period.Departments.Sum(d => d.Summary.Received));
        Assert.Equal(5, after.Period.Total.Rates.Count);

        foreach (var (from, to, field) in new[] { (today, "2020-01-01", "to_day"), ("6 December", today, "from_day"), ("2020-01-01", today, "to_day") })
        {
            var refused = await Assert.ThrowsAsync<RpcException>(
                () => Cases.GetHandlingFiguresAsync(new GetHandlingFiguresRequest { FromDay = from, ToDay = to }, manager).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Equal([field], refused.FieldsAtFault());
        }

        var unknown = await Assert.ThrowsAsync<RpcException>(() => Cases.GetHandlingFiguresAsync(
            new GetHandlingFiguresRequest { FromDay = today, ToDay = today, Breakdown = (HandlingBreakdown)99 }, manager).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Equal(["breakdown"], unknown.FieldsAtFault());
    }

    [Fact]
    public async Task GetHandlingFigures_ByBreakdown_GroupsAddUpToTheTotal_AndEachAccountSeesOnlyItsOwnScope()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime)
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var request = new GetHandlingFiguresRequest { FromDay = today, ToDay = today };
        var byWindow = new GetHandlingFiguresRequest(request) { Breakdown = HandlingBreakdown.Window };
        var a01 = ServerFactory.HallCode + "/A01";
        var before = (await Cases.GetHandlingFiguresAsync(byWindow, manager)).Groups.Single(g => g.Key == a01);

        var c = await NewBadReviewAsync(manager);

        Assert.Empty((await Cases.GetHandlingFiguresAsync(request, manager)).Groups);
        foreach (var breakdown in new[] { HandlingBreakdown.Department, HandlingBreakdown.Window, HandlingBreakdown.Staff, HandlingBreakdown.Channel })
        {
            var figures = await Cases.GetHandlingFiguresAsync(new GetHandlingFiguresRequest(request) { Breakdown = breakdown }, manager);
            Assert.Equal(figures.Period.Total.Received, figures.Groups.Sum(g => g.Summary.Received));
            Assert.All(figures.Groups, g => Assert.False(string.IsNullOrEmpty(g.Name)));
        }

        var after = (await Cases.GetHandlingFiguresAsync(byWindow, manager)).Groups.Single(g => g.Key == a01);
        Assert.Equal(before.Summary.Received + 1, after.Summary.Received);
        Assert.Equal(before.BadCount + 1, after.BadCount);
        Assert.Equal("good_rate", after.GoodRate.Code);
        Assert.StartsWith("A01 ", after.Name, StringComparison.Ordinal);

        // A handler of another department sees none of the case; one of the case's department sees it.
        Assert.NotEqual("RSJ", c.DepartmentCode);
        var other = await SignInAsync("rsj-handler", DomainRole.DepartmentHandler, "RSJ");
        var theirs = await Cases.GetHandlingFiguresAsync(new GetHandlingFiguresRequest(request) { Breakdown = HandlingBreakdown.Department }, other);
        Assert.All(theirs.Groups, g => Assert.Equal("RSJ", g.Key));
        Assert.All(theirs.Period.Departments, d => Assert.Equal("RSJ", d.DepartmentCode));
        var own = await SignInAsync("own-handler", DomainRole.DepartmentHandler, c.DepartmentCode);
        var ours = await Cases.GetHandlingFiguresAsync(new GetHandlingFiguresRequest(request) { Breakdown = HandlingBreakdown.Department }, own);
        Assert.Equal(c.DepartmentCode, Assert.Single(ours.Groups).Key);
    }

    [Fact]
    public async Task ListCases_RowSaysWhatIsWaiting_TagsAndADeidentifiedExcerpt()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var rating = ServerFactory.GoodRating();
        rating.Level = RatingLevel.VeryDissatisfied;
        rating.ReasonTagCodes.Add("EFF_LONG_WAIT");
        rating.ReasonTagListVersion = "2026.1";
        rating.Text = "我是张伟，电话13912345678，窗口让我来回跑了三趟，材料清单和网上写的不一样，希望尽快改进流程";
        await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });

        var row = (await Cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases.First();

        Assert.Equal(RatingLevel.VeryDissatisfied, row.Level);
        Assert.Equal(["等候时间长"], row.ReasonTagLabels);
        Assert.StartsWith("我是某某", row.TextExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("张伟", row.TextExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("13912345678", row.TextExcerpt, StringComparison.Ordinal);
        Assert.EndsWith("…", row.TextExcerpt, StringComparison.Ordinal);
        Assert.Equal("企业开办综合窗口", row.WindowName);
        Assert.Matches(@"^差评-\d{8}-\d{4}$", row.CaseNumber);
    }

    [Fact]
    public async Task GetCase_TheRatedDepartmentSeesTheTextDeidentified_TheHallManagerAsWritten()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var rating = ServerFactory.GoodRating();
        rating.Level = RatingLevel.Dissatisfied;
        rating.Text = "我叫李娜，身份证370104199001011234，等了很久";
        await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var c = (await Cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases.First();

        var byManager = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager);
        var byHandler = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, handler);

        Assert.Equal(rating.Text, byManager.Rating.Text);
        Assert.False(byManager.Rating.TextDeidentified);
        Assert.True(byHandler.Rating.TextDeidentified);
        Assert.DoesNotContain("李娜", byHandler.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("370104199001011234", byHandler.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_OfferDefaultsToTheRoutedDepartment_AndListsItsHandlersByName()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        await SignInAsync("handler-ybj", DomainRole.DepartmentHandler, "YBJ");
        var c = await NewBadReviewAsync(manager);

        var detail = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager);

        var assign = detail.AllowedSteps[0];
        Assert.Equal("assign", assign.Name);
        Assert.True(assign.Expected);
        Assert.DoesNotContain(detail.AllowedSteps.Skip(1), s => s.Expected);
        Assert.Equal("XZSP", assign.Inputs.Single(i => i.Name == "department_code").DefaultValue);
        var handler = assign.Inputs.Single(i => i.Name == "handler_id");
        Assert.Equal(StepInputKind.Handler, handler.Kind);
        Assert.Contains(handler.Choices, h => h.Value == "handler-xzsp" && h.Group == "XZSP");
        Assert.Contains(handler.Choices, h => h.Value == "handler-ybj" && h.Group == "YBJ");
        Assert.DoesNotContain(handler.Choices, h => h.Value == "manager");
    }

    [Fact]
    public async Task Assign_HandlerOfAnotherDepartmentOrNoHandler_RefusedNamingTheInput_NothingChanged()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        await SignInAsync("handler-ybj", DomainRole.DepartmentHandler, "YBJ");
        var c = await NewBadReviewAsync(manager, phone: "13812341234");

        foreach (var named in new[] { "handler-ybj", "manager", "nobody" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(
                () => ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"), ("handler_id", named)));
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal(["handler_id"], e.FieldsAtFault());
        }

        Assert.Equal(CaseState.New, (await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager)).Summary.State);
        var assigned = await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"), ("handler_id", "handler-xzsp"));
        Assert.Equal("handler-xzsp", assigned.Summary.AssignedHandlerId);
        // The next step for the case is the callback, offered to the handler first.
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var asHandler = await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, handler);
        Assert.Equal("record_callback", asHandler.AllowedSteps[0].Name);
    }

    [Fact]
    public async Task RecordCallback_ReachedWithoutVerification_InvalidArgumentNamingIt()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var c = await NewBadReviewAsync(manager, phone: "13812341234");
        await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"));

        var e = await Assert.ThrowsAsync<RpcException>(() => ActAsync(handler, c.CaseId, "record_callback", ("outcome", "reached")));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal(["verification"], e.FieldsAtFault());
        var offer = (await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, handler)).AllowedSteps.Single(s => s.Name == "record_callback");
        var verification = offer.Inputs.Single(i => i.Name == "verification");
        Assert.False(verification.Required);
        Assert.Equal(("outcome", "reached"), (verification.RequiredWhenInput, verification.RequiredWhenValue));
    }

    private static readonly byte[] PngHeader = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static Google.Protobuf.ByteString Png(int size)
    {
        var bytes = new byte[size];
        PngHeader.CopyTo(bytes, 0);
        bytes[^1] = 0x42;
        return Google.Protobuf.ByteString.CopyFrom(bytes);
    }

    /// <summary>A real-name case of window A01, assigned to 区行政审批服务局 and called back: its handler may cite evidence.</summary>
    private async Task<(CaseSummary Case, Metadata Manager, Metadata Handler)> ContactedCaseAsync()
    {
        var manager = await SignInAsync("manager", DomainRole.HallManager);
        var handler = await SignInAsync("handler-xzsp", DomainRole.DepartmentHandler, "XZSP");
        var c = await NewBadReviewAsync(manager, phone: "13812341234");
        await ActAsync(manager, c.CaseId, "assign", ("department_code", "XZSP"));
        await ActAsync(handler, c.CaseId, "record_callback", ("outcome", "reached"), ("verification", "属实"));
        return (c, manager, handler);
    }

    [Fact]
    public async Task UploadCaseEvidence_ByTheAssignedHandler_TypeFromContent_CitedByAStep_AuditorMayDownload()
    {
        var (c, manager, handler) = await ContactedCaseAsync();
        var auditor = await SignInAsync("auditor", DomainRole.Auditor);
        var content = Png(2048);

        // The name says text; the leading bytes say PNG, and that is what counts.
        var uploaded = (await Cases.UploadCaseEvidenceAsync(
            new UploadCaseEvidenceRequest { CaseId = c.CaseId, FileName = @"C:\相册\整改后窗口.txt", Content = content }, handler)).File;
        Assert.Equal("image/png", uploaded.ContentType);
        Assert.Equal("整改后窗口.txt", uploaded.FileName);
        Assert.Equal(2048, uploaded.SizeBytes);
        Assert.Equal("附件:" + uploaded.EvidenceId, uploaded.Reference);

        var done = await ActAsync(handler, c.CaseId, "fix_at_once", ("what_was_done", "更新材料清单"), ("evidence", uploaded.Reference));
        Assert.Equal([uploaded.Reference], done.Timeline[^1].Evidence);
        Assert.Equal(uploaded.EvidenceId, Assert.Single(done.EvidenceFiles).EvidenceId);

        var byAuditor = await Cases.GetCaseEvidenceAsync(new GetCaseEvidenceRequest { CaseId = c.CaseId, EvidenceId = uploaded.EvidenceId }, auditor);
        Assert.Equal(content, byAuditor.Content);
        Assert.Equal("image/png", byAuditor.File.ContentType);
        var byManager = await Cases.GetCaseEvidenceAsync(new GetCaseEvidenceRequest { CaseId = c.CaseId, EvidenceId = uploaded.EvidenceId }, manager);
        Assert.Equal(content, byManager.Content);
    }

    [Fact]
    public async Task UploadCaseEvidence_OverSizeOrWrongType_InvalidArgumentNamingTheContent_NothingKept()
    {
        var (c, _, handler) = await ContactedCaseAsync();
        var gif = Google.Protobuf.ByteString.CopyFrom("GIF89a-not-accepted"u8.ToArray());
        var exe = Google.Protobuf.ByteString.CopyFrom("MZ\u0090\u0000"u8.ToArray());

        foreach (var (name, content) in new[] { ("大.png", Png((5 * 1024 * 1024) + 1)), ("伪装.jpg", gif), ("伪装.pdf", exe) })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => Cases.UploadCaseEvidenceAsync(
                new UploadCaseEvidenceRequest { CaseId = c.CaseId, FileName = name, Content = content }, handler).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal(["content"], e.FieldsAtFault());
        }

        // Far larger than one file may be: the transport refuses the message before it is read.
        var huge = await Assert.ThrowsAsync<RpcException>(() => Cases.UploadCaseEvidenceAsync(
            new UploadCaseEvidenceRequest { CaseId = c.CaseId, FileName = "巨大.png", Content = Png(6 * 1024 * 1024) }, handler).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, huge.StatusCode);

        Assert.Empty((await Cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, handler)).EvidenceFiles);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM case_evidence_files WHERE case_id = @id", ("id", c.CaseId)));
    }

    [Fact]
    public async Task UploadCaseEvidence_AnotherDepartmentsHandlerTheManagerOrAnAuditor_PermissionDenied()
    {
        var (c, manager, _) = await ContactedCaseAsync();
        var other = await SignInAsync("handler-ybj", DomainRole.DepartmentHandler, "YBJ");
        var auditor = await SignInAsync("auditor", DomainRole.Auditor);

        foreach (var who in new[] { other, manager, auditor })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => Cases.UploadCaseEvidenceAsync(
                new UploadCaseEvidenceRequest { CaseId = c.CaseId, FileName = "a.png", Content = Png(100) }, who).ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        }

        var read = await Assert.ThrowsAsync<RpcException>(() => Cases.GetCaseEvidenceAsync(
            new GetCaseEvidenceRequest { CaseId = c.CaseId, EvidenceId = Guid.NewGuid().ToString() }, other).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, read.StatusCode);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM case_evidence_files WHERE case_id = @id", ("id", c.CaseId)));
    }

    [Fact]
    public void EvidenceFiles_NoOtherServiceEverAnswersWithThem()
    {
        // Every service but the staff case service (the public live feed and disclosures, kiosks, the provincial relay …):
        // no message it answers with holds an evidence file or raw bytes, however deeply nested.
        var evidence = CaseEvidenceFile.Descriptor;
        var services = typeof(CaseService).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed && t.GetProperty("Descriptor") is not null && t.Name.EndsWith("Service", StringComparison.Ordinal))
            .Select(t => (Google.Protobuf.Reflection.ServiceDescriptor)t.GetProperty("Descriptor")!.GetValue(null)!)
            .ToList();
        Assert.Contains(services, s => s.Name == "LiveFiguresService");

        foreach (var service in services.Where(s => s.Name != "CaseService"))
        {
            foreach (var method in service.Methods)
            {
                var seen = new HashSet<string>();
                var pending = new Stack<Google.Protobuf.Reflection.MessageDescriptor>([method.OutputType]);
                while (pending.TryPop(out var message))
                {
                    if (!seen.Add(message.FullName))
                    {
                        continue;
                    }

                    Assert.NotEqual(evidence.FullName, message.FullName);
                    foreach (var field in message.Fields.InFieldNumberOrder())
                    {
                        Assert.False(
                            field.FieldType == Google.Protobuf.Reflection.FieldType.Bytes,
                            $"{service.Name}.{method.Name} answers with bytes in {message.Name}.{field.Name}");
                        if (field.FieldType == Google.Protobuf.Reflection.FieldType.Message)
                        {
                            pending.Push(field.MessageType);
                        }
                    }
                }
            }
        }
    }
}
