using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.EnquiryTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>The 办不成事反映 step catalog against the aggregate, as <see cref="CitizenQuestionStepsTests"/> does for questions.</summary>
public class CouldNotBeDoneReportStepsTests
{
    public sealed record Situation(string Name, CouldNotBeDoneReport Report, DateTimeOffset At)
    {
        public override string ToString() => Name;
    }

    private static CouldNotBeDoneReport Copy(CouldNotBeDoneReport r) => CouldNotBeDoneReport.Restore(r.ToSnapshot());

    public static IEnumerable<Situation> Situations()
    {
        yield return new("待回访", Report(), At(3, 2, 11));
        yield return new("待回访 期限已过", Report(), At(3, 10));
        var notReached = Report();
        notReached.RecordCallback(Manager, CallOutcome.NotReached, null, At(3, 2, 11));
        yield return new("待回访 未接通", Copy(notReached), At(3, 3));
        var reached = Copy(notReached);
        reached.RecordCallback(Manager, CallOutcome.Reached, "已了解情况", At(3, 3));
        yield return new("已回访", reached, At(3, 3, 11));
        var escalated = Copy(reached);
        escalated.EscalateOverdue(Actor.System, Limits, At(3, 10));
        yield return new("已回访 已督办", escalated, At(3, 10, 11));
        var concluded = Copy(reached);
        concluded.Conclude(Manager, CouldNotBeDoneOutcome.Resolved, "已协调窗口当场办理", null, Limits, At(3, 3, 11));
        yield return new("已办结", concluded, At(3, 4));
    }

    public static TheoryData<string> SituationNames() => new(Situations().Select(s => s.Name));

    public static TheoryData<string> StepNames() => new(CouldNotBeDoneReportSteps.Catalog.Steps.Select(s => s.Name));

    private static Situation Find(string name) => Situations().Single(s => s.Name == name);

    private static StepInputs Sample(CaseStep<CouldNotBeDoneReport, CouldNotBeDoneState> step, CouldNotBeDoneReport c) => StepCatalogChecks.Sample(step);

    [Fact]
    public void Situations_CoverEveryState()
    {
        Assert.Equal(Enum.GetValues<CouldNotBeDoneState>().Order(), Situations().Select(s => s.Report.State).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(SituationNames))]
    public void AllowedSteps_ForEveryActor_AreExactlyTheStepsTheAggregateAccepts(string situation)
    {
        var s = Find(situation);
        foreach (var actor in Everyone)
        {
            StepCatalogChecks.OfferedIsAccepted(CouldNotBeDoneReportSteps.Catalog, () => Copy(s.Report), c => c.State, c => c.Events.Count, actor,
                Context(s.At), Sample);
        }
    }

    [Theory]
    [MemberData(nameof(StepNames))]
    public void EveryStep_IsOfferedSomewhere_AndRefusesEachMissingRequiredInputByName(string name)
    {
        var step = CouldNotBeDoneReportSteps.Catalog.Find(name)!;
        var (s, actor) = Situations()
            .SelectMany(x => Everyone.Select(a => (Situation: x, Actor: a)))
            .First(x => x.Situation.Report.AllowedSteps(x.Actor, Context(x.Situation.At)).Contains(step));

        StepCatalogChecks.RequiredInputsRefusedByName(step, () => Copy(s.Report), c => c.Events.Count, actor, Context(s.At), Sample);
    }

    [Fact]
    public void DocsStepTable_IsTheCatalog()
    {
        Assert.Contains(
            StepCatalogChecks.StepTable(CouldNotBeDoneReportSteps.Catalog, s => s.Label()),
            StepCatalogChecks.RepositoryFile("docs/rules/questions-and-reports.md"),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Receive_OnMonday_DueFiveWorkingDaysLater()
    {
        Assert.Equal(new DateOnly(2026, 3, 9), Report(At(3, 2)).DueDay);
    }

    [Fact]
    public void Conclude_WithoutACallbackRecorded_IsRefused()
    {
        var r = Report();

        Assert.Throws<CaseTransitionException>(() => r.Conclude(Manager, CouldNotBeDoneOutcome.Explained, "已解释", null, Limits, At(3, 3)));
        Assert.Equal(CouldNotBeDoneState.Received, r.State);
    }

    [Fact]
    public void Conclude_ReferredWithoutWhere_RefusedByName()
    {
        var r = Find("已回访").Report;

        var e = Assert.Throws<InvalidInputException>(
            () => r.Conclude(Manager, CouldNotBeDoneOutcome.Referred, "已转", null, Limits, At(3, 4)));

        Assert.Equal("referred_to", e.Field);
        Assert.Equal(CouldNotBeDoneState.CalledBack, r.State);
    }

    [Fact]
    public void Conclude_AfterDueDay_IsLate()
    {
        var r = Find("已回访").Report;

        r.Conclude(Manager, CouldNotBeDoneOutcome.Referred, "已转市场监管局", "市场监管局", Limits, At(3, 10));

        Assert.True(r.ConcludedLate);
        Assert.Equal(6, r.WorkingDaysTaken);
        Assert.Equal("市场监管局", r.ReferredTo);
    }

    [Fact]
    public void DepartmentHandler_CannotActOnAReport()
    {
        var r = Report();

        Assert.Throws<CasePermissionException>(() => r.RecordCallback(Handler, CallOutcome.Reached, null, At(3, 2, 11)));
    }

    [Theory]
    [InlineData(2026, 3, 3, "happened_on")]
    [InlineData(2025, 11, 1, "happened_on")]
    public void Receive_DayOutOfRange_RefusedByName(int year, int month, int day, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => CouldNotBeDoneReport.Receive(Guid.CreateVersion7(), "HY-ZWFW",
            new CouldNotBeDoneAccount("没办成", null, null, new DateOnly(year, month, day)), At(3, 2), Limits));

        Assert.Equal(field, e.Field);
    }
}
