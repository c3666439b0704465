using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Storage;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// 主动公开 through its RPCs on a real store (SQLite, or PostgreSQL when the suite runs there): officers draft, review and
/// publish; the kiosk's published set holds only what is published, with a version that changes when it does.
/// </summary>
public sealed class PublishedDocumentServiceTests : IDisposable
{
    private readonly SecuredServer _server = new();

    private async Task<PublishedDocumentService.PublishedDocumentServiceClient> StaffAsync(string user, DomainRole role, string? department = null)
    {
        await _server.CreateAsync(user, role, department);
        return new(_server.Invoker(await _server.SignInAsync(user)));
    }

    private PublishedDocumentService.PublishedDocumentServiceClient Anonymous => new(_server.Invoker(null));

    private static DocumentContent Policy(string title = "关于支持小微企业吸纳就业的若干措施") => new()
    {
        Type = PublishedDocumentType.Policy,
        Title = title,
        IssuingBody = "济南市槐荫区人民政府办公室",
        DocumentNumber = "槐政办发〔2026〕8号",
        IssuedOn = "2026-10-01",
        EffectiveOn = "2026-10-08",
        Body = "第一条 ……\n\n第二条 ……",
        ServiceItemCodes = { "11370104MB2851302F000117030000" },
        OnlineUrl = "https://www.huaiyin.gov.cn/policy/8",
    };

    private static async Task<StaffDocument> DraftAsync(PublishedDocumentService.PublishedDocumentServiceClient officer, DocumentContent content) =>
        (await officer.SaveDocumentDraftAsync(new SaveDocumentDraftRequest { DocumentId = Guid.NewGuid().ToString(), Content = content })).Document;

    private static async Task ReviewAsync(
        PublishedDocumentService.PublishedDocumentServiceClient drafter, PublishedDocumentService.PublishedDocumentServiceClient reviewer, string id)
    {
        await drafter.SubmitDocumentForReviewAsync(new SubmitDocumentForReviewRequest { DocumentId = id });
        await reviewer.ApproveDocumentAsync(new ApproveDocumentRequest { DocumentId = id });
    }

