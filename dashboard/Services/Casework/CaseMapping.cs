using System.Globalization;
using ServiceHall.Protos.V1;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Maps the case and account messages to the console's records and back; components never see proto types.</summary>
public static class CaseMapping
{
    public static ConsoleAccount ToStaffAccount(this Proto.StaffAccount account) => new(
        account.UserName,
        account.DisplayName,
        account.Role switch
        {
            StaffRole.DepartmentHandler => ConsoleRole.DepartmentHandler,
            StaffRole.HallManager => ConsoleRole.HallManager,
            StaffRole.Supervisor => ConsoleRole.Supervisor,
            StaffRole.Auditor => ConsoleRole.Auditor,
            StaffRole.Administrator => ConsoleRole.Administrator,
            StaffRole.Moderator => ConsoleRole.Moderator,
            _ => ConsoleRole.Unknown,
        },
        account.DepartmentCode);

    public static ListCasesRequest ToRequest(this CaseQueueFilter filter)
    {
        var request = new ListCasesRequest
        {
            DepartmentCode = filter.DepartmentCode.Trim(),
            WindowCode = filter.WindowCode.Trim(),
            // 只看逾期/预警: overdue cases and, with due_soon_too, those about to be.
            OverdueOnly = filter.OverdueOrDueSoonOnly,
            DueSoonToo = filter.OverdueOrDueSoonOnly,
        };
        request.States.AddRange(filter.Stages.Select(ToProto));
        return request;
    }

    public static CaseRow ToCaseRow(this CaseSummary summary) => new(
        summary.CaseId,
        summary.State.ToStage(),
        summary.StateLabel is { Length: > 0 } label ? label : summary.State.ToStage().Label(),
        summary.Level.ToSatisfactionLevel(),
        summary.DepartmentCode,
        summary.DepartmentName is { Length: > 0 } name ? name : summary.DepartmentCode,
        summary.WindowCode,
        summary.ServiceItemName,
        summary.ReceivedAt?.ToDateTimeOffset(),
        summary.ContactDue?.ToDateTimeOffset(),
        summary.RectificationDue?.ToDateTimeOffset(),
        summary.ContactStatus.ToDeadlineState(),
        summary.RectificationStatus.ToDeadlineState(),
        summary.RealName,
        summary.Escalated);

    public static CaseFile ToCaseFile(this GetCaseResponse response) => new(
        (response.Summary ?? new CaseSummary()).ToCaseRow(),
        response.Rating is { } rating
            ? new CaseRating(
                rating.Level.ToSatisfactionLevel(),
                [.. rating.ReasonTagLabels],
                rating.Text,
                rating.RatedAt?.ToDateTimeOffset(),
                rating.Channel,
                rating.MaskedPhone)
            : null,
        response.Timeline
            .OrderBy(entry => entry.Sequence)
            .Select(entry => new CaseTimelineEntry(
                entry.Sequence,
                entry.At?.ToDateTimeOffset(),
                entry.ActorId,
                entry.ActorRole,
                entry.Action,
                entry.FromState.ToStage(),
                entry.ToState.ToStage(),
                entry.Note,
                [.. entry.Evidence]))
            .ToArray(),
        [.. response.AllowedActions]);

    public static CaseChange ToCaseChange(this CaseNotice notice) =>
        new((notice.Summary ?? new CaseSummary()).ToCaseRow(), notice.Opened);

