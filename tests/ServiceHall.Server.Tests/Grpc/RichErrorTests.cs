using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// Refusals carry what a client acts on as google.rpc.Status details beside a message for people: the field at fault
/// (BadRequest) for InvalidArgument, the missing or existing thing (ResourceInfo) for NotFound and AlreadyExists.
/// </summary>
public sealed class RichErrorTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    [Fact]
    public async Task InvalidArgument_CarriesABadRequestFieldViolationAndAReadableMessage()
    {
        var kiosk = new KioskService.KioskServiceClient(factory.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + factory.EnrollKiosk("kiosk-rich", ServerFactory.HallCode));
            return m;
        }));

        var e = await Assert.ThrowsAsync<RpcException>(
            () => kiosk.ReportHeartbeatAsync(new ReportHeartbeatRequest { OutboxDepth = -1 }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        var status = e.GetRpcStatus();
        Assert.NotNull(status);
        Assert.Equal((int)StatusCode.InvalidArgument, status.Code);
        var violation = Assert.Single(status.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal(("outbox_depth", "计数不能为负"), (violation.Field, violation.Description));
        Assert.Equal("计数不能为负", e.Status.Detail);
    }

    [Fact]
    public async Task NotFound_CarriesTheMissingThingAsResourceInfo_NotInTheMessage()
    {
        var catalog = new CatalogService.CatalogServiceClient(factory.CreateChannel());

        var e = await Assert.ThrowsAsync<RpcException>(
            () => catalog.GetCatalogAsync(new GetCatalogRequest { HallCode = "999999-XX" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        var resource = e.Resource();
        Assert.NotNull(resource);
        Assert.Equal(("hall", "999999-XX"), (resource.ResourceType, resource.ResourceName));
        Assert.DoesNotContain("hall_code", e.Status.Detail, StringComparison.Ordinal);
        Assert.Empty(e.FieldsAtFault());
    }

    [Fact]
    public async Task PermissionDenied_HasNoFieldViolation()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => factory.CreateRatingClient(factory.EnrollKiosk("kiosk-street-rich", "370104-ZZLJD"))
            .SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ServerFactory.GoodRating() } }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        Assert.Empty(e.FieldsAtFault());
    }
}
