namespace ServiceHall.Server.Domain;

/// <summary>
/// The behaviour of each step of the 差评 case, after its guard from <see cref="BadReviewSteps"/>: the inputs it checks
/// and what it changes. Kept apart from the case's state so each file reads on its own.
/// </summary>
public sealed partial class BadReviewCase
{
    /// <summary>The hall manager gives a new case to the responsible department, optionally naming a handler.</summary>
    public void Assign(Actor by, string? departmentCode, string? handlerId, string? note, DateTimeOffset at)
    {
        Guard(BadReviewSteps.Assign, by, at);
        var department = Code(Required(departmentCode, "department_code"), "department_code");
        var handler = Code(NullIfBlank(handlerId), "handler_id");
        RequireNotBeforeLastEvent(at);

        AssignedDepartmentCode = department;
        AssignedHandlerId = handler;
        Append(Event(this, by, at, CaseEventKind.Assigned, CaseState.Assigned, NullIfBlank(note)) with { DepartmentCode = department });
    }

    /// <summary>The hall manager moves a wrongly routed case to another department before a disposition is made.</summary>
    public void Reassign(Actor by, string? departmentCode, string? handlerId, string? reason, DateTimeOffset at)
    {
        Guard(BadReviewSteps.Reassign, by, at);
        var department = Code(Required(departmentCode, "department_code"), "department_code");
        var handler = Code(NullIfBlank(handlerId), "handler_id");
        if (department == AssignedDepartmentCode)
        {
            throw new InvalidInputException("department_code", "已分派给该部门");
        }

        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);