    /// <summary>Builds the request of one action; the oneof case set is the action's <see cref="CaseAction.Name"/>.</summary>
    public static ActOnCaseRequest ToRequest(this CaseAction action, string caseId)
    {
        var request = new ActOnCaseRequest { CaseId = caseId };
        switch (action)
        {
            case AssignCase a:
                request.Assign = new ActOnCaseRequest.Types.Assign { DepartmentCode = a.DepartmentCode, HandlerId = a.HandlerId, Note = a.Note };
                break;
            case LogCallAttempt a:
                request.LogCallAttempt = new ActOnCaseRequest.Types.LogCallAttempt { Outcome = ToProto(a.Outcome), Note = a.Note };
                break;
            case MarkContacted a:
                request.MarkContacted = new ActOnCaseRequest.Types.MarkContacted { Verification = a.Verification };
                break;
            case SkipCallbackAnonymous:
                request.SkipCallbackAnonymous = new ActOnCaseRequest.Types.SkipCallbackAnonymous();
                break;
            case RecordCallbackFailed a:
                request.RecordCallbackFailed = new ActOnCaseRequest.Types.RecordCallbackFailed { Reason = a.Reason };
                break;
            case FixAtOnce a:
                request.FixAtOnce = new ActOnCaseRequest.Types.FixAtOnce { WhatWasDone = a.WhatWasDone, Evidence = { a.Evidence } };
                break;
            case RectifyByDeadline a:
                request.RectifyByDeadline = new ActOnCaseRequest.Types.RectifyByDeadline
                {
                    Reason = a.Reason,
                    DueDay = Day(a.DueDay),
                    LedgerEntry = a.LedgerEntry,
                };
                break;
            case ExplainCase a:
                request.Explain = new ActOnCaseRequest.Types.Explain { LegalBasis = a.LegalBasis, Explanation = a.Explanation };
                break;
            case AppealCase a:
                request.Appeal = new ActOnCaseRequest.Types.Appeal { Grounds = a.Grounds, Evidence = { a.Evidence } };
                break;
            case RuleOnAppeal a:
                request.RuleOnAppeal = new ActOnCaseRequest.Types.RuleOnAppeal
                {
                    Uphold = a.Uphold,
                    Finding = a.Finding switch
                    {
                        AppealVerdict.Misrated => AppealFinding.Misrated,
                        AppealVerdict.Malicious => AppealFinding.Malicious,
                        null => AppealFinding.Unspecified,
                        _ => throw new ArgumentOutOfRangeException(nameof(action), a.Finding, null),
                    },
                    Ruling = a.Ruling,
                };
                break;
            case GiveFeedback a:
                request.GiveFeedback = new ActOnCaseRequest.Types.GiveFeedback { Content = a.Content, Evidence = { a.Evidence } };
                break;
            case RecordSatisfaction a:
                request.RecordSatisfaction = new ActOnCaseRequest.Types.RecordSatisfaction
                {
                    Satisfaction = a.Satisfaction switch
                    {
                        FixSatisfaction.Satisfied => RaterSatisfaction.Satisfied,
                        FixSatisfaction.BasicallySatisfied => RaterSatisfaction.BasicallySatisfied,
                        FixSatisfaction.Dissatisfied => RaterSatisfaction.Dissatisfied,
                        _ => throw new ArgumentOutOfRangeException(nameof(action), a.Satisfaction, null),
                    },
                    Note = a.Note,
                };
                break;
            case CloseCase a:
                request.Close = new ActOnCaseRequest.Types.Close { Note = a.Note };
                break;
            case EscalateCase a:
                request.Escalate = new ActOnCaseRequest.Types.Escalate { Note = a.Note };
                break;
            case ExtendRectification a:
                request.ExtendRectification = new ActOnCaseRequest.Types.ExtendRectification { NewDueDay = Day(a.NewDueDay), Reason = a.Reason };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action, "unknown case action");
        }

        return request;
    }

    public static CaseStage ToStage(this CaseState state) => state switch
    {
        CaseState.New => CaseStage.New,
        CaseState.Assigned => CaseStage.Assigned,
        CaseState.Contacted => CaseStage.Contacted,
        CaseState.FixedAtOnce => CaseStage.FixedAtOnce,
        CaseState.RectifyingByDeadline => CaseStage.RectifyingByDeadline,
        CaseState.Explained => CaseStage.Explained,
        CaseState.Appealed => CaseStage.Appealed,
        CaseState.AppealUpheld => CaseStage.AppealUpheld,
        CaseState.FeedbackGiven => CaseStage.FeedbackGiven,
        CaseState.Closed => CaseStage.Closed,
        _ => CaseStage.Unknown,
    };

    public static CaseState ToProto(this CaseStage stage) => stage switch
    {
        CaseStage.New => CaseState.New,
        CaseStage.Assigned => CaseState.Assigned,
        CaseStage.Contacted => CaseState.Contacted,
        CaseStage.FixedAtOnce => CaseState.FixedAtOnce,
        CaseStage.RectifyingByDeadline => CaseState.RectifyingByDeadline,
        CaseStage.Explained => CaseState.Explained,
        CaseStage.Appealed => CaseState.Appealed,
        CaseStage.AppealUpheld => CaseState.AppealUpheld,
        CaseStage.FeedbackGiven => CaseState.FeedbackGiven,
        CaseStage.Closed => CaseState.Closed,
        CaseStage.Unknown => CaseState.Unspecified,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    public static DeadlineState ToDeadlineState(this DeadlineStatus status) => status switch
    {
        DeadlineStatus.OnTrack => DeadlineState.OnTrack,
        DeadlineStatus.DueSoon => DeadlineState.DueSoon,
        DeadlineStatus.Overdue => DeadlineState.Overdue,
        DeadlineStatus.Done => DeadlineState.Done,
        _ => DeadlineState.Unknown,
    };

    /// <summary>GB/T 39046 A.8 coding on the wire (1 = 非常满意 … 5 = 非常不满意); null when unspecified.</summary>
    public static SatisfactionLevel? ToSatisfactionLevel(this RatingLevel level) => level switch
    {
        RatingLevel.VerySatisfied => SatisfactionLevel.VerySatisfied,
        RatingLevel.Satisfied => SatisfactionLevel.Satisfied,
        RatingLevel.BasicallySatisfied => SatisfactionLevel.BasicallySatisfied,
        RatingLevel.Dissatisfied => SatisfactionLevel.Dissatisfied,
        RatingLevel.VeryDissatisfied => SatisfactionLevel.VeryDissatisfied,
        _ => null,
    };

    private static CallOutcome ToProto(CallResult result) => result switch
    {
        CallResult.Reached => CallOutcome.Reached,
        CallResult.NotReached => CallOutcome.NotReached,
        CallResult.Refused => CallOutcome.Refused,
        _ => throw new ArgumentOutOfRangeException(nameof(result), result, null),
    };

    /// <summary>The contract's local day format, "yyyy-MM-dd".</summary>
    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