    [Fact]
    public async Task PolicyWithInterpretation_ReviewedByASecondOfficer_IsPublishedTogether_AndOnlyPublishedReachesTheKiosk()
    {
        var li = await StaffAsync("li", DomainRole.DisclosureOfficer);
        var wang = await StaffAsync("wang", DomainRole.DisclosureOfficer);
        var before = await Anonymous.GetPublishedSetAsync(new GetPublishedSetRequest());

        var policy = await DraftAsync(li, Policy());
        var interpretationContent = Policy("《若干措施》政策解读");
        interpretationContent.Type = PublishedDocumentType.Interpretation;
        interpretationContent.InterpretsPolicyId = policy.DocumentId;
        var interpretation = await DraftAsync(li, interpretationContent);
        await ReviewAsync(li, wang, policy.DocumentId);

        // Not yet published: the kiosk's set is what it was, and says so to a kiosk holding it.
        var unchanged = await Anonymous.GetPublishedSetAsync(new GetPublishedSetRequest { KnownVersion = before.Version });
        Assert.True(unchanged.Unchanged);
        Assert.Empty(unchanged.Documents);

        // A policy without its approved interpretation is not published (谁起草谁解读).
        var missing = await Assert.ThrowsAsync<RpcException>(() => wang.PublishDocumentAsync(new PublishDocumentRequest { DocumentId = policy.DocumentId }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, missing.StatusCode);
        Assert.Contains(missing.GetRpcStatus()!.GetDetail<PreconditionFailure>().Violations, v => v.Type == "interpretation_missing");

        await ReviewAsync(li, wang, interpretation.DocumentId);
        var published = await wang.PublishDocumentAsync(new PublishDocumentRequest { DocumentId = policy.DocumentId });
        Assert.Equal(PublishedDocumentState.Published, published.Document.State);
        Assert.Equal([interpretation.DocumentId], published.AlsoPublishedIds);

        var set = await Anonymous.GetPublishedSetAsync(new GetPublishedSetRequest { KnownVersion = before.Version });
        Assert.False(set.Unchanged);
        Assert.NotEqual(before.Version, set.Version);
        var shown = Assert.Single(set.Documents, d => d.DocumentId == policy.DocumentId);
        Assert.Equal("槐政办发〔2026〕8号", shown.Content.DocumentNumber);
        Assert.Equal([interpretation.DocumentId], shown.InterpretationIds);
        Assert.All(set.Documents, d => Assert.NotEqual(PublishedDocumentType.Unspecified, d.Content.Type));

        // Withdrawn: gone from the kiosk's set, the reason in the audit trail.
        await li.WithdrawDocumentAsync(new WithdrawDocumentRequest { DocumentId = policy.DocumentId, Reason = "已被新文件替代" });
        var after = await Anonymous.GetPublishedSetAsync(new GetPublishedSetRequest { KnownVersion = set.Version });
        Assert.DoesNotContain(after.Documents, d => d.DocumentId == policy.DocumentId);
        var audit = (await li.GetDocumentAsync(new GetDocumentRequest { DocumentId = policy.DocumentId })).Document.Audit;
        Assert.Equal(["起草", "提交审核", "审核通过", "发布", "撤回"], audit.Select(a => a.What));
        Assert.Equal("已被新文件替代", audit[^1].Note);
        Assert.Equal("wang", audit[2].By);
    }

    [Fact]
    public async Task Approve_ByTheOfficerWhoSubmitted_IsRefused()
    {
        var li = await StaffAsync("li", DomainRole.DisclosureOfficer);
        var doc = await DraftAsync(li, Policy());
        await li.SubmitDocumentForReviewAsync(new SubmitDocumentForReviewRequest { DocumentId = doc.DocumentId });
        var e = await Assert.ThrowsAsync<RpcException>(() => li.ApproveDocumentAsync(new ApproveDocumentRequest { DocumentId = doc.DocumentId }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Equal(PublishedDocumentState.InReview, (await li.GetDocumentAsync(new GetDocumentRequest { DocumentId = doc.DocumentId })).Document.State);
    }

    [Fact]
    public async Task OtherStaff_MayNotEditOrPublish_AndTheAuditorOnlyReads()
    {
        var li = await StaffAsync("li", DomainRole.DisclosureOfficer);
        var doc = await DraftAsync(li, Policy());
        var handler = await StaffAsync("rsj", DomainRole.DepartmentHandler, "RSJ");
        var auditor = await StaffAsync("audit", DomainRole.Auditor);

        foreach (var call in new Func<Task>[]
        {
            () => handler.PublishDocumentAsync(new PublishDocumentRequest { DocumentId = doc.DocumentId }).ResponseAsync,
            () => handler.SaveDocumentDraftAsync(new SaveDocumentDraftRequest { DocumentId = Guid.NewGuid().ToString(), Content = Policy() }).ResponseAsync,
            () => handler.ListDocumentsAsync(new ListDocumentsRequest()).ResponseAsync,
            () => auditor.SubmitDocumentForReviewAsync(new SubmitDocumentForReviewRequest { DocumentId = doc.DocumentId }).ResponseAsync,
        })
        {
            Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(call)).StatusCode);
        }

        Assert.Contains((await auditor.ListDocumentsAsync(new ListDocumentsRequest { State = PublishedDocumentState.Draft })).Documents,
            d => d.DocumentId == doc.DocumentId);
        Assert.Equal(StatusCode.Unauthenticated, (await Assert.ThrowsAsync<RpcException>(
            () => Anonymous.ListDocumentsAsync(new ListDocumentsRequest()).ResponseAsync)).StatusCode);
        Assert.Equal(PublishedDocumentState.Draft, (await li.GetDocumentAsync(new GetDocumentRequest { DocumentId = doc.DocumentId })).Document.State);
    }

    public static TheoryData<string, Action<SaveDocumentDraftRequest>> BadRequests => new()
    {
        { "document_id", r => r.DocumentId = "not-a-uuid" },
        { "content.type", r => r.Content.Type = PublishedDocumentType.Unspecified },
        { "content.title", r => r.Content.Title = new string('字', 201) },
        { "content.issued_on", r => r.Content.IssuedOn = "2026/10/01" },
        { "content.effective_on", r => r.Content.EffectiveOn = "2026-09-01" },
        { "content.apply_until", r => (r.Content.ApplyFrom, r.Content.ApplyUntil) = ("2026-11-05", "2026-11-04") },
        { "content.service_item_codes", r => r.Content.ServiceItemCodes.Add("NO-SUCH-ITEM") },
        { "content.interprets_policy_id", r => (r.Content.Type, r.Content.InterpretsPolicyId) = (PublishedDocumentType.Interpretation, Guid.NewGuid().ToString()) },
        { "content.attachments[0].url", r => r.Content.Attachments.Add(new DocumentLink { Title = "附件", Url = "ftp://x" }) },
        { "expected_event_count", r => r.ExpectedEventCount = -1 },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task SaveDraft_WithBadInput_IsInvalidArgumentNamingTheField_AndStoresNothing(string field, Action<SaveDocumentDraftRequest> spoil)
    {
        var li = await StaffAsync("li", DomainRole.DisclosureOfficer);
        var before = (await li.ListDocumentsAsync(new ListDocumentsRequest())).Documents.Count;
        var request = new SaveDocumentDraftRequest { DocumentId = Guid.NewGuid().ToString(), Content = Policy() };
        spoil(request);
        var e = await Assert.ThrowsAsync<RpcException>(() => li.SaveDocumentDraftAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal([field], e.FieldsAtFault());
        Assert.Equal(before, (await li.ListDocumentsAsync(new ListDocumentsRequest())).Documents.Count);
    }

    [Fact]
    public async Task Edit_AfterAnotherOfficersChange_IsAborted_AndResendingACreationStoresOnce()
    {
        var li = await StaffAsync("li", DomainRole.DisclosureOfficer);
        var wang = await StaffAsync("wang", DomainRole.DisclosureOfficer);
        var id = Guid.NewGuid().ToString();
        var first = (await li.SaveDocumentDraftAsync(new SaveDocumentDraftRequest { DocumentId = id, Content = Policy() })).Document;
        var again = (await li.SaveDocumentDraftAsync(new SaveDocumentDraftRequest { DocumentId = id, Content = Policy("另一标题") })).Document;
        Assert.Equal(first.Content.Title, again.Content.Title);
        Assert.Equal(1, again.EventCount);

        await wang.SaveDocumentDraftAsync(new SaveDocumentDraftRequest { DocumentId = id, Content = Policy("王改的标题"), ExpectedEventCount = 1 });
        var stale = await Assert.ThrowsAsync<RpcException>(
            () => li.SaveDocumentDraftAsync(new SaveDocumentDraftRequest { DocumentId = id, Content = Policy("李改的标题"), ExpectedEventCount = 1 }).ResponseAsync);
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal("王改的标题", (await li.GetDocumentAsync(new GetDocumentRequest { DocumentId = id })).Document.Content.Title);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(
            () => li.GetDocumentAsync(new GetDocumentRequest { DocumentId = Guid.NewGuid().ToString() }).ResponseAsync)).StatusCode);
    }

    [Fact]
    public async Task DemoStore_IsSeededOnce_WithPublishedDemoDocumentsOfEveryType()
    {
        var set = await Anonymous.GetPublishedSetAsync(new GetPublishedSetRequest());
        var types = Enum.GetValues<PublishedDocumentType>().Where(t => t != PublishedDocumentType.Unspecified);
        Assert.All(types, t => Assert.Contains(set.Documents, d => d.Content.Type == t));
        Assert.All(set.Documents, d => Assert.True(d.Content.Demo));
        Assert.All(set.Documents, d => Assert.StartsWith("【演示】", d.Content.Title));
        Assert.False(await _server.Services.GetRequiredService<IPublishedDocumentStore>().SeedAsync([], CancellationToken.None));
        Assert.True((await Anonymous.GetPublishedSetAsync(new GetPublishedSetRequest { KnownVersion = set.Version })).Unchanged);
    }

    public void Dispose() => _server.Dispose();
}
