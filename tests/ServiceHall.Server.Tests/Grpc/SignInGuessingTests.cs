using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>Sign-in that resists guessing: lockout an administrator lifts, equal work for any name, the security log.</summary>
public sealed class SignInGuessingTests(SecuredServer server) : IClassFixture<SecuredServer>
{
    [Fact]
    public async Task FiftyWrongPasswords_ThenTheRightOne_RefusedWhileLocked_UntilAnAdministratorUnlocks()
    {
        await server.CreateAsync("guessed", DomainRole.HallManager, hall: ServerFactory.HallCode);
        for (var i = 0; i < 50; i++)
        {
            var wrong = await Assert.ThrowsAsync<RpcException>(() => server.SignInAsync("guessed", $"wrong password {i:D3}"));
            Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        }

        var locked = await Assert.ThrowsAsync<RpcException>(() => server.SignInAsync("guessed"));
        Assert.Equal((StatusCode.Unauthenticated, StaffSignIn.Refusal), (locked.StatusCode, locked.Status.Detail));

        await server.CreateAsync("admin-unlock", DomainRole.Administrator);
        await server.Accounts(await server.SignInAsync("admin-unlock"))
            .UnlockAccountAsync(new UnlockAccountRequest { UserName = "guessed" });

        Assert.NotEmpty(await server.SignInAsync("guessed"));
    }

    [Fact]
    public async Task Lockout_EndsOnItsOwnAfterLockoutMinutes()
    {
        await server.CreateAsync("waits", DomainRole.Supervisor);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => server.SignInAsync("waits", "wrong password!!"));
        }

        await Assert.ThrowsAsync<RpcException>(() => server.SignInAsync("waits"));
        server.Clock.Advance(TimeSpan.FromMinutes(16));

        Assert.NotEmpty(await server.SignInAsync("waits"));
    }

    [Fact]
    public async Task EveryAttempt_CostsExactlyOneHash_ForUnknownNamesAsForKnownOnes()
    {
        await server.CreateAsync("known", DomainRole.Auditor);
        await server.CreateAsync("known-locked", DomainRole.Auditor);
        const int Tries = 40;

        async Task<int> HashesForAsync(string user, string password)
        {
            var before = server.Hasher.Verifications;
            for (var i = 0; i < Tries; i++)
            {
                await Assert.ThrowsAsync<RpcException>(() => server.SignInAsync(user, password));
            }

            return server.Hasher.Verifications - before;
        }

        // Unknown name, known name with a wrong password, known name locked (the right password): the same work, and the
        // same answer, each time.
        var unknown = await HashesForAsync("nobody-by-this-name", "some wrong password");
        var known = await HashesForAsync("known", "some wrong password");
        var lockedOut = await HashesForAsync("known-locked", SecuredServer.Password + "x");
        var whileLocked = await HashesForAsync("known-locked", SecuredServer.Password);

        Assert.Equal([Tries, Tries, Tries, Tries], new[] { unknown, known, lockedOut, whileLocked });
    }

    [Fact]
    public async Task FailuresAndLockouts_AreInTheSecurityLog_WhichTheAuditorReads()
    {
        await server.CreateAsync("logged", DomainRole.Supervisor);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<RpcException>(() => server.SignInAsync("logged", "wrong password!!"));
        }

        await server.CreateAsync("log-auditor", DomainRole.Auditor);
        var log = await server.Accounts(await server.SignInAsync("log-auditor"))
            .ListSecurityEventsAsync(new ListSecurityEventsRequest());

        var mine = log.Events.Where(e => e.UserName == "logged").ToList();
        Assert.Equal(5, mine.Count(e => e.Kind == SecurityEventKinds.SignInFailed));
        Assert.Single(mine, e => e.Kind == SecurityEventKinds.LockedOut);
    }

    [Fact]
    public async Task SecurityLog_IsRefusedToACaseHandler()
    {
        await server.CreateAsync("log-handler", DomainRole.DepartmentHandler, "XZSP");
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await server.Accounts(await server.SignInAsync("log-handler")).ListSecurityEventsAsync(new ListSecurityEventsRequest()));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    [Theory]
    [InlineData("short pass1")] // 11 characters
    [InlineData("password1234")]
    [InlineData("1QAZ2WSX3EDC")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("newuser-long")] // the user name itself
    public async Task ShortOrCommonPasswords_AreRefused(string password)
    {
        var refused = await Assert.ThrowsAsync<ServiceHall.Server.Domain.InvalidInputException>(() =>
            server.CreateAsync("newuser-long", DomainRole.Moderator, password: password));
        Assert.Equal("password", refused.Field);
    }

    [Fact]
    public void SourceThrottle_RefusesASourceThatFailsTooOften_UntilItsWindowPasses()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new SourceThrottle(clock);
        var window = TimeSpan.FromMinutes(15);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(throttle.IsBlocked("10.0.0.9", 3, window));
            throttle.RecordFailure("10.0.0.9", window);
        }

        Assert.True(throttle.IsBlocked("10.0.0.9", 3, window));
        Assert.False(throttle.IsBlocked("10.0.0.10", 3, window));
        clock.Advance(window);
        Assert.False(throttle.IsBlocked("10.0.0.9", 3, window));
    }

    [Fact]
    public async Task ASourceOverItsLimit_IsRefusedEvenWithTheRightPassword()
    {
        await server.CreateAsync("throttled", DomainRole.Moderator);
        var options = Microsoft.Extensions.Options.Options.Create(new AccountOptions { FailuresPerSource = 3 });
        var strict = new StaffSignIn(
            server.Services.GetRequiredService<ServiceHall.Server.Storage.IAccountStore>(),
            server.Services.GetRequiredService<ServiceHall.Server.Storage.CatalogSource>(), server.Clock, options, server.Hasher,
            new SourceThrottle(server.Clock));
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<ServiceHall.Server.Domain.UnauthenticatedException>(() =>
                strict.SignInAsync($"unknown-{i}", "whatever password", CancellationToken.None, "10.1.2.3"));
        }

        await Assert.ThrowsAsync<ServiceHall.Server.Domain.UnauthenticatedException>(() =>
            strict.SignInAsync("throttled", SecuredServer.Password, CancellationToken.None, "10.1.2.3"));
        Assert.NotNull((await strict.SignInAsync("throttled", SecuredServer.Password, CancellationToken.None, "10.1.2.4")).Token);
    }
}
