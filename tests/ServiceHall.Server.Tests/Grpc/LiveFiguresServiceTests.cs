using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class LiveFiguresServiceTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WatchLiveFigures_RatingStored_NewFiguresStreamedWithIt()
    {
        var live = new LiveFiguresService.LiveFiguresServiceClient(factory.CreateChannel());
        using var timeout = new CancellationTokenSource(Bound);
        using var call = live.WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = ServerFactory.HallCode }, cancellationToken: timeout.Token);

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var before = call.ResponseStream.Current;
        Assert.Equal(5, before.LevelCounts.Count);
        Assert.Equal(24, before.HourlyCounts.Count);
        Assert.NotEmpty(before.Departments);

        var bad = ServerFactory.GoodRating();
        bad.Level = RatingLevel.VeryDissatisfied;
        bad.Text = "排队两个小时";
        await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });

        Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
        var after = call.ResponseStream.Current;
        Assert.Equal(before.RatingCount + 1, after.RatingCount);
        Assert.Equal(before.BadCount + 1, after.BadCount);
        Assert.Equal(before.LevelCounts[4] + 1, after.LevelCounts[4]);
        Assert.Equal(after.BadCount * 100.0 / after.RatingCount, after.BadRate, 1);
        var department = after.Departments.Single(d => d.BadCount > 0 && d.DepartmentCode == after.Departments[0].DepartmentCode);
        Assert.Equal(1, department.RatingCount - before.Departments.Single(d => d.DepartmentCode == department.DepartmentCode).RatingCount);
    }

    [Fact]
    public async Task WatchLiveFigures_UnknownHall_NotFound()
    {
        var live = new LiveFiguresService.LiveFiguresServiceClient(factory.CreateChannel());
        using var timeout = new CancellationTokenSource(Bound);
        using var call = live.WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = "NOPE" }, cancellationToken: timeout.Token);

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(timeout.Token));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}
