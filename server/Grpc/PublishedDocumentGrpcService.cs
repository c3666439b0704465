using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using ServiceHall.Server.Access;
using ServiceHall.Server.Domain;
using ServiceHall.Server.ProactiveDisclosure;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Server.Grpc;

/// <summary>主动公开 documents: the 政务公开 office's console and the kiosks' published set.</summary>
public sealed class PublishedDocumentGrpcService(PublishedDocumentDesk desk) : Proto.PublishedDocumentService.PublishedDocumentServiceBase
{
    [Authorize(Policy = CallerPolicies.DisclosureReader)]
    public override async Task<Proto.ListDocumentsResponse> ListDocuments(Proto.ListDocumentsRequest request, ServerCallContext context)
    {
        var listed = await desk.ListAsync(
            request.Type == Proto.PublishedDocumentType.Unspecified ? null : request.Type.ToDomain("type"),
            request.State == Proto.PublishedDocumentState.Unspecified ? null : request.State.ToDomain(),
            context.CancellationToken);
        var response = new Proto.ListDocumentsResponse();
        response.Documents.AddRange(listed.Select(d => d.ToStaff(withAudit: false)));
        return response;
    }

    [Authorize(Policy = CallerPolicies.DisclosureReader)]
    public override async Task<Proto.GetDocumentResponse> GetDocument(Proto.GetDocumentRequest request, ServerCallContext context) =>
        new() { Document = (await desk.GetAsync(PublishedDocumentMapping.ParseId(request.DocumentId, "document_id"), context.CancellationToken)).ToStaff(withAudit: true) };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.SaveDocumentDraftResponse> SaveDocumentDraft(Proto.SaveDocumentDraftRequest request, ServerCallContext context)
    {
        var id = PublishedDocumentMapping.ParseId(request.DocumentId, "document_id");
        if (request.ExpectedEventCount < 0)
        {
            throw new InvalidInputException("expected_event_count", "不能为负数");
        }

        var content = (request.Content ?? throw new InvalidInputException("content", "不能为空")).ToDomain();
        var saved = await desk.SaveDraftAsync(context.StaffCaller(), id, content, request.ExpectedEventCount, context.CancellationToken);
        return new() { Document = saved.ToStaff(withAudit: true) };
    }

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.SubmitDocumentForReviewResponse> SubmitDocumentForReview(
        Proto.SubmitDocumentForReviewRequest request, ServerCallContext context) =>
        new() { Document = (await desk.SubmitAsync(context.StaffCaller(), PublishedDocumentMapping.ParseId(request.DocumentId, "document_id"), context.CancellationToken)).ToStaff(true) };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.ReturnDocumentForChangesResponse> ReturnDocumentForChanges(
        Proto.ReturnDocumentForChangesRequest request, ServerCallContext context) =>
        new() { Document = (await desk.ReturnAsync(context.StaffCaller(), PublishedDocumentMapping.ParseId(request.DocumentId, "document_id"), request.Reason, context.CancellationToken)).ToStaff(true) };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.ApproveDocumentResponse> ApproveDocument(Proto.ApproveDocumentRequest request, ServerCallContext context) =>
        new() { Document = (await desk.ApproveAsync(context.StaffCaller(), PublishedDocumentMapping.ParseId(request.DocumentId, "document_id"), request.Note, context.CancellationToken)).ToStaff(true) };

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.PublishDocumentResponse> PublishDocument(Proto.PublishDocumentRequest request, ServerCallContext context)
    {
        var (document, also) = await desk.PublishAsync(context.StaffCaller(), PublishedDocumentMapping.ParseId(request.DocumentId, "document_id"), context.CancellationToken);
        var response = new Proto.PublishDocumentResponse { Document = document.ToStaff(true) };
        response.AlsoPublishedIds.AddRange(also.Select(d => d.Id.ToString()));
        return response;
    }

    [Authorize(Policy = CallerPolicies.DisclosureOfficer)]
    public override async Task<Proto.WithdrawDocumentResponse> WithdrawDocument(Proto.WithdrawDocumentRequest request, ServerCallContext context) =>
        new() { Document = (await desk.WithdrawAsync(context.StaffCaller(), PublishedDocumentMapping.ParseId(request.DocumentId, "document_id"), request.Reason, context.CancellationToken)).ToStaff(true) };

