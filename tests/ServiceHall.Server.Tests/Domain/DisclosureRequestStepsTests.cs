using System.Globalization;
using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.DisclosureTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>
/// The 依申请公开 step catalog against the aggregate: for every situation a request can be in and every kind of actor, the steps
/// offered are exactly the steps the aggregate accepts, each leads only to a state it declares, and each input the catalog
/// calls required is refused by name when missing.
/// </summary>
public class DisclosureRequestStepsTests
{
    private static readonly Actor[] Everyone =
    [
        Office, Holder, new("h2", CaseRole.DepartmentHandler, "YBJ"), new("m1", CaseRole.HallManager), new("s1", CaseRole.Supervisor),
        new("a1", CaseRole.Auditor), Actor.System,
    ];

    public sealed record Situation(string Name, DisclosureRequest Request, DateTimeOffset At)
    {
        public override string ToString() => Name;
    }

    private sealed class Walk
    {
        private DateTimeOffset _at = At(3, 2);

        public DisclosureRequest Request { get; } = Received(At(3, 2));

        public DateTimeOffset Next() => _at = _at.AddMinutes(10);

        public Situation Now(string name) => new(name, Copy(Request), _at.AddMinutes(10));

        public Walk Registered()
        {
            Request.Register(Office, null, Next());
            return this;
        }

        public Walk Assigned()
        {
            Registered();
            Request.Assign(Office, "RSJ", null, null, Next());
            return this;
        }

        public Walk Consulting()
        {
            Assigned();
            Request.Consult(Holder, ConsultedParty.ThirdParty, "某公司", "是否同意公开", Limits, Next());
            return this;
        }

        public Walk Drafted()
        {
            Assigned();
            Request.DraftReplyWith(Holder, DisclosureOutcome.PartlyDisclosed, "部分公开", "第三方商业秘密", Next());
            return this;
        }

        public Walk Approved()
        {
            Drafted();
            Request.ApproveReply(Office, "王主任", null, Next());
            return this;
        }

        public Walk Sent()
        {
            Approved();
            Request.SendReply(Office, DeliveryMethod.Collect, null, Limits, Next());
            return this;
        }
    }

    private static DisclosureRequest Copy(DisclosureRequest r) => DisclosureRequest.Restore(r.ToSnapshot());

    public static IEnumerable<Situation> Situations()
    {
        yield return new Walk().Now("待登记");
        yield return new Walk().Registered().Now("已登记");
        var lateForSupplement = new Walk().Registered();
        yield return lateForSupplement.Now("已登记 补正告知期已过") with { At = At(3, 12) };

        var awaiting = new Walk().Registered();
        awaiting.Request.RequestSupplement(Office, "请写明文件名称", new DateOnly(2026, 3, 9), Limits, awaiting.Next());
        yield return awaiting.Now("待补正");
        yield return awaiting.Now("待补正 期限已过") with { At = At(3, 10) };

        var supplemented = new Walk().Registered();
        supplemented.Request.RequestSupplement(Office, "请写明文件名称", new DateOnly(2026, 3, 9), Limits, supplemented.Next());
        supplemented.Request.RecordSupplement(Office, "文件名称", Limits, supplemented.Next());
        yield return supplemented.Now("已登记 已补正");

        yield return new Walk().Assigned().Now("承办中");
        var extended = new Walk().Assigned();
        extended.Request.Extend(Office, new DateOnly(2026, 4, 1), "王主任", "复杂", "电话告知", Limits, extended.Next());
        yield return extended.Now("承办中 已延期");
        var overdue = new Walk().Assigned();
        yield return overdue.Now("承办中 答复期限已过") with { At = At(4, 1) };

        yield return new Walk().Consulting().Now("征求意见中");
        var two = new Walk().Consulting();
        two.Request.Consult(Office, ConsultedParty.OtherAgency, "市自然资源局", "是否由其公开", Limits, two.Next());
        yield return two.Now("征求意见中 两方");

        yield return new Walk().Drafted().Now("答复待审批");
        yield return new Walk().Approved().Now("答复待送达");
        yield return new Walk().Sent().Now("已答复");
        var closed = new Walk().Sent();
        closed.Request.Close(Office, null, closed.Next());
        yield return closed.Now("已办结");
        var lapsed = new Walk().Registered();
        lapsed.Request.RequestSupplement(Office, "请写明文件名称", new DateOnly(2026, 3, 9), Limits, lapsed.Next());
        lapsed.Request.Lapse(Office, null, Limits, At(3, 10));
        yield return lapsed.Now("逾期未补正") with { At = At(3, 10, 11) };
    }

