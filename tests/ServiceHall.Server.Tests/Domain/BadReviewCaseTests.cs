using Microsoft.Extensions.Time.Testing;
using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.CaseTestData;

namespace ServiceHall.Server.Tests.Domain;

public class BadReviewCaseTests
{
    private static readonly Actor OtherHandler = new("h2", CaseRole.DepartmentHandler, "YBJ");
    private static readonly Actor Supervisor = new("s1", CaseRole.Supervisor);
    private static readonly Actor Auditor = new("a1", CaseRole.Auditor);

    private readonly FakeTimeProvider _clock = new(MondayMorning);

    // Each step happens ten minutes after the one before.
    private DateTimeOffset Next()
    {
        _clock.Advance(TimeSpan.FromMinutes(10));
        return _clock.GetUtcNow();
    }

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Beijing);

    private static DateTimeOffset EndOf(int month, int day) =>
        new(new DateOnly(2026, month, day).ToDateTime(TimeOnly.MaxValue), Beijing);

    private static Rating BadRating(bool realName = true, DateTimeOffset? receivedAt = null, RatingLevel level = RatingLevel.Dissatisfied) => new(
        Id: Guid.CreateVersion7(),
        TransactionNumber: null,
        HallCode: TestCatalog.HallCode,
        RegionCode: "370104",
        WindowCode: "A01",
        ServiceItemCode: "ITEM-SB",
        DepartmentCode: "RSJ",
        StaffId: "S01",
        Channel: RatingChannel.HallTerminal,
        Level: level,
        ReasonTagCodes: ["SLOW"],
        ReasonTagListVersion: "T1",
        Text: "等了一个小时",
        RatedAt: (receivedAt ?? MondayMorning).AddSeconds(-2),
        ReceivedAt: receivedAt ?? MondayMorning,
        CallbackPhone: realName ? "13812341234" : null,
        DeviceId: "kiosk-01");

    private BadReviewCase Opened(bool realName = true, DateTimeOffset? receivedAt = null)
    {
        if (receivedAt is { } at)
        {
            _clock.SetUtcNow(at);
        }

        return BadReviewCase.Open(Guid.CreateVersion7(), BadRating(realName, receivedAt ?? _clock.GetUtcNow()), Limits);
    }

    private BadReviewCase Assigned(bool realName = true, DateTimeOffset? receivedAt = null)
    {
        var c = Opened(realName, receivedAt);
        c.Assign(Manager, "RSJ", "h1", null, Next());
        return c;
    }

    private BadReviewCase Contacted(bool realName = true, DateTimeOffset? receivedAt = null)
    {
        var c = Assigned(realName, receivedAt);
        if (realName)
        {
            c.RecordCallback(Handler, CallOutcome.Reached, "核实：窗口排队时间过长", "已接通", Next());
        }
        else
        {
            c.SkipCallbackAnonymous(Handler, Next());
        }

        return c;
    }

    private BadReviewCase FeedbackGiven(bool realName = true)
    {
        var c = Contacted(realName);
        c.FixAtOnce(Handler, "增开一个社保窗口", null, Next());
        c.GiveFeedback(Handler, "已增开窗口，排队时间缩短", null, Next());
        return c;
    }

    private BadReviewCase Appealed()
    {
        var c = Contacted();
        c.Appeal(Handler, "评价人当日未到本窗口办件", ["evidence/queue-log-0302.pdf"], Next());
        return c;
    }

    /// <summary>Asserts the action throws and leaves the case exactly as it was.</summary>
    private static TException Refused<TException>(BadReviewCase c, Action action)
        where TException : Exception
    {
        var state = c.State;
        var events = c.Events.ToList();
        var deadlines = c.Deadlines;
        var department = c.AssignedDepartmentCode;

        var e = Assert.Throws<TException>(action);

        Assert.Equal(state, c.State);
        Assert.Equal(events, c.Events);
        Assert.Equal(deadlines, c.Deadlines);
        Assert.Equal(department, c.AssignedDepartmentCode);
        return e;
    }

    // ---- opening ----

    [Fact]
    public void Open_BadRating_NewCaseWithDeadlinesFromReceipt()
    {
        var rating = BadRating(level: RatingLevel.VeryDissatisfied);

        var c = BadReviewCase.Open(Guid.CreateVersion7(), rating, Limits);

        Assert.Equal(CaseState.New, c.State);
        Assert.Equal(rating.Id, c.RatingId);
        Assert.Equal("RSJ", c.DepartmentCode);
        Assert.Equal("A01", c.WindowCode);
        Assert.Equal("ITEM-SB", c.ServiceItemCode);
        Assert.Equal("S01", c.StaffId);
        Assert.Equal(RatingLevel.VeryDissatisfied, c.Level);
        Assert.True(c.IsRealName);
        Assert.Null(c.AssignedDepartmentCode);
        Assert.Equal(EndOf(3, 3), c.Deadlines.ContactDue);
        Assert.Equal(EndOf(3, 9), c.Deadlines.RectificationDue);
        Assert.Equal(new DateOnly(2026, 3, 23), c.Deadlines.ExtensionLimitDay);
        var opened = Assert.Single(c.Events);
        Assert.Equal(CaseEventKind.Opened, opened.Kind);
        Assert.Equal(CaseRole.System, opened.By.Role);
        Assert.Equal(MondayMorning, opened.At);
    }

    [Theory]
    [InlineData(RatingLevel.VerySatisfied)]
    [InlineData(RatingLevel.Satisfied)]
    [InlineData(RatingLevel.BasicallySatisfied)]
    public void Open_GoodRating_Refused(RatingLevel level)
    {
        var e = Assert.Throws<InvalidInputException>(() => BadReviewCase.Open(Guid.CreateVersion7(), BadRating(level: level), Limits));

        Assert.Equal("level", e.Field);
    }

    // ---- assigning ----

    [Fact]
    public void Assign_ByHallManager_AssignedToTheDepartment()
    {
        var c = Opened();

        c.Assign(Manager, "RSJ", "h1", "按谁办理谁负责分派", Next());

        Assert.Equal(CaseState.Assigned, c.State);
        Assert.Equal("RSJ", c.AssignedDepartmentCode);
        Assert.Equal("h1", c.AssignedHandlerId);
        var e = c.Events[^1];
        Assert.Equal((CaseEventKind.Assigned, CaseState.New, CaseState.Assigned, "m1"), (e.Kind, e.From, e.To, e.By.Id));
    }

    [Theory]
    [InlineData(CaseRole.DepartmentHandler)]
    [InlineData(CaseRole.Supervisor)]
    [InlineData(CaseRole.Auditor)]
    public void Assign_ByAnyoneButTheHallManager_PermissionDenied(CaseRole role)
    {
        var c = Opened();

        Refused<CasePermissionException>(c, () => c.Assign(new Actor("x", role, "RSJ"), "RSJ", null, null, Next()));
    }

    [Fact]
    public void Assign_EmptyDepartment_InvalidInput()
    {
        var c = Opened();

        var e = Refused<InvalidInputException>(c, () => c.Assign(Manager, " ", null, null, Next()));

        Assert.Equal("department_code", e.Field);
    }

    [Fact]
    public void Assign_AlreadyAssigned_TransitionRefused()
    {
        var c = Assigned();

        Refused<CaseTransitionException>(c, () => c.Assign(Manager, "YBJ", null, null, Next()));
    }

    [Fact]
    public void Reassign_ByHallManager_MovesTheCaseAndTheOldDepartmentLosesIt()
    {
        var c = Assigned();

        c.Reassign(Manager, "YBJ", null, "事项归医保局办理", Next());

        Assert.Equal(CaseState.Assigned, c.State);
        Assert.Equal("YBJ", c.AssignedDepartmentCode);
        Assert.Equal(CaseEventKind.Reassigned, c.Events[^1].Kind);
        Refused<CasePermissionException>(c, () => c.RecordCallback(Handler, CallOutcome.Reached, "核实属实", null, Next()));
        c.RecordCallback(OtherHandler, CallOutcome.Reached, "核实属实", null, Next());
        Assert.Single(c.CallAttempts);
    }

    [Fact]
    public void Reassign_WithoutReasonOrToTheSameDepartment_InvalidInput()
    {
        var c = Assigned();

        Assert.Equal("reason", Refused<InvalidInputException>(c, () => c.Reassign(Manager, "YBJ", null, "", Next())).Field);
        Assert.Equal("department_code", Refused<InvalidInputException>(c, () => c.Reassign(Manager, "RSJ", null, "x", Next())).Field);
    }

    [Fact]
    public void Reassign_AfterADisposition_TransitionRefused()
    {
        var c = Contacted();
        c.Explain(Handler, "《社会保险法》第五十八条", "须本人申领", Next());

        Refused<CaseTransitionException>(c, () => c.Reassign(Manager, "YBJ", null, "改派", Next()));
    }

    // ---- callback (回访核实) ----

    [Fact]
    public void RecordCallback_NotReachedThenReached_BothOnRecordAndTheReachedOneVerifies()
    {
        var c = Assigned();
        var first = Next();
        var second = Next();

        c.RecordCallback(Handler, CallOutcome.NotReached, null, "无人接听", first);
        Assert.Equal(CaseState.Assigned, c.State);
        c.RecordCallback(Handler, CallOutcome.Reached, "核实属实", null, second);

        Assert.Equal(CaseState.Contacted, c.State);
        Assert.Equal(
            [new CallAttempt(first, "h1", CallOutcome.NotReached, "无人接听"), new CallAttempt(second, "h1", CallOutcome.Reached, "核实属实")],
            c.CallAttempts);
    }

    [Fact]
    public void RecordCallback_Reached_ContactedInOneStepWithOneAuditRecord()
    {
        var c = Assigned();
        var before = c.Events.Count;

        c.RecordCallback(Handler, CallOutcome.Reached, "评价人反映排队时间长，属实", "下午回电", Next());

        Assert.Equal(CaseState.Contacted, c.State);
        Assert.Equal(ContactOutcome.Reached, c.Contact);
        Assert.True(c.IsCalledBack);
        Assert.Equal(before + 1, c.Events.Count);
        Assert.Equal(CaseEventKind.Contacted, c.Events[^1].Kind);
        Assert.Equal(CallOutcome.Reached, c.Events[^1].Call);
        Assert.Equal("评价人反映排队时间长，属实（下午回电）", c.Events[^1].Note);
    }

    [Theory]
    [InlineData(CallOutcome.NotReached)]
    [InlineData(CallOutcome.Refused)]
    public void RecordCallback_NotReachedOrRefused_OnRecordAndStillAssigned(CallOutcome outcome)
    {
        var c = Assigned();

        c.RecordCallback(Handler, outcome, null, null, Next());

        Assert.Equal(CaseState.Assigned, c.State);
        Assert.Equal(CaseEventKind.CallAttempted, c.Events[^1].Kind);
        Assert.Equal(outcome, Assert.Single(c.CallAttempts).Outcome);
        Assert.False(c.IsCalledBack);
    }

    [Fact]
    public void RecordCallback_ReachedWithoutVerification_InvalidInputNamingIt()
    {
        var c = Assigned();

        Assert.Equal("verification", Refused<InvalidInputException>(c, () => c.RecordCallback(Handler, CallOutcome.Reached, " ", null, Next())).Field);
    }

    [Fact]
    public void RecordCallback_VerificationWhenNotReached_InvalidInputNamingIt()
    {
        var c = Assigned();

        Assert.Equal("verification", Refused<InvalidInputException>(c, () => c.RecordCallback(Handler, CallOutcome.NotReached, "属实", null, Next())).Field);
    }

    [Fact]
    public void RequireMayAttachEvidence_TheAssignedHandlerWhenAStepCitesEvidence_NoOneElse()
    {
        var assigned = Assigned();
        var contacted = Contacted();
        var context = new StepContext(Next(), Limits);

        contacted.RequireMayAttachEvidence(Handler, context);
        Assert.Throws<CasePermissionException>(() => contacted.RequireMayAttachEvidence(OtherHandler, context));
        Assert.Throws<CasePermissionException>(() => contacted.RequireMayAttachEvidence(Manager, context));
        Assert.Throws<CasePermissionException>(() => contacted.RequireMayAttachEvidence(new Actor("a1", CaseRole.Auditor), context));
        // The right handler before any step cites evidence (still to call back).
        Assert.Throws<CaseTransitionException>(() => assigned.RequireMayAttachEvidence(Handler, context));
    }

    [Fact]
    public void RecordCallback_HandlerOfAnotherDepartment_PermissionDenied()
    {
        var c = Assigned();

        Refused<CasePermissionException>(c, () => c.RecordCallback(OtherHandler, CallOutcome.Reached, "核实属实", null, Next()));
    }

    [Fact]
    public void RecordCallback_BeforeTheCaseIsAssigned_PermissionDenied()
    {
        // Until the hall manager assigns it, a case belongs to no department's handlers.
        var c = Opened();

        Refused<CasePermissionException>(c, () => c.RecordCallback(Handler, CallOutcome.Reached, "核实属实", null, Next()));
    }

    [Fact]
    public void RecordCallback_AnonymousCase_TransitionRefused()
    {
        var c = Assigned(realName: false);

        Refused<CaseTransitionException>(c, () => c.RecordCallback(Handler, CallOutcome.Reached, "核实属实", null, Next()));
    }

    [Fact]
    public void SkipCallbackAnonymous_AnonymousCase_ContactedWithTheExplicitStep()
    {
        var c = Assigned(realName: false);

        c.SkipCallbackAnonymous(Handler, Next());

        Assert.Equal(CaseState.Contacted, c.State);
        Assert.Equal(ContactOutcome.Anonymous, c.Contact);
        Assert.False(c.IsCalledBack);
        Assert.Equal((CaseEventKind.CallbackSkippedAnonymous, "匿名评价，无法回访"), (c.Events[^1].Kind, c.Events[^1].Note));
    }

    [Fact]
    public void SkipCallbackAnonymous_RealNameCase_TransitionRefused()
    {
        var c = Assigned();

        Refused<CaseTransitionException>(c, () => c.SkipCallbackAnonymous(Handler, Next()));
    }

    [Fact]
    public void RecordCallbackFailed_AfterThreeUnansweredCalls_ContactedButNotCalledBack()
    {
        var c = Assigned();
        for (var i = 0; i < 3; i++)
        {
            c.RecordCallback(Handler, CallOutcome.NotReached, null, null, Next());
        }

        c.RecordCallbackFailed(Manager, "三次未接通", Limits, Next());

        Assert.Equal(CaseState.Contacted, c.State);
        Assert.Equal(ContactOutcome.CallbackFailed, c.Contact);
        Assert.False(c.IsCalledBack);
    }

    [Fact]
    public void RecordCallbackFailed_AfterARefusal_Contacted()
    {
        var c = Assigned();
        c.RecordCallback(Handler, CallOutcome.Refused, null, "评价人拒绝沟通", Next());

        c.RecordCallbackFailed(Manager, "评价人拒绝回访", Limits, Next());

        Assert.Equal(CaseState.Contacted, c.State);
    }

    [Fact]
    public void RecordCallbackFailed_TooFewAttemptsOrByTheHandler_Refused()
    {
        var c = Assigned();
        c.RecordCallback(Handler, CallOutcome.NotReached, null, null, Next());
        c.RecordCallback(Handler, CallOutcome.NotReached, null, null, Next());

        Refused<CaseTransitionException>(c, () => c.RecordCallbackFailed(Manager, "未接通", Limits, Next()));
        c.RecordCallback(Handler, CallOutcome.NotReached, null, null, Next());
        Refused<CasePermissionException>(c, () => c.RecordCallbackFailed(Handler, "未接通", Limits, Next()));
    }

    // ---- dispositions ----

    [Fact]
    public void FixAtOnce_AfterContact_FixedAtOnceWithEvidence()
    {
        var c = Contacted();

        c.FixAtOnce(Handler, "当场为评价人补办", ["photo/fix-1.jpg"], Next());

        Assert.Equal(CaseState.FixedAtOnce, c.State);
        Assert.Equal(["photo/fix-1.jpg"], c.Events[^1].Evidence);
    }

    [Fact]
    public void FixAtOnce_BeforeContact_TransitionRefused()
    {
        var c = Assigned();

        Refused<CaseTransitionException>(c, () => c.FixAtOnce(Handler, "当场补办", null, Next()));
    }

    [Fact]
    public void FixAtOnce_EmptyNoteOrBlankEvidence_InvalidInput()
    {
        var c = Contacted();

        Assert.Equal("what_was_done", Refused<InvalidInputException>(c, () => c.FixAtOnce(Handler, "  ", null, Next())).Field);
        Assert.Equal("evidence", Refused<InvalidInputException>(c, () => c.FixAtOnce(Handler, "补办", [""], Next())).Field);
    }

    [Fact]
    public void RectifyByDeadline_DueDayWithinTheLimit_RecordsReasonLedgerAndDueDay()
    {
        var c = Contacted();

        c.RectifyByDeadline(Handler, "叫号系统故障", new DateOnly(2026, 3, 6), "台账2026-031：更换叫号机", Limits, Next());

        Assert.Equal(CaseState.RectifyingByDeadline, c.State);
        var e = c.Events[^1];
        Assert.Equal((CaseEventKind.RectificationScheduled, "叫号系统故障", "台账2026-031：更换叫号机", new DateOnly(2026, 3, 6)),
            (e.Kind, e.Note, e.LedgerEntry, e.DueDay));
    }

    [Fact]
    public void RectifyByDeadline_DueDayInThePast_InvalidInput()
    {
        var c = Contacted();

        var e = Refused<InvalidInputException>(
            c, () => c.RectifyByDeadline(Handler, "原因", new DateOnly(2026, 3, 1), "台账", Limits, Next()));

        Assert.Equal("due_day", e.Field);
    }

    [Fact]
    public void RectifyByDeadline_DueDayBeyondTheRectificationDeadline_InvalidInputUntilExtended()
    {
        var c = Contacted();
        var dueDay = new DateOnly(2026, 3, 13);

        Refused<InvalidInputException>(c, () => c.RectifyByDeadline(Handler, "原因", dueDay, "台账", Limits, Next()));
        c.ExtendRectification(Handler, dueDay, "需采购设备", Limits, Next());
        c.RectifyByDeadline(Handler, "原因", dueDay, "台账", Limits, Next());

        Assert.Equal(CaseState.RectifyingByDeadline, c.State);
    }

    [Fact]
    public void RectifyByDeadline_EmptyReasonOrLedger_InvalidInput()
    {
        var c = Contacted();
        var day = new DateOnly(2026, 3, 6);

        Assert.Equal("reason", Refused<InvalidInputException>(c, () => c.RectifyByDeadline(Handler, "", day, "台账", Limits, Next())).Field);
        Assert.Equal("ledger_entry", Refused<InvalidInputException>(c, () => c.RectifyByDeadline(Handler, "原因", day, "", Limits, Next())).Field);
    }

    [Fact]
    public void Explain_WithLegalBasis_ExplainedAndBasisRecorded()
    {
        var c = Contacted();

        c.Explain(Handler, "《社会保险法》第五十八条", "社保卡须本人申领，不能代办", Next());

        Assert.Equal(CaseState.Explained, c.State);
        Assert.Equal("《社会保险法》第五十八条", c.Events[^1].LegalBasis);
    }

    [Fact]
    public void Explain_WithoutLegalBasis_InvalidInput()
    {
        var c = Contacted();

        var e = Refused<InvalidInputException>(c, () => c.Explain(Handler, "", "须本人申领", Next()));

        Assert.Equal("legal_basis", e.Field);
    }

    // ---- appeals ----

    [Fact]
    public void Appeal_WithEvidence_Appealed()
    {
        var c = Contacted();

        c.Appeal(Handler, "同一手机号一小时内差评八次", ["evidence/device-log.csv"], Next());

        Assert.Equal(CaseState.Appealed, c.State);
        Assert.Equal(["evidence/device-log.csv"], c.Events[^1].Evidence);
    }

    [Fact]
    public void Appeal_WithoutEvidence_InvalidInput()
    {
        var c = Contacted();

        var e = Refused<InvalidInputException>(c, () => c.Appeal(Handler, "恶意差评", [], Next()));

        Assert.Equal("evidence", e.Field);
    }

    [Fact]
    public void UpholdAppeal_BySupervisorThenClose_ClosedAndExcludedFromStatistics()
    {
        var c = Appealed();

        c.UpholdAppeal(Supervisor, AppealFinding.Malicious, "证据充分，认定恶意差评", Next());

        Assert.Equal(CaseState.AppealUpheld, c.State);
        Assert.True(c.IsExcludedFromStatistics);
        Assert.Equal(DeadlineStatus.Done, c.DeadlineStatusAt(Next(), Limits).Rectification);

        c.Close(Supervisor, null, Next());

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(AppealFinding.Malicious, c.UpheldFinding);
        Assert.False(c.IsRectified);
        Assert.Null(c.RectifiedInTime);
        Assert.Equal(CaseEventKind.AppealUpheld, c.Events[^2].Kind);
    }

    [Theory]
    [InlineData(CaseRole.HallManager)]
    [InlineData(CaseRole.DepartmentHandler)]
    [InlineData(CaseRole.Auditor)]
    public void UpholdAppeal_ByAnyoneButASupervisor_PermissionDenied(CaseRole role)
    {
        var c = Appealed();

        Refused<CasePermissionException>(c, () => c.UpholdAppeal(new Actor("x", role, "RSJ"), AppealFinding.Misrated, "成立", Next()));
    }

    [Fact]
    public void RejectAppeal_BySupervisor_BackToDispositionButNotAnotherAppeal()
    {
        var c = Appealed();

        c.RejectAppeal(Supervisor, "证据不足", Next());

        Assert.Equal(CaseState.Contacted, c.State);
        Assert.True(c.AppealRejected);
        Assert.False(c.IsExcludedFromStatistics);
        Refused<CaseTransitionException>(c, () => c.Appeal(Handler, "再次申诉", ["evidence/more.pdf"], Next()));
        c.FixAtOnce(Handler, "向评价人致歉并当场办结", null, Next());
        Assert.Equal(CaseState.FixedAtOnce, c.State);
    }

    [Fact]
    public void Close_CaseNotUpheld_TransitionRefused()
    {
        var c = Appealed();

        Refused<CaseTransitionException>(c, () => c.Close(Supervisor, null, Next()));
    }

    [Fact]
    public void FixAtOnce_WhileTheAppealIsPending_TransitionRefused()
    {
        var c = Appealed();

        Refused<CaseTransitionException>(c, () => c.FixAtOnce(Handler, "补办", null, Next()));
    }

    // ---- feedback and the rater's verdict ----

    [Fact]
    public void GiveFeedback_RealName_AwaitsTheRatersVerdict()
    {
        var c = Contacted();
        c.Explain(Handler, "《社会保险法》第五十八条", "须本人申领", Next());

        c.GiveFeedback(Handler, "已电话说明政策", null, Next());

        Assert.Equal(CaseState.FeedbackGiven, c.State);
        Assert.False(c.IsClosed);
        Assert.Equal(DeadlineStatus.Done, c.DeadlineStatusAt(Next(), Limits).Rectification);
    }

    [Fact]
    public void GiveFeedback_Anonymous_ClosesAtOnceWithoutAVerdict()
    {
        var c = FeedbackGiven(realName: false);

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Null(c.Satisfaction);
        Assert.True(c.RectifiedInTime);
        Refused<CaseTransitionException>(c, () => c.RecordSatisfaction(Handler, RaterSatisfaction.Satisfied, null, Limits, Next()));
    }

    [Fact]
    public void GiveFeedback_BeforeADisposition_TransitionRefused()
    {
        var c = Contacted();

        Refused<CaseTransitionException>(c, () => c.GiveFeedback(Handler, "已处理", null, Next()));
    }

    [Fact]
    public void GiveFeedback_EmptyContent_InvalidInput()
    {
        var c = Contacted();
        c.FixAtOnce(Handler, "补办", null, Next());

        Assert.Equal("content", Refused<InvalidInputException>(c, () => c.GiveFeedback(Handler, "", null, Next())).Field);
    }

    [Theory]
    [InlineData(RaterSatisfaction.Satisfied)]
    [InlineData(RaterSatisfaction.BasicallySatisfied)]
    public void RecordSatisfaction_SatisfiedOrBasically_ClosedInTime(RaterSatisfaction verdict)
    {
        var c = FeedbackGiven();

        c.RecordSatisfaction(Handler, verdict, null, Limits, Next());

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(verdict, c.Satisfaction);
        Assert.True(c.IsRectified);
        Assert.True(c.RectifiedInTime);
        Assert.Equal(0, c.ReopenCount);
    }

    [Fact]
    public void RecordSatisfaction_FirstDissatisfied_ReopensWithAFreshRectificationRound()
    {
        var c = FeedbackGiven();
        var contactDue = c.Deadlines.ContactDue;
        var reopenedAt = Local(3, 4, 15);

        c.RecordSatisfaction(Handler, RaterSatisfaction.Dissatisfied, "仍需排队很久", Limits, reopenedAt);

        Assert.Equal(CaseState.Contacted, c.State);
        Assert.Equal(1, c.ReopenCount);
        Assert.False(c.IsClosed);
        // Five working days from Wednesday 03-04: 03-05, 06, 09, 10, 11.
        Assert.Equal(EndOf(3, 11), c.Deadlines.RectificationDue);
        Assert.Equal(contactDue, c.Deadlines.ContactDue);
        Assert.Equal((CaseState.FeedbackGiven, CaseState.Contacted), (c.Events[^1].From, c.Events[^1].To));
    }

    [Fact]
    public void RecordSatisfaction_SecondDissatisfied_ClosesWithTheVerdictRecorded()
    {
        var c = FeedbackGiven();
        _clock.SetUtcNow(Local(3, 4, 15));
        c.RecordSatisfaction(Handler, RaterSatisfaction.Dissatisfied, null, Limits, Next());
        c.RectifyByDeadline(Handler, "增设窗口", new DateOnly(2026, 3, 10), "台账2026-032", Limits, Next());
        c.GiveFeedback(Handler, "已增设窗口", null, Next());

        c.RecordSatisfaction(Handler, RaterSatisfaction.Dissatisfied, "仍不满意", Limits, Next());

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Equal(RaterSatisfaction.Dissatisfied, c.Satisfaction);
        Assert.Equal(1, c.ReopenCount);
        Assert.Equal(2, c.Events.Count(e => e.Kind == CaseEventKind.SatisfactionRecorded));
    }

    [Fact]
    public void RecordSatisfaction_BeforeFeedback_TransitionRefused()
    {
        var c = Contacted();

        Refused<CaseTransitionException>(c, () => c.RecordSatisfaction(Handler, RaterSatisfaction.Satisfied, null, Limits, Next()));
    }

    [Fact]
    public void CloseWithoutSatisfaction_ByHallManager_ClosedWithoutAVerdict()
    {
        var c = FeedbackGiven();

        Refused<CasePermissionException>(c, () => c.CloseWithoutSatisfaction(Handler, "未接通", Next()));
        c.CloseWithoutSatisfaction(Manager, "评价人三次未接通", Next());

        Assert.Equal(CaseState.Closed, c.State);
        Assert.Null(c.Satisfaction);
    }

    // ---- extension (延期) ----

    [Fact]
    public void ExtendRectification_WithinFifteenWorkingDays_MovesTheDeadline()
    {
        var c = Contacted();

        c.ExtendRectification(Handler, new DateOnly(2026, 3, 23), "涉及多部门协调", Limits, Next());

        Assert.True(c.Deadlines.Extended);
        Assert.Equal(EndOf(3, 23), c.Deadlines.RectificationDue);
        Assert.Equal(EndOf(3, 3), c.Deadlines.ContactDue);
        Assert.Equal((CaseEventKind.DeadlineExtended, "涉及多部门协调"), (c.Events[^1].Kind, c.Events[^1].Note));
    }

    [Fact]
    public void ExtendRectification_Twice_TransitionRefused()
    {
        var c = Contacted();
        c.ExtendRectification(Handler, new DateOnly(2026, 3, 13), "需采购设备", Limits, Next());

        Refused<CaseTransitionException>(c, () => c.ExtendRectification(Handler, new DateOnly(2026, 3, 20), "仍需时间", Limits, Next()));
    }

    [Fact]
    public void ExtendRectification_BeyondFifteenWorkingDays_InvalidInput()
    {
        var c = Contacted();

        var e = Refused<InvalidInputException>(c, () => c.ExtendRectification(Handler, new DateOnly(2026, 3, 24), "复杂", Limits, Next()));

        Assert.Equal("new_due_day", e.Field);
    }

    [Fact]
    public void ExtendRectification_WithoutReason_InvalidInput()
    {
        var c = Contacted();

        var e = Refused<InvalidInputException>(c, () => c.ExtendRectification(Handler, new DateOnly(2026, 3, 13), " ", Limits, Next()));

        Assert.Equal("reason", e.Field);
    }

    [Theory]
    [InlineData("2026-03-14")] // a Saturday
    [InlineData("2026-03-09")] // not later than the current deadline
    public void ExtendRectification_ToANonWorkingOrEarlierDay_InvalidInput(string day)
    {
        var c = Contacted();

        Refused<InvalidInputException>(c, () => c.ExtendRectification(Handler, DateOnly.Parse(day), "复杂", Limits, Next()));
    }

    [Fact]
    public void ExtendRectification_AfterTheDeadlinePassed_TransitionRefused()
    {
        var c = Contacted();

        Refused<CaseTransitionException>(
            c, () => c.ExtendRectification(Handler, new DateOnly(2026, 3, 13), "来不及", Limits, Local(3, 10, 9)));
    }

    [Fact]
    public void ExtendRectification_ByTheHallManager_PermissionDenied()
    {
        var c = Contacted();

        Refused<CasePermissionException>(c, () => c.ExtendRectification(Manager, new DateOnly(2026, 3, 13), "复杂", Limits, Next()));
    }

    [Fact]
    public void GiveFeedback_AfterTheOriginalButWithinTheExtendedDeadline_RectifiedInTime()
    {
        var c = Contacted();
        c.ExtendRectification(Handler, new DateOnly(2026, 3, 13), "需采购设备", Limits, Next());
        c.RectifyByDeadline(Handler, "叫号机损坏", new DateOnly(2026, 3, 13), "台账2026-033", Limits, Next());

        c.GiveFeedback(Handler, "叫号机已更换", null, Local(3, 12, 16));
        c.RecordSatisfaction(Handler, RaterSatisfaction.Satisfied, null, Limits, Local(3, 12, 17));

        Assert.True(c.RectifiedInTime);
    }

    [Fact]
    public void GiveFeedback_AfterTheDeadline_ClosedButNotInTime()
    {
        var c = Contacted();
        c.FixAtOnce(Handler, "补办", null, Next());

        c.GiveFeedback(Handler, "已补办", null, Local(3, 10, 9));
        c.RecordSatisfaction(Handler, RaterSatisfaction.Satisfied, null, Limits, Local(3, 10, 10));

        Assert.True(c.IsRectified);
        Assert.False(c.RectifiedInTime);
    }

    // ---- deadline status ----

    [Fact]
    public void DeadlineStatusAt_CaseReceivedOnTheEveOfNationalDay_WarnsOnDeadlineDaysAndOverdueAfter()
    {
        var c = Assigned(receivedAt: Local(9, 30, 10));

        Assert.Equal(new CaseDeadlineReport(DeadlineStatus.OnTrack, DeadlineStatus.OnTrack), c.DeadlineStatusAt(Local(9, 30, 17), Limits));
        // The holiday week does not eat into the limit: 10-08 is still ahead.
        Assert.Equal(DeadlineStatus.OnTrack, c.DeadlineStatusAt(Local(10, 5, 12), Limits).Contact);
        Assert.Equal(DeadlineStatus.DueSoon, c.DeadlineStatusAt(Local(10, 8, 9), Limits).Contact);
        Assert.Equal(DeadlineStatus.DueSoon, c.DeadlineStatusAt(EndOf(10, 8), Limits).Contact);
        Assert.Equal(DeadlineStatus.Overdue, c.DeadlineStatusAt(Local(10, 9, 0, 1), Limits).Contact);
        // Rectification due end of 10-13: warned from the working day before.
        Assert.Equal(DeadlineStatus.OnTrack, c.DeadlineStatusAt(Local(10, 10, 9), Limits).Rectification);
        Assert.Equal(DeadlineStatus.DueSoon, c.DeadlineStatusAt(Local(10, 12, 9), Limits).Rectification);
        Assert.Equal(DeadlineStatus.DueSoon, c.DeadlineStatusAt(Local(10, 13, 18), Limits).Rectification);
        Assert.Equal(DeadlineStatus.Overdue, c.DeadlineStatusAt(Local(10, 14, 8), Limits).Rectification);
    }

    [Fact]
    public void DeadlineStatusAt_AfterContactAndAfterFeedback_Done()
    {
        var c = Contacted(receivedAt: Local(9, 30, 10));

        Assert.Equal(new CaseDeadlineReport(DeadlineStatus.Done, DeadlineStatus.OnTrack), c.DeadlineStatusAt(Local(10, 9, 9), Limits));

        c.FixAtOnce(Handler, "补办", null, Local(10, 9, 10));
        Assert.Equal(DeadlineStatus.Overdue, c.DeadlineStatusAt(Local(10, 14, 9), Limits).Rectification);
        c.GiveFeedback(Handler, "已补办", null, Local(10, 9, 11));

        Assert.Equal(new CaseDeadlineReport(DeadlineStatus.Done, DeadlineStatus.Done), c.DeadlineStatusAt(Local(10, 14, 9), Limits));
    }

    [Fact]
    public void DeadlineStatusAt_WhileAppealed_RectificationClockKeepsRunning()
    {
        var c = Appealed();

        Assert.Equal(DeadlineStatus.Overdue, c.DeadlineStatusAt(Local(3, 10, 9), Limits).Rectification);
    }

    [Fact]
    public void DeadlineStatusAt_ConfiguredWarningWindow_WarnsEarlier()
    {
        var limits = new CaseTimeLimits(Limits.Calendar, new CaseDeadlinePolicy { RectificationWarningWorkingDays = 3 });
        var c = Assigned(receivedAt: Local(9, 30, 10));

        // Due 10-13. After 10-08 four working days remain (10-09, 10-10, 10-12, 10-13); after 10-09, three.
        Assert.Equal(DeadlineStatus.OnTrack, c.DeadlineStatusAt(Local(10, 8, 9), limits).Rectification);
        Assert.Equal(DeadlineStatus.DueSoon, c.DeadlineStatusAt(Local(10, 9, 9), limits).Rectification);
    }

    [Fact]
    public void CaseTimeLimits_ContradictoryPolicy_Refused()
    {
        Assert.Throws<ArgumentException>(() => new CaseTimeLimits(Limits.Calendar, new CaseDeadlinePolicy { MaxExtendedWorkingDays = 4 }));
    }

    // ---- escalation, roles, audit ----

    [Fact]
    public void Escalate_BySystemWhenOverdue_RecordedStateUnchanged()
    {
        var c = Assigned();

        c.Escalate(Actor.System, "首次回访超时", Local(3, 4, 0, 5));

        Assert.Equal(CaseState.Assigned, c.State);
        Assert.Equal((CaseEventKind.Escalated, CaseRole.System), (c.Events[^1].Kind, c.Events[^1].By.Role));
    }

    [Fact]
    public void Escalate_ByHandlerOrOnAClosedCase_Refused()
    {
        var c = Assigned();
        Refused<CasePermissionException>(c, () => c.Escalate(Handler, "督办", Next()));

        var closed = FeedbackGiven(realName: false);
        Refused<CaseTransitionException>(closed, () => closed.Escalate(Manager, "督办", Next()));
    }

    [Fact]
    public void EveryAction_ByAnAuditor_PermissionDenied()
    {
        var c = Contacted();
        var actions = new Action[]
        {
            () => c.Reassign(Auditor, "YBJ", null, "x", Next()),
            () => c.FixAtOnce(Auditor, "x", null, Next()),
            () => c.RectifyByDeadline(Auditor, "x", new DateOnly(2026, 3, 6), "x", Limits, Next()),
            () => c.Explain(Auditor, "x", "x", Next()),
            () => c.Appeal(Auditor, "x", ["e"], Next()),
            () => c.ExtendRectification(Auditor, new DateOnly(2026, 3, 13), "x", Limits, Next()),
            () => c.GiveFeedback(Auditor, "x", null, Next()),
            () => c.Escalate(Auditor, "x", Next()),
        };

        Assert.All(actions, a => Refused<CasePermissionException>(c, a));
    }

    [Fact]
    public void Action_DatedBeforeTheLastRecord_InvalidInput()
    {
        var c = Assigned();

        var e = Refused<InvalidInputException>(c, () => c.RecordCallback(Handler, CallOutcome.Reached, "核实属实", null, MondayMorning.AddMinutes(-1)));

        Assert.Equal("at", e.Field);
    }

    [Fact]
    public void Events_FullRealNameLoop_OneAuditedRecordPerStepInOrder()
    {
        var c = FeedbackGiven();
        c.RecordSatisfaction(Handler, RaterSatisfaction.Satisfied, "满意", Limits, Next());

        Assert.Equal(
            [
                CaseEventKind.Opened, CaseEventKind.Assigned, CaseEventKind.Contacted,
                CaseEventKind.FixedAtOnce, CaseEventKind.FeedbackGiven, CaseEventKind.SatisfactionRecorded,
            ],
            c.Events.Select(e => e.Kind));
        Assert.Equal(Enumerable.Range(1, 6), c.Events.Select(e => e.Sequence));
        // Each record starts where the previous one left the case, and times never run backwards.
        Assert.All(c.Events.Skip(1).Zip(c.Events), p => Assert.Equal(p.Second.To, p.First.From));
        Assert.All(c.Events.Skip(1).Zip(c.Events), p => Assert.True(p.First.At >= p.Second.At));
        Assert.Equal(CaseState.Closed, c.Events[^1].To);
        Assert.Equal(["system", "m1", "h1", "h1", "h1", "h1"], c.Events.Select(e => e.By.Id));
    }
}
