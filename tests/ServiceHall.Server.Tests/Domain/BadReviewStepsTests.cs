using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.CaseTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>
/// The step catalog against the aggregate: for every situation a case can be in and every kind of actor, the steps
/// offered are exactly the steps the aggregate accepts, each leads only to the states it declares, and each input the
/// catalog calls required is refused by name when missing.
/// </summary>
public class BadReviewStepsTests
{
    private static readonly Actor[] Everyone =
    [
        Manager, Handler, new("h2", CaseRole.DepartmentHandler, "YBJ"), new("s1", CaseRole.Supervisor),
        new("a1", CaseRole.Auditor), Actor.System,
    ];

    /// <summary>A case in one situation, and when the next step is tried.</summary>
    public sealed record Situation(string Name, BadReviewCase Case, DateTimeOffset At)
    {
        public override string ToString() => Name;
    }

    private sealed class Walk(bool realName)
    {
        private DateTimeOffset _at = MondayMorning;

        public BadReviewCase Case { get; } = BadReviewCase.Open(Guid.CreateVersion7(), Rating(realName), Limits);

        public DateTimeOffset Next() => _at = _at.AddMinutes(10);

        public Situation Now(string name) => new(name, BadReviewCase.Restore(Case.ToSnapshot()), _at.AddMinutes(10));

        public Walk Assigned()
        {
            Case.Assign(Manager, "RSJ", null, null, Next());
            return this;
        }

        public Walk Contacted()
        {
            Assigned();
            if (Case.IsRealName)
            {
                Case.RecordCallback(Handler, CallOutcome.Reached, "核实属实", null, Next());
            }
            else
            {
                Case.SkipCallbackAnonymous(Handler, Next());
            }

            return this;
        }

        public Walk Appealed()
        {
            Contacted();
            Case.Appeal(Handler, "评价对象有误", ["evidence/log.pdf"], Next());
            return this;
        }

        public Walk FeedbackGiven()
        {
            Contacted();
            Case.FixAtOnce(Handler, "增开窗口", null, Next());
            Case.GiveFeedback(Handler, "已告知", null, Next());
            return this;
        }
    }

    private static Rating Rating(bool realName) => new(
        Id: Guid.CreateVersion7(), TransactionNumber: null, HallCode: TestCatalog.HallCode, RegionCode: "370104", WindowCode: "A01",
        ServiceItemCode: "ITEM-SB", DepartmentCode: "RSJ", StaffId: "S01", Channel: RatingChannel.HallTerminal,
        Level: RatingLevel.Dissatisfied, ReasonTagCodes: ["SLOW"], ReasonTagListVersion: "T1", Text: "等了一个小时",
        RatedAt: MondayMorning.AddSeconds(-2), ReceivedAt: MondayMorning, CallbackPhone: realName ? "13812341234" : null,
        DeviceId: "kiosk-01");

    /// <summary>Every state, and the variants within a state that a step's condition looks at.</summary>
    public static IEnumerable<Situation> Situations()
    {
        foreach (var realName in new[] { true, false })
        {
            var who = realName ? "实名" : "匿名";
            yield return new Walk(realName).Now($"{who} 待分派");
            yield return new Walk(realName).Assigned().Now($"{who} 已分派");
            yield return new Walk(realName).Contacted().Now($"{who} 已回访");
            var feedback = new Walk(realName).FeedbackGiven();
            yield return feedback.Now($"{who} 反馈后");
        }

        var notReached = new Walk(true).Assigned();
        notReached.Case.RecordCallback(Handler, CallOutcome.NotReached, null, null, notReached.Next());
        yield return notReached.Now("实名 已分派 一次未接通");
        for (var i = 1; i < Limits.Policy.CallAttemptsBeforeGivingUp; i++)
        {
            notReached.Case.RecordCallback(Handler, CallOutcome.NotReached, null, null, notReached.Next());
        }

        yield return notReached.Now("实名 已分派 多次未接通");

        var refused = new Walk(true).Assigned();
        refused.Case.RecordCallback(Handler, CallOutcome.Refused, null, null, refused.Next());
        yield return refused.Now("实名 已分派 拒绝回访");

        var late = new Walk(true).Assigned();
        yield return late.Now("实名 已分派 办理时限已过") with { At = late.Case.Deadlines.RectificationDue.AddDays(1) };

        var extended = new Walk(true).Contacted();
        extended.Case.ExtendRectification(Handler, extended.Case.Deadlines.ExtensionLimitDay, "情况复杂", Limits, extended.Next());
        yield return extended.Now("实名 已回访 已延期");

        var fixedAtOnce = new Walk(true).Contacted();
        fixedAtOnce.Case.FixAtOnce(Handler, "增开窗口", null, fixedAtOnce.Next());
        yield return fixedAtOnce.Now("立行立改");

        var rectifying = new Walk(true).Contacted();
        rectifying.Case.RectifyByDeadline(Handler, "需采购设备", rectifying.Case.Deadlines.RectificationDueDay, "台账 1 号", Limits, rectifying.Next());
        yield return rectifying.Now("限期整改中");

        var explained = new Walk(true).Contacted();
        explained.Case.Explain(Handler, "《条例》第十条", "依规须本人到场", explained.Next());
        yield return explained.Now("已解释说明");

        yield return new Walk(true).Appealed().Now("申诉中");

        var upheld = new Walk(true).Appealed();
        upheld.Case.UpholdAppeal(new("s1", CaseRole.Supervisor), AppealFinding.Misrated, "属误评", upheld.Next());
        yield return upheld.Now("申诉成立");

        var rejected = new Walk(true).Appealed();
        rejected.Case.RejectAppeal(new("s1", CaseRole.Supervisor), "理由不成立", rejected.Next());
        yield return rejected.Now("申诉被驳回");

        var closedReal = new Walk(true).FeedbackGiven();
        closedReal.Case.RecordSatisfaction(Handler, RaterSatisfaction.Satisfied, null, Limits, closedReal.Next());
        yield return closedReal.Now("实名 已办结");
        var closedAnonymous = new Walk(false).FeedbackGiven();
        yield return closedAnonymous.Now("匿名 已办结");
    }