        AssignedDepartmentCode = department;
        AssignedHandlerId = handler;
        Append(Event(this, by, at, CaseEventKind.Reassigned, State, why) with { DepartmentCode = department });
    }

    /// <summary>
    /// Records one callback (回访) to a real-name rater with its outcome, in one step: reached (with what was verified:
    /// 回访核实 is then done), not reached, or refused. The attempts that did not reach the rater stay on the record for
    /// giving up the callback (<see cref="RecordCallbackFailed"/>).
    /// </summary>
    public void RecordCallback(Actor by, CallOutcome outcome, string? verification, string? note, DateTimeOffset at)
    {
        Guard(BadReviewSteps.RecordCallback, by, at);
        if (!Enum.IsDefined(outcome))
        {
            throw new InvalidInputException("outcome", "回访结果须为已接通、未接通或拒绝之一");
        }

        var verified = outcome == CallOutcome.Reached ? Required(verification, "verification") : null;
        if (outcome != CallOutcome.Reached && NullIfBlank(verification) is not null)
        {
            throw new InvalidInputException("verification", "仅在已接通时填写核实情况");
        }

        RequireNotBeforeLastEvent(at);
        if (verified is not null)
        {
            Contact = ContactOutcome.Reached;
            var text = NullIfBlank(note) is { } extra ? $"{verified}（{extra}）" : verified;
            Append(Event(this, by, at, CaseEventKind.Contacted, CaseState.Contacted, text) with { Call = outcome });
        }
        else
        {
            Append(Event(this, by, at, CaseEventKind.CallAttempted, State, NullIfBlank(note)) with { Call = outcome });
        }
    }

    /// <summary>An anonymous rating cannot be called back; the step is recorded as such ("匿名评价，无法回访").</summary>
    public void SkipCallbackAnonymous(Actor by, DateTimeOffset at)
    {
        Guard(BadReviewSteps.SkipCallbackAnonymous, by, at);
        RequireNotBeforeLastEvent(at);
        Contact = ContactOutcome.Anonymous;
        Append(Event(this, by, at, CaseEventKind.CallbackSkippedAnonymous, CaseState.Contacted, BadReviewSteps.AnonymousCallbackNote));
    }

    /// <summary>
    /// The hall manager lets a real-name case go on without a callback after the rater refused, or after
    /// <see cref="CaseDeadlinePolicy.CallAttemptsBeforeGivingUp"/> attempts did not reach them. The case then does not
    /// count as called back.
    /// </summary>
    public void RecordCallbackFailed(Actor by, string? reason, CaseTimeLimits limits, DateTimeOffset at)
    {
        Guard(BadReviewSteps.RecordCallbackFailed, by, at, limits);
        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);

        Contact = ContactOutcome.CallbackFailed;
        Append(Event(this, by, at, CaseEventKind.CallbackFailed, CaseState.Contacted, why));
    }

    /// <summary>立行立改: fixed on the spot; says what was done.</summary>
    public void FixAtOnce(Actor by, string? whatWasDone, IReadOnlyList<string>? evidence, DateTimeOffset at)
    {
        Guard(BadReviewSteps.FixAtOnce, by, at);
        var note = Required(whatWasDone, "what_was_done");
        var refs = Evidence(evidence, required: false);
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.FixedAtOnce, CaseState.FixedAtOnce, note) with { Evidence = refs });
    }

    /// <summary>
    /// 限期整改: the reason, a ledger entry (整改台账) and a due day from today up to the case's rectification deadline;
    /// a later day needs <see cref="ExtendRectification"/> first.
    /// </summary>
    public void RectifyByDeadline(Actor by, string? reason, DateOnly dueDay, string? ledgerEntry, CaseTimeLimits limits, DateTimeOffset at)
    {
        Guard(BadReviewSteps.RectifyByDeadline, by, at, limits);
        var why = Required(reason, "reason");
        var ledger = Required(ledgerEntry, "ledger_entry");
        if (dueDay < limits.Calendar.LocalDate(at))
        {
            throw new InvalidInputException("due_day", "整改期限不能早于今天");
        }

        if (dueDay > Deadlines.RectificationDueDay)
        {
            throw new InvalidInputException("due_day", $"整改期限晚于办理时限 {Deadlines.RectificationDueDay:yyyy-MM-dd}，请先申请延期");
        }

        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.RectificationScheduled, CaseState.RectifyingByDeadline, why) with
        {
            DueDay = dueDay,
            LedgerEntry = ledger,
        });
    }

    /// <summary>解释说明: the rater's demand has no basis; the legal basis cited and the explanation given.</summary>
    public void Explain(Actor by, string? legalBasis, string? explanation, DateTimeOffset at)
    {
        Guard(BadReviewSteps.Explain, by, at);
        var basis = Required(legalBasis, "legal_basis");
        var note = Required(explanation, "explanation");
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Explained, CaseState.Explained, note) with { LegalBasis = basis });
    }

    /// <summary>申诉: the department contests the rating (误评/恶意差评) with grounds and at least one piece of evidence. Once only.</summary>
    public void Appeal(Actor by, string? grounds, IReadOnlyList<string> evidence, DateTimeOffset at)
    {
        Guard(BadReviewSteps.Appeal, by, at);
        var note = Required(grounds, "grounds");
        var refs = Evidence(evidence, required: true);
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Appealed, CaseState.Appealed, note) with { Evidence = refs });
    }

    /// <summary>A supervisor upholds the appeal: the rating leaves the 差评 figures; the record stays and the case is then closed.</summary>
    public void UpholdAppeal(Actor by, AppealFinding finding, string? ruling, DateTimeOffset at)
    {
        Guard(BadReviewSteps.UpholdAppeal, by, at);
        if (!Enum.IsDefined(finding))
        {
            throw new InvalidInputException("finding", "须为误评或恶意差评");
        }

        var note = Required(ruling, "ruling");
        RequireNotBeforeLastEvent(at);

        UpheldFinding = finding;
        Append(Event(this, by, at, CaseEventKind.AppealUpheld, CaseState.AppealUpheld, note) with { Finding = finding });
    }

    /// <summary>A supervisor rejects the appeal: back to needing a disposition, which can no longer be an appeal.</summary>
    public void RejectAppeal(Actor by, string? ruling, DateTimeOffset at)
    {
        Guard(BadReviewSteps.RejectAppeal, by, at);
        var note = Required(ruling, "ruling");
        RequireNotBeforeLastEvent(at);

        AppealRejected = true;
        Append(Event(this, by, at, CaseEventKind.AppealRejected, CaseState.Contacted, note));
    }

    /// <summary>
    /// Moves the rectification deadline once (per rectification round) to a later working day no further than
    /// <see cref="CaseDeadlinePolicy.MaxExtendedWorkingDays"/> from receipt, with a stated reason (鲁政办发〔2020〕10号:
    /// complex cases up to 15 working days). Only before the deadline has passed and before a disposition other than
    /// 限期整改 is made.
    /// </summary>
    public void ExtendRectification(Actor by, DateOnly newDueDay, string? reason, CaseTimeLimits limits, DateTimeOffset at)
    {
        Guard(BadReviewSteps.ExtendRectification, by, at, limits);
        var why = Required(reason, "reason");
        if (newDueDay <= Deadlines.RectificationDueDay)
        {
            throw new InvalidInputException("new_due_day", $"须晚于现办理时限 {Deadlines.RectificationDueDay:yyyy-MM-dd}");
        }

        if (newDueDay > Deadlines.ExtensionLimitDay)
        {
            throw new InvalidInputException(
                "new_due_day", $"最多延至受理后第 {limits.Policy.MaxExtendedWorkingDays} 个工作日（{Deadlines.ExtensionLimitDay:yyyy-MM-dd}）");
        }

        if (!limits.Calendar.IsWorkingDay(newDueDay))
        {
            throw new InvalidInputException("new_due_day", "须为工作日");
        }

        RequireNotBeforeLastEvent(at);
        Deadlines = limits.Extend(Deadlines, newDueDay);
        Append(Event(this, by, at, CaseEventKind.DeadlineExtended, State, why) with { DueDay = newDueDay });
    }

    /// <summary>
    /// 反馈: the outcome told to the rater. A real-name rater is then asked about the fix; an anonymous rating's feedback
    /// is recorded for publication with the de-identified 差评 list (docs/rules/bad-review-cases.md#reopening), and the
    /// case closes at once, since nobody can be asked.
    /// </summary>
    public void GiveFeedback(Actor by, string? content, IReadOnlyList<string>? evidence, DateTimeOffset at, string? publicSummary = null)
    {
        Guard(BadReviewSteps.GiveFeedback, by, at);
        var note = Required(content, "content");
        var summary = string.IsNullOrWhiteSpace(publicSummary) ? null : publicSummary.Trim();
        if (summary?.Length > MaxPublicSummaryLength)
        {
            throw new InvalidInputException("public_summary", $"不超过 {MaxPublicSummaryLength} 个字符");
        }

        var refs = Evidence(evidence, required: false);
        RequireNotBeforeLastEvent(at);

        // "整改反馈 within 5 working days" (鲁政办发〔2020〕10号): feedback closes the rectification clock.
        _rectifiedLate |= at > Deadlines.RectificationDue;
        var to = IsRealName ? CaseState.FeedbackGiven : CaseState.Closed;
        Append(Event(this, by, at, CaseEventKind.FeedbackGiven, to, note) with { Evidence = refs, PublicSummary = summary });
    }

    /// <summary>
    /// The rater's verdict on the fix. 满意/基本满意 close the case. The first 不满意 reopens it to a new disposition with a
    /// fresh rectification round; a second 不满意 closes it with the verdict recorded.
    /// </summary>
    public void RecordSatisfaction(Actor by, RaterSatisfaction satisfaction, string? note, CaseTimeLimits limits, DateTimeOffset at)
    {
        Guard(BadReviewSteps.RecordSatisfaction, by, at, limits);
        var reopen = satisfaction switch
        {
            RaterSatisfaction.Satisfied or RaterSatisfaction.BasicallySatisfied => false,
            RaterSatisfaction.Dissatisfied => ReopenCount == 0,
            _ => throw new InvalidInputException("satisfaction", "须为满意、基本满意或不满意之一"),
        };
        RequireNotBeforeLastEvent(at);

        Satisfaction = satisfaction;
        if (reopen)
        {
            ReopenCount++;
            Deadlines = limits.ForReopening(Deadlines, at);
        }

        Append(Event(this, by, at, CaseEventKind.SatisfactionRecorded, reopen ? CaseState.Contacted : CaseState.Closed, NullIfBlank(note)) with
        {
            Satisfaction = satisfaction,
        });
    }

    /// <summary>The hall manager closes a case whose real-name rater could not be asked about the fix; no verdict is recorded.</summary>
    public void CloseWithoutSatisfaction(Actor by, string? reason, DateTimeOffset at)
    {
        Guard(BadReviewSteps.CloseWithoutSatisfaction, by, at);
        var why = Required(reason, "reason");
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Closed, CaseState.Closed, why));
    }

    /// <summary>Closes a case whose appeal was upheld; the record is kept, out of the 差评 figures.</summary>
    public void Close(Actor by, string? note, DateTimeOffset at)
    {
        Guard(BadReviewSteps.Close, by, at);
        RequireNotBeforeLastEvent(at);

        Append(Event(this, by, at, CaseEventKind.Closed, CaseState.Closed, NullIfBlank(note)));
    }

    /// <summary>
    /// A handler of the assigned department asks to see the rater's number in full to call back. Only with a reason,
    /// and the request stays in the audit trail (51号: the rater's identity is protected, every access logged). The
    /// state does not change; the caller shows the number only after this succeeded.
    /// </summary>
    public void RecordContactRevealed(Actor by, string? reason, DateTimeOffset at)
    {
        Guard(BadReviewSteps.RevealContact, by, at);
        var why = Required(reason, "reason");
        TextLimits.Check(why, "reason", TextLimits.Reason);
        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.ContactRevealed, State, why));
    }

    /// <summary>Escalation of an open case (督办), by the hall manager or by the overdue job; the state does not change.</summary>
    public void Escalate(Actor by, string? note, DateTimeOffset at)
    {
        Guard(BadReviewSteps.Escalate, by, at);
        var why = Required(note, "note");
        RequireNotBeforeLastEvent(at);
        Append(Event(this, by, at, CaseEventKind.Escalated, State, why));
    }

    /// <summary>
    /// The overdue job's escalation: one audit event for each deadline missed by <paramref name="at"/> and not escalated
    /// for yet (<see cref="DeadlinesToEscalate"/>). Returns the deadlines escalated now.
    /// </summary>
    public IReadOnlyList<MissableDeadline> EscalateMissedDeadlines(DateTimeOffset at)
    {
        var missed = DeadlinesToEscalate().Where(d => d.Due < at).ToList();
        if (missed.Count == 0)
        {
            return missed;
        }

        Guard(BadReviewSteps.Escalate, Actor.System, at);
        RequireNotBeforeLastEvent(at);
        foreach (var deadline in missed)
        {
            Append(Event(this, Actor.System, at, CaseEventKind.Escalated, State, deadline.EscalationNote) with
            {
                MissedDeadline = deadline.Key,
            });
        }

        return missed;
    }

    /// <summary>
    /// Evidence files are attached by whoever may now take a step that cites evidence (立行立改, 申诉, 整改反馈): the
    /// assigned department's handler while the case waits for one of them. Anyone else who may see the case (the hall
    /// manager, an auditor) reads the files but adds none: PermissionDenied; the right handler at the wrong stage:
    /// FailedPrecondition.
    /// </summary>
    public void RequireMayAttachEvidence(Actor by, StepContext context)
    {
        var citing = BadReviewSteps.Catalog.Steps.Where(s => s.Inputs.Any(i => i.Kind == StepInputKind.Evidence)).ToList();
        if (!citing.Any(s => s.IsTakenBy(this, by)))
        {
            throw new CasePermissionException(Id, by, "上传证据");
        }

        if (!AllowedSteps(by, context).Any(citing.Contains))
        {
            throw new CaseTransitionException(Id, StateLabel, "上传证据", "当前没有需要证据的操作");
        }
    }
}

