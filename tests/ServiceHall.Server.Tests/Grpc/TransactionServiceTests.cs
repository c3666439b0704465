using Grpc.Core;
using Grpc.Core.Interceptors;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Protos.V1;
using DeviceKind = ServiceHall.Server.Domain.DeviceKind;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>一次一评 at the window, through the RPCs a window system and a window pad use.</summary>
public sealed class TransactionServiceTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private TransactionService.TransactionServiceClient Device(string deviceId, DeviceKind kind, string? windowCode = null)
    {
        var credential = factory.EnrollKiosk(deviceId, ServerFactory.HallCode, kind, windowCode);
        return new(factory.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + credential);
            return m;
        }));
    }

    private static CompleteTransactionRequest Finished(string number) => new()
    {
        TransactionNumber = number, HallCode = ServerFactory.HallCode, WindowCode = "A01",
        ServiceItemCode = "11370104MB2851342X000117100100", StaffId = "",
    };

    private async Task<CompleteTransactionRequest> FinishedAtA01Async(string number)
    {
        var catalog = await new CatalogService.CatalogServiceClient(factory.CreateChannel())
            .GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });
        var window = catalog.Windows.Single(w => w.Code == "A01");
        var request = Finished(number);
        request.ServiceItemCode = catalog.ServiceItems.First(i => i.WindowCodes.Contains("A01")).Code;
        request.StaffId = window.Staff[0].StaffId;
        return request;
    }

    private static RatingSubmission RatingOf(string transactionNumber, string itemCode, RatingChannel channel = RatingChannel.HallPad)
    {
        var rating = ServerFactory.GoodRating();
        rating.TransactionNumber = transactionNumber;
        rating.ServiceItemCode = itemCode;
        rating.Channel = channel;
        return rating;
    }

    private string? _padCredential;

    /// <summary>The rating client of window A01's pad.</summary>
    private RatingService.RatingServiceClient PadRatings() =>
        factory.CreateRatingClient(_padCredential ??= factory.EnrollKiosk("pad-a01-rater", ServerFactory.HallCode, DeviceKind.WindowPad, "A01"));

    [Fact]
    public async Task CompleteTransaction_PadWatchingTheWindow_GetsTheInvitationWithTheStaffCard()
    {
        var pad = Device("pad-a01", DeviceKind.WindowPad, "A01");
        var windowSystem = Device("window-system", DeviceKind.WindowSystem);
        using var timeout = new CancellationTokenSource(Bound);
        using var watch = pad.WatchWindow(new WatchWindowRequest { WindowCode = "A01" }, cancellationToken: timeout.Token);
        await watch.ResponseHeadersAsync;
        var finished = await FinishedAtA01Async("BJ-2026-0001");

        var answer = await windowSystem.CompleteTransactionAsync(finished);

        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        var invitation = watch.ResponseStream.Current;
        Assert.Equal(("BJ-2026-0001", answer.ShortCode), (invitation.TransactionNumber, invitation.ShortCode));
        Assert.Equal(finished.StaffId, invitation.StaffId);
        Assert.NotEmpty(invitation.StaffName);
        Assert.NotEmpty(invitation.ServiceItemName);
        Assert.Matches("^[2-9A-HJ-NP-Z]{8}$", answer.ShortCode);
        Assert.True(answer.RateBy.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(4));
    }

    [Fact]
    public async Task RatingOfATransaction_SecondRatingRefusedAndNothingStoredTwice()
    {
        var windowSystem = Device("window-system-2", DeviceKind.WindowSystem);
        var finished = await FinishedAtA01Async("BJ-2026-0002");
        await windowSystem.CompleteTransactionAsync(finished);
        var first = RatingOf("BJ-2026-0002", finished.ServiceItemCode);
        var second = RatingOf("BJ-2026-0002", finished.ServiceItemCode);

        var results = (await PadRatings().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { first, second } })).Results;
        var retry = (await PadRatings().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { first } })).Results.Single();

        Assert.Equal(RatingOutcome.Stored, results[0].Outcome);
        Assert.Equal(RatingOutcome.Rejected, results[1].Outcome);
        Assert.Equal("transaction_number", results[1].Field);
        Assert.Equal(RatingOutcome.AlreadyStored, retry.Outcome);
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM ratings WHERE transaction_number = 'BJ-2026-0002'"));
    }

    [Fact]
    public async Task RecordNotRated_ThenLateRatingWithTheShortCode_Accepted()
    {
        var pad = Device("pad-late", DeviceKind.WindowPad, "A01");
        var terminal = Device("terminal-late", DeviceKind.HallTerminal);
        var finished = await FinishedAtA01Async("BJ-2026-0003");
        var answer = await Device("window-system-late", DeviceKind.WindowSystem).CompleteTransactionAsync(finished);

        await pad.RecordNotRatedAsync(new RecordNotRatedRequest { TransactionNumber = "BJ-2026-0003" });
        Assert.Equal(2, factory.Scalar("SELECT status FROM transactions WHERE transaction_number = 'BJ-2026-0003'"));
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM ratings WHERE transaction_number = 'BJ-2026-0003'"));

        var found = await terminal.FindTransactionAsync(new FindTransactionRequest { ShortCode = answer.ShortCode.ToLowerInvariant() });
        var late = RatingOf(found.TransactionNumber, found.ServiceItemCode, RatingChannel.HallTerminal);
        var stored = (await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { late } })).Results.Single();

        Assert.Equal(RatingOutcome.Stored, stored.Outcome);
        var again = await Assert.ThrowsAsync<RpcException>(
            () => terminal.FindTransactionAsync(new FindTransactionRequest { ShortCode = answer.ShortCode }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Contains("已评价", again.Status.Detail, StringComparison.Ordinal);
        // Named for the client to act on (it offers the rating's one 追评), not only worded for the citizen.
        Assert.Equal("TRANSACTION_RATED", again.GetRpcStatus()!.GetDetail<Google.Rpc.PreconditionFailure>()!.Violations.Single().Type);
    }

    [Fact]
    public async Task CompleteTransaction_BadInput_PreciseStatus()
    {
        var windowSystem = Device("window-system-3", DeviceKind.WindowSystem);
        var terminal = Device("terminal-3", DeviceKind.HallTerminal);
        var finished = await FinishedAtA01Async("BJ-2026-0004");
        await windowSystem.CompleteTransactionAsync(finished);

        var twice = await Assert.ThrowsAsync<RpcException>(() => windowSystem.CompleteTransactionAsync(finished).ResponseAsync);
        var badWindow = finished.Clone();
        badWindow.TransactionNumber = "BJ-2026-0005";
        badWindow.WindowCode = "Z99";
        var wrongWindow = await Assert.ThrowsAsync<RpcException>(() => windowSystem.CompleteTransactionAsync(badWindow).ResponseAsync);
        var otherHall = finished.Clone();
        otherHall.TransactionNumber = "BJ-2026-0006";
        otherHall.HallCode = "370104-ZZLJD";
        var denied = await Assert.ThrowsAsync<RpcException>(() => windowSystem.CompleteTransactionAsync(otherHall).ResponseAsync);
        var unknownCode = await Assert.ThrowsAsync<RpcException>(
            () => terminal.FindTransactionAsync(new FindTransactionRequest { ShortCode = "ZZZZZZZZ" }).ResponseAsync);

        Assert.Equal(StatusCode.AlreadyExists, twice.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, wrongWindow.StatusCode);
        Assert.Equal("window_code", Assert.Single(wrongWindow.FieldsAtFault()));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknownCode.StatusCode);
    }

    [Fact]
    public async Task RatingOfATransaction_WrongWindow_Rejected()
    {
        var windowSystem = Device("window-system-4", DeviceKind.WindowSystem);
        var finished = await FinishedAtA01Async("BJ-2026-0007");
        await windowSystem.CompleteTransactionAsync(finished);
        // A hall terminal rating by short code names the window; the transaction's own window decides.
        var rating = RatingOf("BJ-2026-0007", finished.ServiceItemCode, RatingChannel.HallTerminal);
        rating.WindowCode = "A02";
        rating.RatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow);

        var result = (await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } })).Results.Single();

        Assert.Equal(RatingOutcome.Rejected, result.Outcome);
        Assert.Equal("window_code", result.Field);
    }
}