    public static TheoryData<string> SituationNames() => new(Situations().Select(s => s.Name));

    public static TheoryData<string> StepNames() => new(DisclosureRequestSteps.Catalog.Steps.Select(s => s.Name));

    private static Situation Find(string name) => Situations().Single(s => s.Name == name);

    private static StepContext Context(DateTimeOffset at) => new(at) { DisclosureLimits = Limits };

    [Fact]
    public void Situations_CoverEveryState()
    {
        Assert.Equal(Enum.GetValues<DisclosureRequestState>().Order(), Situations().Select(s => s.Request.State).Distinct().Order());
    }

    [Theory]
    [MemberData(nameof(SituationNames))]
    public void AllowedSteps_ForEveryActor_AreExactlyTheStepsTheAggregateAccepts(string situation)
    {
        var s = Find(situation);
        var context = Context(s.At);
        foreach (var actor in Everyone)
        {
            var offered = Copy(s.Request).AllowedSteps(actor, context).Select(x => x.Name).ToList();
            var accepted = new List<string>();
            foreach (var step in DisclosureRequestSteps.Catalog.Steps)
            {
                var c = Copy(s.Request);
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
                Assert.Equal(s.Request.Events.Count + 1, c.Events.Count);
            }

            Assert.True(offered.SequenceEqual(accepted),
                $"{actor.Role} {actor.DepartmentCode}: offered [{string.Join(", ", offered)}], accepted [{string.Join(", ", accepted)}]");
        }
    }

    [Theory]
    [MemberData(nameof(StepNames))]
    public void EveryStep_IsOfferedSomewhere_AndRefusesEachMissingRequiredInputByName(string name)
    {
        var step = DisclosureRequestSteps.Catalog.Find(name)!;
        var (s, actor) = Situations()
            .SelectMany(x => Everyone.Select(a => (Situation: x, Actor: a)))
            .First(x => x.Situation.Request.AllowedSteps(x.Actor, Context(x.Situation.At)).Contains(step));
        var context = Context(s.At);

        foreach (var input in step.Inputs)
        {
            var c = Copy(s.Request);
            var all = SampleInputs(step, c, context);
            var without = new StepInputs(step.Inputs.Where(i => i != input).ToDictionary(i => i.Name, i => all.List(i.Name)));
            if (input.Required)
            {
                var e = Assert.Throws<InvalidInputException>(() => step.Take(c, actor, without, context));
                Assert.Equal(input.Name, e.Field);
                Assert.Equal(s.Request.Events.Count, c.Events.Count);
            }
            else
            {
                step.Take(c, actor, without, context);
                Assert.Equal(s.Request.Events.Count + 1, c.Events.Count);
            }
        }
    }

    [Fact]
    public void DraftReply_RefusalWithoutLegalBasis_RefusedByName()
    {
        var s = Find("承办中");

        var e = Assert.Throws<InvalidInputException>(
            () => s.Request.DraftReplyWith(Holder, DisclosureOutcome.NotDisclosedStateSecret, "不予公开", null, s.At));

        Assert.Equal("legal_basis", e.Field);
        Assert.Equal(DisclosureRequestState.Assigned, s.Request.State);
    }

