using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Server.Access;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Enquiries;
using ServiceHall.Server.Storage;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>Questions and "could not get it done" reports: kiosk intake and lookup, staff steps, monthly figures.</summary>
public sealed class QuestionGrpcService(EnquiryDesk desk) : Proto.QuestionService.QuestionServiceBase
{
    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override async Task<Proto.SubmitQuestionResponse> SubmitQuestion(Proto.SubmitQuestionRequest request, ServerCallContext context)
    {
        var (q, created) = await desk.SubmitQuestionAsync(
            context.KioskCaller(), ParseId(request.RequestId, "request_id"), new QuestionAsked(request.Text, request.ServiceItemCode, request.FaqConsent),
            request.ContactPhone, SubmittedAt(request.SubmittedAt), context.CancellationToken);
        return new Proto.SubmitQuestionResponse
        {
            PickupCode = q.PickupCode, ReceivedDay = Day(q.ReceivedDay), AnswerDueDay = Day(q.DueDay), Created = created,
        };
    }

    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override async Task<Proto.FindAnswerResponse> FindAnswer(Proto.FindAnswerRequest request, ServerCallContext context)
    {
        var q = await desk.FindAnswerAsync(request.PickupCode, context.CancellationToken);
        return new Proto.FindAnswerResponse { Question = q.Asked.Text, Answer = q.Answer ?? "", AnsweredDay = Day(q.AnsweredDay!.Value) };
    }

    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override async Task<Proto.SubmitCouldNotBeDoneReportResponse> SubmitCouldNotBeDoneReport(
        Proto.SubmitCouldNotBeDoneReportRequest request, ServerCallContext context)
    {
        var happenedOn = DateOnly.TryParseExact(request.HappenedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : throw new InvalidInputException("happened_on", request.HappenedOn.Length == 0 ? "请选择日期" : "须为 yyyy-MM-dd 格式的日期");
        var (r, created) = await desk.SubmitReportAsync(
            context.KioskCaller(), ParseId(request.RequestId, "request_id"),
            new CouldNotBeDoneAccount(request.What, request.Window, request.ServiceItemCode, happenedOn), request.ContactPhone,
            SubmittedAt(request.SubmittedAt), context.CancellationToken);
        return new Proto.SubmitCouldNotBeDoneReportResponse
        {
            ReportNumber = r.Number, ReceivedDay = Day(r.ReceivedDay), DueDay = Day(r.DueDay), Created = created,
        };
    }

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.ListQuestionsResponse> ListQuestions(Proto.ListQuestionsRequest request, ServerCallContext context)
    {
        var states = request.States.Select(s => s.ToDomain()).ToHashSet();
        var listed = await desk.ListQuestionsAsync(context.StaffCaller(), states, Limit(request.Limit), context.CancellationToken);
        var response = new Proto.ListQuestionsResponse();
        response.Questions.AddRange(listed.Select(q => q.ToSummary(desk.Limits, desk.Now)));
        return response;
    }

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.GetQuestionResponse> GetQuestion(Proto.GetQuestionRequest request, ServerCallContext context) =>
        (await desk.GetQuestionAsync(context.StaffCaller(), ParseId(request.QuestionId, "question_id"), context.CancellationToken)).ToProto(desk.Limits);

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.ActOnQuestionResponse> ActOnQuestion(Proto.ActOnQuestionRequest request, ServerCallContext context)
    {
        var id = ParseId(request.QuestionId, "question_id");
        var view = await desk.ActOnQuestionAsync(context.StaffCaller(), id, Step(request.Step), request.Inputs.ToStepInputs(), context.CancellationToken);
        return new Proto.ActOnQuestionResponse { Question = view.ToProto(desk.Limits) };
    }

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.ListCouldNotBeDoneReportsResponse> ListCouldNotBeDoneReports(
        Proto.ListCouldNotBeDoneReportsRequest request, ServerCallContext context)
    {
        var states = request.States.Select(s => s.ToDomain()).ToHashSet();
        var listed = await desk.ListReportsAsync(context.StaffCaller(), states, Limit(request.Limit), context.CancellationToken);
        var response = new Proto.ListCouldNotBeDoneReportsResponse();
        response.Reports.AddRange(listed.Select(r => r.ToSummary(desk.Limits, desk.Now)));
        return response;
    }

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.GetCouldNotBeDoneReportResponse> GetCouldNotBeDoneReport(
        Proto.GetCouldNotBeDoneReportRequest request, ServerCallContext context)
    {
        var id = ParseId(request.ReportId, "report_id");
        var response = (await desk.GetReportAsync(context.StaffCaller(), id, context.CancellationToken)).ToProto(desk.Limits);
        response.MaskedPhone = await desk.MaskedReportContactAsync(id, context.CancellationToken);
        return response;
    }

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.RevealReportContactResponse> RevealReportContact(Proto.RevealReportContactRequest request, ServerCallContext context)
    {
        var id = ParseId(request.ReportId, "report_id");
        var phone = await desk.RevealReportContactAsync(context.StaffCaller(), id, request.Reason, context.CancellationToken);
        return new Proto.RevealReportContactResponse { Phone = phone };
    }

    [Authorize(Policy = CallerPolicies.EnquiryWorker)]
    public override async Task<Proto.ActOnCouldNotBeDoneReportResponse> ActOnCouldNotBeDoneReport(
        Proto.ActOnCouldNotBeDoneReportRequest request, ServerCallContext context)
    {
        var id = ParseId(request.ReportId, "report_id");
        var view = await desk.ActOnReportAsync(context.StaffCaller(), id, Step(request.Step), request.Inputs.ToStepInputs(), context.CancellationToken);
        var report = view.ToProto(desk.Limits);
        report.MaskedPhone = await desk.MaskedReportContactAsync(id, context.CancellationToken);
        return new Proto.ActOnCouldNotBeDoneReportResponse { Report = report };
    }

    [Authorize(Policy = CallerPolicies.DistrictSupervisor)]
    public override async Task<Proto.GetEnquiryMonthFiguresResponse> GetEnquiryMonthFigures(
        Proto.GetEnquiryMonthFiguresRequest request, ServerCallContext context)
    {
        var figures = await desk.MonthFiguresAsync(request.Kind.ToDomain(), request.Year, request.Month, context.CancellationToken);
        var response = new Proto.GetEnquiryMonthFiguresResponse
        {
            Kind = request.Kind, Year = figures.Year, Month = figures.Month, Received = figures.Received, Done = figures.Done,
            DoneOnTime = figures.DoneOnTime,
        };
        if (figures.MedianWorkingDays is { } median)
        {
            response.MedianWorkingDays = median;
        }

        return response;
    }

    private static Guid ParseId(string id, string field) => Guid.TryParse(id, out var parsed) && parsed != Guid.Empty
        ? parsed
        : throw new InvalidInputException(field, "必须是 UUID");

    private static DateTimeOffset SubmittedAt(Timestamp? at) => at?.ToDateTimeOffset() ?? throw new InvalidInputException("submitted_at", "不能为空");

    private static string Step(string step) => step.Length > 0 ? step : throw new InvalidInputException("step", "未指定操作");

    private static int Limit(int limit) => limit is >= 0 and <= EnquiryDesk.MaxListed ? limit : throw new InvalidInputException("limit", "须为 0 至 200");

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Hand-written mapping of the question contract; explicit enum maps both ways.</summary>
internal static class QuestionMapping
{
    public static Proto.QuestionSummary ToSummary(this CitizenQuestion q, EnquiryTimeLimits limits, DateTimeOffset now) => new()
    {
        QuestionId = q.Id.ToString(),
        State = q.State.ToProto(),
        StateLabel = q.StateLabel,
        Text = q.Asked.Text,
        ServiceItemCode = q.Asked.ServiceItemCode ?? "",
        AssignedDepartmentCode = q.AssignedDepartmentCode ?? "",
        ReceivedDay = Day(q.ReceivedDay),
        AnswerDueDay = Day(q.DueDay),
        Overdue = q.IsOverdue(limits, now),
        Escalated = q.Escalated,
        FaqConsent = q.Asked.FaqConsent,
        HasContact = q.HasContact,
    };

    public static Proto.GetQuestionResponse ToProto(this QuestionView view, EnquiryTimeLimits limits)
    {
        var q = view.Question;
        var response = new Proto.GetQuestionResponse
        {
            Summary = q.ToSummary(limits, view.Context.At),
            Answer = q.Answer ?? "",
            AnsweredDay = q.AnsweredDay is { } day ? Day(day) : "",
            AnsweredLate = q.AnsweredLate,
            WorkingDaysTaken = q.WorkingDaysTaken ?? 0,
            FaqQuestion = q.Faq?.Question ?? "",
            FaqAnswer = q.Faq?.Answer ?? "",
        };
        response.Timeline.AddRange(q.Events.Select(e => Entry(e, e.DepartmentCode is { } d ? $"承办部门 {d}" : "")));
        response.AllowedSteps.AddRange(view.AllowedSteps.Select(s => s.ToOffer(q, view.Context)));
        return response;
    }

    public static Proto.CouldNotBeDoneReportSummary ToSummary(this CouldNotBeDoneReport r, EnquiryTimeLimits limits, DateTimeOffset now) => new()
    {
        ReportId = r.Id.ToString(),
        ReportNumber = r.Number,
        State = r.State.ToProto(),
        StateLabel = r.StateLabel,
        What = r.Account.What,
        HallCode = r.HallCode,
        Window = r.Account.Window ?? "",
        ServiceItemCode = r.Account.ServiceItemCode ?? "",
        HappenedOn = Day(r.Account.HappenedOn),
        ReceivedDay = Day(r.ReceivedDay),
        DueDay = Day(r.DueDay),
        Overdue = r.IsOverdue(limits, now),
        Escalated = r.Escalated,
    };

    public static Proto.GetCouldNotBeDoneReportResponse ToProto(this ReportView view, EnquiryTimeLimits limits)
    {
        var r = view.Report;
        var response = new Proto.GetCouldNotBeDoneReportResponse
        {
            Summary = r.ToSummary(limits, view.Context.At),
            CallAttempts = r.CallAttempts,
            Outcome = r.Outcome is { } o ? CouldNotBeDoneReportSteps.Outcomes.ValueOf(o) : "",
            OutcomeLabel = r.Outcome is { } label ? label.Label() : "",
            ReferredTo = r.ReferredTo ?? "",
            ConcludedLate = r.ConcludedLate,
            WorkingDaysTaken = r.WorkingDaysTaken ?? 0,
        };
        response.Timeline.AddRange(r.Events.Select(e => Entry(e, string.Join("；", new[]
        {
            e.Call is { } call ? $"回访结果：{CouldNotBeDoneReportSteps.CallOutcomes.LabelOf(call)}" : null,
            e.Outcome is { } outcome ? $"办理结果：{outcome.Label()}" : null,
        }.Where(x => x is not null)))));
        response.AllowedSteps.AddRange(view.AllowedSteps.Select(s => s.ToOffer(r, view.Context)));
        return response;
    }

    private static Proto.EnquiryTimelineEntry Entry(ICaseRecord e, string details) => new()
    {
        Sequence = e.Sequence, At = Timestamp.FromDateTimeOffset(e.At), ActorId = e.By.Id, ActorRole = e.By.Role.ToString(), Action = e.What,
        Note = e.Note ?? "", Details = details,
    };

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static CitizenQuestionState ToDomain(this Proto.QuestionState state) => state switch
    {
        Proto.QuestionState.Received => CitizenQuestionState.Received,
        Proto.QuestionState.Routed => CitizenQuestionState.Routed,
        Proto.QuestionState.AwaitingFaqReview => CitizenQuestionState.AwaitingFaqReview,
        Proto.QuestionState.Closed => CitizenQuestionState.Closed,
        _ => throw new InvalidInputException("states", "未知的咨询状态"),
    };

    public static Proto.QuestionState ToProto(this CitizenQuestionState state) => state switch
    {
        CitizenQuestionState.Received => Proto.QuestionState.Received,
        CitizenQuestionState.Routed => Proto.QuestionState.Routed,
        CitizenQuestionState.AwaitingFaqReview => Proto.QuestionState.AwaitingFaqReview,
        CitizenQuestionState.Closed => Proto.QuestionState.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static CouldNotBeDoneState ToDomain(this Proto.CouldNotBeDoneState state) => state switch
    {
        Proto.CouldNotBeDoneState.Received => CouldNotBeDoneState.Received,
        Proto.CouldNotBeDoneState.CalledBack => CouldNotBeDoneState.CalledBack,
        Proto.CouldNotBeDoneState.Concluded => CouldNotBeDoneState.Concluded,
        _ => throw new InvalidInputException("states", "未知的反映状态"),
    };

    public static Proto.CouldNotBeDoneState ToProto(this CouldNotBeDoneState state) => state switch
    {
        CouldNotBeDoneState.Received => Proto.CouldNotBeDoneState.Received,
        CouldNotBeDoneState.CalledBack => Proto.CouldNotBeDoneState.CalledBack,
        CouldNotBeDoneState.Concluded => Proto.CouldNotBeDoneState.Concluded,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static EnquiryKind ToDomain(this Proto.EnquiryKind kind) => kind switch
    {
        Proto.EnquiryKind.Question => EnquiryKind.Question,
        Proto.EnquiryKind.CouldNotBeDoneReport => EnquiryKind.CouldNotBeDoneReport,
        _ => throw new InvalidInputException("kind", "须选择办事咨询或办不成事反映"),
    };
}
