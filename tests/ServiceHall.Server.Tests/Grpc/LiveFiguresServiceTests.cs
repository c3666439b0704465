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

    [Fact]
    public async Task WatchHandlingFigures_BadReviewStored_HallAndDistrictOpenCountsRise()
    {
        var live = new LiveFiguresService.LiveFiguresServiceClient(factory.CreateChannel());
        using var timeout = new CancellationTokenSource(Bound);
        using var hall = live.WatchHandlingFigures(new WatchHandlingFiguresRequest { HallCode = ServerFactory.HallCode }, cancellationToken: timeout.Token);
        using var district = live.WatchHandlingFigures(new WatchHandlingFiguresRequest(), cancellationToken: timeout.Token);
        Assert.True(await hall.ResponseStream.MoveNext(timeout.Token));
        Assert.True(await district.ResponseStream.MoveNext(timeout.Token));
        var hallBefore = hall.ResponseStream.Current;
        var districtBefore = district.ResponseStream.Current;
        Assert.Equal("", districtBefore.HallCode);
        Assert.Equal(12, hallBefore.Trend.Count);
        Assert.Equal(6, hallBefore.Today.Total.Stages.Count);
        Assert.Equal(
            ["rectified_rate", "rectified_in_time_rate", "callback_rate", "fix_satisfaction_rate", "appeal_upheld_count"],
            hallBefore.Month.Total.Rates.Select(r => r.Code));

        var bad = ServerFactory.GoodRating();
        bad.Level = RatingLevel.Dissatisfied;
        bad.Text = "材料清单与实际不一致";
        await factory.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });

        foreach (var (call, before) in new[] { (hall, hallBefore), (district, districtBefore) })
        {
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token));
            var after = call.ResponseStream.Current;
            Assert.Equal(before.Today.Total.Received + 1, after.Today.Total.Received);
            Assert.Equal(before.Today.Total.Open + 1, after.Today.Total.Open);
            Assert.Equal(
                before.Today.Total.Stages.Single(x => x.Stage == HandlingStage.AwaitingAssignment).Open + 1,
                after.Today.Total.Stages.Single(x => x.Stage == HandlingStage.AwaitingAssignment).Open);
            Assert.Equal(before.Month.Total.Received + 1, after.Month.Total.Received);
            Assert.Equal(before.Trend[^1].Received + 1, after.Trend[^1].Received);
            Assert.Equal(before.OpenNow.Open + 1, after.OpenNow.Open);
        }
    }

    [Fact]
    public async Task WatchHandlingFigures_UnknownHall_NotFound()
    {
        var live = new LiveFiguresService.LiveFiguresServiceClient(factory.CreateChannel());
        using var timeout = new CancellationTokenSource(Bound);
        using var call = live.WatchHandlingFigures(new WatchHandlingFiguresRequest { HallCode = "NOPE" }, cancellationToken: timeout.Token);

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(timeout.Token));

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}
