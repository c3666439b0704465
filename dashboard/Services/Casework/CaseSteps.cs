namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>What kind of control a step's input takes (the server's StepInputKind).</summary>
public enum StepFieldKind
{
    /// <summary>A kind this console does not know (a newer server): shown as one line of text.</summary>
    Unknown,
    Text,
    LongText,
    Day,
    Choice,
    Evidence,
    Department,
    StaffId,

    /// <summary>A department handler's account, chosen from the handlers of the department chosen in the same form.</summary>
    Handler,
}

/// <summary>One value a choice takes; for a handler, <paramref name="Group"/> is the department the handler works in.</summary>
public sealed record StepFieldChoice(string Value, string Label, string Group = "");

/// <summary>One input of an offered step, as the server declares it for this case now.</summary>
/// <param name="Name">The input's name on the wire, e.g. "due_day".</param>
/// <param name="Label">What the form calls it, e.g. "整改期限".</param>
/// <param name="Kind">Which control it takes.</param>
/// <param name="Required">Whether the step is refused without it.</param>
/// <param name="Choices">The values of a choice input.</param>
/// <param name="Hint">What to say under the input (e.g. the latest day allowed); empty for none.</param>
/// <param name="MinDay">For a day: the earliest the server accepts now; null when open.</param>
/// <param name="MaxDay">For a day: the latest the server accepts now; null when open.</param>
/// <param name="MaxLength">The most characters the control may hold (all lines of a list); 0 when the server says none.</param>
/// <param name="Default">The value the control starts with (e.g. the department the case was routed to); empty for none.</param>
/// <param name="RequiredWhen">Required only when another input of the form has one value; null when not conditional.</param>
public sealed record StepField(
    string Name,
    string Label,
    StepFieldKind Kind,
    bool Required,
    IReadOnlyList<StepFieldChoice> Choices,
    string Hint,
    DateOnly? MinDay,
    DateOnly? MaxDay,
    int MaxLength = 0,
    string Default = "",
    StepFieldCondition? RequiredWhen = null);

/// <summary>Another input of the same form having one value: "outcome" is "reached".</summary>
public sealed record StepFieldCondition(string Field, string Value);

/// <summary>
/// A step the signed-in user may take on the case now, with its form's inputs: the server's catalog of case steps
/// decides both, so the console holds no list of steps of its own.
/// </summary>
/// <param name="Name">The step's name on the wire, e.g. "rectify_by_deadline".</param>
/// <param name="Label">The step's label, e.g. "限期整改".</param>
/// <param name="Fields">Its inputs, in the order the form shows them.</param>
/// <param name="HasOwnCall">Taken through a call of its own (revealing a rater's number), not through a step form.</param>
/// <param name="Expected">The step the case's stage waits for now: the page shows it first, open and marked 下一步.</param>
public sealed record OfferedStep(string Name, string Label, IReadOnlyList<StepField> Fields, bool HasOwnCall, bool Expected = false);

/// <summary>A step as filled in: its inputs by name, each with one value (several for evidence).</summary>
public sealed record StepSubmission(OfferedStep Step, IReadOnlyDictionary<string, IReadOnlyList<string>> Inputs);
