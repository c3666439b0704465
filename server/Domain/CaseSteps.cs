using System.Globalization;

namespace ServiceHall.Server.Domain;

/// <summary>
/// The machinery every kind of case shares (docs/case-steps.md): each step of a case type is declared
/// once in that type's catalog — its name and label, who may take it, the states it may start from, the states it
/// leads to and the inputs it needs — and everything else is derived from that entry: the guard the aggregate runs
/// before the step, the list of steps offered to a member of staff, the gRPC mapping and the console's form.
/// </summary>
/// <remarks>
/// A guard checks, in this order, who acts (<see cref="CasePermissionException"/>), whether the current state and the
/// step's own condition allow it (<see cref="CaseTransitionException"/>); the step's behaviour then checks its inputs
/// (<see cref="InvalidInputException"/>). A refused step changes nothing.
/// </remarks>
public interface IWorkedCase
{
    Guid Id { get; }

    /// <summary>The current state's label, for refusals ("当前状态为“已办结”").</summary>
    string StateLabel { get; }

    /// <summary>The department answering for the case now; its handlers are the case's <see cref="StepActors.AssignedHandler"/>.</summary>
    string? AssignedDepartmentCode { get; }
}

/// <summary>Who may take a step.</summary>
[Flags]
public enum StepActors
{
    None = 0,

    /// <summary>A hall manager (大厅负责人).</summary>
    HallManager = 1,

    /// <summary>A department handler of the department the case is assigned to ("谁办理、谁负责").</summary>
    AssignedHandler = 2,

    /// <summary>A supervisor (rules on appeals).</summary>
    Supervisor = 4,

    /// <summary>The server itself (the overdue job).</summary>
    System = 8,

    /// <summary>The 政务公开 office (information-disclosure requests).</summary>
    DisclosureOffice = 16,
}

/// <summary>What kind of value an input takes; the console picks its control from it.</summary>
public enum StepInputKind
{
    /// <summary>One line of text.</summary>
    Text = 1,

    /// <summary>Several lines of text.</summary>
    LongText = 2,

    /// <summary>A local day, yyyy-MM-dd.</summary>
    Day = 3,

    /// <summary>One of <see cref="StepInput.Choices"/>.</summary>
    Choice = 4,

    /// <summary>References to evidence, one per value.</summary>
    Evidence = 5,

    /// <summary>A department's code.</summary>
    Department = 6,

    /// <summary>A member of staff's number (工号).</summary>
    StaffId = 7,

    /// <summary>
    /// A department handler's account: one of the handlers of the department chosen in the step's department input
    /// (the form lists them by name; the server checks the account works in that department).
    /// </summary>
    Handler = 8,
}

/// <summary>One value a choice input may take: the code on the wire and its label.</summary>
public sealed record StepChoice(string Value, string Label);

/// <summary>The values of a choice input and the domain value each one stands for.</summary>
public sealed class StepChoices<T>(params (T Item, string Value, string Label)[] choices)
    where T : struct, Enum
{
    public IReadOnlyList<StepChoice> Choices { get; } = choices.Select(c => new StepChoice(c.Value, c.Label)).ToList();

    public string LabelOf(T item) => choices.Single(c => EqualityComparer<T>.Default.Equals(c.Item, item)).Label;

    public string ValueOf(T item) => choices.Single(c => EqualityComparer<T>.Default.Equals(c.Item, item)).Value;

    public T? Find(string value) => choices.Where(c => c.Value == value).Select(c => (T?)c.Item).FirstOrDefault();
}

/// <summary>
/// One input of a step. <see cref="Required"/> tells the form; the step's behaviour enforces it (the catalog test holds
/// the two together). A step's Describe adds what depends on the case, such as the latest day allowed.
/// </summary>
public sealed record StepInput(string Name, string Label, StepInputKind Kind, bool Required = true)
{
    public IReadOnlyList<StepChoice> Choices { get; init; } = [];

