using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Server.Access;
using ServiceHall.Server.DisclosureRequests;
using ServiceHall.Server.Domain;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>Information-disclosure requests: kiosk intake, the office's and departments' steps, the annual report.</summary>
public sealed class DisclosureRequestGrpcService(DisclosureRequestDesk desk) : Proto.DisclosureRequestService.DisclosureRequestServiceBase
{
    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override async Task<Proto.SubmitDisclosureRequestResponse> SubmitDisclosureRequest(
        Proto.SubmitDisclosureRequestRequest request, ServerCallContext context)
    {
        var id = Guid.TryParse(request.RequestId, out var parsed) ? parsed : throw new InvalidInputException("request_id", "必须是 UUID");
        var submittedAt = request.SubmittedAt?.ToDateTimeOffset() ?? throw new InvalidInputException("submitted_at", "不能为空");
        var receipt = await desk.SubmitAsync(context.KioskCaller(), id, request.ToApplication(), submittedAt, context.CancellationToken);
        return new Proto.SubmitDisclosureRequestResponse
        {
            RequestNumber = receipt.Request.Number,
            ReceivedDay = Day(receipt.Request.ReceivedDay),
            ReplyDueDay = Day(receipt.ReplyDueDay),
            Created = receipt.Created,
        };
    }

    [Authorize(Policy = CallerPolicies.CitizenDevice)]
    public override Task<Proto.GetDisclosureIntakeTermsResponse> GetDisclosureIntakeTerms(
        Proto.GetDisclosureIntakeTermsRequest request, ServerCallContext context)
    {
        var days = request.Days switch
        {
            0 => 31,
            >= 1 and <= 62 => request.Days,
            _ => throw new InvalidInputException("days", "须为 1 至 62"),
        };
        var response = new Proto.GetDisclosureIntakeTermsResponse();
        response.Terms.AddRange(desk.IntakeTerms(days).Select(t => new Proto.DisclosureIntakeTerm
        {
            Day = Day(t.Day), ReceivedDay = Day(t.ReceivedDay), ReplyDueDay = Day(t.ReplyDueDay),
        }));
        return Task.FromResult(response);
    }

    [Authorize(Policy = CallerPolicies.DisclosureRequestWorker)]
    public override async Task<Proto.ListDisclosureRequestsResponse> ListDisclosureRequests(
        Proto.ListDisclosureRequestsRequest request, ServerCallContext context)
    {
        if (request.Limit is < 0 or > 200)
        {
            throw new InvalidInputException("limit", "须为 0 至 200");
        }

        var states = request.States.Select(s => s.ToDomain()).ToHashSet();
        var listed = await desk.ListAsync(context.StaffCaller(), states, request.Limit, context.CancellationToken);
        var response = new Proto.ListDisclosureRequestsResponse();
        response.Requests.AddRange(listed.Select(x => x.Request.ToSummary(x.Deadline)));
        return response;
    }

    [Authorize(Policy = CallerPolicies.DisclosureRequestWorker)]
    public override async Task<Proto.GetDisclosureRequestResponse> GetDisclosureRequest(
        Proto.GetDisclosureRequestRequest request, ServerCallContext context) =>
        (await desk.GetAsync(context.StaffCaller(), ParseId(request.RequestId), context.CancellationToken)).ToProto();

    [Authorize(Policy = CallerPolicies.DisclosureRequestWorker)]
    public override async Task<Proto.ActOnDisclosureRequestResponse> ActOnDisclosureRequest(
        Proto.ActOnDisclosureRequestRequest request, ServerCallContext context)
    {
        var id = ParseId(request.RequestId);
        if (request.Step.Length == 0)
        {
            throw new InvalidInputException("step", "未指定操作");
        }

        var view = await desk.ActAsync(context.StaffCaller(), id, request.Step, request.Inputs.ToStepInputs(), context.CancellationToken);
        return new Proto.ActOnDisclosureRequestResponse { Request = view.ToProto() };
    }

