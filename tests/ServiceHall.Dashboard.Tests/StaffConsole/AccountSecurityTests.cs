using Bunit;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>账户与安全: one's own password for everyone, the account list for administrators, the security log for auditors.</summary>
public sealed class AccountSecurityTests : ConsoleTestHost
{
    private async Task<IRenderedComponent<ConsoleLayout>> OpenAsAsync(StaffRole role)
    {
        Server.Accounts.Account = new StaffAccount { UserName = FakeStaffServer.UserName, DisplayName = "王丽", Role = role };
        await SignInAsync();
        var layout = RenderInLayout<AccountSecurity>();
        layout.WaitForAssertion(() => Assert.NotEmpty(layout.FindAll("[data-testid=password-form]")), Bound);
        return layout;
    }

    private static Task FillPasswordAsync(IRenderedComponent<ConsoleLayout> layout, string old, string @new, string repeat) =>
        layout.InvokeAsync(() =>
        {
            layout.Find("[data-testid=old-password]").Input(old);
            layout.Find("[data-testid=new-password]").Input(@new);
            layout.Find("[data-testid=repeat-password]").Input(repeat);
            layout.Find("[data-testid=password-form]").Submit();
        });

    [Fact]
    public async Task ChangePassword_SentToTheServer_AndItsRefusalShownByField()
    {
        var layout = await OpenAsAsync(StaffRole.HallManager);

        await FillPasswordAsync(layout, FakeStaffServer.Password, "a new long password", "a different one");
        Assert.Equal("两次输入的新密码不一致。", Text(layout, "password-message"));
        Assert.Empty(Server.Accounts.Changes);

        await FillPasswordAsync(layout, FakeStaffServer.Password, "too short", "too short");
        layout.WaitForAssertion(() => Assert.Equal("新密码：至少 12 个字符", Text(layout, "password-message")), Bound);

        await FillPasswordAsync(layout, FakeStaffServer.Password, "a new long password", "a new long password");
        layout.WaitForAssertion(() => Assert.Equal("密码已修改。", Text(layout, "password-message")), Bound);
        var sent = Assert.IsType<ChangePasswordRequest>(Assert.Single(Server.Accounts.Changes));
        Assert.Equal("a new long password", sent.NewPassword);
        // A hall manager administers no accounts and reads no security log.
        Assert.Empty(layout.FindAll("[data-testid=accounts-table]"));
        Assert.Empty(layout.FindAll("[data-testid=security-log]"));
    }

    [Fact]
    public async Task Administrator_UnlocksAndDisablesAccounts_AndReadsTheLog()
    {
        Server.Accounts.Standings.Add(new AccountStanding
        {
            Account = new StaffAccount { UserName = "zhang", DisplayName = "张经办", Role = StaffRole.DepartmentHandler, DepartmentCode = "XZSP" },
            FailedSignIns = 5,
            LockedUntil = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(10)),
        });
        Server.Accounts.Events.Add(new SecurityEvent
        {
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)), Kind = "locked-out", UserName = "zhang",
            Source = "10.0.0.7", Detail = "连续 5 次失败",
        });
        var layout = await OpenAsAsync(StaffRole.Administrator);
        layout.WaitForAssertion(() => Assert.Contains("已锁定", Text(layout, "account-state-zhang"), StringComparison.Ordinal), Bound);
        Assert.Contains("账户锁定", Text(layout, "security-log"), StringComparison.Ordinal);

        await ClickAsync(layout, "[data-testid=unlock-zhang]");
        layout.WaitForAssertion(() => Assert.Equal("正常", Text(layout, "account-state-zhang")), Bound);
        await ClickAsync(layout, "[data-testid=toggle-zhang]");
        layout.WaitForAssertion(() => Assert.Equal("已停用", Text(layout, "account-state-zhang")), Bound);

        Assert.Equal(["UnlockAccountRequest", "SetAccountDisabledRequest"], Server.Accounts.Changes.Select(c => c.GetType().Name));
        Assert.True(Assert.IsType<SetAccountDisabledRequest>(Server.Accounts.Changes.Last()).Disabled);
    }

    [Fact]
    public async Task Auditor_ReadsTheLog_ButAdministersNoAccount()
    {
        Server.Accounts.Events.Add(new SecurityEvent
        {
            At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Kind = "sign-in-failed", UserName = "guess", Source = "10.0.0.9", Detail = "未知用户名",
        });
        var layout = await OpenAsAsync(StaffRole.Auditor);

        layout.WaitForAssertion(() => Assert.Contains("登录失败", Text(layout, "security-log"), StringComparison.Ordinal), Bound);
        Assert.Empty(layout.FindAll("[data-testid=accounts-table]"));
    }
}