    /// <summary>
    /// The most characters one value may have: a note or a finding is a few paragraphs, not a document (which belongs
    /// in the evidence, by reference). Refused beyond it, and told to the form.
    /// </summary>
    public int MaxLength { get; init; } = Kind switch
    {
        StepInputKind.LongText => 2000,
        StepInputKind.Evidence => 200,
        StepInputKind.Text => 200,
        StepInputKind.Day => 10,
        StepInputKind.Choice or StepInputKind.Department or StepInputKind.StaffId or StepInputKind.Handler => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>How many values the input may take: evidence is a list, everything else one value.</summary>
    public int MaxValues { get; init; } = Kind == StepInputKind.Evidence ? 20 : 1;

    /// <summary>A fixed hint shown with the input.</summary>
    public string? Hint { get; init; }

    /// <summary>
    /// For an input that is optional in general but needed for one value of another input (the verification of a
    /// callback that reached the rater): the step refuses it missing then, by its name, and the form asks for it then.
    /// </summary>
    public StepInputCondition? RequiredWhen { get; init; }
}

/// <summary>Another input of the same step having one value: "outcome" is "reached".</summary>
public sealed record StepInputCondition(string Input, string Value);

/// <summary>
/// What a form needs to know of one input for one case now: its hint, the days it may take, and the value it starts
/// with (the department the case was routed to, for an assignment).
/// </summary>
public sealed record StepInputBounds(string? Hint, DateOnly? MinDay = null, DateOnly? MaxDay = null, string? Default = null);

/// <summary>
/// When a step is tried, and the time limits of its case type. Limits are null when a step's method is called with its
/// instant only: the steps whose condition reads the limits take them as a parameter of their method.
/// </summary>
public sealed record StepContext(DateTimeOffset At, CaseTimeLimits? Limits = null)
{
    public CaseTimeLimits RequireLimits() =>
        Limits ?? throw new InvalidOperationException("this step's condition needs the case type's time limits");

    /// <summary>The time limits of an information-disclosure request, for the steps of that case type.</summary>
    public DisclosureTimeLimits? DisclosureLimits { get; init; }

    public DisclosureTimeLimits RequireDisclosureLimits() =>
        DisclosureLimits ?? throw new InvalidOperationException("this step's condition needs the disclosure time limits");

    /// <summary>The time limits of a question or a "could not get it done" report, for the steps of those case types.</summary>
    public EnquiryTimeLimits? EnquiryLimits { get; init; }

    public EnquiryTimeLimits RequireEnquiryLimits() =>
        EnquiryLimits ?? throw new InvalidOperationException("this step needs the enquiry time limits");
}

/// <summary>
/// The inputs of one step as they came over the wire, by name. Reads them typed; a value that cannot be read (a bad
/// day, an unknown choice) or an input the step does not take is refused with its name.
/// </summary>
public sealed class StepInputs
{
    private readonly IReadOnlyDictionary<string, IReadOnlyList<string>> _values;

    public StepInputs(IReadOnlyDictionary<string, IReadOnlyList<string>> values) => _values = values;

    public static StepInputs None { get; } = new(new Dictionary<string, IReadOnlyList<string>>());

    public IEnumerable<string> Names => _values.Keys;

    /// <summary>The text given, or null when none (the step's behaviour says whether that is allowed).</summary>
    public string? Text(string name) => _values.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    /// <summary>Every value given (evidence), in order.</summary>
    public IReadOnlyList<string> List(string name) => _values.TryGetValue(name, out var v) ? v : [];

    public DateOnly Day(string name) => Text(name) switch
    {
        null or "" => throw new InvalidInputException(name, "不能为空"),
        var text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) => day,
        _ => throw new InvalidInputException(name, "须为 yyyy-MM-dd 格式的日期"),
    };

    public T Choice<T>(string name, StepChoices<T> choices)
        where T : struct, Enum => Text(name) switch
        {
            null or "" => throw new InvalidInputException(name, "须选择" + string.Join("、", choices.Choices.Select(c => c.Label))),
            var value => choices.Find(value)
                ?? throw new InvalidInputException(name, "须为" + string.Join("、", choices.Choices.Select(c => c.Label)) + "之一"),
        };
}

/// <summary>One step of a case type, declared once. See <see cref="IWorkedCase"/>.</summary>
public sealed class CaseStep<TCase, TState>
    where TCase : IWorkedCase
    where TState : struct, Enum
{
    /// <summary>The step's name in the contract, e.g. "fix_at_once".</summary>
    public required string Name { get; init; }

    /// <summary>The step's label for staff, e.g. "立行立改".</summary>
    public required string Label { get; init; }

    public required StepActors Who { get; init; }

    /// <summary>The states the step may start from.</summary>
    public required IReadOnlyList<TState> From { get; init; }

    /// <summary>The states the step may lead to; empty when the state does not change (a record only).</summary>
    public IReadOnlyList<TState> To { get; init; } = [];

    public IReadOnlyList<StepInput> Inputs { get; init; } = [];

    /// <summary>
    /// The states in which this is the step the case waits for (待分派 → 分派): the console puts it first and marks it.
    /// A subset of <see cref="From"/>; the other steps open there (改派, 延期, 督办) are there when needed.
    /// </summary>
    public IReadOnlyList<TState> ExpectedIn { get; init; } = [];

    /// <summary>A further condition on the case: why the step is not open now, or null when it is.</summary>
    public Func<TCase, StepContext, string?> Unless { get; init; } = (_, _) => null;

    /// <summary>What a form should know of an input for this case now (hints, allowed days); by input name.</summary>
    public Func<TCase, StepContext, string, StepInputBounds?> Describe { get; init; } = (_, _, _) => null;

    /// <summary>
    /// Taken by a call of its own rather than through the generic step call (e.g. revealing a rater's number, which
    /// answers with the number): offered, but refused as a generic step.
    /// </summary>
    public bool HasOwnCall { get; init; }

    /// <summary>Reads the inputs and takes the step on the case through the aggregate's method (which guards it).</summary>
    public required Action<TCase, Actor, StepInputs, StepContext> Take { get; init; }

    /// <summary>Whether <paramref name="actor"/> is among those who may take the step on <paramref name="c"/>.</summary>
    public bool IsTakenBy(TCase c, Actor actor) =>
        actor.Role switch
        {
            CaseRole.HallManager => Who.HasFlag(StepActors.HallManager),
            CaseRole.DepartmentHandler => Who.HasFlag(StepActors.AssignedHandler)
                && c.AssignedDepartmentCode is not null && actor.DepartmentCode == c.AssignedDepartmentCode,
            CaseRole.Supervisor => Who.HasFlag(StepActors.Supervisor),
            CaseRole.System => Who.HasFlag(StepActors.System),
            CaseRole.DisclosureOffice => Who.HasFlag(StepActors.DisclosureOffice),
            CaseRole.Auditor => false,
            _ => throw new ArgumentOutOfRangeException(nameof(actor), actor.Role, null),
        };
}

