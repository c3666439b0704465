using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Kiosks;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>Sessions you can end: sign-out, idle timeout, absolute lifetime, password change, disabled accounts, and streams that end with them.</summary>
public sealed class SessionEndingTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private CaseService.CaseServiceClient Cases(string token) => new(server.Invoker(token));

    private static async Task<StatusCode> RefusalAsync(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)).StatusCode;

    private async Task<string> SignedInAsync(string user, DomainRole role = DomainRole.HallManager)
    {
        await server.CreateAsync(user, role, hall: role is DomainRole.HallManager ? ServerFactory.HallCode : null);
        return await server.SignInAsync(user);
    }

    [Fact]
    public async Task SignOut_RevokesTheTokenOnTheServer()
    {
        var token = await SignedInAsync("leaves");
        await Cases(token).ListCasesAsync(new ListCasesRequest());

        await server.Accounts(token).SignOutAsync(new SignOutRequest());

        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(async () => await Cases(token).ListCasesAsync(new ListCasesRequest())));
    }

    [Fact]
    public async Task ASessionUnusedForTheIdleTimeout_Ends_AndUseKeepsItAlive()
    {
        var idle = await SignedInAsync("idles");
        var busy = await server.SignInAsync("idles");
        server.Clock.Advance(TimeSpan.FromMinutes(20));
        await Cases(busy).ListCasesAsync(new ListCasesRequest());
        server.Clock.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(async () => await Cases(idle).ListCasesAsync(new ListCasesRequest())));
        await Cases(busy).ListCasesAsync(new ListCasesRequest());
    }

    [Fact]
    public async Task ASessionInConstantUse_EndsAtItsAbsoluteLifetime()
    {
        var token = await SignedInAsync("works-all-day");
        for (var hour = 0; hour < 11; hour++)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(25));
            await Cases(token).ListCasesAsync(new ListCasesRequest());
            server.Clock.Advance(TimeSpan.FromMinutes(25));
            await Cases(token).ListCasesAsync(new ListCasesRequest());
        }

        server.Clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(async () => await Cases(token).ListCasesAsync(new ListCasesRequest())));
    }

    [Fact]
    public async Task ChangePassword_NeedsTheOldOne_EndsTheOtherSessions_KeepsThisOne()
    {
        var here = await SignedInAsync("changes");
        var elsewhere = await server.SignInAsync("changes");

        var wrongOld = await Assert.ThrowsAsync<RpcException>(async () => await server.Accounts(here).ChangePasswordAsync(
            new ChangePasswordRequest { OldPassword = "not the password", NewPassword = "a brand new passphrase" }));
        Assert.Equal(StatusCode.InvalidArgument, wrongOld.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, await RefusalAsync(async () => await server.Accounts(here).ChangePasswordAsync(
            new ChangePasswordRequest { OldPassword = SecuredServer.Password, NewPassword = "password1234" })));

        await server.Accounts(here).ChangePasswordAsync(
            new ChangePasswordRequest { OldPassword = SecuredServer.Password, NewPassword = "a brand new passphrase" });

        await Cases(here).ListCasesAsync(new ListCasesRequest());
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(async () => await Cases(elsewhere).ListCasesAsync(new ListCasesRequest())));
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(() => server.SignInAsync("changes")));
        Assert.NotEmpty(await server.SignInAsync("changes", "a brand new passphrase"));
    }

    [Fact]
    public async Task ADisabledAccount_LosesItsSessions_AndCannotSignIn_UntilEnabled()
    {
        var token = await SignedInAsync("disabled-one");
        var admin = server.Accounts(await SignedInAsync("admin-disables", DomainRole.Administrator));

        await admin.SetAccountDisabledAsync(new SetAccountDisabledRequest { UserName = "disabled-one", Disabled = true });

        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(async () => await Cases(token).ListCasesAsync(new ListCasesRequest())));
        Assert.Equal(StatusCode.Unauthenticated, await RefusalAsync(() => server.SignInAsync("disabled-one")));
        var listed = (await admin.ListAccountsAsync(new ListAccountsRequest())).Accounts.Single(a => a.Account.UserName == "disabled-one");
        Assert.True(listed.Disabled);

        await admin.SetAccountDisabledAsync(new SetAccountDisabledRequest { UserName = "disabled-one", Disabled = false });
        Assert.NotEmpty(await server.SignInAsync("disabled-one"));
    }

    [Fact]
    public async Task AccountAdministration_IsRefusedToAHallManager()
    {
        var manager = await SignedInAsync("not-an-admin");
        Assert.Equal(StatusCode.PermissionDenied, await RefusalAsync(async () =>
            await server.Accounts(manager).SetAccountDisabledAsync(new SetAccountDisabledRequest { UserName = "not-an-admin", Disabled = true })));
    }

    private async Task<StatusCode> StreamEndAsync(Func<CancellationToken, AsyncServerStreamingCall<CaseNotice>> open, Func<Task> end)
    {
        using var timeout = new CancellationTokenSource(Bound);
        using var watch = open(timeout.Token);
        await watch.ResponseHeadersAsync;
        await end();
        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
        Assert.False(timeout.IsCancellationRequested, "the stream outlived its credential");
        return ended.StatusCode;
    }

    [Fact]
    public async Task WatchCases_EndsWithinSeconds_OnSignOut()
    {
        var token = await SignedInAsync("watch-signout");
        Assert.Equal(StatusCode.Unauthenticated, await StreamEndAsync(
            t => Cases(token).WatchCases(new WatchCasesRequest(), cancellationToken: t),
            async () => await server.Accounts(token).SignOutAsync(new SignOutRequest())));
    }

    [Fact]
    public async Task WatchCases_EndsWithinSeconds_WhenTheAccountIsDisabled()
    {
        var token = await SignedInAsync("watch-disabled");
        Assert.Equal(StatusCode.Unauthenticated, await StreamEndAsync(
            t => Cases(token).WatchCases(new WatchCasesRequest(), cancellationToken: t),
            () => server.Services.GetRequiredService<AccountAdministration>().SetDisabledAsync("watch-disabled", true, "test", CancellationToken.None)));
    }

    [Fact]
    public async Task WatchCases_EndsWithinSeconds_WhenTheSessionExpires()
    {
        var token = await SignedInAsync("watch-expiry");
        Assert.Equal(StatusCode.Unauthenticated, await StreamEndAsync(
            t => Cases(token).WatchCases(new WatchCasesRequest(), cancellationToken: t),
            () =>
            {
                server.Clock.Advance(TimeSpan.FromHours(13));
                return Task.CompletedTask;
            }));
    }

    [Fact]
    public async Task WatchWindow_EndsWithinSeconds_WhenTheKioskIsRevoked()
    {
        var credential = server.EnrollKiosk("pad-revoked", ServerFactory.HallCode, ServiceHall.Server.Domain.DeviceKind.WindowPad, "A01");
        var pad = new TransactionService.TransactionServiceClient(server.Invoker(credential));
        using var timeout = new CancellationTokenSource(Bound);
        using var watch = pad.WatchWindow(new WatchWindowRequest { WindowCode = "A01" }, cancellationToken: timeout.Token);
        await watch.ResponseHeadersAsync;

        await server.Services.GetRequiredService<KioskRegistry>().RevokeAsync("pad-revoked", CancellationToken.None);

        var ended = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await watch.ResponseStream.MoveNext(timeout.Token))
            {
            }
        });
        Assert.False(timeout.IsCancellationRequested, "the stream outlived its kiosk's credential");
        Assert.Equal(StatusCode.PermissionDenied, ended.StatusCode);
    }

    [Fact]
    public async Task OneCaller_MayHoldOnlySoManyStreams()
    {
        var token = await SignedInAsync("many-tabs");
        using var timeout = new CancellationTokenSource(Bound);
        var open = new List<AsyncServerStreamingCall<CaseNotice>>();
        try
        {
            for (var i = 0; i < new ServiceHall.Server.Grpc.StreamOptions().PerCaller; i++)
            {
                var watch = Cases(token).WatchCases(new WatchCasesRequest(), cancellationToken: timeout.Token);
                open.Add(watch);
                await watch.ResponseHeadersAsync;
            }

            using var extra = Cases(token).WatchCases(new WatchCasesRequest(), cancellationToken: timeout.Token);
            var refused = await Assert.ThrowsAsync<RpcException>(async () => await extra.ResponseStream.MoveNext(timeout.Token));
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        }
        finally
        {
            open.ForEach(w => w.Dispose());
        }
    }
}
