namespace ServiceHall.Server.Domain;

/// <summary>Where a question (办事咨询) stands (docs/rules/questions-and-reports.md#questions).</summary>
public enum CitizenQuestionState
{
    /// <summary>Handed in at a kiosk without a service item, or not yet routed: the hall manager routes it.</summary>
    Received = 1,

    /// <summary>With the department that answers it; the answer is due within the answer limit.</summary>
    Routed = 2,

    /// <summary>Answered, and the citizen agreed that it may become an FAQ entry: the hall's office reviews it.</summary>
    AwaitingFaqReview = 3,

    /// <summary>办结: answered (and reviewed for the FAQ where the citizen agreed).</summary>
    Closed = 4,
}

/// <summary>What happened to a question; one kind per step.</summary>
public enum QuestionEventKind
{
    Received = 1,
    Routed = 2,
    Rerouted = 3,
    Answered = 4,
    FaqAccepted = 5,
    FaqDeclined = 6,
    Escalated = 7,
}

/// <summary>One audit record of a question. Appended once, never changed.</summary>
public sealed record QuestionEvent(
    int Sequence,
    DateTimeOffset At,
    Actor By,
    QuestionEventKind Kind,
    CitizenQuestionState From,
    CitizenQuestionState To,
    string? Note,
    string? DepartmentCode = null) : ICaseRecord
{
    string ICaseRecord.What => Kind.Label();
}

/// <summary>What a citizen asks at the kiosk. The contact, if any, is not part of it: it is encrypted and stored apart.</summary>
/// <param name="Text">The question, in the citizen's words.</param>
/// <param name="ServiceItemCode">The service item it is about, if the citizen chose one: it is then routed to the item's department.</param>
/// <param name="FaqConsent">The citizen agrees that the question and its answer may be published as an FAQ entry of the item.</param>
public sealed record QuestionAsked(string Text, string? ServiceItemCode, bool FaqConsent)
{
    /// <summary>The longest question a kiosk may send.</summary>
    public const int MaxTextLength = 500;

    /// <summary>The question trimmed, or the field at fault.</summary>
    public QuestionAsked Checked()
    {
        var text = Text.Trim();
        if (text.Length == 0)
        {
            throw new InvalidInputException("text", "请写下您要咨询的问题");
        }

        TextLimits.Check(text, "text", MaxTextLength);
        var item = string.IsNullOrWhiteSpace(ServiceItemCode) ? null : ServiceItemCode.Trim();
        TextLimits.Check(item, "service_item_code", CitizenQuestion.MaxCodeLength);
        return this with { Text = text, ServiceItemCode = item };
    }
}

/// <summary>Everything a <see cref="CitizenQuestion"/> is, for storage.</summary>
public sealed record CitizenQuestionSnapshot(
    Guid Id,
    string PickupCode,
    string HallCode,
    DateTimeOffset SubmittedAt,
    DateOnly ReceivedDay,
    DateOnly DueDay,
    QuestionAsked Asked,
    bool HasContact,
    CitizenQuestionState State,
    string? AssignedDepartmentCode,
    string? Answer,
    DateTimeOffset? AnsweredAt,
    DateOnly? AnsweredDay,
    int? WorkingDaysTaken,
    bool AnsweredLate,
    bool Escalated,
    FaqEntry? Faq,
    IReadOnlyList<QuestionEvent> Events);

/// <summary>
/// A question (办事咨询) asked at a kiosk (docs/rules/questions-and-reports.md#questions): routed to the department that answers
/// it (by the server when the citizen named a service item, else by the hall manager), answered within
/// <see cref="EnquiryDeadlinePolicy.AnswerWorkingDays"/> working days, escalated by the server when late, shown at any kiosk
/// with its pickup code, and — with the citizen's consent and the office's review — made an FAQ entry of the item.
/// </summary>
/// <remarks>
/// Each step is declared once in <see cref="CitizenQuestionSteps"/>; every method runs that step's guard first, then checks its
/// inputs, and only then changes the question and appends exactly one <see cref="QuestionEvent"/>.
/// </remarks>
public sealed class CitizenQuestion : IWorkedCase
{
    /// <summary>The longest code (department, service item) a step accepts.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>The longest answer a department may give.</summary>
    public const int MaxAnswerLength = 2000;

    private readonly List<QuestionEvent> _events = [];

    private CitizenQuestion(
        Guid id, string pickupCode, string hallCode, DateTimeOffset submittedAt, DateOnly receivedDay, DateOnly dueDay, QuestionAsked asked,
        bool hasContact)
    {
        Id = id;
        PickupCode = pickupCode;
        HallCode = hallCode;
        SubmittedAt = submittedAt;
        ReceivedDay = receivedDay;
        DueDay = dueDay;
        Asked = asked;
        HasContact = hasContact;
    }

    public Guid Id { get; }

