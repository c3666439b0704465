using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

public sealed class DisclosureDraftTests
{
    private static readonly DateTimeOffset Approved = new(2026, 10, 9, 10, 0, 0, TimeSpan.FromHours(8));
    private static readonly DisclosureSender Sender = new("济南市槐荫区行政审批服务局", "0531-12345");

    private const string Scrubbed = "窗口王主任说明天再来，电话[电话已隐去]";

    private static DisclosureDraft Draft()
    {
        var reviews = new List<PublishedBadReview>
        {
            new(new DateOnly(2026, 9, 3), "行政审批局", "A01 综合受理", "", "很不满意", [], Scrubbed, "处理中"),
            new(new DateOnly(2026, 9, 4), "人社局", "", "", "不满意", [], "", "处理中"),
            new(new DateOnly(2026, 9, 5), "人社局", "", "", "不满意", [], PublicText.WithheldText, "处理中"),
        };
        var content = new PublicationContent(
            "2026-09", "2026年9月", new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 30), "370104", [], [], [], [], [], [], [], reviews, 1);
        return new DisclosureDraft(
            "2026-09", 1, Approved.AddDays(-8), new DateOnly(2026, 10, 10), null, content,
            [
                new DraftText(0, "窗口王主任说明天再来，电话13812345678", Scrubbed, true, false, Scrubbed, DraftTextDecision.None),
                new DraftText(2, "我是李四，住在某小区", "我是某某，住在某小区", true, true, PublicText.WithheldText, DraftTextDecision.None),
            ]);
    }

    private const string Summary = "已向王女士道歉，经办人张三已调岗";

    /// <summary>The first row's 差评 also has the handler's 整改情况, de-identification left it as written.</summary>
    private static DisclosureDraft DraftWithSummary()
    {
        var draft = Draft();
        var reviews = draft.Content.BadReviews.ToList();
        reviews[0] = reviews[0] with { WhatWasDone = Summary };
        return draft with
        {
            Content = draft.Content with { BadReviews = reviews },
            Texts = [.. draft.Texts, new DraftText(0, Summary, Summary, false, false, Summary, DraftTextDecision.None, DraftTextField.WhatWasDone)],
        };
    }

    [Fact]
    public void WhatWasDone_MaskedOrHidden_ApartFromTheCitizensTextOfTheSameRow()
    {
        var masked = DraftWithSummary().Redact(0, "已向＊女士道歉，经办人＊＊已调岗", DraftTextField.WhatWasDone).Approve(Approved, "政务公开专员", Sender);

        Assert.Equal("已向＊女士道歉，经办人＊＊已调岗", masked.Content.BadReviews[0].WhatWasDone);
        Assert.Equal(Scrubbed, masked.Content.BadReviews[0].Text);

        var hidden = DraftWithSummary().Hide(0, DraftTextField.WhatWasDone).Approve(Approved, "政务公开专员", Sender);

        Assert.Equal(DisclosureDraft.HiddenByOfficer, hidden.Content.BadReviews[0].WhatWasDone);
        Assert.Equal(Scrubbed, hidden.Content.BadReviews[0].Text);
        // Unreviewed, it is published as the de-identification left it; the words added by a redaction are refused for it too.
        Assert.Equal(Summary, DraftWithSummary().Approve(Approved, "政务公开专员", Sender).Content.BadReviews[0].WhatWasDone);
        Assert.Equal("text", Assert.Throws<InvalidInputException>(() => DraftWithSummary().Redact(0, Summary + "。", DraftTextField.WhatWasDone)).Field);
        // A row without a 整改情况 has none to review.
        Assert.Throws<NotFoundException>(() => DraftWithSummary().Hide(2, DraftTextField.WhatWasDone));
    }

    [Fact]
    public void Withdrawal_TakesTheCitizensTextAndTheWhatWasDoneOut()
    {
        var published = DraftWithSummary().Approve(Approved, "政务公开专员", Sender);

        var row = published.WithdrawText(0, Approved.AddDays(1), "含可识别信息").Content.BadReviews[0];
        var whole = published.WithdrawAll(Approved.AddDays(1), "整版撤回").Content.BadReviews[0];

        Assert.Equal((DisclosureDraft.WithdrawnText, DisclosureDraft.WithdrawnText), (row.Text, row.WhatWasDone));
        Assert.Equal((DisclosureDraft.WithdrawnText, DisclosureDraft.WithdrawnText), (whole.Text, whole.WhatWasDone));
    }

    [Theory]
    [InlineData("窗口＊主任说明天再来，电话[电话已隐去]")]
    [InlineData("＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊")]
    public void Redact_CharactersMaskedOneForOne_PublishedOnApproval(string edited)
    {
        var publication = Draft().Redact(0, edited).Approve(Approved, "政务公开专员", Sender);

        Assert.Equal(edited, publication.Content.BadReviews[0].Text);
        Assert.Equal(new PublicationSignOff(Sender.IssuingBody, Sender.Contact, Approved, "政务公开专员"), publication.SignOff);
    }

    [Theory]
    // A word added, at the end, in the middle, in place of a mask.
    [InlineData("窗口王主任说明天再来，电话[电话已隐去]。此人已被处分")]
    [InlineData("窗口王主任态度极好说明天再来，电话[电话已隐去]")]
    // A character changed, removed, or two swapped: the same length is not enough.
    [InlineData("窗口张主任说明天再来，电话[电话已隐去]")]
    [InlineData("窗口王主任说明天来，电话[电话已隐去]")]
    [InlineData("窗口主王任说明天再来，电话[电话已隐去]")]
    // One mask standing for two characters, or two masks for one; a half-width star is not the mask.
    [InlineData("窗口＊任说明天再来，电话[电话已隐去]")]
    [InlineData("窗口＊＊＊主任说明天再来，电话[电话已隐去]")]
    [InlineData("窗口*主任说明天再来，电话[电话已隐去]")]
    // Invisible additions: a zero-width space, a bidi override, a lone surrogate in place of a character.
    [InlineData("窗口＊主任说\u200b明天再来，电话[电话已隐去]")]
    [InlineData("窗口＊主任说明天再来，电话[电话已隐去]\u202e")]
    [InlineData("窗口\ud800主任说明天再来，电话[电话已隐去]")]
    [InlineData("")]
    public void Redact_AnythingButMasks_RefusedAndTheDraftUnchanged(string edited)
    {
        var draft = Draft();

        var refusal = Assert.Throws<InvalidInputException>(() => draft.Redact(0, edited));

        Assert.Equal("text", refusal.Field);
        Assert.Equal(Scrubbed, draft.Approve(Approved, "政务公开专员", Sender).Content.BadReviews[0].Text);
    }

    [Fact]
    public void Redact_ACharacterOutsideTheBasicPlane_MaskedAsOneCharacter()
    {
        Assert.True(DisclosureDraft.IsRedactionOf("等了𠀀小时", "等了＊小时"));
        Assert.False(DisclosureDraft.IsRedactionOf("等了𠀀小时", "等了＊＊小时"));
        // Half of the pair masked would leave a lone surrogate: refused.
        Assert.False(DisclosureDraft.IsRedactionOf("等了𠀀小时", "等了＊\udc00小时"));
    }

    [Fact]
    public void Redact_AWithheldText_PublishesTheMaskedScrubbedText()
    {
        var published = Draft().Redact(2, "我是＊＊，住在＊＊＊").Approve(Approved, "政务公开专员", Sender);

        Assert.Equal("我是＊＊，住在＊＊＊", published.Content.BadReviews[2].Text);
    }

    [Fact]
    public void Redact_NothingChanged_Refused()
    {
        Assert.Equal("text", Assert.Throws<InvalidInputException>(() => Draft().Redact(0, Scrubbed)).Field);
    }

    [Fact]
    public void RedactOrHide_ARowWithoutAText_NotFound()
    {
        Assert.Throws<NotFoundException>(() => Draft().Redact(1, "＊"));
        Assert.Throws<NotFoundException>(() => Draft().Hide(-1));
        Assert.Throws<NotFoundException>(() => Draft().Hide(3));
    }

    [Fact]
    public void Hide_TheTextReplacedByTheNotice_TheBadReviewStillListed()
    {
        var publication = Draft().Hide(0).Approve(Approved, "政务公开专员", Sender);

        Assert.Equal(DisclosureDraft.HiddenByOfficer, publication.Content.BadReviews[0].Text);
        Assert.Equal(3, publication.Content.BadReviews.Count);
        Assert.Throws<InvalidInputException>(() => Draft().Hide(0).Hide(0));
    }

    [Fact]
    public void Approve_Untouched_PublishesWhatTheDeIdentificationMade_WithoutTheOriginals()
    {
        var publication = Draft().Approve(Approved, "政务公开专员", Sender);
        var json = System.Text.Json.JsonSerializer.Serialize(publication);

        Assert.Equal(PublicText.WithheldText, publication.Content.BadReviews[2].Text);
        Assert.DoesNotContain("13812345678", json, StringComparison.Ordinal);
        Assert.DoesNotContain("李四", json, StringComparison.Ordinal);
        Assert.Equal(Approved, publication.PublishedAt);
    }

    [Fact]
    public void IsOverdue_AfterTheDueDayOnly()
    {
        Assert.False(Draft().IsOverdue(new DateOnly(2026, 10, 10)));
        Assert.True(Draft().IsOverdue(new DateOnly(2026, 10, 11)));
    }

    [Fact]
    public void WithdrawText_TextGone_NoticeKept_FiguresAndOtherTextsUnchanged()
    {
        var published = Draft().Approve(Approved, "政务公开专员", Sender);

        var withdrawn = published.WithdrawText(0, Approved.AddDays(3), "含可识别的工作人员");

        Assert.Equal(DisclosureDraft.WithdrawnText, withdrawn.Content.BadReviews[0].Text);
        Assert.Equal(published.Content.BadReviews[2], withdrawn.Content.BadReviews[2]);
        Assert.Equal(published.Content.Headline, withdrawn.Content.Headline);
        Assert.Equal(published.Content.WithheldTexts, withdrawn.Content.WithheldTexts);
        var notice = Assert.Single(withdrawn.Withdrawals!);
        Assert.Equal(new Withdrawal(0, Approved.AddDays(3), "含可识别的工作人员"), notice);
        Assert.Equal("第 1 条差评的文字", notice.What);
        Assert.False(withdrawn.IsWithdrawn);
    }

    [Fact]
    public void Withdraw_WithoutAReason_TwiceOrAnEmptyRow_Refused()
    {
        var published = Draft().Approve(Approved, "政务公开专员", Sender);

        Assert.Equal("reason", Assert.Throws<InvalidInputException>(() => published.WithdrawText(0, Approved, " ")).Field);
        Assert.Equal("reason", Assert.Throws<InvalidInputException>(() => published.WithdrawText(0, Approved, new string('长', 201))).Field);
        Assert.Equal("row", Assert.Throws<InvalidInputException>(() => published.WithdrawText(1, Approved, "无文字")).Field);
        Assert.Equal("row", Assert.Throws<InvalidInputException>(() => published.WithdrawText(5, Approved, "越界")).Field);
        Assert.Equal("row", Assert.Throws<InvalidInputException>(() => published.WithdrawText(0, Approved, "泄露").WithdrawText(0, Approved, "再次")).Field);
        Assert.Equal("version", Assert.Throws<InvalidInputException>(() => published.WithdrawAll(Approved, "整版").WithdrawText(0, Approved, "再次")).Field);
    }

    [Fact]
    public void WithdrawAll_EveryTextGone_VersionMarkedWithdrawn()
    {
        var withdrawn = Draft().Approve(Approved, "政务公开专员", Sender).WithdrawAll(Approved.AddDays(1), "整版有误");

        Assert.True(withdrawn.IsWithdrawn);
        Assert.All(withdrawn.Content.BadReviews, b => Assert.True(b.Text is "" or DisclosureDraft.WithdrawnText));
        Assert.Equal("本版全部内容", Assert.Single(withdrawn.Withdrawals!).What);
    }
}
