using Bunit;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Dashboard.Services.Casework;
using StaffAccount = ServiceHall.Protos.V1.StaffAccount;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class ConsoleLayoutTests : ConsoleTestHost
{
    [Fact]
    public void Render_NotSignedIn_SendsToSignInWithReturnUrlAndHidesThePage()
    {
        Navigation.NavigateTo("/console/cases/c-1");

        var layout = RenderInLayout<CaseQueue>();

        layout.WaitForAssertion(
            () => Assert.Equal("http://localhost/console/sign-in?returnUrl=%2Fconsole%2Fcases%2Fc-1", Navigation.Uri), Bound);
        Assert.Empty(layout.FindAll("[data-testid=case-table]"));
        Assert.Empty(Server.Cases.ListRequests);
    }

    [Fact]
    public async Task Render_SignedIn_ShowsDisplayNameAndChineseRole()
    {
        Server.Accounts.Account = new StaffAccount
        {
            UserName = "rsj01",
            DisplayName = "李强",
            Role = StaffRole.DepartmentHandler,
            DepartmentCode = "RSJ",
        };
        await SignInAsync();

        var layout = RenderInLayout<CaseQueue>();

        Assert.Equal("李强", Text(layout, "user-name"));
        Assert.Equal("部门经办人", Text(layout, "user-role"));
    }

    [Fact]
    public async Task Render_SessionKeptInTheTab_SignedInAfterReload()
    {
        Store.Stored = new ConsoleCredentials(
            FakeStaffServer.Token, DateTimeOffset.UtcNow.AddHours(1), new ConsoleAccount("wangli", "王丽", ConsoleRole.Supervisor, ""));

        var layout = RenderInLayout<CaseQueue>();

        layout.WaitForAssertion(() => Assert.Equal("督办人员", Text(layout, "user-role")), Bound);
        layout.WaitForAssertion(() => Assert.NotEmpty(Server.Cases.ListRequests), Bound);
        Assert.Equal("Bearer " + FakeStaffServer.Token, Server.Cases.AuthorizationHeaders[0]);
        await Task.CompletedTask;
    }

    [Fact]
    public void Render_ExpiredSessionKeptInTheTab_SendsToSignIn()
    {
        Store.Stored = new ConsoleCredentials(
            FakeStaffServer.Token, DateTimeOffset.UtcNow.AddMinutes(-1), new ConsoleAccount("wangli", "王丽", ConsoleRole.HallManager, ""));

        var layout = RenderInLayout<CaseQueue>();

        layout.WaitForAssertion(() => Assert.Contains("/console/sign-in", Navigation.Uri, StringComparison.Ordinal), Bound);
    }

    [Fact]
    public async Task SignOut_Click_ForgetsTheTokenAndGoesToSignIn()
    {
        await SignInAsync();
        var layout = RenderInLayout<CaseQueue>();

        await ClickAsync(layout, "[data-testid=sign-out]");

        layout.WaitForAssertion(() => Assert.Contains("/console/sign-in", Navigation.Uri, StringComparison.Ordinal), Bound);
        Assert.False(Session.IsSignedIn);
        Assert.Null(Store.Stored);
        // The token is revoked on the server, not only forgotten by the tab.
        Assert.Equal(["Bearer " + FakeStaffServer.Token], Server.Accounts.SignOuts);
    }

    [Fact]
    public async Task Render_TokenRevokedOnTheServer_GoesBackToSignInWithAReason()
    {
        await SignInAsync();
        Server.Cases.RejectToken = true;

        var layout = RenderInLayout<CaseQueue>();

        layout.WaitForAssertion(() => Assert.Contains("/console/sign-in", Navigation.Uri, StringComparison.Ordinal), Bound);
        Assert.False(Session.IsSignedIn);
        Assert.Equal("登录已失效，请重新登录。", Session.EndedBecause);
    }

    [Fact]
    public async Task WatchCases_TokenRefusedOnTheStream_GoesBackToSignIn()
    {
        await SignInAsync();
        Server.Cases.RejectWatch = true;

        var layout = RenderInLayout<CaseQueue>();

        layout.WaitForAssertion(() => Assert.Contains("/console/sign-in", Navigation.Uri, StringComparison.Ordinal), Bound);
        Assert.False(Session.IsSignedIn);
        Assert.Null(Store.Stored);
    }
}
