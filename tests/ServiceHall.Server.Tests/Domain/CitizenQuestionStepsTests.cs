using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.EnquiryTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>
/// The 办事咨询 step catalog against the aggregate (docs/case-steps.md): in every situation and for every kind of actor the steps
/// offered are exactly those accepted; required inputs are refused by name; the docs' table is the catalog; the clock and the
/// FAQ consent behave as docs/rules/questions-and-reports.md says.
/// </summary>
public class CitizenQuestionStepsTests
{
    public sealed record Situation(string Name, CitizenQuestion Question, DateTimeOffset At)
    {
        public override string ToString() => Name;
    }

    private static CitizenQuestion Copy(CitizenQuestion q) => CitizenQuestion.Restore(q.ToSnapshot());

    public static IEnumerable<Situation> Situations()
    {
        yield return new("待交办", Question(), At(3, 2, 11));
        yield return new("待交办 答复期限已过", Question(), At(3, 6));
        var routed = Question();
        routed.Route(Manager, "RSJ", null, At(3, 2, 11));
        yield return new("待答复", Copy(routed), At(3, 3));
        yield return new("待答复 答复期限已过", Copy(routed), At(3, 6));
        var escalated = Copy(routed);
        escalated.EscalateOverdue(Actor.System, Limits, At(3, 6));
        yield return new("待答复 已督办", escalated, At(3, 6, 11));
        var answered = Copy(routed);
        answered.AnswerWith(Handler, "带身份证和居住证明", Limits, At(3, 3));
        yield return new("已答复待审核", answered, At(3, 3, 11));
        var noItem = Question(item: null);
        noItem.Route(Manager, "RSJ", null, At(3, 2, 11));
        noItem.AnswerWith(Handler, "带身份证和居住证明", Limits, At(3, 3));
        yield return new("已答复待审核 未选择事项", noItem, At(3, 3, 11));
        var closed = Copy(answered);
        closed.DeclineFaq(Manager, "过于个别", At(3, 3, 11));
        yield return new("已办结", closed, At(3, 4));
    }

    public static TheoryData<string> SituationNames() => new(Situations().Select(s => s.Name));

    public static TheoryData<string> StepNames() => new(CitizenQuestionSteps.Catalog.Steps.Select(s => s.Name));

    private static Situation Find(string name) => Situations().Single(s => s.Name == name);

    private static StepInputs Sample(CaseStep<CitizenQuestion, CitizenQuestionState> step, CitizenQuestion c) =>
        StepCatalogChecks.Sample(step, i => i.Kind == StepInputKind.Department && c.AssignedDepartmentCode == "RSJ" ? "YBJ" : null);

    [Fact]
    public void Situations_CoverEveryState()
    {
        Assert.Equal(Enum.GetValues<CitizenQuestionState>().Order(), Situations().Select(s => s.Question.State).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(SituationNames))]
    public void AllowedSteps_ForEveryActor_AreExactlyTheStepsTheAggregateAccepts(string situation)
    {
        var s = Find(situation);
        foreach (var actor in Everyone)
        {
            StepCatalogChecks.OfferedIsAccepted(CitizenQuestionSteps.Catalog, () => Copy(s.Question), c => c.State, c => c.Events.Count, actor,
                Context(s.At), Sample);
        }
    }

    [Theory]
    [MemberData(nameof(StepNames))]
    public void EveryStep_IsOfferedSomewhere_AndRefusesEachMissingRequiredInputByName(string name)
    {
        var step = CitizenQuestionSteps.Catalog.Find(name)!;
        var (s, actor) = Situations()
            .SelectMany(x => Everyone.Select(a => (Situation: x, Actor: a)))
            .First(x => x.Situation.Question.AllowedSteps(x.Actor, Context(x.Situation.At)).Contains(step));

        StepCatalogChecks.RequiredInputsRefusedByName(step, () => Copy(s.Question), c => c.Events.Count, actor, Context(s.At), Sample);
    }

