using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Domain;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>Hand-written mapping of the case contract: requests to domain steps, cases to what staff may see.</summary>
internal static class CaseMapping
{
    public static Guid ParseCaseId(string caseId) =>
        Guid.TryParse(caseId, out var id) ? id : throw new InvalidInputException("case_id", "必须是案件编号（UUID）");

    public static CaseFilter ToFilter(this Proto.ListCasesRequest r) => new(
        r.States.Where(s => s != Proto.CaseState.Unspecified).Select(s => (CaseState)(int)s).ToHashSet(),
        EmptyToNull(r.DepartmentCode),
        EmptyToNull(r.WindowCode),
        r.OverdueOnly,
        r.DueSoonToo,
        r.Limit);

    /// <summary>The domain step an ActOnCase request asks for; the inputs are checked by the case itself.</summary>
    public static Action<BadReviewCase, Actor, DateTimeOffset> ToStep(this Proto.ActOnCaseRequest r, CaseTimeLimits limits) => r.ActionCase switch
    {
        Proto.ActOnCaseRequest.ActionOneofCase.Assign => (c, by, at) =>
        {
            if (c.State == CaseState.New)
            {
                c.Assign(by, r.Assign.DepartmentCode, r.Assign.HandlerId, r.Assign.Note, at);
            }
            else
            {
                c.Reassign(by, r.Assign.DepartmentCode, r.Assign.HandlerId, r.Assign.Note, at);
            }
        },
        Proto.ActOnCaseRequest.ActionOneofCase.LogCallAttempt => (c, by, at) =>
            c.LogCallAttempt(by, ToDomain(r.LogCallAttempt.Outcome), r.LogCallAttempt.Note, at),
        Proto.ActOnCaseRequest.ActionOneofCase.MarkContacted => (c, by, at) => c.MarkContacted(by, r.MarkContacted.Verification, at),
        Proto.ActOnCaseRequest.ActionOneofCase.SkipCallbackAnonymous => (c, by, at) => c.SkipCallbackAnonymous(by, at),
        Proto.ActOnCaseRequest.ActionOneofCase.RecordCallbackFailed => (c, by, at) =>
            c.RecordCallbackFailed(by, r.RecordCallbackFailed.Reason, limits, at),
        Proto.ActOnCaseRequest.ActionOneofCase.FixAtOnce => (c, by, at) =>
            c.FixAtOnce(by, r.FixAtOnce.WhatWasDone, r.FixAtOnce.Evidence, at),
        Proto.ActOnCaseRequest.ActionOneofCase.RectifyByDeadline => (c, by, at) =>
            c.RectifyByDeadline(by, r.RectifyByDeadline.Reason, ParseDay(r.RectifyByDeadline.DueDay, "due_day"),
                r.RectifyByDeadline.LedgerEntry, limits, at),
        Proto.ActOnCaseRequest.ActionOneofCase.Explain => (c, by, at) => c.Explain(by, r.Explain.LegalBasis, r.Explain.Explanation, at),
        Proto.ActOnCaseRequest.ActionOneofCase.Appeal => (c, by, at) => c.Appeal(by, r.Appeal.Grounds, r.Appeal.Evidence, at),
        Proto.ActOnCaseRequest.ActionOneofCase.RuleOnAppeal => (c, by, at) =>
        {
            if (r.RuleOnAppeal.Uphold)
            {
                c.UpholdAppeal(by, ToDomain(r.RuleOnAppeal.Finding), r.RuleOnAppeal.Ruling, at);
            }
            else
            {
                c.RejectAppeal(by, r.RuleOnAppeal.Ruling, at);
            }
        },
        Proto.ActOnCaseRequest.ActionOneofCase.GiveFeedback => (c, by, at) =>
            c.GiveFeedback(by, r.GiveFeedback.Content, r.GiveFeedback.Evidence, at),
        Proto.ActOnCaseRequest.ActionOneofCase.RecordSatisfaction => (c, by, at) =>
            c.RecordSatisfaction(by, ToDomain(r.RecordSatisfaction.Satisfaction), r.RecordSatisfaction.Note, limits, at),
        Proto.ActOnCaseRequest.ActionOneofCase.Close => (c, by, at) =>
        {
            if (c.State == CaseState.FeedbackGiven)
            {
                c.CloseWithoutSatisfaction(by, r.Close.Note, at);
            }
            else
            {
                c.Close(by, r.Close.Note, at);
            }
        },
        Proto.ActOnCaseRequest.ActionOneofCase.Escalate => (c, by, at) => c.Escalate(by, r.Escalate.Note, at),
        Proto.ActOnCaseRequest.ActionOneofCase.ExtendRectification => (c, by, at) =>
            c.ExtendRectification(by, ParseDay(r.ExtendRectification.NewDueDay, "new_due_day"), r.ExtendRectification.Reason, limits, at),
        Proto.ActOnCaseRequest.ActionOneofCase.None => throw new InvalidInputException("action", "未指定操作"),
        _ => throw new InvalidInputException("action", "未知操作"),
    };