    /// <summary>The code on the citizen's receipt; the answer is shown at any kiosk with it.</summary>
    public string PickupCode { get; }

    public string HallCode { get; }

    public DateTimeOffset SubmittedAt { get; }

    /// <summary>The day of receipt: the day handed in, or the next working day.</summary>
    public DateOnly ReceivedDay { get; }

    /// <summary>The day the answer is due by (the answer limit after the day of receipt).</summary>
    public DateOnly DueDay { get; }

    public QuestionAsked Asked { get; }

    /// <summary>The citizen left a contact (kept encrypted apart from the question).</summary>
    public bool HasContact { get; }

    public CitizenQuestionState State { get; private set; } = CitizenQuestionState.Received;

    public string StateLabel => State.Label();

    public string? AssignedDepartmentCode { get; private set; }

    public string? Answer { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    /// <summary>The local day of <see cref="AnsweredAt"/>.</summary>
    public DateOnly? AnsweredDay { get; private set; }

    /// <summary>Working days from the day of receipt to the answer (0 when answered the same day).</summary>
    public int? WorkingDaysTaken { get; private set; }

    /// <summary>Answered after the end of <see cref="DueDay"/>.</summary>
    public bool AnsweredLate { get; private set; }

    /// <summary>The server escalated the question because its answer was late (once).</summary>
    public bool Escalated { get; private set; }

    /// <summary>The FAQ entry of the item the office made of the question and its answer, edited so that it names nobody.</summary>
    public FaqEntry? Faq { get; private set; }

    public IReadOnlyList<QuestionEvent> Events => _events.AsReadOnly();

    /// <summary>The steps <paramref name="actor"/> may take now.</summary>
    public IReadOnlyList<CaseStep<CitizenQuestion, CitizenQuestionState>> AllowedSteps(Actor actor, StepContext context) =>
        CitizenQuestionSteps.Catalog.Allowed(this, actor, context);

    /// <summary>The end of the due day: an answer after it is late.</summary>
    public DateTimeOffset Due(EnquiryTimeLimits limits) => limits.Calendar.EndOfDay(DueDay);

    /// <summary>Whether the answer is late at <paramref name="at"/> and the question still unanswered.</summary>
    public bool IsOverdue(EnquiryTimeLimits limits, DateTimeOffset at) =>
        State is CitizenQuestionState.Received or CitizenQuestionState.Routed && at > Due(limits);

    /// <summary>A question handed in at <paramref name="submittedAt"/> on a kiosk of <paramref name="hallCode"/>.</summary>
    public static CitizenQuestion Receive(
        Guid id, string pickupCode, string hallCode, QuestionAsked asked, bool hasContact, DateTimeOffset submittedAt, EnquiryTimeLimits limits)
    {
        if (id == Guid.Empty)
        {
            throw new InvalidInputException("request_id", "不能为空");
        }

        var received = limits.Calendar.DayOfReceipt(submittedAt);
        var question = new CitizenQuestion(id, pickupCode, hallCode, submittedAt, received, limits.AnswerDueDay(received), asked.Checked(), hasContact);
        question.Append(Actor.System, submittedAt, QuestionEventKind.Received, CitizenQuestionState.Received, null);
        return question;
    }

    public static CitizenQuestion Restore(CitizenQuestionSnapshot s)
    {
        var restored = new CitizenQuestion(s.Id, s.PickupCode, s.HallCode, s.SubmittedAt, s.ReceivedDay, s.DueDay, s.Asked, s.HasContact)
        {
            State = s.State,
            AssignedDepartmentCode = s.AssignedDepartmentCode,
            Answer = s.Answer,
            AnsweredAt = s.AnsweredAt,
            AnsweredDay = s.AnsweredDay,
            WorkingDaysTaken = s.WorkingDaysTaken,
            AnsweredLate = s.AnsweredLate,
            Escalated = s.Escalated,
            Faq = s.Faq,
        };
        restored._events.AddRange(s.Events);
        return restored;
    }

    public CitizenQuestionSnapshot ToSnapshot() => new(
        Id, PickupCode, HallCode, SubmittedAt, ReceivedDay, DueDay, Asked, HasContact, State, AssignedDepartmentCode, Answer, AnsweredAt,
        AnsweredDay, WorkingDaysTaken, AnsweredLate, Escalated, Faq, _events.ToList());

    // ---- steps (docs/rules/questions-and-reports.md#question-steps) ----

    /// <summary>交办: to the department that answers.</summary>
    public void Route(Actor by, string? departmentCode, string? note, DateTimeOffset at)
    {
        Guard(CitizenQuestionSteps.Route, by, at);
        var department = Code(Required(departmentCode, "department_code"), "department_code");
        AssignedDepartmentCode = department;
        Append(by, at, QuestionEventKind.Routed, CitizenQuestionState.Routed, Blank(note), department);
    }

    /// <summary>改派: the department says the question is not theirs.</summary>
    public void Reroute(Actor by, string? departmentCode, string? reason, DateTimeOffset at)
    {
        Guard(CitizenQuestionSteps.Reroute, by, at);
        var department = Code(Required(departmentCode, "department_code"), "department_code");
        var why = Required(reason, "reason");
        if (department == AssignedDepartmentCode)
        {
            throw new InvalidInputException("department_code", "已由该部门承办");
        }

        AssignedDepartmentCode = department;
        Append(by, at, QuestionEventKind.Rerouted, State, why, department);
    }

    /// <summary>答复: the answer the kiosk shows with the pickup code; late when after the due day.</summary>
    public void AnswerWith(Actor by, string? answer, EnquiryTimeLimits limits, DateTimeOffset at)
    {
        Guard(CitizenQuestionSteps.AnswerStep, by, at, limits);
        var text = Required(answer, "answer");
        TextLimits.Check(text, "answer", MaxAnswerLength);
        Answer = text;
        AnsweredAt = at;
        AnsweredDay = limits.Calendar.LocalDate(at);
        WorkingDaysTaken = limits.WorkingDaysTaken(ReceivedDay, at);
        AnsweredLate = at > Due(limits);
        Append(by, at, QuestionEventKind.Answered,
            Asked.FaqConsent ? CitizenQuestionState.AwaitingFaqReview : CitizenQuestionState.Closed, null, AssignedDepartmentCode);
    }

    /// <summary>收入常见问题: the office's edited, de-identified question and answer become an FAQ entry of the item.</summary>
    public void AcceptAsFaq(Actor by, string? question, string? answer, DateTimeOffset at)
    {
        Guard(CitizenQuestionSteps.AcceptAsFaq, by, at);
        var q = Required(question, "faq_question");
        var a = Required(answer, "faq_answer");
        TextLimits.Check(q, "faq_question", QuestionAsked.MaxTextLength);
        TextLimits.Check(a, "faq_answer", MaxAnswerLength);
        Faq = new FaqEntry(q, a);
        Append(by, at, QuestionEventKind.FaqAccepted, CitizenQuestionState.Closed, null);
    }

    /// <summary>不收入常见问题.</summary>
    public void DeclineFaq(Actor by, string? reason, DateTimeOffset at)
    {
        Guard(CitizenQuestionSteps.DeclineFaq, by, at);
        Append(by, at, QuestionEventKind.FaqDeclined, CitizenQuestionState.Closed, Required(reason, "reason"));
    }

    /// <summary>逾期督办: the server's escalation of a question whose answer is late, once.</summary>
    public void EscalateOverdue(Actor by, EnquiryTimeLimits limits, DateTimeOffset at)
    {
        Guard(CitizenQuestionSteps.EscalateOverdue, by, at, limits);
        Escalated = true;
        Append(by, at, QuestionEventKind.Escalated, State, $"答复期限 {DueDay:yyyy-MM-dd} 已过，未答复", AssignedDepartmentCode);
    }

    // ---- helpers ----

    private void Guard(CaseStep<CitizenQuestion, CitizenQuestionState> step, Actor by, DateTimeOffset at, EnquiryTimeLimits? limits = null)
    {
        CitizenQuestionSteps.Catalog.Guard(step, this, by, new StepContext(at) { EnquiryLimits = limits });
        if (_events.Count > 0 && at < _events[^1].At)
        {
            throw new InvalidInputException("at", "早于上一条记录的时间");
        }
    }

    private void Append(Actor by, DateTimeOffset at, QuestionEventKind kind, CitizenQuestionState to, string? note, string? department = null)
    {
        _events.Add(new QuestionEvent(_events.Count + 1, at, by, kind, State, to, note, department));
        State = to;
    }

    internal static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidInputException(field, "不能为空") : value.Trim();

    internal static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static string Code(string value, string field) =>
        value.Length > MaxCodeLength ? throw new InvalidInputException(field, $"不能超过 {MaxCodeLength} 个字符") : value;
}

public static class CitizenQuestionStates
{
    public static string Label(this CitizenQuestionState state) => state switch
    {
        CitizenQuestionState.Received => "待交办",
        CitizenQuestionState.Routed => "待答复",
        CitizenQuestionState.AwaitingFaqReview => "已答复待审核",
        CitizenQuestionState.Closed => "已办结",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Label(this QuestionEventKind kind) => kind switch
    {
        QuestionEventKind.Received => "收到咨询",
        QuestionEventKind.Routed => "交办",
        QuestionEventKind.Rerouted => "改派",
        QuestionEventKind.Answered => "答复",
        QuestionEventKind.FaqAccepted => "收入常见问题",
        QuestionEventKind.FaqDeclined => "不收入常见问题",
        QuestionEventKind.Escalated => "逾期督办",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
