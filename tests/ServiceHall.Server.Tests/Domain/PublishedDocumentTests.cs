using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public sealed class PublishedDocumentTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly Actor Li = new("li", CaseRole.DisclosureOffice);
    private static readonly Actor Wang = new("wang", CaseRole.DisclosureOffice);

    public static DocumentContent Policy() => new(
        PublishedDocumentType.Policy, "关于支持小微企业吸纳就业的若干措施", "济南市槐荫区人民政府办公室", "槐政办发〔2026〕8号",
        new DateOnly(2026, 10, 1), new DateOnly(2026, 10, 8), null, null, null, "第一条 ……\n\n第二条 ……", null, [], [], null, null);

    public static DocumentContent EnterprisePolicy() => Policy() with
    {
        Type = PublishedDocumentType.EnterprisePolicy,
        ApplyFrom = new DateOnly(2026, 11, 1),
        ApplyUntil = new DateOnly(2026, 11, 30),
        Terms = new EnterpriseTerms("注册在本区的小微企业", "申请表", "网上申报", "0531-00000000"),
    };

    [Fact]
    public void Lifecycle_DraftToWithdrawn_AppendsOneAuditRecordPerStep()
    {
        var d = PublishedDocument.Draft(Guid.NewGuid(), Policy(), Li, At);
        d.SubmitForReview(Li, At);
        d.Approve(Wang, secondOfficerReviews: true, "同意", At);
        d.Publish(Wang, At.AddMinutes(1));
        d.Withdraw(Li, "已被新文件替代", At.AddDays(3));

        Assert.Equal(PublishedDocumentState.Withdrawn, d.State);
        Assert.Equal(At.AddMinutes(1), d.PublishedAt);
        Assert.Equal(
            [DocumentEventKind.Drafted, DocumentEventKind.SubmittedForReview, DocumentEventKind.Approved, DocumentEventKind.Published, DocumentEventKind.Withdrawn],
            d.Events.Select(e => e.Kind));
        Assert.Equal([1, 2, 3, 4, 5], d.Events.Select(e => e.Sequence));
        Assert.Equal("已被新文件替代", d.Events[^1].Note);
        Assert.Equal("wang", d.Events[2].By.Id);
    }

    [Fact]
    public void Approve_BySubmitter_IsRefusedWhenASecondOfficerReviews_AndAllowedInAOneOfficerDistrict()
    {
        var d = PublishedDocument.Draft(Guid.NewGuid(), Policy(), Li, At);
        d.SubmitForReview(Li, At);
        var e = Assert.Throws<NotNowException>(() => d.Approve(Li, secondOfficerReviews: true, null, At));
        Assert.Equal("second_officer_required", e.Condition);
        Assert.Equal(PublishedDocumentState.InReview, d.State);
        Assert.Equal(2, d.Events.Count);

        d.Approve(Li, secondOfficerReviews: false, null, At);
        Assert.Equal(PublishedDocumentState.Approved, d.State);
    }

    [Fact]
    public void Transitions_FromTheWrongState_AreRefusedAndChangeNothing()
    {
        var d = PublishedDocument.Draft(Guid.NewGuid(), Policy(), Li, At);
        Assert.Throws<NotNowException>(() => d.Publish(Li, At));
        Assert.Throws<NotNowException>(() => d.Approve(Wang, true, null, At));
        Assert.Throws<NotNowException>(() => d.Withdraw(Li, "x", At));
        d.SubmitForReview(Li, At);
        Assert.Throws<NotNowException>(() => d.Edit(Policy() with { Title = "改" }, Li, At));
        Assert.Equal(PublishedDocumentState.InReview, d.State);
        Assert.Equal(2, d.Events.Count);
    }

    [Fact]
    public void ReturnAndWithdraw_NeedAReason()
    {
        var d = PublishedDocument.Draft(Guid.NewGuid(), Policy(), Li, At);
        d.SubmitForReview(Li, At);
        Assert.Equal("reason", Assert.Throws<InvalidInputException>(() => d.ReturnForChanges(Wang, " ", At)).Field);
        d.ReturnForChanges(Wang, "文号有误", At);
        Assert.Equal(PublishedDocumentState.Draft, d.State);
    }

    [Fact]
    public void Withdrawn_CanBeEditedIntoANewDraft_ButNotIntoAnotherType()
    {
        var d = PublishedDocument.Draft(Guid.NewGuid(), Policy(), Li, At);
        d.SubmitForReview(Li, At);
        d.Approve(Wang, true, null, At);
        d.Publish(Wang, At);
        d.Withdraw(Wang, "内容更正", At);
        Assert.Equal("content.type", Assert.Throws<InvalidInputException>(() => d.Edit(EnterprisePolicy(), Li, At)).Field);
        d.Edit(Policy() with { Title = "更正后的标题" }, Li, At);
        Assert.Equal(PublishedDocumentState.Draft, d.State);
        Assert.Equal("更正后的标题", d.Content.Title);
    }

    [Fact]
    public void OnlyTheDisclosureOffice_MayAct()
    {
        var handler = new Actor("h", CaseRole.DepartmentHandler, "RSJ");
        Assert.Throws<AccessDeniedException>(() => PublishedDocument.Draft(Guid.NewGuid(), Policy(), handler, At));
        var d = PublishedDocument.Draft(Guid.NewGuid(), Policy(), Li, At);
        Assert.Throws<AccessDeniedException>(() => d.SubmitForReview(handler, At));
    }

    public static TheoryData<string, Func<DocumentContent, DocumentContent>> BadContent => new()
    {
        { "content.title", c => c with { Title = " " } },
        { "content.title", c => c with { Title = new string('字', 201) } },
        { "content.issuing_body", c => c with { IssuingBody = "" } },
        { "content.body", c => c with { Body = new string('字', 20_001) } },
        { "content.document_number", c => c with { DocumentNumber = new string('号', 65) } },
        { "content.effective_on", c => c with { EffectiveOn = c.IssuedOn!.Value.AddDays(-1) } },
        { "content.expires_on", c => c with { ExpiresOn = c.EffectiveOn!.Value.AddDays(-1) } },
        { "content.apply_until", c => c with { ApplyFrom = new DateOnly(2026, 11, 5), ApplyUntil = new DateOnly(2026, 11, 4) } },
        { "content.apply_until", c => c with { ApplyFrom = new DateOnly(2026, 11, 5) } },
        { "content.terms", c => c with { Type = PublishedDocumentType.EnterprisePolicy, ApplyFrom = new DateOnly(2026, 11, 1), ApplyUntil = new DateOnly(2026, 11, 2) } },
        { "content.apply_from", c => EnterprisePolicy() with { ApplyFrom = null, ApplyUntil = null } },
        { "content.terms.contact", c => EnterprisePolicy() with { Terms = EnterprisePolicy().Terms! with { Contact = "" } } },
        { "content.interprets_policy_id", c => c with { Type = PublishedDocumentType.Interpretation } },
        { "content.interprets_policy_id", c => c with { InterpretsPolicyId = Guid.NewGuid() } },
        { "content.attachments[0].url", c => c with { Attachments = [new DocumentLink("附件", "javascript:alert(1)")] } },
        { "content.online_url", c => c with { OnlineUrl = "not a url" } },
        { "content.attachments", c => c with { Attachments = Enumerable.Range(0, 21).Select(i => new DocumentLink("附件", "https://x.cn/")).ToList() } },
    };

    [Theory]
    [MemberData(nameof(BadContent))]
    public void BadContent_IsRefusedNamingTheField(string field, Func<DocumentContent, DocumentContent> spoil)
    {
        Assert.Equal(field, Assert.Throws<InvalidInputException>(() => PublishedDocument.Draft(Guid.NewGuid(), spoil(Policy()), Li, At)).Field);
    }

    [Theory]
    [InlineData(2026, 10, 31, null)]
    [InlineData(2026, 11, 1, 29)]
    [InlineData(2026, 11, 30, 0)]
    [InlineData(2026, 12, 1, null)]
    public void DaysLeftToApply_CountsToTheLastDay_OnlyWhileTheWindowIsOpen(int y, int m, int d, int? expected) =>
        Assert.Equal(expected, PublishedDocumentRules.DaysLeftToApply(EnterprisePolicy(), new DateOnly(y, m, d)));
}
