using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Kiosks;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class KioskCredentialTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private static SubmitRatingsRequest OneRating(out RatingSubmission rating)
    {
        rating = ServerFactory.GoodRating();
        return new SubmitRatingsRequest { Ratings = { rating } };
    }

    [Fact]
    public async Task SubmitRatings_WithoutCredential_UnauthenticatedAndNothingStored()
    {
        var request = OneRating(out var rating);

        var e = await Assert.ThrowsAsync<RpcException>(
            () => factory.CreateRatingClient(credential: null).SubmitRatingsAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        Assert.Equal(0, factory.CountRatings(rating.RatingId));
    }

    [Fact]
    public async Task SubmitRatings_UnknownCredential_Unauthenticated()
    {
        var e = await Assert.ThrowsAsync<RpcException>(
            () => factory.CreateRatingClient("not-a-credential").SubmitRatingsAsync(OneRating(out _)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public async Task SubmitRatings_RevokedKiosk_PermissionDeniedAtOnceAndAcceptedAgainAfterReEnrollment()
    {
        var credential = factory.EnrollKiosk("kiosk-revoke", ServerFactory.HallCode);
        var kiosk = factory.CreateRatingClient(credential);
        await kiosk.SubmitRatingsAsync(OneRating(out _));

        await factory.Services.GetRequiredService<KioskRegistry>().RevokeAsync("kiosk-revoke", CancellationToken.None);
        var e = await Assert.ThrowsAsync<RpcException>(() => kiosk.SubmitRatingsAsync(OneRating(out _)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        var again = factory.CreateRatingClient(factory.EnrollKiosk("kiosk-revoke", ServerFactory.HallCode));
        Assert.Equal(RatingOutcome.Stored, (await again.SubmitRatingsAsync(OneRating(out _))).Results.Single().Outcome);
        var old = await Assert.ThrowsAsync<RpcException>(() => kiosk.SubmitRatingsAsync(OneRating(out _)).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, old.StatusCode);
    }

    [Fact]
    public async Task SubmitRatings_ForAnotherHall_PermissionDeniedAndNothingStored()
    {
        var streetKiosk = factory.CreateRatingClient(factory.EnrollKiosk("kiosk-street", "370104-ZZLJD"));
        var request = OneRating(out var rating);

        var e = await Assert.ThrowsAsync<RpcException>(() => streetKiosk.SubmitRatingsAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Equal(0, factory.CountRatings(rating.RatingId));
    }

    [Fact]
    public async Task SubmitRatings_DeviceIdClaimedByTheClient_ReplacedByTheEnrolledOne()
    {
        var request = OneRating(out var rating);
        rating.DeviceId = "someone-else";

        await factory.CreateRatingClient().SubmitRatingsAsync(request);

        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM ratings WHERE id = @id AND device_id = 'kiosk-test'", ("id", rating.RatingId)));
    }

    [Fact]
    public async Task EnrollKiosk_OnlyAnAdministrator()
    {
        var signIn = factory.Services.GetRequiredService<StaffSignIn>();
        await signIn.CreateAccountAsync("it-admin", "信息中心", DomainRole.Administrator, null, "a long admin password", CancellationToken.None);
        await signIn.CreateAccountAsync("hall-boss", "主任", DomainRole.HallManager, null, "a long manager password", CancellationToken.None);
        var accounts = new AccountService.AccountServiceClient(factory.CreateChannel());
        async Task<Metadata> Token(string user, string password) => new()
        {
            { "authorization", "Bearer " + (await accounts.SignInAsync(new SignInRequest { UserName = user, Password = password })).AccessToken },
        };
        var fleet = new KioskFleetService.KioskFleetServiceClient(factory.CreateChannel());
        var enroll = new EnrollKioskRequest { DeviceId = "kiosk-new", HallCode = ServerFactory.HallCode, Kind = DeviceKind.HallTerminal };

        var managerToken = await Token("hall-boss", "a long manager password");

        var denied = await Assert.ThrowsAsync<RpcException>(() => fleet.EnrollKioskAsync(enroll, managerToken).ResponseAsync);
        var enrolled = await fleet.EnrollKioskAsync(enroll, await Token("it-admin", "a long admin password"));

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var stored = await factory.CreateRatingClient(enrolled.Credential).SubmitRatingsAsync(OneRating(out _));
        Assert.Equal(RatingOutcome.Stored, stored.Results.Single().Outcome);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM kiosks WHERE credential_hash = @c", ("c", enrolled.Credential)));
    }

    [Fact]
    public async Task ReportHeartbeat_ShowsInTheFleetListForTheHallManager()
    {
        var credential = factory.EnrollKiosk("kiosk-beat", ServerFactory.HallCode);
        var kiosk = new KioskService.KioskServiceClient(factory.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + credential);
            return m;
        }));
        await kiosk.ReportHeartbeatAsync(new ReportHeartbeatRequest { Version = "1.2.3", OutboxDepth = 7, OldestPendingSeconds = 30 });
        var signIn = factory.Services.GetRequiredService<StaffSignIn>();
        await signIn.CreateAccountAsync("fleet-manager", "主任", DomainRole.HallManager, null, "a long manager password", CancellationToken.None);
        var token = (await new AccountService.AccountServiceClient(factory.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "fleet-manager", Password = "a long manager password" })).AccessToken;

        var fleet = await new KioskFleetService.KioskFleetServiceClient(factory.CreateChannel())
            .ListKiosksAsync(new ListKiosksRequest(), new Metadata { { "authorization", "Bearer " + token } });

        var listed = Assert.Single(fleet.Kiosks, k => k.DeviceId == "kiosk-beat");
        Assert.True(listed.Online);
        Assert.Equal(("1.2.3", 7), (listed.Version, listed.OutboxDepth));
        Assert.Empty(listed.Alerts);
    }

    [Fact]
    public async Task SubmitRatings_Rejected_CountedPerKioskAndFieldWithTheLastReason()
    {
        var credential = factory.EnrollKiosk("kiosk-rejects", ServerFactory.HallCode);
        var client = factory.CreateRatingClient(credential);
        RatingSubmission Wrong(Action<RatingSubmission> spoil)
        {
            var rating = ServerFactory.GoodRating();
            spoil(rating);
            return rating;
        }

        await client.SubmitRatingsAsync(new SubmitRatingsRequest
        {
            Ratings =
            {
                Wrong(r => r.WindowCode = "Z98"), Wrong(r => r.WindowCode = "Z99"),
                Wrong(r => r.RatedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(2))),
                ServerFactory.GoodRating(),
            },
        });
        await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { Wrong(r => r.WindowCode = "Z97") } });
        await factory.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
            "rejects-admin", "信息中心", DomainRole.Administrator, null, "a long admin password", CancellationToken.None);
        var token = (await new AccountService.AccountServiceClient(factory.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "rejects-admin", Password = "a long admin password" })).AccessToken;

        var fleet = await new KioskFleetService.KioskFleetServiceClient(factory.CreateChannel())
            .ListKiosksAsync(new ListKiosksRequest(), new Metadata { { "authorization", "Bearer " + token } });

        var listed = Assert.Single(fleet.Kiosks, k => k.DeviceId == "kiosk-rejects");
        Assert.Equal(
            [("window_code", 3L), ("rated_at", 1L)],
            listed.Rejections.Select(r => (r.Field, r.Count)));
        Assert.Contains("Z97", listed.Rejections[0].LastReason, StringComparison.Ordinal);
        Assert.Contains("设备时钟", listed.Rejections[1].LastReason, StringComparison.Ordinal);
        Assert.All(fleet.Kiosks.Where(k => k.DeviceId != "kiosk-rejects"), k => Assert.DoesNotContain(k.Rejections, r => r.LastReason.Contains("Z9", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ReportHeartbeat_WithoutCredential_Unauthenticated()
    {
        var kiosk = new KioskService.KioskServiceClient(factory.CreateChannel());

        var e = await Assert.ThrowsAsync<RpcException>(() => kiosk.ReportHeartbeatAsync(new ReportHeartbeatRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }
}
