using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Where a question stands, as the console groups its queue (the server's QuestionState).</summary>
public enum QuestionStage
{
    /// <summary>A state this console does not know (a newer server).</summary>
    Unknown,

    /// <summary>待交办: the hall manager routes it.</summary>
    Received,

    /// <summary>待答复: with the department that answers it.</summary>
    Routed,

    /// <summary>已答复待审核: the citizen agreed to an FAQ entry; the office reviews it.</summary>
    AwaitingFaqReview,

    /// <summary>已办结.</summary>
    Closed,
}

/// <summary>Where a "could not get it done" report stands (the server's CouldNotBeDoneState).</summary>
public enum ReportStage
{
    Unknown,

    /// <summary>待回访.</summary>
    Received,

    /// <summary>已回访.</summary>
    CalledBack,

    /// <summary>已办结.</summary>
    Concluded,
}

/// <summary>
/// A question in the console's queue. The citizen's number is never sent to the console: only whether one was left.
/// </summary>
public sealed record QuestionRow(
    string Id, QuestionStage Stage, string StateLabel, string Text, string ServiceItemCode, string DepartmentCode, string ReceivedDay,
    string DueDay, bool Overdue, bool Escalated, bool FaqConsent, bool HasContact)
{
    public bool IsOpen => Stage is QuestionStage.Received or QuestionStage.Routed;
}

/// <summary>One record of an enquiry's audit trail, oldest first.</summary>
public sealed record EnquiryTrailEntry(int Sequence, DateTimeOffset? At, string ActorId, string ActorRole, string Action, string Note, string Details);

/// <summary>A question as its page shows it: the answer, the FAQ entry made of it, the trail and the steps offered now.</summary>
public sealed record QuestionFile(
    QuestionRow Row, string Answer, string AnsweredDay, bool AnsweredLate, int WorkingDaysTaken, string FaqQuestion, string FaqAnswer,
    IReadOnlyList<EnquiryTrailEntry> Trail, IReadOnlyList<OfferedStep> Steps);

/// <summary>A report in the hall manager's queue (the number is not in it).</summary>
public sealed record ReportRow(
    string Id, string Number, ReportStage Stage, string StateLabel, string What, string Window, string ServiceItemCode, string HappenedOn,
    string ReceivedDay, string DueDay, bool Overdue, bool Escalated)
{
    public bool IsOpen => Stage is ReportStage.Received or ReportStage.CalledBack;
}

/// <summary>
/// A report as its page shows it: the number masked, the callbacks, the outcome, the trail, the step forms offered now, and
/// whether the user may reveal the number (a step with a call of its own, audited by the server).
/// </summary>
public sealed record ReportFile(
    ReportRow Row, string MaskedPhone, int CallAttempts, string OutcomeLabel, string ReferredTo, bool ConcludedLate, int WorkingDaysTaken,
    IReadOnlyList<EnquiryTrailEntry> Trail, IReadOnlyList<OfferedStep> Steps, bool MayRevealContact);

/// <summary>Which of the two enquiry kinds a month's figures are of.</summary>
public enum EnquiryFiguresKind
{
    Question = 1,
    CouldNotBeDoneReport = 2,
}

/// <summary>
/// One month's figures of one enquiry kind, as the server counts them (by day of receipt): received, done (answered or
/// concluded), done within the limit, and the median working days taken by those done (null when none is done).
/// </summary>
public sealed record EnquiryMonthView(EnquiryFiguresKind Kind, int Year, int Month, int Received, int Done, int DoneOnTime, double? MedianWorkingDays)
{
    /// <summary>"办事咨询" or "办不成事反映".</summary>
    public string KindLabel => Kind == EnquiryFiguresKind.Question ? "办事咨询" : "办不成事反映";

    /// <summary>What "done" is for this kind: 答复 or 办结.</summary>
    public string DoneLabel => Kind == EnquiryFiguresKind.Question ? "已答复" : "已办结";
}

/// <summary>The console's calls to QuestionService: questions (办事咨询) and "could not get it done" reports (办不成事反映).</summary>
public sealed class EnquiryClient(QuestionService.QuestionServiceClient client, ConsoleSession session)
{
    public async Task<IReadOnlyList<QuestionRow>> ListQuestionsAsync(bool openOnly, CancellationToken cancellationToken = default)
    {
        var request = new ListQuestionsRequest();
        if (openOnly)
        {
            // Open for the console: not yet answered, or answered and waiting for the FAQ review.
            request.States.AddRange([QuestionState.Received, QuestionState.Routed, QuestionState.AwaitingFaqReview]);
        }

        var response = await session.CallAsync(headers => client.ListQuestionsAsync(request, headers, Deadline(), cancellationToken));
        return response.Questions.Select(ToRow).ToList();
    }

    public async Task<QuestionFile> GetQuestionAsync(string id, CancellationToken cancellationToken = default) =>
        ToFile(await session.CallAsync(headers => client.GetQuestionAsync(
            new GetQuestionRequest { QuestionId = id }, headers, Deadline(), cancellationToken)));

    public async Task<QuestionFile> ActOnQuestionAsync(string id, StepSubmission submission, CancellationToken cancellationToken = default)
    {
        var request = new ActOnQuestionRequest { QuestionId = id, Step = submission.Step.Name };
        request.Inputs.AddRange(submission.ToInputValues());
        var response = await session.CallAsync(headers => client.ActOnQuestionAsync(request, headers, Deadline(), cancellationToken));
        return ToFile(response.Question ?? new GetQuestionResponse());
    }

    public async Task<IReadOnlyList<ReportRow>> ListReportsAsync(bool openOnly, CancellationToken cancellationToken = default)
    {
        var request = new ListCouldNotBeDoneReportsRequest();
        if (openOnly)
        {
            request.States.AddRange([CouldNotBeDoneState.Received, CouldNotBeDoneState.CalledBack]);
        }

        var response = await session.CallAsync(headers => client.ListCouldNotBeDoneReportsAsync(request, headers, Deadline(), cancellationToken));
        return response.Reports.Select(ToRow).ToList();
    }

    public async Task<ReportFile> GetReportAsync(string id, CancellationToken cancellationToken = default) =>
        ToFile(await session.CallAsync(headers => client.GetCouldNotBeDoneReportAsync(
            new GetCouldNotBeDoneReportRequest { ReportId = id }, headers, Deadline(), cancellationToken)));

    public async Task<ReportFile> ActOnReportAsync(string id, StepSubmission submission, CancellationToken cancellationToken = default)
    {
        var request = new ActOnCouldNotBeDoneReportRequest { ReportId = id, Step = submission.Step.Name };
        request.Inputs.AddRange(submission.ToInputValues());
        var response = await session.CallAsync(headers => client.ActOnCouldNotBeDoneReportAsync(request, headers, Deadline(), cancellationToken));
        return ToFile(response.Report ?? new GetCouldNotBeDoneReportResponse());
    }

    /// <summary>
    /// The citizen's full number, for the callback. The server records who looked, when and why in the report's trail before
    /// it answers; the page keeps the number only while it is open.
    /// </summary>
    public async Task<string> RevealReportContactAsync(string id, string reason, CancellationToken cancellationToken = default)
    {
        var response = await session.CallAsync(headers => client.RevealReportContactAsync(
            new RevealReportContactRequest { ReportId = id, Reason = reason }, headers, Deadline(), cancellationToken));
        return response.Phone;
    }

    /// <summary>One month's figures of one kind (a district-level supervisor's call).</summary>
    public async Task<EnquiryMonthView> MonthFiguresAsync(EnquiryFiguresKind kind, int year, int month, CancellationToken cancellationToken = default)
    {
        var request = new GetEnquiryMonthFiguresRequest
        {
            Kind = kind == EnquiryFiguresKind.Question ? EnquiryKind.Question : EnquiryKind.CouldNotBeDoneReport, Year = year, Month = month,
        };
        var r = await session.CallAsync(headers => client.GetEnquiryMonthFiguresAsync(request, headers, Deadline(), cancellationToken));
        return new EnquiryMonthView(kind, r.Year, r.Month, r.Received, r.Done, r.DoneOnTime, r.HasMedianWorkingDays ? r.MedianWorkingDays : null);
    }

    private static DateTime Deadline() => DateTime.UtcNow + CaseClient.CallTimeout;

    internal static QuestionRow ToRow(QuestionSummary s) => new(
        s.QuestionId,
        s.State switch
        {
            QuestionState.Received => QuestionStage.Received,
            QuestionState.Routed => QuestionStage.Routed,
            QuestionState.AwaitingFaqReview => QuestionStage.AwaitingFaqReview,
            QuestionState.Closed => QuestionStage.Closed,
            _ => QuestionStage.Unknown,
        },
        s.StateLabel, s.Text, s.ServiceItemCode, s.AssignedDepartmentCode, s.ReceivedDay, s.AnswerDueDay, s.Overdue, s.Escalated, s.FaqConsent,
        s.HasContact);

    internal static ReportRow ToRow(CouldNotBeDoneReportSummary s) => new(
        s.ReportId, s.ReportNumber,
        s.State switch
        {
            CouldNotBeDoneState.Received => ReportStage.Received,
            CouldNotBeDoneState.CalledBack => ReportStage.CalledBack,
            CouldNotBeDoneState.Concluded => ReportStage.Concluded,
            _ => ReportStage.Unknown,
        },
        s.StateLabel, s.What, s.Window, s.ServiceItemCode, s.HappenedOn, s.ReceivedDay, s.DueDay, s.Overdue, s.Escalated);

    private static QuestionFile ToFile(GetQuestionResponse r) => new(
        ToRow(r.Summary ?? new QuestionSummary()), r.Answer, r.AnsweredDay, r.AnsweredLate, r.WorkingDaysTaken, r.FaqQuestion, r.FaqAnswer,
        [.. r.Timeline.Select(ToEntry)],
        [.. r.AllowedSteps.Where(s => !s.HasOwnCall).Select(CaseMapping.ToOfferedStep)]);

    private static ReportFile ToFile(GetCouldNotBeDoneReportResponse r) => new(
        ToRow(r.Summary ?? new CouldNotBeDoneReportSummary()), r.MaskedPhone, r.CallAttempts, r.OutcomeLabel, r.ReferredTo, r.ConcludedLate,
        r.WorkingDaysTaken, [.. r.Timeline.Select(ToEntry)],
        [.. r.AllowedSteps.Where(s => !s.HasOwnCall).Select(CaseMapping.ToOfferedStep)],
        r.AllowedSteps.Any(s => s.HasOwnCall && s.Name == "reveal_contact"));

    private static EnquiryTrailEntry ToEntry(EnquiryTimelineEntry e) =>
        new(e.Sequence, e.At?.ToDateTimeOffset(), e.ActorId, e.ActorRole, e.Action, e.Note, e.Details);
}