    public static TheoryData<string> SituationNames() => new(Situations().Select(s => s.Name));

    public static TheoryData<string> StepNames() => new(BadReviewSteps.Catalog.Steps.Select(s => s.Name));

    private static Situation Find(string name) => Situations().Single(s => s.Name == name);

    /// <summary>Valid inputs for the step on this case, read from its declared inputs and their bounds.</summary>
    private static StepInputs SampleInputs(CaseStep<BadReviewCase, CaseState> step, BadReviewCase c, StepContext context) =>
        new(step.Inputs.ToDictionary(i => i.Name, i => (IReadOnlyList<string>)[Sample(step, i, c, context)]));

    private static string Sample(CaseStep<BadReviewCase, CaseState> step, StepInput input, BadReviewCase c, StepContext context) => input.Kind switch
    {
        StepInputKind.Text or StepInputKind.LongText => "说明",
        StepInputKind.Department => c.AssignedDepartmentCode == "RSJ" ? "YBJ" : "RSJ",
        StepInputKind.StaffId => "S02",
        StepInputKind.Handler => "h2",
        StepInputKind.Choice => input.Choices[0].Value,
        StepInputKind.Evidence => "evidence/1.pdf",
        StepInputKind.Day => (step.Describe(c, context, input.Name)?.MaxDay ?? context.Limits!.Calendar.LocalDate(context.At))
            .ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, null),
    };

    private static BadReviewCase Copy(BadReviewCase c) => BadReviewCase.Restore(c.ToSnapshot());

    [Fact]
    public void Situations_CoverEveryState()
    {
        Assert.Equal(Enum.GetValues<CaseState>().Order(), Situations().Select(s => s.Case.State).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(SituationNames))]
    public void AllowedSteps_ForEveryActor_AreExactlyTheStepsTheAggregateAccepts(string situation)
    {
        var s = Find(situation);
        var context = new StepContext(s.At, Limits);
        foreach (var actor in Everyone)
        {
            var offered = Copy(s.Case).AllowedSteps(actor, context).Select(x => x.Name).ToList();
            var accepted = new List<string>();
            foreach (var step in BadReviewSteps.Catalog.Steps)
            {
                var c = Copy(s.Case);
                var before = c.State;
                try
                {
                    step.Take(c, actor, SampleInputs(step, c, context), context);
                }
                catch (Exception e) when (e is CasePermissionException or CaseTransitionException)
                {
                    continue;
                }

                accepted.Add(step.Name);
                Assert.True(
                    step.To.Count == 0 ? c.State == before : step.To.Contains(c.State),
                    $"{step.Name} led from {before} to {c.State}, not to a state it declares");
            }

            Assert.True(offered.SequenceEqual(accepted), $"{actor.Role} {actor.DepartmentCode}: offered [{string.Join(", ", offered)}], accepted [{string.Join(", ", accepted)}]");
        }
    }

    [Theory]
    [MemberData(nameof(StepNames))]
    public void EveryStep_IsOfferedSomewhere_AndRefusesEachMissingRequiredInputByName(string name)
    {
        var step = BadReviewSteps.Catalog.Find(name)!;
        var (s, actor) = Situations()
            .SelectMany(x => Everyone.Select(a => (Situation: x, Actor: a)))
            .First(x => step.IsTakenBy(x.Situation.Case, x.Actor)
                && x.Situation.Case.AllowedSteps(x.Actor, new(x.Situation.At, Limits)).Contains(step));
        var context = new StepContext(s.At, Limits);

        foreach (var input in step.Inputs)
        {
            var c = Copy(s.Case);
            var all = SampleInputs(step, c, context);
            var without = new StepInputs(step.Inputs.Where(i => i != input)
                .ToDictionary(i => i.Name, i => all.List(i.Name)));
            // Required for one value of another input (the verification of a reached callback): required with the samples.
            var requiredNow = input.Required
                || (input.RequiredWhen is { } when && all.Text(when.Input) == when.Value);
            if (requiredNow)
            {
                var e = Assert.Throws<InvalidInputException>(() => step.Take(c, actor, without, context));
                Assert.Equal(input.Name, e.Field);
                Assert.Equal(s.Case.Events.Count, c.Events.Count);
            }
            else
            {
                step.Take(c, actor, without, context);
                Assert.Equal(s.Case.Events.Count + 1, c.Events.Count);
            }
        }
    }

    [Fact]
    public void Take_UnknownStepOrInput_RefusedWithTheField()
    {
        var s = Find("实名 待分派");
        var context = new StepContext(s.At, Limits);

        var unknownStep = Assert.Throws<InvalidInputException>(
            () => BadReviewSteps.Catalog.Take(s.Case, "approve", Manager, StepInputs.None, context));
        var unknownInput = Assert.Throws<InvalidInputException>(() => BadReviewSteps.Catalog.Take(
            s.Case, "assign", Manager, new(new Dictionary<string, IReadOnlyList<string>> { ["department_code"] = ["RSJ"], ["colour"] = ["red"] }), context));
        var ownCall = Assert.Throws<InvalidInputException>(
            () => BadReviewSteps.Catalog.Take(Find("实名 已分派").Case, "reveal_contact", Handler, StepInputs.None, context));

        Assert.Equal("step", unknownStep.Field);
        Assert.Equal("colour", unknownInput.Field);
        Assert.Equal("step", ownCall.Field);
        Assert.Equal(CaseState.New, s.Case.State);
    }

    [Fact]
    public void Take_RefusedActor_BeforeItsInputsAreRead()
    {
        var s = Find("实名 已回访");

        // A bad day from someone who may not take the step at all is a permission refusal, not an input error.
        Assert.Throws<CasePermissionException>(() => BadReviewSteps.Catalog.Take(
            s.Case, "rectify_by_deadline", Manager,
            new(new Dictionary<string, IReadOnlyList<string>> { ["due_day"] = ["not a day"] }), new(s.At, Limits)));
    }

    [Fact]
    public void ExpectedSteps_EveryOpenStateWaitsForAStepItIsOpenFrom()
    {
        foreach (var step in BadReviewSteps.Catalog.Steps)
        {
            Assert.All(step.ExpectedIn, state => Assert.Contains(state, step.From));
        }

        var awaited = BadReviewSteps.Catalog.Steps.SelectMany(s => s.ExpectedIn).ToHashSet();
        Assert.Equal(Enum.GetValues<CaseState>().Where(s => s != CaseState.Closed).Order(), awaited.Order());
        Assert.True(BadReviewSteps.Catalog.IsExpected(BadReviewSteps.Assign, Find("实名 待分派").Case));
        Assert.False(BadReviewSteps.Catalog.IsExpected(BadReviewSteps.Escalate, Find("实名 待分派").Case));
        Assert.True(BadReviewSteps.Catalog.IsExpected(BadReviewSteps.RecordCallback, Find("实名 已分派").Case));
        Assert.True(BadReviewSteps.Catalog.IsExpected(BadReviewSteps.SkipCallbackAnonymous, Find("匿名 已分派").Case));
    }

    [Fact]
    public void Assign_DepartmentDefaultsToTheOneTheRatingWasRoutedTo()
    {
        var s = Find("实名 待分派");

        var bounds = BadReviewSteps.Assign.Describe(s.Case, new StepContext(s.At, Limits), "department_code");

        Assert.Equal("RSJ", bounds?.Default);
        Assert.Equal(s.Case.DepartmentCode, bounds?.Default);
    }

    [Fact]
    public void DocsStepTable_IsTheCatalog()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ServiceHall.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("ServiceHall.sln not found above the test's folder");
        }

        var doc = File.ReadAllText(Path.Combine(root.FullName, "docs", "case-steps.md"));

        Assert.Contains(StepTable(), doc, StringComparison.Ordinal);
    }

    /// <summary>The catalog as the Markdown table of docs/case-steps.md (regenerate the table from this when a step changes).</summary>
    private static string StepTable()
    {
        static string Who(StepActors who) => string.Join("、", new[]
        {
            (StepActors.HallManager, "大厅负责人"), (StepActors.AssignedHandler, "承办部门经办人"), (StepActors.Supervisor, "督办人员"),
            (StepActors.System, "系统"),
        }.Where(x => who.HasFlag(x.Item1)).Select(x => x.Item2));
        static string States(IEnumerable<CaseState> states) => string.Join("、", states.Select(s => s.Label()));
        var lines = new List<string>
        {
            "| step | 操作 | who | from | to | next step in | inputs (* required) |",
            "|---|---|---|---|---|---|---|",
        };
        static string Input(StepInput i) => $"`{i.Name}`" + (i.Required ? "*" : i.RequiredWhen is { } when ? $"（{when.Input}={when.Value} 时必填）" : "");
        lines.AddRange(BadReviewSteps.Catalog.Steps.Select(step =>
            $"| `{step.Name}` | {step.Label} | {Who(step.Who)} | {States(step.From)} | {(step.To.Count == 0 ? "（不变）" : States(step.To))} | "
            + $"{States(step.ExpectedIn)} | "
            + string.Join(", ", step.Inputs.Select(Input)) + " |"));
        return string.Join("\n", lines);
    }
}
