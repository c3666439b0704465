using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>
/// A QuestionService client that answers from set questions and reports, keeps every request, and answers a step or a reveal
/// the way a test sets (by default: the same question or report, with the step recorded in its trail).
/// </summary>
internal sealed class FakeEnquiries : QuestionService.QuestionServiceClient
{
    public List<QuestionSummary> Questions { get; } = [];

    public Dictionary<string, GetQuestionResponse> QuestionFiles { get; } = [];

    public List<CouldNotBeDoneReportSummary> Reports { get; } = [];

    public Dictionary<string, GetCouldNotBeDoneReportResponse> ReportFiles { get; } = [];

    public List<object> Requests { get; } = [];

    public List<string?> AuthorizationHeaders { get; } = [];

    /// <summary>What a step on a question returns; null: the file as it is.</summary>
    public Func<ActOnQuestionRequest, GetQuestionResponse>? OnQuestionStep { get; set; }

    public Func<ActOnCouldNotBeDoneReportRequest, GetCouldNotBeDoneReportResponse>? OnReportStep { get; set; }

    public string RevealedPhone { get; set; } = "13812345678";

    public override AsyncUnaryCall<ListQuestionsResponse> ListQuestionsAsync(
        ListQuestionsRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        var response = new ListQuestionsResponse();
        response.Questions.AddRange(Questions.Where(q => request.States.Count == 0 || request.States.Contains(q.State)));
        return Answer(response);
    }

    public override AsyncUnaryCall<GetQuestionResponse> GetQuestionAsync(
        GetQuestionRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        return QuestionFiles.TryGetValue(request.QuestionId, out var file)
            ? Answer(file)
            : Fail<GetQuestionResponse>(StatusCode.NotFound, "没有这条咨询");
    }

    public override AsyncUnaryCall<ActOnQuestionResponse> ActOnQuestionAsync(
        ActOnQuestionRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        var file = OnQuestionStep?.Invoke(request) ?? QuestionFiles[request.QuestionId];
        QuestionFiles[request.QuestionId] = file;
        return Answer(new ActOnQuestionResponse { Question = file });
    }

    public override AsyncUnaryCall<ListCouldNotBeDoneReportsResponse> ListCouldNotBeDoneReportsAsync(
        ListCouldNotBeDoneReportsRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        var response = new ListCouldNotBeDoneReportsResponse();
        response.Reports.AddRange(Reports.Where(r => request.States.Count == 0 || request.States.Contains(r.State)));
        return Answer(response);
    }

    public override AsyncUnaryCall<GetCouldNotBeDoneReportResponse> GetCouldNotBeDoneReportAsync(
        GetCouldNotBeDoneReportRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        return ReportFiles.TryGetValue(request.ReportId, out var file)
            ? Answer(file)
            : Fail<GetCouldNotBeDoneReportResponse>(StatusCode.NotFound, "没有这条反映");
    }

    public override AsyncUnaryCall<ActOnCouldNotBeDoneReportResponse> ActOnCouldNotBeDoneReportAsync(
        ActOnCouldNotBeDoneReportRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        var file = OnReportStep?.Invoke(request) ?? ReportFiles[request.ReportId];
        ReportFiles[request.ReportId] = file;
        return Answer(new ActOnCouldNotBeDoneReportResponse { Report = file });
    }

    /// <summary>As the server does: the access goes into the report's trail before the number is sent.</summary>
    public override AsyncUnaryCall<RevealReportContactResponse> RevealReportContactAsync(
        RevealReportContactRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        var file = ReportFiles[request.ReportId];
        file.Timeline.Add(new EnquiryTimelineEntry
        {
            Sequence = file.Timeline.Count + 1, ActorId = "manager", ActorRole = "HallManager", Action = "查看回访号码", Note = request.Reason,
        });
        return Answer(new RevealReportContactResponse { Phone = RevealedPhone });
    }

    public Func<GetEnquiryMonthFiguresRequest, GetEnquiryMonthFiguresResponse>? OnMonthFigures { get; set; }

    public override AsyncUnaryCall<GetEnquiryMonthFiguresResponse> GetEnquiryMonthFiguresAsync(
        GetEnquiryMonthFiguresRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
    {
        Keep(request, headers);
        return OnMonthFigures is { } answer
            ? Answer(answer(request))
            : Fail<GetEnquiryMonthFiguresResponse>(StatusCode.PermissionDenied, "只有区级督办人员查看月度数字");
    }

    private void Keep(object request, Metadata? headers)
    {
        lock (Requests)
        {
            Requests.Add(request);
            AuthorizationHeaders.Add(headers?.GetValue("authorization"));
        }
    }

    private static AsyncUnaryCall<T> Answer<T>(T response) =>
        new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

    private static AsyncUnaryCall<T> Fail<T>(StatusCode code, string detail) =>
        new(Task.FromException<T>(new RpcException(new Status(code, detail))), Task.FromResult(new Metadata()),
            () => new Status(code, detail), () => [], () => { });
}