    [AllowAnonymous]
    public override async Task<Proto.GetPublishedSetResponse> GetPublishedSet(Proto.GetPublishedSetRequest request, ServerCallContext context)
    {
        if (request.KnownVersion.Length > 64)
        {
            throw new InvalidInputException("known_version", "不超过 64 个字符");
        }

        var set = await desk.PublishedSetAsync(context.CancellationToken);
        var response = new Proto.GetPublishedSetResponse { Version = set.Version, Today = PublishedDocumentMapping.Day(set.Today) };
        if (request.KnownVersion == set.Version)
        {
            response.Unchanged = true;
            return response;
        }

        var interpretations = set.Documents
            .Where(d => d.Content.InterpretsPolicyId is not null)
            .ToLookup(d => d.Content.InterpretsPolicyId!.Value, d => d.Id.ToString());
        response.Documents.AddRange(set.Documents.Select(d =>
        {
            var item = new Proto.PublicDocument
            {
                DocumentId = d.Id.ToString(),
                Content = d.Content.ToProto(),
                PublishedAt = Timestamp.FromDateTimeOffset(d.PublishedAt ?? d.UpdatedAt),
            };
            item.InterpretationIds.AddRange(interpretations[d.Id]);
            return item;
        }));
        return response;
    }
}

/// <summary>Hand-written mapping of the published-document contract; explicit enum maps both ways.</summary>
internal static class PublishedDocumentMapping
{
    public static Guid ParseId(string value, string field) =>
        Guid.TryParse(value, out var id) ? id : throw new InvalidInputException(field, "必须是 UUID");

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateOnly? day) => day is { } d ? Day(d) : "";

    private static DateOnly? ParseDay(string value, string field) =>
        value.Length == 0 ? null
        : DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw new InvalidInputException(field, "须为 yyyy-MM-dd 日期");

    private static string? Optional(string value) => value.Length == 0 ? null : value;

    public static DocumentContent ToDomain(this Proto.DocumentContent c) => new(
        c.Type.ToDomain("content.type"),
        c.Title.Trim(),
        c.IssuingBody.Trim(),
        Optional(c.DocumentNumber.Trim()),
        ParseDay(c.IssuedOn, "content.issued_on"),
        ParseDay(c.EffectiveOn, "content.effective_on"),
        ParseDay(c.ExpiresOn, "content.expires_on"),
        ParseDay(c.ApplyFrom, "content.apply_from"),
        ParseDay(c.ApplyUntil, "content.apply_until"),
        c.Body.Trim(),
        c.Terms is { } t ? new EnterpriseTerms(t.Conditions.Trim(), t.Materials.Trim(), t.Procedure.Trim(), t.Contact.Trim()) : null,
        c.Attachments.Select(a => new DocumentLink(a.Title.Trim(), a.Url.Trim())).ToList(),
        c.ServiceItemCodes.Select(s => s.Trim()).ToList(),
        c.InterpretsPolicyId.Length == 0 ? null : ParseId(c.InterpretsPolicyId, "content.interprets_policy_id"),
        Optional(c.OnlineUrl.Trim()));

    public static Proto.DocumentContent ToProto(this DocumentContent c)
    {
        var proto = new Proto.DocumentContent
        {
            Type = c.Type.ToProto(),
            Title = c.Title,
            IssuingBody = c.IssuingBody,
            DocumentNumber = c.DocumentNumber ?? "",
            IssuedOn = Day(c.IssuedOn),
            EffectiveOn = Day(c.EffectiveOn),
            ExpiresOn = Day(c.ExpiresOn),
            ApplyFrom = Day(c.ApplyFrom),
            ApplyUntil = Day(c.ApplyUntil),
            Body = c.Body,
            Terms = c.Terms is { } t
                ? new Proto.EnterpriseTerms { Conditions = t.Conditions, Materials = t.Materials, Procedure = t.Procedure, Contact = t.Contact }
                : null,
            InterpretsPolicyId = c.InterpretsPolicyId?.ToString() ?? "",
            OnlineUrl = c.OnlineUrl ?? "",
            Demo = c.Demo,
        };
        proto.Attachments.AddRange(c.Attachments.Select(a => new Proto.DocumentLink { Title = a.Title, Url = a.Url }));
        proto.ServiceItemCodes.AddRange(c.ServiceItemCodes);
        return proto;
    }

    public static Proto.StaffDocument ToStaff(this PublishedDocument d, bool withAudit)
    {
        var proto = new Proto.StaffDocument
        {
            DocumentId = d.Id.ToString(),
            Content = d.Content.ToProto(),
            State = d.State.ToProto(),
            UpdatedAt = Timestamp.FromDateTimeOffset(d.UpdatedAt),
            PublishedAt = d.PublishedAt is { } p ? Timestamp.FromDateTimeOffset(p) : null,
            EventCount = d.Events.Count,
            SubmittedBy = d.SubmittedBy ?? "",
        };
        if (withAudit)
        {
            proto.Audit.AddRange(d.Events.Select(e => new Proto.DocumentAuditRecord
            {
                Sequence = e.Sequence,
                At = Timestamp.FromDateTimeOffset(e.At),
                By = e.By.Id,
                What = e.Kind.Label(),
                FromState = e.From.ToProto(),
                ToState = e.To.ToProto(),
                Note = e.Note ?? "",
            }));
        }

        return proto;
    }

    public static PublishedDocumentType ToDomain(this Proto.PublishedDocumentType type, string field) => type switch
    {
        Proto.PublishedDocumentType.Guide => PublishedDocumentType.Guide,
        Proto.PublishedDocumentType.Catalogue => PublishedDocumentType.Catalogue,
        Proto.PublishedDocumentType.Policy => PublishedDocumentType.Policy,
        Proto.PublishedDocumentType.Interpretation => PublishedDocumentType.Interpretation,
        Proto.PublishedDocumentType.EnterprisePolicy => PublishedDocumentType.EnterprisePolicy,
        Proto.PublishedDocumentType.PromiseCertificates => PublishedDocumentType.PromiseCertificates,
        Proto.PublishedDocumentType.EnterpriseFees => PublishedDocumentType.EnterpriseFees,
        Proto.PublishedDocumentType.ServiceModeList => PublishedDocumentType.ServiceModeList,
        _ => throw new InvalidInputException(field, "未指定或未知的类别"),
    };

    public static Proto.PublishedDocumentType ToProto(this PublishedDocumentType type) => type switch
    {
        PublishedDocumentType.Guide => Proto.PublishedDocumentType.Guide,
        PublishedDocumentType.Catalogue => Proto.PublishedDocumentType.Catalogue,
        PublishedDocumentType.Policy => Proto.PublishedDocumentType.Policy,
        PublishedDocumentType.Interpretation => Proto.PublishedDocumentType.Interpretation,
        PublishedDocumentType.EnterprisePolicy => Proto.PublishedDocumentType.EnterprisePolicy,
        PublishedDocumentType.PromiseCertificates => Proto.PublishedDocumentType.PromiseCertificates,
        PublishedDocumentType.EnterpriseFees => Proto.PublishedDocumentType.EnterpriseFees,
        PublishedDocumentType.ServiceModeList => Proto.PublishedDocumentType.ServiceModeList,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static PublishedDocumentState ToDomain(this Proto.PublishedDocumentState state) => state switch
    {
        Proto.PublishedDocumentState.Draft => PublishedDocumentState.Draft,
        Proto.PublishedDocumentState.InReview => PublishedDocumentState.InReview,
        Proto.PublishedDocumentState.Approved => PublishedDocumentState.Approved,
        Proto.PublishedDocumentState.Published => PublishedDocumentState.Published,
        Proto.PublishedDocumentState.Withdrawn => PublishedDocumentState.Withdrawn,
        _ => throw new InvalidInputException("state", "未知的状态"),
    };

    public static Proto.PublishedDocumentState ToProto(this PublishedDocumentState state) => state switch
    {
        PublishedDocumentState.Draft => Proto.PublishedDocumentState.Draft,
        PublishedDocumentState.InReview => Proto.PublishedDocumentState.InReview,
        PublishedDocumentState.Approved => Proto.PublishedDocumentState.Approved,
        PublishedDocumentState.Published => Proto.PublishedDocumentState.Published,
        PublishedDocumentState.Withdrawn => Proto.PublishedDocumentState.Withdrawn,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };
}
