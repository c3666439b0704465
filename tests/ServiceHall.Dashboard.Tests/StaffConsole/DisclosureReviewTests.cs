using Bunit;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Dashboard.Services.Disclosures;
using ServiceHall.Protos.V1;
using StaffAccount = ServiceHall.Protos.V1.StaffAccount;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class DisclosureReviewTests : ConsoleTestHost
{
    private const string Original = "经办人说明天再来，我的电话13812345678";
    private const string Scrubbed = "经办人说明天再来，我的电话[电话已隐去]";

    private readonly FakeReviewService _review = new();

    public DisclosureReviewTests()
    {
        Ctx.Services.AddSingleton<DisclosureService.DisclosureServiceClient>(_review);
        Ctx.Services.AddSingleton(new DisclosureClient(_review, NullLogger<DisclosureClient>.Instance));
        Ctx.Services.AddScoped<DisclosureReviewClient>();
    }

    private async Task SignInAsAsync(Protos.V1.StaffRole role)
    {
        Server.Accounts.Account = new StaffAccount { UserName = FakeStaffServer.UserName, DisplayName = "赵公开", Role = role };
        await SignInAsync();
    }

    private static Protos.V1.DisclosureDraft Draft(int revision = 0, bool overdue = false)
    {
        var draft = new Protos.V1.DisclosureDraft
        {
            PeriodKey = "2026-11", PeriodLabel = "2026年11月", Version = 1, Revision = revision, DueDay = "2026-12-10", Overdue = overdue,
            BadReviews = 3, CreatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 1, 0, 5, 0, TimeSpan.FromHours(8))),
        };
        draft.Headline.Add(new HeadlineFigure { Code = "good_rate", Name = "好评率", Display = "96.2%" });
        draft.Texts.Add(new Protos.V1.DraftText
        {
            Row = 0, Original = "自助机坏了没人管", Scrubbed = "自助机坏了没人管", Published = "自助机坏了没人管", Decision = DraftTextDecision.None,
            RatedOn = "2026-11-03", Department = "人社局", Level = "不满意",
        });
        draft.Texts.Add(new Protos.V1.DraftText
        {
            Row = 2, Original = Original, Scrubbed = Scrubbed, Published = Scrubbed, Changed = true, Decision = DraftTextDecision.None,
            RatedOn = "2026-11-05", Department = "行政审批局", Level = "很不满意",
        });
        return draft;
    }

    [Fact]
    public async Task Review_Officer_SeesTheScrubbedTextFirstBesideTheOriginal_MasksWordsAndApprovesTheRevisionShown()
    {
        _review.Drafts.Add(Draft());
        await SignInAsAsync(Protos.V1.StaffRole.DisclosureOfficer);

        var layout = RenderInLayout<DisclosureReview>();

        layout.WaitForAssertion(() => Assert.Equal("待审核 1 份", Text(layout, "draft-count")), Bound);
        var texts = layout.FindAll("[data-testid=draft-2026-11-v1] [data-testid^=text-]");
        Assert.Equal(["text-2", "text-0"], texts.Select(t => t.GetAttribute("data-testid")));
        Assert.Equal(Original, texts[0].QuerySelector("[data-testid=original]")!.TextContent);
        Assert.Equal(Scrubbed, texts[0].QuerySelector("[data-testid=scrubbed]")!.TextContent);
        Assert.Contains("已脱敏", texts[0].TextContent, StringComparison.Ordinal);

        await ClickAsync(layout, "[data-testid=text-2] [data-testid=edit-text]");
        layout.Find("[data-testid=mask-words]").Input("经办人");
        await ClickAsync(layout, "[data-testid=mask]");
        Assert.Equal("＊＊＊说明天再来，我的电话[电话已隐去]", Text(layout, "masked-preview"));
        layout.Find("[data-testid=reason]").Input("可识别经办人员");
        _review.OnRedact = r =>
        {
            var updated = Draft(revision: 1);
            updated.Texts[1].Published = r.Text;
            updated.Texts[1].Decision = DraftTextDecision.Redacted;
            return updated;
        };
        await ClickAsync(layout, "[data-testid=save-mask]");

        layout.WaitForAssertion(() => Assert.Equal("第 3 条已遮盖。", Text(layout, "review-notice")), Bound);
        var redact = Assert.Single(_review.Redactions);
        Assert.Equal(("2026-11", 1, 2, "＊＊＊说明天再来，我的电话[电话已隐去]", "可识别经办人员"), (redact.PeriodKey, redact.Version, redact.Row, redact.Text, redact.Reason));
        Assert.Equal("＊＊＊说明天再来，我的电话[电话已隐去]", layout.Find("[data-testid=text-2] [data-testid=published]").TextContent);

        await ClickAsync(layout, "[data-testid=approve]");

        layout.WaitForAssertion(() => Assert.Equal("2026年11月 已审核发布。", Text(layout, "review-notice")), Bound);
        var approval = Assert.Single(_review.Approvals);
        Assert.Equal(("2026-11", 1, 1), (approval.PeriodKey, approval.Version, approval.Revision));
        Assert.All(_review.AuthorizationHeaders, h => Assert.Equal("Bearer " + FakeStaffServer.Token, h));
    }

    [Fact]
    public async Task Review_TheServerRefusesAnEdit_ItsWordsShownAndNothingChanged()
    {
        _review.Drafts.Add(Draft());
        await SignInAsAsync(Protos.V1.StaffRole.DisclosureOfficer);
        var layout = RenderInLayout<DisclosureReview>();
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=edit-text]")), Bound);
        _review.OnRedact = _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "只能把文字改为“＊”遮盖，不能增删或改写其他文字"));

        await ClickAsync(layout, "[data-testid=text-2] [data-testid=edit-text]");
        layout.Find("[data-testid=reason]").Input("试");
        await ClickAsync(layout, "[data-testid=save-mask]");

        layout.WaitForAssertion(() => Assert.Equal("只能把文字改为“＊”遮盖，不能增删或改写其他文字", Text(layout, "review-error")), Bound);
        Assert.Equal(Scrubbed, layout.Find("[data-testid=text-2] [data-testid=published]").TextContent);
    }

    [Fact]
    public async Task Review_ADraftPastItsDueDay_AnnouncedLoudly()
    {
        _review.Drafts.Add(Draft(overdue: true));
        await SignInAsAsync(Protos.V1.StaffRole.DisclosureOfficer);

        var layout = RenderInLayout<DisclosureReview>();

        layout.WaitForAssertion(() => Assert.Contains("2026年11月（应于 2026-12-10 前审核发布）", Text(layout, "overdue-alert"), StringComparison.Ordinal), Bound);
        Assert.Equal("alert", layout.Find("[data-testid=overdue-alert]").GetAttribute("role"));
    }

    [Fact]
    public async Task Review_AnAuditor_ReadsTheDraftAndTheAudit_ButCannotEditApproveOrWithdraw()
    {
        _review.Drafts.Add(Draft());
        _review.Audit.Add(new DisclosureAuditEntry
        {
            At = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.FromHours(8))), UserName = "officer", Kind = "hidden",
            PeriodKey = "2026-11", Version = 1, Row = 2, Reason = "含住址",
        });
        await SignInAsAsync(Protos.V1.StaffRole.Auditor);

        var layout = RenderInLayout<DisclosureReview>();

        layout.WaitForAssertion(() => Assert.Equal("待审核 1 份", Text(layout, "draft-count")), Bound);
        Assert.Contains(Original, layout.Markup, StringComparison.Ordinal);
        Assert.Empty(layout.FindAll("[data-testid=edit-text]"));
        Assert.Empty(layout.FindAll("[data-testid=approve]"));
        Assert.Empty(layout.FindAll("[data-testid=withdraw-version]"));
        Assert.Contains("不予公开", Text(layout, "audit"), StringComparison.Ordinal);
        Assert.Contains("2026-11 第 1 版 第 3 条", Text(layout, "audit"), StringComparison.Ordinal);
        Assert.Contains("含住址", Text(layout, "audit"), StringComparison.Ordinal);
        Assert.Equal("公开审核", Text(layout, "nav-disclosures"));
    }

    [Fact]
    public async Task Withdraw_ATextOfAPublishedVersion_SendsTheRowAndTheReason()
    {
        _review.Published.Add((new PublicationHeader
        {
            PeriodKey = "2026-10", PeriodLabel = "2026年10月", Version = 1, PublishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UnixEpoch),
        }, Disclosures.TestPublications.Version1));
        await SignInAsAsync(Protos.V1.StaffRole.DisclosureOfficer);
        var layout = RenderInLayout<DisclosureReview>();
        layout.WaitForAssertion(() => Assert.Equal(2, layout.FindAll("[data-testid=withdraw-version] option").Count), Bound);

        await ChangeAsync(layout, "[data-testid=withdraw-version]", "2026-10/1");
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=withdraw-text]")), Bound);
        layout.Find("[data-testid=withdraw-reason]").Input("含可识别的工作人员");
        layout.FindAll("[data-testid=withdraw-text]")[0].Click();

        layout.WaitForAssertion(() => Assert.Single(_review.Withdrawals), Bound);
        var withdrawal = _review.Withdrawals[0];
        Assert.Equal(("2026-10", 1, true, "含可识别的工作人员"), (withdrawal.PeriodKey, withdrawal.Version, withdrawal.HasRow, withdrawal.Reason));
    }

    [Fact]
    public async Task Console_TheOfficerOpeningTheCaseQueue_IsTakenToTheReview()
    {
        await SignInAsAsync(Protos.V1.StaffRole.DisclosureOfficer);
        Navigation.NavigateTo("/console");

        var layout = RenderInLayout<CaseQueue>();

        layout.WaitForAssertion(() => Assert.Equal("http://localhost/console/disclosures", Navigation.Uri), Bound);
        Assert.Empty(Server.Cases.ListRequests);
        Assert.Empty(layout.FindAll("[data-testid=watch-status]"));
    }

    [Fact]
    public void MaskWords_EveryOccurrence_OneMaskPerCharacter()
    {
        Assert.Equal("＊＊在窗口，又找＊＊", DisclosureReviewClient.MaskWords("张伟在窗口，又找张伟", "张伟"));
        Assert.Equal("等了＊小时", DisclosureReviewClient.MaskWords("等了𠀀小时", "𠀀"));
        Assert.Equal("等了两小时", DisclosureReviewClient.MaskWords("等了两小时", "三"));
    }

    /// <summary>A DisclosureService client that answers from lists and records what the console sent.</summary>
    private sealed class FakeReviewService : DisclosureService.DisclosureServiceClient
    {
        public List<Protos.V1.DisclosureDraft> Drafts { get; } = [];

        public List<DisclosureAuditEntry> Audit { get; } = [];

        public List<(PublicationHeader Header, string Json)> Published { get; } = [];

        public List<RedactDraftTextRequest> Redactions { get; } = [];

        public List<ApproveDraftRequest> Approvals { get; } = [];

        public List<WithdrawPublishedRequest> Withdrawals { get; } = [];

        public List<string?> AuthorizationHeaders { get; } = [];

        public Func<RedactDraftTextRequest, Protos.V1.DisclosureDraft>? OnRedact { get; set; }

        public override AsyncUnaryCall<ListDraftsResponse> ListDraftsAsync(
            ListDraftsRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            AuthorizationHeaders.Add(headers?.GetValue("authorization"));
            var response = new ListDraftsResponse();
            response.Drafts.AddRange(Drafts);
            return Answer(response);
        }

        public override AsyncUnaryCall<RedactDraftTextResponse> RedactDraftTextAsync(
            RedactDraftTextRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            AuthorizationHeaders.Add(headers?.GetValue("authorization"));
            try
            {
                var draft = OnRedact!(request);
                Redactions.Add(request);
                return Answer(new RedactDraftTextResponse { Draft = draft });
            }
            catch (RpcException ex)
            {
                return Refuse<RedactDraftTextResponse>(ex);
            }
        }

        public override AsyncUnaryCall<ApproveDraftResponse> ApproveDraftAsync(
            ApproveDraftRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            AuthorizationHeaders.Add(headers?.GetValue("authorization"));
            Approvals.Add(request);
            Drafts.Clear();
            return Answer(new ApproveDraftResponse { Header = new PublicationHeader { PeriodKey = request.PeriodKey, Version = request.Version } });
        }

        public override AsyncUnaryCall<WithdrawPublishedResponse> WithdrawPublishedAsync(
            WithdrawPublishedRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            AuthorizationHeaders.Add(headers?.GetValue("authorization"));
            Withdrawals.Add(request);
            return Answer(new WithdrawPublishedResponse { Header = new PublicationHeader { PeriodKey = request.PeriodKey, Version = request.Version } });
        }

        public override AsyncUnaryCall<ListDisclosureActionsResponse> ListDisclosureActionsAsync(
            ListDisclosureActionsRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            AuthorizationHeaders.Add(headers?.GetValue("authorization"));
            var response = new ListDisclosureActionsResponse();
            response.Actions.AddRange(Audit);
            return Answer(response);
        }

        public override AsyncUnaryCall<ListPublicationsResponse> ListPublicationsAsync(
            ListPublicationsRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            var response = new ListPublicationsResponse();
            response.Publications.AddRange(Published.Select(p => p.Header));
            return Answer(response);
        }

        public override AsyncUnaryCall<GetPublicationResponse> GetPublicationAsync(
            GetPublicationRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            var found = Published.Single(p => p.Header.PeriodKey == request.PeriodKey && p.Header.Version == request.Version);
            return Answer(new GetPublicationResponse { Header = found.Header, ContentJson = found.Json });
        }

        private static AsyncUnaryCall<T> Answer<T>(T response) =>
            new(Task.FromResult(response), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });

        private static AsyncUnaryCall<T> Refuse<T>(RpcException ex) =>
            new(Task.FromException<T>(ex), Task.FromResult(new Metadata()), () => ex.Status, () => [], () => { });
    }
}
