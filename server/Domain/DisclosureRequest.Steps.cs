namespace ServiceHall.Server.Domain;

/// <summary>
/// The behaviour of each step of an information-disclosure request, after its guard from <see cref="DisclosureRequestSteps"/>:
/// the inputs it checks and what it changes. Kept apart from the request's state so each file reads on its own.
/// </summary>
public sealed partial class DisclosureRequest
{
    /// <summary>The office registers the request it received (登记).</summary>
    public void Register(Actor by, string? note, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Register, by, at);
        RequireNotBeforeLastEvent(at);
        Append(by, at, DisclosureEventKind.Registered, DisclosureRequestState.Registered, Blank(note));
    }

    /// <summary>
    /// 补正 (art. 30): once, within 7 working days of receipt, the office tells the applicant what to supplement and by when.
    /// The clock stops.
    /// </summary>
    public void RequestSupplement(Actor by, string? what, DateOnly dueDay, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.RequestSupplement, by, at, limits);
        var note = Required(what, "what");
        var today = limits.Calendar.LocalDate(at);
        if (dueDay <= today)
        {
            throw new InvalidInputException("due_day", "补正期限须晚于今天");
        }

        if (dueDay > limits.SupplementLatestDueDay(today))
        {
            throw new InvalidInputException("due_day",
                $"补正期限最长 {limits.Policy.MaxSupplementWorkingDays} 个工作日（至 {limits.SupplementLatestDueDay(today):yyyy-MM-dd}）");
        }

        RequireNotBeforeLastEvent(at);
        SupplementDueDay = dueDay;
        Append(by, at, DisclosureEventKind.SupplementRequested, DisclosureRequestState.AwaitingSupplement, note, dueDay: dueDay);
    }

    /// <summary>The supplement arrived within its period: the reply period counts afresh from today (art. 30).</summary>
    public void RecordSupplement(Actor by, string? content, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.RecordSupplement, by, at, limits);
        var note = Required(content, "content");
        RequireNotBeforeLastEvent(at);
        // Received like the request itself (art. 31): on a day off, the next working day.
        var day = limits.DayOfReceipt(at);
        SupplementReceivedDay = day;
        Append(by, at, DisclosureEventKind.SupplementReceived, AssignedDepartmentCode is null ? DisclosureRequestState.Registered : DisclosureRequestState.Assigned,
            note, day: day);
    }

    /// <summary>
    /// No supplement by its due day: the request is deemed withdrawn (art. 30), counted as 其他处理 — 申请人无正当理由逾期不补正.
    /// </summary>
    public void Lapse(Actor by, string? note, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Lapse, by, at, limits);
        RequireNotBeforeLastEvent(at);
        Outcome = DisclosureOutcome.OtherNoSupplement;
        ConcludedAt = at;
        ConcludedDay = limits.Calendar.LocalDate(at);
        Append(by, at, DisclosureEventKind.Lapsed, DisclosureRequestState.Closed, Blank(note), outcome: Outcome);
    }

    /// <summary>The office gives the request to the department that holds the information.</summary>
    public void Assign(Actor by, string? departmentCode, string? handlerId, string? note, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Assign, by, at);
        var department = Code(Required(departmentCode, "department_code"), "department_code");
        var handler = Code(Blank(handlerId), "handler_id");
        RequireNotBeforeLastEvent(at);
        AssignedDepartmentCode = department;
        AssignedHandlerId = handler;
        Append(by, at, DisclosureEventKind.Assigned, DisclosureRequestState.Assigned, Blank(note), department: department);
    }

    /// <summary>
    /// A third party (art. 32: 15 working days to answer) or another agency is consulted in writing; the time until its answer
    /// is not counted (art. 33).
    /// </summary>
    public void Consult(Actor by, ConsultedParty kind, string? party, string? question, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Consult, by, at, limits);
        if (!Enum.IsDefined(kind))
        {
            throw new InvalidInputException("party_kind", "须为第三方或其他机关");
        }

        var who = Required(party, "party");
        var note = Required(question, "question");
        if (Consultations.Any(c => c.Party == who && c.AnsweredDay is null))
        {
            throw new InvalidInputException("party", $"已在征求“{who}”的意见，尚未答复");
        }

        RequireNotBeforeLastEvent(at);
        var day = limits.Calendar.LocalDate(at);
        DateOnly? due = kind == ConsultedParty.ThirdParty ? limits.ThirdPartyDueDay(day) : null;
        Append(by, at, DisclosureEventKind.ConsultationSent, DisclosureRequestState.Consulting, note, day: day, dueDay: due, partyKind: kind, party: who);
    }

    /// <summary>The answer of a party consulted (or that it gave none in its period); when none is still open, the clock runs again.</summary>
    public void RecordOpinion(Actor by, string? party, string? opinion, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.RecordOpinion, by, at, limits);
        var who = Required(party, "party");
        var note = Required(opinion, "opinion");
        var open = Consultations.Where(c => c.AnsweredDay is null).ToList();
        if (open.All(c => c.Party != who))
        {
            throw new InvalidInputException("party", "没有正在征求意见的“" + (who.Length <= 64 ? who : who[..64]) + "”；正在征求："
                + string.Join("、", open.Select(c => c.Party)));
        }

        RequireNotBeforeLastEvent(at);
        var stillOpen = open.Count > 1;
        Append(by, at, DisclosureEventKind.OpinionReceived, stillOpen ? DisclosureRequestState.Consulting : DisclosureRequestState.Assigned, note,
            day: limits.Calendar.LocalDate(at), party: who);
    }

    /// <summary>
    /// The reply, drafted with the annual report's outcome and, for a refusal of any kind, its legal basis (art. 36: 告知理由).
    /// A 部分公开 says what was withheld.
    /// </summary>
    public void DraftReplyWith(Actor by, DisclosureOutcome outcome, string? content, string? legalBasis, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.DraftReply, by, at);
        if (!Enum.IsDefined(outcome))
        {
            throw new InvalidInputException("outcome", "须选择答复类型");
        }

        var text = Required(content, "content");
        var basis = Blank(legalBasis);
        if (basis is null && outcome.Category() is not DisclosureOutcomeCategory.Disclosed)
        {
            throw new InvalidInputException("legal_basis", $"“{outcome.ChoiceLabel()}”须写明理由和依据");
        }

        RequireNotBeforeLastEvent(at);
        Outcome = outcome;
        DraftReply = text;
        Append(by, at, DisclosureEventKind.ReplyDrafted, DisclosureRequestState.ReplyDrafted, basis is null ? text : text + "\n依据：" + basis,
            outcome: outcome);
    }

    /// <summary>The office sends the draft back with its reason.</summary>
    public void ReturnDraft(Actor by, string? reason, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.ReturnDraft, by, at);
        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);
        Outcome = null;
        DraftReply = null;
        Append(by, at, DisclosureEventKind.DraftReturned,
            AssignedDepartmentCode is null ? DisclosureRequestState.Registered : DisclosureRequestState.Assigned, why);
    }

    /// <summary>The office approves the reply; the approving officer is named.</summary>
    public void ApproveReply(Actor by, string? approver, string? note, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.ApproveReply, by, at);
        var who = Required(approver, "approver");
        RequireNotBeforeLastEvent(at);
        Append(by, at, DisclosureEventKind.ReplyApproved, DisclosureRequestState.ReplyApproved, Blank(note), approver: who);
    }

    /// <summary>The reply was delivered, and how: the request is answered, late or not, and counts in this year's report.</summary>
    public void SendReply(Actor by, DeliveryMethod delivery, string? note, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.SendReply, by, at, limits);
        if (!Enum.IsDefined(delivery))
        {
            throw new InvalidInputException("delivered_by", "须选择送达方式");
        }

        RequireNotBeforeLastEvent(at);
        RepliedLate = at > ReplyDeadline(limits, at).Due;
        ConcludedAt = at;
        ConcludedDay = limits.Calendar.LocalDate(at);
        Append(by, at, DisclosureEventKind.ReplySent, DisclosureRequestState.ReplySent, Blank(note), delivery: delivery, outcome: Outcome);
    }

    /// <summary>
    /// The one extension (art. 33): at most 20 working days, before the deadline has passed, approved by the officer named,
    /// and the applicant told (the note says how).
    /// </summary>
    public void Extend(Actor by, DateOnly newDueDay, string? approver, string? reason, string? applicantTold, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Extend, by, at, limits);
        var who = Required(approver, "approver");
        var why = Required(reason, "reason");
        var told = Required(applicantTold, "applicant_told");
        var today = limits.Calendar.LocalDate(at);
        var current = limits.ReplyDueDay(ClockFacts, today);
        var latest = limits.LatestExtendedDueDay(ClockFacts, today);
        if (newDueDay <= current || newDueDay > latest)
        {
            throw new InvalidInputException("new_due_day",
                $"须晚于现答复期限 {current:yyyy-MM-dd}，且不超过延长 {limits.Policy.MaxExtensionWorkingDays} 个工作日后的 {latest:yyyy-MM-dd}");
        }

        if (!limits.Calendar.IsWorkingDay(newDueDay))
        {
            throw new InvalidInputException("new_due_day", "须为工作日");
        }

        var days = limits.Calendar.WorkingDaysBetween(current, newDueDay);
        RequireNotBeforeLastEvent(at);
        ExtensionWorkingDays = days;
        Append(by, at, DisclosureEventKind.Extended, State, $"{why}\n已告知申请人：{told}", dueDay: newDueDay, approver: who, extension: days);
    }

    /// <summary>督办 by the office, with a note.</summary>
    public void Escalate(Actor by, string? note, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Escalate, by, at);
        var text = Required(note, "note");
        RequireNotBeforeLastEvent(at);
        Append(by, at, DisclosureEventKind.Escalated, State, text);
    }

    /// <summary>The server escalates a reply deadline that passed unanswered, once for each such deadline.</summary>
    public void EscalateOverdue(Actor by, DisclosureTimeLimits limits, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.EscalateOverdue, by, at, limits);
        var missed = MissedDeadlineKey(limits, at)!;
        RequireNotBeforeLastEvent(at);
        Append(by, at, DisclosureEventKind.Escalated, State, $"答复期限 {ReplyDeadline(limits, at).DueDay:yyyy-MM-dd} 已过，自动升级督办",
            missed: missed);
    }

    /// <summary>The key of the reply deadline that passed unanswered and has not been escalated automatically, or null.</summary>
    public string? MissedDeadlineKey(DisclosureTimeLimits limits, DateTimeOffset at)
    {
        var deadline = ReplyDeadline(limits, at);
        if (deadline.Status != DeadlineStatus.Overdue)
        {
            return null;
        }

        var key = $"答复@{deadline.DueDay:yyyy-MM-dd}";
        return _events.Any(e => e.MissedDeadline == key) ? null : key;
    }

    /// <summary>办结: the answered request is filed.</summary>
    public void Close(Actor by, string? note, DateTimeOffset at)
    {
        Guard(DisclosureRequestSteps.Close, by, at);
        RequireNotBeforeLastEvent(at);
        Append(by, at, DisclosureEventKind.Closed, DisclosureRequestState.Closed, Blank(note));
    }
}
