using Bunit;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>The review queue: flagged ratings with what was seen, and a decision sent as the reviewer made it.</summary>
public sealed class RatingReviewTests : ConsoleTestHost
{
    private const string RatingId = "0197d5a0-0000-7000-8000-00000000000a";

    private void OneFlagged()
    {
        var rating = new FlaggedRating
        {
            RatingId = RatingId, RatedAt = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 3, 9, 10, 5, 0, TimeSpan.FromHours(8))),
            HallCode = "370104-ZWZX", WindowCode = "A01", DepartmentCode = "RSJ", Level = RatingLevel.VerySatisfied,
            Text = "这个窗口的服务真的非常好值得表扬", DeviceId = "kiosk-01",
        };
        rating.Flags.Add(new RatingFlag { Pattern = FraudPattern.RepeatedText, Label = "相同或近似的评价文字", Detail = "相同或近似的文字 7 天内出现 4 次" });
        rating.Flags.Add(new RatingFlag { Pattern = FraudPattern.DeviceBurst, Label = "同一设备短时间内大量评价", Detail = "设备 kiosk-01 在 60 秒内有 6 条评价" });
        Reviews.Queue.Add(rating);
    }

    [Fact]
    public async Task Render_FlaggedRating_ShowsEveryFlagWithWhatWasSeen()
    {
        OneFlagged();
        await SignInAsync();

        var layout = RenderInLayout<RatingReview>();

        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid^=flagged-]")), Bound);
        Assert.Equal("待审核 1 条", Text(layout, "review-count"));
        var flags = Text(layout, $"flags-{RatingId}");
        Assert.Contains("相同或近似的评价文字：相同或近似的文字 7 天内出现 4 次", flags, StringComparison.Ordinal);
        Assert.Contains("设备 kiosk-01 在 60 秒内有 6 条评价", flags, StringComparison.Ordinal);
        Assert.Contains("非常满意", layout.Find($"[data-testid=flagged-{RatingId}]").TextContent, StringComparison.Ordinal);
        Assert.NotNull(layout.Find($"[data-testid=exclude-Fabricated-{RatingId}]"));
    }

    [Fact]
    public async Task Exclude_WithReasonAndNote_SendsTheDecision_AndTheQueueEmpties()
    {
        OneFlagged();
        await SignInAsync();
        var layout = RenderInLayout<RatingReview>();
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid^=flagged-]")), Bound);

        await ChangeAsync(layout, $"[data-testid=exclude-Fabricated-{RatingId}]", true);
        await ChangeAsync(layout, $"[data-testid=note-{RatingId}]", "同一设备一分钟内同一文字，核实为刷评");
        await ClickAsync(layout, $"[data-testid=decide-{RatingId}]");

        layout.WaitForAssertion(() => Assert.Equal("没有待审核的评价。", Text(layout, "review-empty")), Bound);
        var decision = Assert.Single(Reviews.Decisions);
        Assert.Equal((RatingId, true, ExclusionReason.Fabricated, "同一设备一分钟内同一文字，核实为刷评"),
            (decision.RatingId, decision.Exclude, decision.Reason, decision.Note));
        Assert.Contains("不再计入", Text(layout, "review-done"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exclude_WithoutANote_RefusedOnThePage_NothingSent()
    {
        OneFlagged();
        await SignInAsync();
        var layout = RenderInLayout<RatingReview>();
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid^=flagged-]")), Bound);

        await ChangeAsync(layout, $"[data-testid=exclude-Duplicate-{RatingId}]", true);
        await ClickAsync(layout, $"[data-testid=decide-{RatingId}]");

        // The decide handler is asynchronous: the message appears on its next render.
        layout.WaitForAssertion(
            () => Assert.Contains("须写明核实情况", Text(layout, $"decide-error-{RatingId}"), StringComparison.Ordinal), Bound);
        Assert.Empty(Reviews.Decisions);
    }

    [Fact]
    public async Task Keep_SendsAKeepWithoutReason()
    {
        OneFlagged();
        await SignInAsync();
        var layout = RenderInLayout<RatingReview>();
        layout.WaitForAssertion(() => Assert.Single(layout.FindAll("[data-testid^=flagged-]")), Bound);

        await ChangeAsync(layout, $"[data-testid=keep-{RatingId}]", true);
        await ClickAsync(layout, $"[data-testid=decide-{RatingId}]");

        layout.WaitForAssertion(() => Assert.Single(Reviews.Decisions), Bound);
        Assert.Equal((false, ExclusionReason.Unspecified), (Reviews.Decisions[0].Exclude, Reviews.Decisions[0].Reason));
    }
}
