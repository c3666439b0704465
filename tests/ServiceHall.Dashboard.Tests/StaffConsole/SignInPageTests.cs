using Bunit;
using ServiceHall.Dashboard.Components.StaffConsole;
using ServiceHall.Dashboard.Services.Casework;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

public sealed class SignInPageTests : ConsoleTestHost
{
    private IRenderedComponent<SignIn> RenderAndFill(string user, string password, string? returnUrl = null)
    {
        if (returnUrl is not null)
        {
            Navigation.NavigateTo("/console/sign-in?returnUrl=" + Uri.EscapeDataString(returnUrl));
        }

        var page = Ctx.Render<SignIn>();
        page.Find("#sign-in-user").Input(user);
        page.Find("#sign-in-password").Input(password);
        return page;
    }

    [Fact]
    public void Render_Form_HasChineseLabelsBoundToInputs()
    {
        var page = Ctx.Render<SignIn>();

        Assert.Equal("用户名", page.Find("label[for=sign-in-user]").TextContent);
        Assert.Equal("密码", page.Find("label[for=sign-in-password]").TextContent);
        Assert.Equal("password", page.Find("#sign-in-password").GetAttribute("type"));
        Assert.False(page.Find("[data-testid=sign-in-submit]").HasAttribute("disabled"));
    }

    [Fact]
    public void Submit_RightPassword_KeepsTokenAndAccountForTheCircuitAndOpensTheQueue()
    {
        var page = RenderAndFill(FakeStaffServer.UserName, FakeStaffServer.Password);

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.EndsWith("/console", Navigation.Uri, StringComparison.Ordinal), Bound);
        Assert.True(Session.IsSignedIn);
        Assert.Equal(FakeStaffServer.Token, Session.Credentials!.AccessToken);
        Assert.Equal("王丽", Session.Account!.DisplayName);
        Assert.Equal(ConsoleRole.HallManager, Session.Account.Role);
        // Kept in the tab's session storage so a reload stays signed in.
        Assert.Equal(FakeStaffServer.Token, Store.Stored?.AccessToken);
    }

    [Fact]
    public void Submit_WrongPassword_ShowsPlainErrorAndStaysSignedOut()
    {
        var page = RenderAndFill(FakeStaffServer.UserName, "wrong");

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("用户名或密码不正确", Text(page, "sign-in-error")), Bound);
        Assert.Equal("alert", page.Find("[data-testid=sign-in-error]").GetAttribute("role"));
        Assert.False(Session.IsSignedIn);
        Assert.Null(Store.Stored);
        Assert.EndsWith("/", Navigation.Uri, StringComparison.Ordinal);
        Assert.Equal("", page.Find("#sign-in-password").GetAttribute("value") ?? "");
    }

    [Fact]
    public void Submit_EmptyPassword_AsksForBothWithoutCallingTheServer()
    {
        var page = RenderAndFill(FakeStaffServer.UserName, "");

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("请输入用户名和密码", Text(page, "sign-in-error")), Bound);
        Assert.False(Session.IsSignedIn);
    }

    [Fact]
    public void Submit_WithReturnUrlOfACase_GoesBackToThatCase()
    {
        var page = RenderAndFill(FakeStaffServer.UserName, FakeStaffServer.Password, "/console/cases/c-42");

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.EndsWith("/console/cases/c-42", Navigation.Uri, StringComparison.Ordinal), Bound);
    }

    [Fact]
    public void Submit_WithForeignReturnUrl_OpensTheQueueInstead()
    {
        var page = RenderAndFill(FakeStaffServer.UserName, FakeStaffServer.Password, "https://evil.example/console");

        page.Find("form").Submit();

        page.WaitForAssertion(() => Assert.Equal("http://localhost/console", Navigation.Uri), Bound);
    }
}
