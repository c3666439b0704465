using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using ServiceHall.ProvinceStub;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Tests.Grpc;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Relay;

/// <summary>ProvincialRelayService: who may see the upload's state and send a period again, and what they are told.</summary>
public sealed class RelayServiceTests : IAsyncLifetime
{
    private ProvinceStubServer _province = null!;
    private SecuredServer _server = null!;

    public async Task InitializeAsync()
    {
        _province = await ProvinceStubServer.StartAsync();
        _server = new SecuredServer();
        foreach (var (key, value) in RelayServer.Settings(_province.Endpoint))
        {
            _server.Settings[key] = value;
        }

        _server.Settings["ProvincialRelay:StalledAfterMinutes"] = "10";
        await _server.CreateAsync("admin", DomainRole.Administrator);
        await _server.CreateAsync("auditor", DomainRole.Auditor);
        await _server.CreateAsync("hall-supervisor", DomainRole.Supervisor, hall: ServerFactory.HallCode);
        await _server.CreateAsync("manager", DomainRole.HallManager, hall: ServerFactory.HallCode);
    }

    public async Task DisposeAsync()
    {
        _server.Dispose();
        await _province.DisposeAsync();
    }

    private async Task<ProvincialRelayService.ProvincialRelayServiceClient> ClientAsync(string user) =>
        new(_server.Invoker(await _server.SignInAsync(user)));

    [Fact]
    public async Task GetRelayStatus_ProvinceDown_StalledOnceItemsWaitedPastTheLimit()
    {
        _province.Fail(StubFault.Error500);
        var rating = ServerFactory.GoodRating();
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var auditor = await ClientAsync("auditor");
        var until = DateTime.UtcNow.AddSeconds(30);
        GetRelayStatusResponse status;
        while ((status = await auditor.GetRelayStatusAsync(new GetRelayStatusRequest())).Failures.Count == 0)
        {
            Assert.True(DateTime.UtcNow < until, "no failure recorded");
            await Task.Delay(50);
        }

        Assert.True(status.Enabled);
        Assert.Equal(1, status.Pending);
        Assert.False(status.Stalled);
        var failure = Assert.Single(status.Failures);
        Assert.Equal("server_error", failure.Kind);
        Assert.Equal("省平台服务器错误（5xx）", failure.Label);
        Assert.Equal(new Uri(_province.Endpoint).Authority, status.EndpointHost);

        _server.Clock.Advance(TimeSpan.FromMinutes(11));
        status = await auditor.GetRelayStatusAsync(new GetRelayStatusRequest());

        Assert.True(status.Stalled);
        Assert.Equal(10, status.StalledAfterMinutes);
        Assert.Null(status.LastSuccessAt);
    }

    [Theory]
    [InlineData("manager")]
    [InlineData("hall-supervisor")]
    public async Task GetRelayStatus_StaffOfOneHall_PermissionDenied(string user)
    {
        var client = await ClientAsync(user);

        var e = await Assert.ThrowsAsync<RpcException>(() => client.GetRelayStatusAsync(new GetRelayStatusRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task BackfillRelay_NotAdministrator_PermissionDenied()
    {
        var auditor = await ClientAsync("auditor");

        var e = await Assert.ThrowsAsync<RpcException>(() => auditor.BackfillRelayAsync(Range(-1, 1)).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }

    [Fact]
    public async Task BackfillRelay_BadRange_InvalidArgumentNamesTheField()
    {
        var admin = await ClientAsync("admin");

        var noFrom = await Assert.ThrowsAsync<RpcException>(() =>
            admin.BackfillRelayAsync(new BackfillRelayRequest { To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) }).ResponseAsync);
        var backwards = await Assert.ThrowsAsync<RpcException>(() => admin.BackfillRelayAsync(Range(1, -1)).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, noFrom.StatusCode);
        Assert.Equal(["from"], noFrom.FieldsAtFault());
        Assert.Equal(StatusCode.InvalidArgument, backwards.StatusCode);
        Assert.Equal(["to"], backwards.FieldsAtFault());
    }

    [Fact]
    public async Task BackfillRelay_Administrator_DeliveredItemsWaitAgainAndProvinceCountsThemOnce()
    {
        var rating = ServerFactory.GoodRating();
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var admin = await ClientAsync("admin");
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await admin.GetRelayStatusAsync(new GetRelayStatusRequest())).Delivered == 0)
        {
            Assert.True(DateTime.UtcNow < until, "nothing delivered");
            await Task.Delay(50);
        }

        var response = await admin.BackfillRelayAsync(Range(-1, 1));
        while (_province.State.Duplicates == 0)
        {
            Assert.True(DateTime.UtcNow < until, "the backfill was not sent");
            await Task.Delay(50);
        }

        Assert.Equal(1, response.Requeued);
        Assert.Single(_province.State.Items);
    }

    [Fact]
    public async Task BackfillRelay_NoEndpoint_FailedPrecondition()
    {
        using var off = new SecuredServer();
        await off.CreateAsync("admin", DomainRole.Administrator);
        var admin = new ProvincialRelayService.ProvincialRelayServiceClient(off.Invoker(await off.SignInAsync("admin")));

        var e = await Assert.ThrowsAsync<RpcException>(() => admin.BackfillRelayAsync(Range(-1, 1)).ResponseAsync);
        var status = await admin.GetRelayStatusAsync(new GetRelayStatusRequest());

        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.False(status.Enabled);
    }

    private static BackfillRelayRequest Range(int fromDays, int toDays) => new()
    {
        From = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(fromDays)),
        To = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(toDays)),
    };
}