    [Authorize(Policy = CallerPolicies.DisclosureReader)]
    public override async Task<Proto.GetDisclosureAnnualReportResponse> GetDisclosureAnnualReport(
        Proto.GetDisclosureAnnualReportRequest request, ServerCallContext context)
    {
        var (table, review) = await desk.AnnualReportAsync(request.Year, context.CancellationToken);
        return table.ToProto(review);
    }

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.SaveReviewAndLitigationFiguresResponse> SaveReviewAndLitigationFigures(
        Proto.SaveReviewAndLitigationFiguresRequest request, ServerCallContext context)
    {
        var figures = request.Figures ?? throw new InvalidInputException("figures", "不能为空");
        await desk.SaveReviewFiguresAsync(context.StaffCaller(), figures.ToDomain(), context.CancellationToken);
        return new Proto.SaveReviewAndLitigationFiguresResponse();
    }

    [AllowAnonymous]
    public override async Task<Proto.GetDisclosureAnnualReportResponse> GetPublishedDisclosureAnnualReport(
        Proto.GetDisclosureAnnualReportRequest request, ServerCallContext context)
    {
        var (table, review) = await desk.PublishedReportAsync(request.Year, context.CancellationToken);
        return table.ToProto(review);
    }

    private static Guid ParseId(string id) => Guid.TryParse(id, out var parsed) ? parsed : throw new InvalidInputException("request_id", "必须是申请编号（UUID）");

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>Hand-written mapping of the disclosure-request contract; explicit enum maps both ways.</summary>
internal static class DisclosureRequestMapping
{
    public static DisclosureApplication ToApplication(this Proto.SubmitDisclosureRequestRequest r) => new(
        r.ApplicantKind.ToDomain(),
        new ApplicantIdentity(r.ApplicantName, r.IdDocumentKind.ToDomain(), r.IdDocumentNumber, r.Phone, r.PostalAddress, r.Email, r.ContactPerson),
        new InformationWanted(r.InformationName, r.InformationDocumentNumber, r.InformationDescription),
        r.Form.ToDomain(),
        r.Delivery.ToDomain());

    public static StepInputs ToStepInputs(this IEnumerable<Proto.StepInputValue> values)
    {
        var inputs = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var input in values)
        {
            if (string.IsNullOrWhiteSpace(input.Name))
            {
                throw new InvalidInputException("inputs", "每项输入须写明名称");
            }

            if (!inputs.TryAdd(input.Name, [.. input.Values]))
            {
                throw new InvalidInputException(input.Name.Length <= 64 ? input.Name : "inputs", "同一输入只能给一次");
            }
        }

        return new StepInputs(inputs);
    }

    public static Proto.DisclosureRequestSummary ToSummary(this DisclosureRequest r, DisclosureDeadline deadline) => new()
    {
        RequestId = r.Id.ToString(),
        RequestNumber = r.Number,
        State = r.State.ToProto(),
        StateLabel = r.StateLabel,
        ApplicantKind = r.ApplicantKind.ToProto(),
        Information = r.Information.Name ?? r.Information.DocumentNumber ?? Start(r.Information.Description ?? ""),
        ReceivedDay = Day(r.ReceivedDay),
        ReplyDueDay = Day(deadline.DueDay),
        Clock = deadline.Clock.ToProto(),
        DeadlineStatus = deadline.Status.ToProto(),
        AssignedDepartmentCode = r.AssignedDepartmentCode ?? "",
        RepeatOf = r.Flags.RepeatOf ?? "",
        RecentRequests = r.Flags.RecentRequests ?? 0,
    };

