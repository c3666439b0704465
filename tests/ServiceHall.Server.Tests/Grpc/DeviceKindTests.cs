using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using DomainKind = ServiceHall.Server.Domain.DeviceKind;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// Each kind of device does its own job and is refused, with PermissionDenied naming what it may do, outside it
/// (docs/rules/ratings.md#device-kinds). Nothing a refused call carried is stored.
/// </summary>
public sealed class DeviceKindTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private sealed record Device(RatingService.RatingServiceClient Ratings, TransactionService.TransactionServiceClient Transactions);

    private Device Enrolled(string deviceId, DomainKind kind, string? windowCode = null)
    {
        var credential = factory.EnrollKiosk(deviceId, ServerFactory.HallCode, kind, windowCode);
        var invoker = factory.CreateChannel().CreateCallInvoker().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + credential);
            return m;
        });
        return new Device(new RatingService.RatingServiceClient(invoker), new TransactionService.TransactionServiceClient(invoker));
    }

    private static RatingSubmission Rating(RatingChannel channel, string windowCode = "A01")
    {
        var rating = ServerFactory.GoodRating();
        rating.Channel = channel;
        rating.WindowCode = windowCode;
        return rating;
    }

    private static async Task<RpcException> RefusedAsync<T>(Func<Task<T>> call) => await Assert.ThrowsAsync<RpcException>(call);

    private async Task<RpcException> RefusedRatingAsync(Device device, RatingSubmission rating)
    {
        var e = await RefusedAsync(() => device.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } }).ResponseAsync);
        Assert.Equal(0, factory.CountRatings(rating.RatingId));
        return e;
    }

    private async Task<RpcException> RefusedWatchAsync(Device device, string windowCode)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var watch = device.Transactions.WatchWindow(new WatchWindowRequest { WindowCode = windowCode }, cancellationToken: timeout.Token);
        return await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext(timeout.Token));
    }

    private static CompleteTransactionRequest Finished(string number) => new()
    {
        TransactionNumber = number, HallCode = ServerFactory.HallCode, WindowCode = "A01", ServiceItemCode = "",
    };

    private static void AssertRefusedSaying(RpcException e, string whatItMayDo)
    {
        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Contains(whatItMayDo, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HallTerminal_RefusedOutsideItsJob()
    {
        var terminal = Enrolled("terminal-only", DomainKind.HallTerminal);
        const string Duty = "只能以“政务大厅其他终端”渠道提交本大厅的评价";

        AssertRefusedSaying(await RefusedRatingAsync(terminal, Rating(RatingChannel.HallPad)), Duty);
        AssertRefusedSaying(await RefusedRatingAsync(terminal, Rating(RatingChannel.Mobile)), Duty);
        AssertRefusedSaying(await RefusedAsync(() => terminal.Transactions.CompleteTransactionAsync(Finished("KIND-T-1")).ResponseAsync), Duty);
        AssertRefusedSaying(await RefusedWatchAsync(terminal, "A01"), Duty);
        AssertRefusedSaying(await RefusedAsync(() => terminal.Transactions.RecordNotRatedAsync(
            new RecordNotRatedRequest { TransactionNumber = "KIND-T-1" }).ResponseAsync), Duty);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM transactions WHERE transaction_number = 'KIND-T-1'"));

        var own = Rating(RatingChannel.HallTerminal);
        var stored = await terminal.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { own } });
        Assert.Equal(RatingOutcome.Stored, stored.Results.Single().Outcome);
    }

    [Fact]
    public async Task WindowPad_RefusedOutsideItsJobAndItsWindow()
    {
        var pad = Enrolled("pad-only-a01", DomainKind.WindowPad, "A01");
        const string Duty = "只能以“政务大厅平板电脑”渠道评价本窗口 A01 的办件";

        AssertRefusedSaying(await RefusedRatingAsync(pad, Rating(RatingChannel.HallTerminal)), Duty);
        AssertRefusedSaying(await RefusedRatingAsync(pad, Rating(RatingChannel.HallPad, windowCode: "A02")), Duty);
        AssertRefusedSaying(await RefusedAsync(() => pad.Transactions.CompleteTransactionAsync(Finished("KIND-P-1")).ResponseAsync), Duty);
        AssertRefusedSaying(await RefusedWatchAsync(pad, "A02"), Duty);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM transactions WHERE transaction_number = 'KIND-P-1'"));

        var own = Rating(RatingChannel.HallPad);
        var stored = await pad.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { own } });
        Assert.Equal(RatingOutcome.Stored, stored.Results.Single().Outcome);
    }

    [Fact]
    public async Task WindowPad_AnotherWindowsTransaction_NeitherFoundNorRecordedNotRated()
    {
        var system = Enrolled("system-for-pads", DomainKind.WindowSystem);
        var catalog = await new CatalogService.CatalogServiceClient(factory.CreateChannel())
            .GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });
        var finished = Finished("KIND-P-2");
        finished.WindowCode = "A02";
        finished.ServiceItemCode = catalog.ServiceItems.First(i => i.WindowCodes.Contains("A02")).Code;
        var code = (await system.Transactions.CompleteTransactionAsync(finished)).ShortCode;
        var pad = Enrolled("pad-other-window", DomainKind.WindowPad, "A01");

        var notRated = await RefusedAsync(() => pad.Transactions.RecordNotRatedAsync(new RecordNotRatedRequest { TransactionNumber = "KIND-P-2" }).ResponseAsync);
        var found = await RefusedAsync(() => pad.Transactions.FindTransactionAsync(new FindTransactionRequest { ShortCode = code }).ResponseAsync);

        AssertRefusedSaying(notRated, "不是本窗口的");
        AssertRefusedSaying(found, "是窗口 A02 的办件");
        Assert.Equal(1, factory.Scalar("SELECT status FROM transactions WHERE transaction_number = 'KIND-P-2'")); // still offered, not 未评价
    }

    [Fact]
    public async Task WindowSystem_CannotRateNorActAsAPad()
    {
        var system = Enrolled("system-only", DomainKind.WindowSystem);
        const string Duty = "只能报送本大厅办结的办件";

        AssertRefusedSaying(await RefusedRatingAsync(system, Rating(RatingChannel.HallTerminal)), Duty);
        AssertRefusedSaying(await RefusedRatingAsync(system, Rating(RatingChannel.HallPad)), Duty);
        AssertRefusedSaying(await RefusedWatchAsync(system, "A01"), Duty);
        AssertRefusedSaying(await RefusedAsync(() => system.Transactions.FindTransactionAsync(
            new FindTransactionRequest { ShortCode = "ABCDEFGH" }).ResponseAsync), Duty);
        AssertRefusedSaying(await RefusedAsync(() => system.Transactions.RecordNotRatedAsync(
            new RecordNotRatedRequest { TransactionNumber = "X" }).ResponseAsync), Duty);
    }

    [Fact]
    public async Task EnrollKiosk_KindRequired_PadNeedsAWindowOfTheHall()
    {
        await factory.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
            "kind-admin", "信息中心", DomainRole.Administrator, null, "a long admin password", CancellationToken.None);
        var token = (await new AccountService.AccountServiceClient(factory.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "kind-admin", Password = "a long admin password" })).AccessToken;
        var admin = new Metadata { { "authorization", "Bearer " + token } };
        var fleet = new KioskFleetService.KioskFleetServiceClient(factory.CreateChannel());
        Task<EnrollKioskResponse> Enroll(string device, DeviceKind kind, string window = "") => fleet.EnrollKioskAsync(
            new EnrollKioskRequest { DeviceId = device, HallCode = ServerFactory.HallCode, Kind = kind, WindowCode = window }, admin).ResponseAsync;

        var noKind = await RefusedAsync(() => Enroll("kind-none", DeviceKind.Unspecified));
        var padWithoutWindow = await RefusedAsync(() => Enroll("kind-pad", DeviceKind.WindowPad));
        var padOfNoSuchWindow = await RefusedAsync(() => Enroll("kind-pad", DeviceKind.WindowPad, "Z99"));
        var terminalWithWindow = await RefusedAsync(() => Enroll("kind-terminal", DeviceKind.HallTerminal, "A01"));
        await Enroll("kind-pad", DeviceKind.WindowPad, "A02");
        var listed = (await fleet.ListKiosksAsync(new ListKiosksRequest(), admin)).Kiosks.Single(k => k.DeviceId == "kind-pad");

        Assert.Equal("kind", Assert.Single(noKind.FieldsAtFault()));
        Assert.All([padWithoutWindow, padOfNoSuchWindow, terminalWithWindow], e =>
        {
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Equal("window_code", Assert.Single(e.FieldsAtFault()));
        });
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM kiosks WHERE device_id IN ('kind-none', 'kind-terminal')"));
        Assert.Equal((DeviceKind.WindowPad, "A02"), (listed.Kind, listed.WindowCode));
    }
}
