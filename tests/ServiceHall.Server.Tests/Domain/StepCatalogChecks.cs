using System.Globalization;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>
/// The checks every case type's step catalog must pass against its aggregate (docs/case-steps.md): the steps offered are the
/// steps accepted, each accepted step leads only to a state it declares and appends one record, each required input is
/// refused by name when missing, and the docs' step table is the catalog.
/// </summary>
internal static class StepCatalogChecks
{
    /// <summary>Offered == accepted for <paramref name="actor"/> on a copy of the case at <paramref name="context"/>.</summary>
    public static void OfferedIsAccepted<TCase, TState>(
        CaseStepCatalog<TCase, TState> catalog, Func<TCase> copy, Func<TCase, TState> stateOf, Func<TCase, int> records, Actor actor,
        StepContext context, Func<CaseStep<TCase, TState>, TCase, StepInputs> sample)
        where TCase : IWorkedCase
        where TState : struct, Enum
    {
        var original = copy();
        var offered = catalog.Allowed(copy(), actor, context).Select(x => x.Name).ToList();
        var accepted = new List<string>();
        foreach (var step in catalog.Steps)
        {
            var c = copy();
            var before = stateOf(c);
            try
            {
                step.Take(c, actor, sample(step, c), context);
            }
            catch (Exception e) when (e is CasePermissionException or CaseTransitionException)
            {
                continue;
            }

            accepted.Add(step.Name);
            Assert.True(
                step.To.Count == 0 ? EqualityComparer<TState>.Default.Equals(stateOf(c), before) : step.To.Contains(stateOf(c)),
                $"{step.Name} led from {before} to {stateOf(c)}, not to a state it declares");
            Assert.Equal(records(original) + 1, records(c));
        }

        Assert.True(offered.SequenceEqual(accepted),
            $"{actor.Role} {actor.DepartmentCode}: offered [{string.Join(", ", offered)}], accepted [{string.Join(", ", accepted)}]");
    }

    /// <summary>Each required input of the step is refused by name when missing (changing nothing); each optional one may be left out.</summary>
    public static void RequiredInputsRefusedByName<TCase, TState>(
        CaseStep<TCase, TState> step, Func<TCase> copy, Func<TCase, int> records, Actor actor, StepContext context,
        Func<CaseStep<TCase, TState>, TCase, StepInputs> sample)
        where TCase : IWorkedCase
        where TState : struct, Enum
    {
        var before = records(copy());
        foreach (var input in step.Inputs)
        {
            var c = copy();
            var all = sample(step, c);
            var without = new StepInputs(step.Inputs.Where(i => i != input).ToDictionary(i => i.Name, i => all.List(i.Name)));
            if (input.Required)
            {
                var e = Assert.Throws<InvalidInputException>(() => step.Take(c, actor, without, context));
                Assert.Equal(input.Name, e.Field);
                Assert.Equal(before, records(c));
            }
            else
            {
                step.Take(c, actor, without, context);
                Assert.Equal(before + 1, records(c));
            }
        }
    }

    /// <summary>A value of each input that the step accepts when nothing else is wrong.</summary>
    public static StepInputs Sample<TCase, TState>(CaseStep<TCase, TState> step, Func<StepInput, string?>? special = null)
        where TCase : IWorkedCase
        where TState : struct, Enum =>
        new(step.Inputs.ToDictionary(i => i.Name, i => (IReadOnlyList<string>)[special?.Invoke(i) ?? i.Kind switch
        {
            StepInputKind.Text or StepInputKind.LongText => "说明",
            StepInputKind.Department => "RSJ",
            StepInputKind.StaffId => "S02",
            StepInputKind.Choice => i.Choices[0].Value,
            StepInputKind.Evidence => "evidence/1.pdf",
            StepInputKind.Day => new DateOnly(2026, 3, 2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => throw new ArgumentOutOfRangeException(nameof(step), i.Kind, null),
        }]));

    /// <summary>The catalog as the Markdown table a rules page shows.</summary>
    public static string StepTable<TCase, TState>(CaseStepCatalog<TCase, TState> catalog, Func<TState, string> label)
        where TCase : IWorkedCase
        where TState : struct, Enum
    {
        static string Who(StepActors who) => string.Join("、", new[]
        {
            (StepActors.HallManager, "大厅负责人"), (StepActors.AssignedHandler, "承办部门经办人"), (StepActors.Supervisor, "督办人员"),
            (StepActors.DisclosureOffice, "政务公开工作机构"), (StepActors.System, "系统"),
        }.Where(x => who.HasFlag(x.Item1)).Select(x => x.Item2));
        string States(IEnumerable<TState> states) => string.Join("、", states.Select(label));
        var lines = new List<string>
        {
            "| step | 操作 | who | from | to | inputs (* required) |",
            "|---|---|---|---|---|---|",
        };
        lines.AddRange(catalog.Steps.Select(step =>
            $"| `{step.Name}` | {step.Label} | {Who(step.Who)} | {States(step.From)} | {(step.To.Count == 0 ? "（不变）" : States(step.To))} | "
            + string.Join(", ", step.Inputs.Select(i => $"`{i.Name}`{(i.Required ? "*" : "")}")) + " |"));
        return string.Join("\n", lines);
    }

    /// <summary>The text of a file of the repository, e.g. "docs/rules/questions-and-reports.md".</summary>
    public static string RepositoryFile(string relativePath)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "ServiceHall.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("ServiceHall.sln not found above the test's folder");
        }

        return File.ReadAllText(Path.Combine(root.FullName, relativePath));
    }
}