    public static Proto.GetDisclosureRequestResponse ToProto(this DisclosureRequestView view)
    {
        var r = view.Request;
        var response = new Proto.GetDisclosureRequestResponse
        {
            Summary = r.ToSummary(view.Deadline),
            InformationName = r.Information.Name ?? "",
            InformationDocumentNumber = r.Information.DocumentNumber ?? "",
            InformationDescription = r.Information.Description ?? "",
            Form = r.Form.ToProto(),
            Delivery = r.Delivery.ToProto(),
            SupplementDueDay = r.SupplementDueDay is { } due ? Day(due) : "",
            ExtensionWorkingDays = r.ExtensionWorkingDays,
            PausedWorkingDays = view.Deadline.PausedWorkingDays,
            Outcome = r.Outcome is { } o ? DisclosureRequestSteps.Value(o) : "",
            OutcomeLabel = r.Outcome is { } label ? label.ChoiceLabel() : "",
            DraftReply = r.DraftReply ?? "",
            RepliedLate = r.RepliedLate,
        };
        if (view.Applicant is { } a)
        {
            response.Applicant = new Proto.MaskedApplicant
            {
                Name = a.Name, IdDocumentKind = a.DocumentKind.ToProto(), IdDocumentNumber = a.DocumentNumber, Phone = a.Phone,
                HasPostalAddress = a.HasPostalAddress, HasEmail = a.HasEmail,
            };
        }

        response.Consultations.AddRange(r.Consultations.Select(c => new Proto.DisclosureConsultation
        {
            Kind = DisclosureRequestSteps.Parties.ValueOf(c.Kind),
            Party = c.Party,
            SentDay = Day(c.SentDay),
            DueDay = c.DueDay is { } d ? Day(d) : "",
            AnsweredDay = c.AnsweredDay is { } answered ? Day(answered) : "",
            Opinion = c.Opinion ?? "",
        }));
        response.Timeline.AddRange(r.Events.Select(e => new Proto.DisclosureTimelineEntry
        {
            Sequence = e.Sequence,
            At = Timestamp.FromDateTimeOffset(e.At),
            ActorId = e.By.Id,
            ActorRole = e.By.Role.ToString(),
            Action = e.Kind.Label(),
            ActionCode = e.Kind.ToString(),
            FromState = e.From.ToProto(),
            ToState = e.To.ToProto(),
            Note = e.Note ?? "",
            Details = Details(e),
        }));
        response.AllowedSteps.AddRange(view.AllowedSteps.Select(s => s.ToOffer(r, view.Context)));
        return response;
    }

    public static Proto.GetDisclosureAnnualReportResponse ToProto(this DisclosureAnnualTable table, ReviewAndLitigationFigures review)
    {
        var response = new Proto.GetDisclosureAnnualReportResponse { Year = table.Year, Review = review.ToProto() };
        response.Columns.AddRange(DisclosureAnnualTable.Columns);
        response.Rows.AddRange(table.Rows.Select(row =>
        {
            var proto = new Proto.AnnualTableRow { Label = row.Label, Code = RowCode(row) };
            proto.Counts.AddRange(row.Counts);
            return proto;
        }));
        return response;
    }

    public static string RowCode(AnnualTableRow row) => row.Kind switch
    {
        AnnualTableRowKind.NewThisYear => "new",
        AnnualTableRowKind.CarriedOver => "carried_over",
        AnnualTableRowKind.Outcome => DisclosureRequestSteps.Value(row.Outcome!.Value),
        AnnualTableRowKind.Total => "total",
        AnnualTableRowKind.CarriedForward => "carried_forward",
        _ => throw new ArgumentOutOfRangeException(nameof(row), row.Kind, null),
    };

    public static Proto.ReviewAndLitigationFigures ToProto(this ReviewAndLitigationFigures f) => new()
    {
        Year = f.Year, Review = f.Review.ToProto(), LitigationDirect = f.LitigationDirect.ToProto(), LitigationAfterReview = f.LitigationAfterReview.ToProto(),
    };

    public static ReviewAndLitigationFigures ToDomain(this Proto.ReviewAndLitigationFigures f) => new(
        f.Year, (f.Review ?? new()).ToDomain(), (f.LitigationDirect ?? new()).ToDomain(), (f.LitigationAfterReview ?? new()).ToDomain());

    private static Proto.ProceedingFigures ToProto(this ProceedingFigures p) =>
        new() { Upheld = p.Upheld, Corrected = p.Corrected, Other = p.Other, Pending = p.Pending, Total = p.Total };

    private static ProceedingFigures ToDomain(this Proto.ProceedingFigures p) => new(p.Upheld, p.Corrected, p.Other, p.Pending);