    [Fact]
    public void DocsStepTable_IsTheCatalog()
    {
        Assert.Contains(
            StepCatalogChecks.StepTable(CitizenQuestionSteps.Catalog, s => s.Label()),
            StepCatalogChecks.RepositoryFile("docs/rules/questions-and-reports.md"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_OnMonday_AnswerDueThreeWorkingDaysLater()
    {
        var q = Question(at: At(3, 2));

        Assert.Equal(new DateOnly(2026, 3, 5), q.DueDay);
    }

    [Fact]
    public void Receive_OnSaturday_CountsFromMonday()
    {
        var q = Question(at: At(3, 7));

        Assert.Equal(new DateOnly(2026, 3, 9), q.ReceivedDay);
        Assert.Equal(new DateOnly(2026, 3, 12), q.DueDay);
    }

    [Fact]
    public void Answer_AfterDueDay_IsLateWithItsWorkingDays()
    {
        var q = Find("待答复").Question;

        q.AnswerWith(Handler, "带身份证", Limits, At(3, 9));

        Assert.True(q.AnsweredLate);
        Assert.Equal(5, q.WorkingDaysTaken);
    }

    [Fact]
    public void Answer_OnDueDay_IsOnTime()
    {
        var q = Find("待答复").Question;

        q.AnswerWith(Handler, "带身份证", Limits, At(3, 5, 23));

        Assert.False(q.AnsweredLate);
        Assert.Equal(3, q.WorkingDaysTaken);
    }

    [Fact]
    public void Answer_WithoutFaqConsent_ClosesWithoutReview()
    {
        var q = Question(faqConsent: false);
        q.Route(Manager, "RSJ", null, At(3, 2, 11));

        q.AnswerWith(Handler, "带身份证", Limits, At(3, 3));

        Assert.Equal(CitizenQuestionState.Closed, q.State);
        Assert.Empty(q.AllowedSteps(Manager, Context(At(3, 3, 11))));
    }

    [Fact]
    public void OtherDepartmentsHandler_CannotAnswer()
    {
        var q = Find("待答复").Question;

        Assert.Throws<CasePermissionException>(() => q.AnswerWith(OtherHandler, "带身份证", Limits, At(3, 3)));
        Assert.Null(q.Answer);
    }

    [Fact]
    public void EscalateOverdue_OverTheQingmingHoliday_WaitsForTheWorkingDays()
    {
        // Handed in on Thursday 2 April 2026; 4–6 April are days off (清明). Three working days: 3, 7 and 8 April.
        var q = Question(at: At(4, 2));
        q.Route(Manager, "RSJ", null, At(4, 2, 11));
        Assert.Equal(new DateOnly(2026, 4, 8), q.DueDay);

        // Past three calendar days and past a plain weekend count, but not past the working days: nothing to escalate.
        Assert.DoesNotContain(CitizenQuestionSteps.EscalateOverdue, q.AllowedSteps(Actor.System, Context(At(4, 7, 23))));
        Assert.DoesNotContain(CitizenQuestionSteps.EscalateOverdue, q.AllowedSteps(Actor.System, Context(At(4, 8, 23))));
        Assert.Throws<CaseTransitionException>(() => q.EscalateOverdue(Actor.System, Limits, At(4, 8, 23)));

        Assert.Contains(CitizenQuestionSteps.EscalateOverdue, q.AllowedSteps(Actor.System, Context(At(4, 9, 0))));
        q.EscalateOverdue(Actor.System, Limits, At(4, 9, 0));
        Assert.True(q.Escalated);
        Assert.Contains("2026-04-08", q.Events[^1].Note, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptAsFaq_OffersTheCitizensWordsAndTheAnswerToEdit_AndIsRefusedWithoutAnItem()
    {
        var q = Find("已答复待审核").Question;
        var describe = CitizenQuestionSteps.AcceptAsFaq.Describe;
        Assert.Equal(q.Asked.Text, describe(q, Context(At(3, 3, 11)), "faq_question")?.Default);
        Assert.Equal("带身份证和居住证明", describe(q, Context(At(3, 3, 11)), "faq_answer")?.Default);

        var noItem = Find("已答复待审核 未选择事项").Question;
        var e = Assert.Throws<CaseTransitionException>(() => noItem.AcceptAsFaq(Manager, "问", "答", At(3, 4)));
        Assert.Contains("未选择事项", e.Message, StringComparison.Ordinal);
        Assert.Null(noItem.Faq);
    }

    [Fact]
    public void EscalateOverdue_BeforeDueDayEnds_IsRefused()
    {
        var q = Find("待答复").Question;

        var e = Assert.Throws<CaseTransitionException>(() => q.EscalateOverdue(Actor.System, Limits, At(3, 5, 23)));

        Assert.Contains("未过", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptAsFaq_KeepsTheEditedEntry()
    {
        var q = Find("已答复待审核").Question;

        q.AcceptAsFaq(Manager, "办理居住证需要什么材料？", "身份证和居住证明。", At(3, 4));

        Assert.Equal(new FaqEntry("办理居住证需要什么材料？", "身份证和居住证明。"), q.Faq);
        Assert.Equal(CitizenQuestionState.Closed, q.State);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Receive_EmptyQuestion_RefusedByName(string text)
    {
        var e = Assert.Throws<InvalidInputException>(() => CitizenQuestion.Receive(
            Guid.CreateVersion7(), PickupCode.New(), "HY-ZWFW", new QuestionAsked(text, null, false), false, At(3, 2), Limits));

        Assert.Equal("text", e.Field);
    }

    [Fact]
    public void PickupCode_IsRandomFromTheUnambiguousAlphabet()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => PickupCode.New()).ToList();

        Assert.All(codes, c => Assert.Matches("^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Theory]
    [InlineData("ab2c-3d4e", "AB2C3D4E")]
    [InlineData(" AB2C 3D4E ", "AB2C3D4E")]
    [InlineData("AB2C3D4O", null)]
    [InlineData("AB2C3D4", null)]
    [InlineData("", null)]
    public void PickupCode_Normalize_FoldsWhatIsTypedOrRefuses(string typed, string? expected)
    {
        Assert.Equal(expected, PickupCode.Normalize(typed));
    }
}