    [Fact]
    public void OtherDepartmentsHandler_CannotTouchTheRequest()
    {
        var s = Find("承办中");

        Assert.Throws<CasePermissionException>(() => s.Request.DraftReplyWith(
            new Actor("h2", CaseRole.DepartmentHandler, "YBJ"), DisclosureOutcome.Disclosed, "予以公开", null, s.At));
    }

    [Fact]
    public void OutcomeChoices_AreEveryRowOfTheReport()
    {
        Assert.Equal(21, DisclosureRequestSteps.Outcomes.Choices.Count);
        Assert.Equal(DisclosureOutcomes.All.Count, DisclosureRequestSteps.Outcomes.Choices.Select(c => c.Value).Distinct().Count());
        Assert.Equal(8, DisclosureOutcomes.All.Count(o => o.Category() == DisclosureOutcomeCategory.NotDisclosed));
        Assert.Equal(3, DisclosureOutcomes.All.Count(o => o.Category() == DisclosureOutcomeCategory.CannotProvide));
        Assert.Equal(5, DisclosureOutcomes.All.Count(o => o.Category() == DisclosureOutcomeCategory.NotHandled));
        Assert.Equal(3, DisclosureOutcomes.All.Count(o => o.Category() == DisclosureOutcomeCategory.Other));
    }

    [Fact]
    public void DocsStepTable_IsTheCatalog()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ServiceHall.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("ServiceHall.sln not found above the test's folder");
        }

        var doc = File.ReadAllText(Path.Combine(root.FullName, "docs", "rules", "disclosure-requests.md"));

        Assert.Contains(StepTable(), doc, StringComparison.Ordinal);
    }

    /// <summary>The catalog as the Markdown table of docs/rules/disclosure-requests.md.</summary>
    internal static string StepTable()
    {
        static string Who(StepActors who) => string.Join("、", new[]
        {
            (StepActors.DisclosureOffice, "政务公开工作机构"), (StepActors.AssignedHandler, "承办部门经办人"), (StepActors.System, "系统"),
        }.Where(x => who.HasFlag(x.Item1)).Select(x => x.Item2));
        static string States(IEnumerable<DisclosureRequestState> states) => string.Join("、", states.Select(s => s.Label()));
        var lines = new List<string>
        {
            "| step | 操作 | who | from | to | inputs (* required) |",
            "|---|---|---|---|---|---|",
        };
        lines.AddRange(DisclosureRequestSteps.Catalog.Steps.Select(step =>
            $"| `{step.Name}` | {step.Label} | {Who(step.Who)} | {States(step.From)} | {(step.To.Count == 0 ? "（不变）" : States(step.To))} | "
            + string.Join(", ", step.Inputs.Select(i => $"`{i.Name}`{(i.Required ? "*" : "")}")) + " |"));
        return string.Join("\n", lines);
    }

    private static StepInputs SampleInputs(CaseStep<DisclosureRequest, DisclosureRequestState> step, DisclosureRequest c, StepContext context) =>
        new(step.Inputs.ToDictionary(i => i.Name, i => (IReadOnlyList<string>)[Sample(step, i, c, context)]));

    private static string Sample(CaseStep<DisclosureRequest, DisclosureRequestState> step, StepInput input, DisclosureRequest c, StepContext context) =>
        input.Kind switch
        {
            StepInputKind.Text when input.Name == "party" && step.Name == "record_opinion" =>
                c.Consultations.FirstOrDefault(x => x.AnsweredDay is null)?.Party ?? "某公司",
            StepInputKind.Text when input.Name == "party" => $"第三方{c.Events.Count}",
            StepInputKind.Text or StepInputKind.LongText => "说明",
            StepInputKind.Department => "RSJ",
            StepInputKind.StaffId => "S02",
            StepInputKind.Choice => input.Choices[0].Value,
            StepInputKind.Evidence => "evidence/1.pdf",
            StepInputKind.Day => (step.Describe(c, context, input.Name)?.MaxDay ?? Limits.Calendar.LocalDate(context.At))
                .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, null),
        };
}