    public static Proto.CaseSummary ToSummary(this BadReviewCase c, CaseDeadlineReport deadlines, DistrictCatalog catalog)
    {
        var department = c.AssignedDepartmentCode ?? c.DepartmentCode;
        return new Proto.CaseSummary
        {
            CaseId = c.Id.ToString(),
            State = (Proto.CaseState)(int)c.State,
            StateLabel = c.State.Label(),
            Level = c.Level.ToProto(),
            HallCode = c.HallCode,
            DepartmentCode = department,
            DepartmentName = catalog.FindDepartment(department)?.ShortName ?? department,
            WindowCode = c.WindowCode ?? "",
            WindowName = c.WindowCode is null ? "" : catalog.FindHall(c.HallCode)?.FindWindow(c.WindowCode)?.Name ?? "",
            ServiceItemCode = c.ServiceItemCode ?? "",
            ServiceItemName = c.ServiceItemCode is null ? "" : catalog.FindServiceItem(c.ServiceItemCode)?.Name ?? "",
            ReceivedAt = Timestamp.FromDateTimeOffset(c.ReceivedAt),
            ContactDue = Timestamp.FromDateTimeOffset(c.Deadlines.ContactDue),
            RectificationDue = Timestamp.FromDateTimeOffset(c.Deadlines.RectificationDue),
            ContactStatus = (Proto.DeadlineStatus)(int)deadlines.Contact,
            RectificationStatus = (Proto.DeadlineStatus)(int)deadlines.Rectification,
            RealName = c.IsRealName,
            Escalated = c.IsEscalated,
            AssignedHandlerId = c.AssignedHandlerId ?? "",
        };
    }

    public static Proto.GetCaseResponse ToProto(this CaseView view, DistrictCatalog catalog)
    {
        var response = new Proto.GetCaseResponse { Summary = view.Case.ToSummary(view.Deadlines, catalog) };
        if (view.Rating is { } rating)
        {
            response.Rating = new Proto.RatedService
            {
                RatingId = rating.RatingId.ToString(),
                Level = rating.Level.ToProto(),
                Text = rating.Text ?? "",
                RatedAt = Timestamp.FromDateTimeOffset(rating.RatedAt),
                Channel = rating.Channel.Label(),
                MaskedPhone = view.MaskedPhone ?? "",
            };
            response.Rating.ReasonTagLabels.AddRange(rating.ReasonTagCodes.Select(code => catalog.ReasonTags.Find(code)?.Label ?? code));
        }

        response.Timeline.AddRange(view.Case.Events.Select(e =>
        {
            var entry = new Proto.CaseTimelineEntry
            {
                Sequence = e.Sequence,
                At = Timestamp.FromDateTimeOffset(e.At),
                ActorId = e.By.Id,
                ActorRole = e.By.Role.ToString(),
                Action = e.Call is { } call ? $"{e.Kind.Label()}（{call switch
                {
                    CallOutcome.Reached => "已接通",
                    CallOutcome.NotReached => "未接通",
                    CallOutcome.Refused => "拒绝",
                    _ => throw new ArgumentOutOfRangeException(nameof(view), call, null),
                }}）" : e.Kind.Label(),
                ActionCode = e.Kind.ToString(),
                FromState = (Proto.CaseState)(int)e.From,
                ToState = (Proto.CaseState)(int)e.To,
                Note = e.Note ?? "",
            };
            entry.Evidence.AddRange(e.Evidence);
            return entry;
        }));
        response.AllowedActions.AddRange(view.AllowedActions);
        return response;
    }

    public static Proto.StaffAccount ToProto(this StaffAccount account) => new()
    {
        UserName = account.UserName,
        DisplayName = account.DisplayName,
        Role = account.Role.ToProto(),
        DepartmentCode = account.DepartmentCode ?? "",
        HallCode = account.HallCode ?? "",
    };

    private static CallOutcome ToDomain(Proto.CallOutcome outcome) => outcome switch
    {
        Proto.CallOutcome.Reached => CallOutcome.Reached,
        Proto.CallOutcome.NotReached => CallOutcome.NotReached,
        Proto.CallOutcome.Refused => CallOutcome.Refused,
        _ => throw new InvalidInputException("outcome", "须为已接通、未接通或拒绝"),
    };

    private static AppealFinding ToDomain(Proto.AppealFinding finding) => finding switch
    {
        Proto.AppealFinding.Misrated => AppealFinding.Misrated,
        Proto.AppealFinding.Malicious => AppealFinding.Malicious,
        _ => throw new InvalidInputException("finding", "须为误评或恶意差评"),
    };

    private static RaterSatisfaction ToDomain(Proto.RaterSatisfaction satisfaction) => satisfaction switch
    {
        Proto.RaterSatisfaction.Satisfied => RaterSatisfaction.Satisfied,
        Proto.RaterSatisfaction.BasicallySatisfied => RaterSatisfaction.BasicallySatisfied,
        Proto.RaterSatisfaction.Dissatisfied => RaterSatisfaction.Dissatisfied,
        _ => throw new InvalidInputException("satisfaction", "须为满意、基本满意或不满意"),
    };

    private static DateOnly ParseDay(string value, string field) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidInputException(field, "须为 yyyy-MM-dd 格式的日期");

    private static string? EmptyToNull(string value) => value.Length == 0 ? null : value;
}