/// <summary>The steps of one case type: what a member of staff may take now, and the guard each step runs.</summary>
public sealed class CaseStepCatalog<TCase, TState>(Func<TCase, TState> stateOf, IReadOnlyList<CaseStep<TCase, TState>> steps)
    where TCase : IWorkedCase
    where TState : struct, Enum
{
    public IReadOnlyList<CaseStep<TCase, TState>> Steps { get; } = steps.Count == steps.Select(s => s.Name).Distinct().Count()
        ? steps
        : throw new ArgumentException("step names must be unique", nameof(steps));

    public CaseStep<TCase, TState>? Find(string name) => Steps.FirstOrDefault(s => s.Name == name);

    /// <summary>The steps <paramref name="actor"/> may take on the case now, in catalog order.</summary>
    public IReadOnlyList<CaseStep<TCase, TState>> Allowed(TCase c, Actor actor, StepContext context) =>
        Steps.Where(s => s.IsTakenBy(c, actor) && s.From.Contains(stateOf(c)) && s.Unless(c, context) is null).ToList();

    /// <summary>Whether the case's state waits for this step (<see cref="CaseStep{TCase,TState}.ExpectedIn"/>).</summary>
    public bool IsExpected(CaseStep<TCase, TState> step, TCase c) => step.ExpectedIn.Contains(stateOf(c));

    /// <summary>Refuses the step unless the actor may take it and the case's state and the step's condition allow it.</summary>
    public void Guard(CaseStep<TCase, TState> step, TCase c, Actor by, StepContext context)
    {
        if (!step.IsTakenBy(c, by))
        {
            throw new CasePermissionException(c.Id, by, step.Label);
        }

        if (!step.From.Contains(stateOf(c)))
        {
            throw new CaseTransitionException(c.Id, c.StateLabel, step.Label);
        }

        if (step.Unless(c, context) is { } why)
        {
            throw new CaseTransitionException(c.Id, c.StateLabel, step.Label, why);
        }
    }

    /// <summary>
    /// Takes the named step with inputs as they came over the wire. An unknown step, one taken by its own call, or an
    /// input the step does not take is refused with the field at fault.
    /// </summary>
    public void Take(TCase c, string stepName, Actor by, StepInputs inputs, StepContext context)
    {
        // The name is echoed back only when short: a refusal never carries a caller's megabyte back to it.
        var step = Find(stepName)
            ?? throw new InvalidInputException("step", stepName.Length <= 64 ? $"未知操作“{stepName}”" : "未知操作");
        if (step.HasOwnCall)
        {
            throw new InvalidInputException("step", $"“{step.Label}”须通过其专用接口办理");
        }

        if (inputs.Names.FirstOrDefault(n => step.Inputs.All(i => i.Name != n)) is { } unknown)
        {
            throw new InvalidInputException(unknown, $"“{step.Label}”没有此项输入");
        }

        // Sizes first, before anything is read: an oversized input is refused whoever sends it.
        foreach (var input in step.Inputs)
        {
            var values = inputs.List(input.Name);
            if (values.Count > input.MaxValues)
            {
                throw new InvalidInputException(input.Name, $"最多 {input.MaxValues} 项");
            }

            if (values.Any(v => v.Length > input.MaxLength))
            {
                throw new InvalidInputException(input.Name, $"每项不超过 {input.MaxLength} 个字符");
            }
        }

        // Who and when before what: a step refused for its actor or state is refused before its inputs are read.
        Guard(step, c, by, context);
        step.Take(c, by, inputs, context);
    }
}
