using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Grpc;

public sealed class LiveFiguresGrpcService(
    CatalogSource catalog, LiveFiguresHub hub, LiveFiguresQuery query, HandlingFiguresQuery handling, StreamLimits limits,
    IOptions<StreamOptions> streams, IHostApplicationLifetime lifetime)
    : LiveFiguresService.LiveFiguresServiceBase
{
    // A quiet hall still gets fresh figures now and then, so a screen rolls over to the new day at midnight.
    private static readonly TimeSpan QuietRefresh = TimeSpan.FromSeconds(30);

    // Ratings arriving close together are shown together: one recomputation per burst.
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(150);

    [AllowAnonymous]
    public override async Task WatchLiveFigures(
        WatchLiveFiguresRequest request, IServerStreamWriter<LiveFigures> responseStream, ServerCallContext context)
    {
        var hall = catalog.FindHall(request.HallCode);
        // Anonymous, so capped by where it comes from (and in total): a public screen needs one stream per hall.
        var source = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        var perSource = streams.Value.LiveFiguresPerSource;
        using var lease = limits.Open("source:" + source, perSource, $"同一地址最多同时打开 {perSource} 个实时数据连接");
        using var stopping = context.StreamLifetime(lifetime);
        var cancellation = stopping.Token;
        using var subscription = hub.Subscribe(hall.Code);
        while (!cancellation.IsCancellationRequested)
        {
            var figures = await query.TodayAsync(hall, cancellation);
            await responseStream.WriteAsync(figures.ToProto(), cancellation);
            await subscription.WaitForChangeAsync(QuietRefresh, cancellation);
            await Task.Delay(Coalesce, cancellation);
        }
    }

    [AllowAnonymous]
    public override async Task WatchHandlingFigures(
        WatchHandlingFiguresRequest request, IServerStreamWriter<HandlingFigures> responseStream, ServerCallContext context)
    {
        var hall = request.HallCode.Length == 0 ? null : catalog.FindHall(request.HallCode);
        var source = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        var perSource = streams.Value.LiveFiguresPerSource;
        using var lease = limits.Open("source:" + source, perSource, $"同一地址最多同时打开 {perSource} 个实时数据连接");
        using var stopping = context.StreamLifetime(lifetime);
        var cancellation = stopping.Token;
        using var subscription = hub.Subscribe(hall?.Code);
        while (!cancellation.IsCancellationRequested)
        {
            var figures = await handling.LiveAsync(hall, cancellation);
            await responseStream.WriteAsync(figures.ToProto(), cancellation);
            await subscription.WaitForChangeAsync(QuietRefresh, cancellation);
            await Task.Delay(Coalesce, cancellation);
        }
    }
}