    private static string Details(DisclosureRequestEvent e) => string.Join("；", new[]
    {
        e.DepartmentCode is { } department ? $"承办部门 {department}" : null,
        e.Kind == DisclosureEventKind.SupplementRequested && e.DueDay is { } supplementDue ? $"补正期限 {Day(supplementDue)}" : null,
        e.PartyKind is { } kind ? $"{kind.Label()}：{e.Party}" : e.Party is { } party ? $"征求对象：{party}" : null,
        e.Kind == DisclosureEventKind.ConsultationSent && e.DueDay is { } opinionDue ? $"应于 {Day(opinionDue)} 前提出意见" : null,
        e.Outcome is { } outcome ? $"答复类型：{outcome.ChoiceLabel()}" : null,
        e.Approver is { } approver ? $"批准人 {approver}" : null,
        e.ExtensionWorkingDays is { } days && e.DueDay is { } newDue ? $"延长 {days} 个工作日至 {Day(newDue)}" : null,
        e.Delivery is { } delivery ? $"送达方式：{DisclosureRequestSteps.Deliveries.LabelOf(delivery)}" : null,
    }.Where(x => x is not null));

    private static string Start(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static ApplicantKind ToDomain(this Proto.ApplicantKind kind) => kind switch
    {
        Proto.ApplicantKind.NaturalPerson => ApplicantKind.NaturalPerson,
        Proto.ApplicantKind.CommercialEnterprise => ApplicantKind.CommercialEnterprise,
        Proto.ApplicantKind.ResearchInstitution => ApplicantKind.ResearchInstitution,
        Proto.ApplicantKind.PublicWelfareOrganisation => ApplicantKind.PublicWelfareOrganisation,
        Proto.ApplicantKind.LegalServiceOrganisation => ApplicantKind.LegalServiceOrganisation,
        Proto.ApplicantKind.OtherOrganisation => ApplicantKind.OtherOrganisation,
        _ => throw new InvalidInputException("applicant_kind", "须选择自然人，或法人或其他组织的类型"),
    };

    public static Proto.ApplicantKind ToProto(this ApplicantKind kind) => kind switch
    {
        ApplicantKind.NaturalPerson => Proto.ApplicantKind.NaturalPerson,
        ApplicantKind.CommercialEnterprise => Proto.ApplicantKind.CommercialEnterprise,
        ApplicantKind.ResearchInstitution => Proto.ApplicantKind.ResearchInstitution,
        ApplicantKind.PublicWelfareOrganisation => Proto.ApplicantKind.PublicWelfareOrganisation,
        ApplicantKind.LegalServiceOrganisation => Proto.ApplicantKind.LegalServiceOrganisation,
        ApplicantKind.OtherOrganisation => Proto.ApplicantKind.OtherOrganisation,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IdentityDocumentKind ToDomain(this Proto.IdentityDocumentKind kind) => kind switch
    {
        Proto.IdentityDocumentKind.ResidentIdCard => IdentityDocumentKind.ResidentIdCard,
        Proto.IdentityDocumentKind.Passport => IdentityDocumentKind.Passport,
        Proto.IdentityDocumentKind.HongKongMacaoPermit => IdentityDocumentKind.HongKongMacaoPermit,
        Proto.IdentityDocumentKind.TaiwanPermit => IdentityDocumentKind.TaiwanPermit,
        Proto.IdentityDocumentKind.ForeignPermanentResidentCard => IdentityDocumentKind.ForeignPermanentResidentCard,
        Proto.IdentityDocumentKind.UnifiedSocialCreditCode => IdentityDocumentKind.UnifiedSocialCreditCode,
        _ => throw new InvalidInputException("id_document_kind", "须选择证件类型"),
    };

    public static Proto.IdentityDocumentKind ToProto(this IdentityDocumentKind kind) => kind switch
    {
        IdentityDocumentKind.ResidentIdCard => Proto.IdentityDocumentKind.ResidentIdCard,
        IdentityDocumentKind.Passport => Proto.IdentityDocumentKind.Passport,
        IdentityDocumentKind.HongKongMacaoPermit => Proto.IdentityDocumentKind.HongKongMacaoPermit,
        IdentityDocumentKind.TaiwanPermit => Proto.IdentityDocumentKind.TaiwanPermit,
        IdentityDocumentKind.ForeignPermanentResidentCard => Proto.IdentityDocumentKind.ForeignPermanentResidentCard,
        IdentityDocumentKind.UnifiedSocialCreditCode => Proto.IdentityDocumentKind.UnifiedSocialCreditCode,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static InformationForm ToDomain(this Proto.InformationForm form) => form switch
    {
        Proto.InformationForm.Paper => InformationForm.Paper,
        Proto.InformationForm.Electronic => InformationForm.Electronic,
        Proto.InformationForm.InspectOnSite => InformationForm.InspectOnSite,
        _ => throw new InvalidInputException("form", "须选择纸质、电子或现场查阅"),
    };

    public static Proto.InformationForm ToProto(this InformationForm form) => form switch
    {
        InformationForm.Paper => Proto.InformationForm.Paper,
        InformationForm.Electronic => Proto.InformationForm.Electronic,
        InformationForm.InspectOnSite => Proto.InformationForm.InspectOnSite,
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    public static DeliveryMethod ToDomain(this Proto.DeliveryMethod delivery) => delivery switch
    {
        Proto.DeliveryMethod.Collect => DeliveryMethod.Collect,
        Proto.DeliveryMethod.Post => DeliveryMethod.Post,
        Proto.DeliveryMethod.Email => DeliveryMethod.Email,
        _ => throw new InvalidInputException("delivery", "须选择自行领取、邮寄或电子邮件"),
    };

    public static Proto.DeliveryMethod ToProto(this DeliveryMethod delivery) => delivery switch
    {
        DeliveryMethod.Collect => Proto.DeliveryMethod.Collect,
        DeliveryMethod.Post => Proto.DeliveryMethod.Post,
        DeliveryMethod.Email => Proto.DeliveryMethod.Email,
        _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
    };

    public static DisclosureRequestState ToDomain(this Proto.DisclosureRequestState state) => state switch
    {
        Proto.DisclosureRequestState.Received => DisclosureRequestState.Received,
        Proto.DisclosureRequestState.Registered => DisclosureRequestState.Registered,
        Proto.DisclosureRequestState.AwaitingSupplement => DisclosureRequestState.AwaitingSupplement,
        Proto.DisclosureRequestState.Assigned => DisclosureRequestState.Assigned,
        Proto.DisclosureRequestState.Consulting => DisclosureRequestState.Consulting,
        Proto.DisclosureRequestState.ReplyDrafted => DisclosureRequestState.ReplyDrafted,
        Proto.DisclosureRequestState.ReplyApproved => DisclosureRequestState.ReplyApproved,
        Proto.DisclosureRequestState.ReplySent => DisclosureRequestState.ReplySent,
        Proto.DisclosureRequestState.Closed => DisclosureRequestState.Closed,
        _ => throw new InvalidInputException("states", "未知的申请状态"),
    };

    public static Proto.DisclosureRequestState ToProto(this DisclosureRequestState state) => state switch
    {
        DisclosureRequestState.Received => Proto.DisclosureRequestState.Received,
        DisclosureRequestState.Registered => Proto.DisclosureRequestState.Registered,
        DisclosureRequestState.AwaitingSupplement => Proto.DisclosureRequestState.AwaitingSupplement,
        DisclosureRequestState.Assigned => Proto.DisclosureRequestState.Assigned,
        DisclosureRequestState.Consulting => Proto.DisclosureRequestState.Consulting,
        DisclosureRequestState.ReplyDrafted => Proto.DisclosureRequestState.ReplyDrafted,
        DisclosureRequestState.ReplyApproved => Proto.DisclosureRequestState.ReplyApproved,
        DisclosureRequestState.ReplySent => Proto.DisclosureRequestState.ReplySent,
        DisclosureRequestState.Closed => Proto.DisclosureRequestState.Closed,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static Proto.DisclosureClockState ToProto(this DisclosureClockState clock) => clock switch
    {
        DisclosureClockState.Running => Proto.DisclosureClockState.Running,
        DisclosureClockState.StoppedForSupplement => Proto.DisclosureClockState.StoppedForSupplement,
        DisclosureClockState.PausedForConsultation => Proto.DisclosureClockState.PausedForConsultation,
        DisclosureClockState.Finished => Proto.DisclosureClockState.Finished,
        _ => throw new ArgumentOutOfRangeException(nameof(clock), clock, null),
    };
}
