using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Access;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

/// <summary>The case loop for staff who work cases; which cases each may see is the domain's rule (StaffAccount.MaySee).</summary>
[Authorize(Policy = CallerPolicies.CaseWorker)]
public sealed class CaseGrpcService(
    CaseWorkflow workflow, Broadcaster<CaseChange> hub, CatalogSource catalog, StreamGuard guard, CaseTriage triage, HandlingFiguresQuery handling)
    : CaseService.CaseServiceBase
{
    public override async Task<ListCasesResponse> ListCases(ListCasesRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var cases = await workflow.ListAsync(caller, request.ToFilter(), context.CancellationToken);
        var ratings = await workflow.RatingsOfAsync(cases.Select(c => c.Case), context.CancellationToken);
        var response = new ListCasesResponse();
        response.Cases.AddRange(cases.Select(c => c.Case.ToSummary(c.Deadlines, catalog.Current, ratings.GetValueOrDefault(c.Case.RatingId))));
        return response;
    }

    public override async Task<GetCaseResponse> GetCase(GetCaseRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var view = await workflow.GetAsync(caller, CaseMapping.ParseCaseId(request.CaseId), context.CancellationToken);
        return view.ToProto(catalog.Current);
    }

    public override async Task<ActOnCaseResponse> ActOnCase(ActOnCaseRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var step = request.ToStep(workflow.Limits);
        var view = await workflow.ActAsync(caller, CaseMapping.ParseCaseId(request.CaseId), step, context.CancellationToken);
        return new ActOnCaseResponse { Case = view.ToProto(catalog.Current) };
    }

    public override async Task<RevealRaterContactResponse> RevealRaterContact(RevealRaterContactRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var phone = await workflow.RevealContactAsync(caller, CaseMapping.ParseCaseId(request.CaseId), request.Reason, context.CancellationToken);
        return new RevealRaterContactResponse { Phone = phone };
    }

    public override async Task WatchCases(WatchCasesRequest request, IServerStreamWriter<CaseNotice> responseStream, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        using var watch = hub.Listen(out var notices);
        await guard.RunAsync(context, async token =>
        {
            // Headers tell the watcher the stream is live (and admitted): what happens from here on reaches it.
            await context.WriteResponseHeadersAsync([]);
            await foreach (var notice in notices.ReadAllAsync(token))
            {
                if (caller.MaySee(notice.Case))
                {
                    var ratings = await workflow.RatingsOfAsync([notice.Case], token);
                    var summary = notice.Case.ToSummary(workflow.DeadlinesOf(notice.Case), catalog.Current, ratings.GetValueOrDefault(notice.Case.RatingId));
                    await responseStream.WriteAsync(new CaseNotice { Summary = summary, Opened = notice.Opened }, token);
                }
            }
        });
    }

    public override async Task<GetCaseTriageResponse> GetCaseTriage(GetCaseTriageRequest request, ServerCallContext context) =>
        (await triage.CountAsync(context.StaffCaller(), context.CancellationToken)).ToProto();

    public override async Task<GetHandlingFiguresResponse> GetHandlingFigures(GetHandlingFiguresRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        CaseWorkflow.RequireCaseRole(caller);
        var (from, to) = CaseMapping.ParsePeriod(request.FromDay, request.ToDay);
        var breakdown = HandlingMapping.ToDomain(request.Breakdown);
        var scope = HandlingFiguresQuery.ScopeOf(caller);
        var period = await handling.PeriodAsync($"{request.FromDay} 至 {request.ToDay}", scope, from, to, context.CancellationToken);
        var response = new GetHandlingFiguresResponse { Period = period.ToProto() };
        if (breakdown is { } by)
        {
            response.Groups.AddRange((await handling.BreakdownAsync(scope, from, to, by, context.CancellationToken)).Select(g => g.ToProto()));
        }

        return response;
    }

    public override async Task<UploadCaseEvidenceResponse> UploadCaseEvidence(UploadCaseEvidenceRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var file = await workflow.AttachEvidenceAsync(
            caller, CaseMapping.ParseCaseId(request.CaseId), request.FileName, request.Content.ToByteArray(), context.CancellationToken);
        return new UploadCaseEvidenceResponse { File = file.ToProto() };
    }

    public override async Task<GetCaseEvidenceResponse> GetCaseEvidence(GetCaseEvidenceRequest request, ServerCallContext context)
    {
        var caller = context.StaffCaller();
        var fileId = Guid.TryParse(request.EvidenceId, out var id) ? id : throw new Domain.InvalidInputException("evidence_id", "必须是附件编号（UUID）");
        var (file, content) = await workflow.EvidenceFileAsync(caller, CaseMapping.ParseCaseId(request.CaseId), fileId, context.CancellationToken);
        return new GetCaseEvidenceResponse { File = file.ToProto(), Content = Google.Protobuf.ByteString.CopyFrom(content) };
    }
}
