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
            StaffRole.DisclosureOfficer => ConsoleRole.DisclosureOfficer,
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
        if (filter.HandlingStage is { } stage)
        {
            request.Stages.Add(stage.ToProto());
        }

        // One search box: a case number, or the 评价编号 a citizen reads out from the kiosk's thank-you screen.
        var number = filter.CaseNumber.Trim();
        if (ServiceHall.Frontend.RatingReference.IsReference(number))
        {
            request.RatingReference = number;
        }
        else
        {
            request.CaseNumber = number;
        }

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
        summary.Escalated,
        summary.CaseNumber,
        summary.WindowName,
        [.. summary.ReasonTagLabels],
        summary.TextExcerpt);

    public static HandlingStage ToProto(this TriageStage stage) => stage switch
    {
        TriageStage.AwaitingAssignment => HandlingStage.AwaitingAssignment,
        TriageStage.AwaitingCallback => HandlingStage.AwaitingCallback,
        TriageStage.Rectifying => HandlingStage.Rectifying,
        TriageStage.AwaitingFeedback => HandlingStage.AwaitingFeedback,
        TriageStage.AwaitingVerdict => HandlingStage.AwaitingVerdict,
        TriageStage.Appeal => HandlingStage.Appeal,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    /// <summary>A stage from the server; null for one this console does not know (it is then not shown as a link).</summary>
    public static TriageStage? ToTriageStage(this HandlingStage stage) => stage switch
    {
        HandlingStage.AwaitingAssignment => TriageStage.AwaitingAssignment,
        HandlingStage.AwaitingCallback => TriageStage.AwaitingCallback,
        HandlingStage.Rectifying => TriageStage.Rectifying,
        HandlingStage.AwaitingFeedback => TriageStage.AwaitingFeedback,
        HandlingStage.AwaitingVerdict => TriageStage.AwaitingVerdict,
        HandlingStage.Appeal => TriageStage.Appeal,
        _ => null,
    };

    public static TriageLoad ToTriageLoad(this CaseLoad load) => new(
        load.Open, load.Overdue, load.DueToday,
        load.Stages.Where(s => s.Stage.ToTriageStage() is not null)
            .Select(s => new TriageStageCount(s.Stage.ToTriageStage()!.Value, s.Label, s.Open, s.Overdue, s.DueToday)).ToList());

    public static CaseTriageView ToView(this GetCaseTriageResponse response) => new(
        (response.Total ?? new CaseLoad()).ToTriageLoad(),
        response.Departments.Select(d => new DepartmentTriage(d.DepartmentCode, d.DepartmentName, (d.Load ?? new CaseLoad()).ToTriageLoad())).ToList());

    public static CaseFile ToCaseFile(this GetCaseResponse response) => new(
        (response.Summary ?? new CaseSummary()).ToCaseRow(),
        response.Rating is { } rating
            ? new CaseRating(
                rating.Level.ToSatisfactionLevel(),
                [.. rating.ReasonTagLabels],
                rating.Text,
                rating.RatedAt?.ToDateTimeOffset(),
                rating.Channel,
                rating.MaskedPhone,
                RatingReference.Of(rating.RatingId),
                rating.FollowUpText,
                rating.FollowUpWrittenAt?.ToDateTimeOffset(),
                rating.TextDeidentified)
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
        [.. response.AllowedSteps.Select(ToOfferedStep)],
        [.. response.EvidenceFiles.Select(ToInfo)]);

    public static EvidenceFileInfo ToInfo(this CaseEvidenceFile file) => new(
        file.EvidenceId, file.FileName, file.ContentType, file.SizeBytes, file.UploadedAt?.ToDateTimeOffset(), file.UploadedBy, file.Reference);

    public static CaseChange ToCaseChange(this CaseNotice notice) =>
        new((notice.Summary ?? new CaseSummary()).ToCaseRow(), notice.Opened);

    /// <summary>The request of one filled-in step: its name and its inputs by name.</summary>
    public static ActOnCaseRequest ToRequest(this StepSubmission submission, string caseId)
    {
        var request = new ActOnCaseRequest { CaseId = caseId, Step = submission.Step.Name };
        request.Inputs.AddRange(submission.ToInputValues());
        return request;
    }

    /// <summary>A filled-in step's inputs as every case type's Act call takes them (the step contract's StepInputValue).</summary>
    public static IEnumerable<StepInputValue> ToInputValues(this StepSubmission submission) =>
        submission.Inputs.Select(input => new StepInputValue { Name = input.Key, Values = { input.Value } });

    public static OfferedStep ToOfferedStep(this CaseStepOffer offer) => new(
        offer.Name,
        offer.Label,
        [.. offer.Inputs.Select(input => new StepField(
            input.Name,
            input.Label,
            input.Kind switch
            {
                StepInputKind.Text => StepFieldKind.Text,
                StepInputKind.LongText => StepFieldKind.LongText,
                StepInputKind.Day => StepFieldKind.Day,
                StepInputKind.Choice => StepFieldKind.Choice,
                StepInputKind.Evidence => StepFieldKind.Evidence,
                StepInputKind.Department => StepFieldKind.Department,
                StepInputKind.StaffId => StepFieldKind.StaffId,
                StepInputKind.Handler => StepFieldKind.Handler,
                _ => StepFieldKind.Unknown,
            },
            input.Required,
            [.. input.Choices.Select(c => new StepFieldChoice(c.Value, c.Label, c.Group))],
            input.Hint,
            ParseDay(input.MinDay),
            ParseDay(input.MaxDay),
            // A list takes one value a line: its control holds every line and the line breaks between them.
            input.MaxValues > 1 ? (input.MaxLength + 1) * input.MaxValues : input.MaxLength,
            input.DefaultValue,
            input.RequiredWhenInput.Length > 0 ? new StepFieldCondition(input.RequiredWhenInput, input.RequiredWhenValue) : null))],
        offer.HasOwnCall,
        offer.Expected);

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

    private static DateOnly? ParseDay(string day) =>
        DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
}