/// <summary>Who a missed deadline is escalated to: first the hall manager, later the district supervisor.</summary>
public enum EscalationTier
{
    HallManager = 1,
    DistrictSupervisor = 2,
}

/// <summary>
/// A deadline a case can miss, at one tier of escalation: its stage, in the audit trail's words, and when the escalation
/// falls due (the deadline itself for the hall manager; some working days later for the district supervisor, whose
/// <paramref name="MissedDue"/> is the deadline's own instant).
/// </summary>
public sealed record MissableDeadline(string Stage, DateTimeOffset Due, EscalationTier Tier = EscalationTier.HallManager, DateTimeOffset? MissedDue = null)
{
    public const string SupervisorKeySuffix = "→督办人员";

    /// <summary>
    /// Identifies the deadline and tier among a case's: an extension or a reopened round has a due instant of its own. The
    /// hall manager's key is the deadline's alone, as events stored before the second tier have it.
    /// </summary>
    public string Key => Tier switch
    {
        EscalationTier.HallManager => $"{Stage}@{Due.ToUnixTimeMilliseconds()}",
        EscalationTier.DistrictSupervisor => $"{Stage}@{(MissedDue ?? Due).ToUnixTimeMilliseconds()}{SupervisorKeySuffix}",
        _ => throw new InvalidOperationException($"unknown escalation tier {Tier}"),
    };

    /// <summary>The audit event's note.</summary>
    public string EscalationNote => Tier switch
    {
        EscalationTier.HallManager => $"{Stage}已逾期，自动升级至大厅负责人督办",
        EscalationTier.DistrictSupervisor => $"{Stage}逾期后仍未完成，自动升级至区级督办人员督办",
        _ => throw new InvalidOperationException($"unknown escalation tier {Tier}"),
    };
}
