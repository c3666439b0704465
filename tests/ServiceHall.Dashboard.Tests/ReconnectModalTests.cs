using Bunit;

namespace ServiceHall.Dashboard.Tests;

/// <summary>The reconnect dialog both front ends show (frontend/Layout/ReconnectModal.razor).</summary>
public sealed class ReconnectModalTests : IAsyncDisposable
{
    private static readonly ReconnectTexts Texts = new(
        Reconnecting: "正在重新连接页面…",
        RetryingIn: "重新连接失败，{0} 秒后再试。",
        Failed: "未能重新连接。\n请重试或刷新页面。",
        Retry: "重试",
        Paused: "页面会话已被服务器暂停。",
        ResumeFailed: "未能恢复页面会话。",
        Resume: "继续");

    private readonly BunitContext _ctx = new();

    public ValueTask DisposeAsync() => _ctx.DisposeAsync();

    [Fact]
    public void Render_AttendedScreen_CountsDownBetweenAttemptsAndBreaksLines()
    {
        var cut = _ctx.Render<ReconnectModal>(p => p.Add(c => c.Texts, Texts));

        var dialog = cut.Find("dialog#components-reconnect-modal");
        Assert.False(dialog.HasAttribute("data-unattended"));
        var repeated = cut.Find(".components-reconnect-repeated-attempt-visible");
        Assert.Equal("重新连接失败， 秒后再试。", repeated.TextContent.Trim());
        Assert.False(cut.Find("#components-seconds-to-next-attempt").HasAttribute("hidden"));
        Assert.Single(cut.FindAll("p.components-reconnect-failed-visible br"));
        Assert.Equal("重试", cut.Find("#components-reconnect-button").TextContent.Trim());
        Assert.Contains("ReconnectModal", cut.Find("script").GetAttribute("src"), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnattendedScreen_MarksTheDialogAndShowsNoCountdown()
    {
        var cut = _ctx.Render<ReconnectModal>(p => p
            .Add(c => c.Texts, Texts with { RetryingIn = null })
            .Add(c => c.Unattended, true));

        Assert.Equal("true", cut.Find("dialog").GetAttribute("data-unattended"));
        Assert.Equal("正在重新连接页面…", cut.Find(".components-reconnect-repeated-attempt-visible").TextContent.Trim());
        Assert.True(cut.Find("#components-seconds-to-next-attempt").HasAttribute("hidden"));
    }
}
