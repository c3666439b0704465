using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

public sealed class OutboxSenderTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly FakeRatingServer _server = new();
    private readonly Outbox _outbox;

    public OutboxSenderTests() => _outbox = new Outbox(_dir.File("outbox.db"), _clock);

    private OutboxSender Sender(TimeProvider? clock = null)
    {
        var time = clock ?? _clock;
        return new OutboxSender(_outbox, new ServiceHallClient(new FakeCatalogServer(), _server, time), time,
            NullLogger<OutboxSender>.Instance);
    }

    private async Task<List<KioskRating>> EnqueueAsync(int count, Func<int, KioskRating>? make = null)
    {
        var ratings = new List<KioskRating>();
        for (var i = 0; i < count; i++)
        {
            var rating = make?.Invoke(i) ?? TestCatalog.Rating(_clock);
            ratings.Add(rating);
            await _outbox.EnqueueAsync(rating);
        }
        return ratings;
    }

    [Fact]
    public async Task DeliverOnceAsync_ServerStores_MarksEveryRatingDelivered()
    {
        var ratings = await EnqueueAsync(3);

        await Sender().DeliverOnceAsync(CancellationToken.None);

        Assert.Equal(0, await _outbox.GetDepthAsync());
        Assert.Equal(ratings.Select(r => r.Id), await _outbox.GetDeliveredIdsAsync());
        Assert.Equal(ratings.Select(r => r.Id.ToString()), _server.StoredIds);
        Assert.All(_server.Received, r => Assert.Equal(RatingChannel.HallTerminal, r.Channel));
    }

    [Fact]
    public async Task DeliverOnceAsync_ServerDown_KeepsRatingsAndThrowsForTheRetryUntilTheServerIsBack()
    {
        var ratings = await EnqueueAsync(2);
        _server.FailNextCalls = 7;
        var sender = Sender();

        for (var i = 0; i < 7; i++)
        {
            await Assert.ThrowsAsync<Grpc.Core.RpcException>(() => sender.DeliverOnceAsync(CancellationToken.None));
        }

        Assert.Equal(2, await _outbox.GetDepthAsync());
        Assert.NotNull(sender.LastError);

        await sender.DeliverOnceAsync(CancellationToken.None);

        Assert.Equal(0, await _outbox.GetDepthAsync());
        Assert.Null(sender.LastError);
        // Retried eight times, stored once each.
        Assert.Equal(ratings.Select(r => r.Id.ToString()), _server.StoredIds);
    }

    [Fact]
    public async Task DeliverOnceAsync_AnswerLostAfterServerStored_AlreadyStoredCountsAsDeliveredWithoutDuplicate()
    {
        var ratings = await EnqueueAsync(2);
        // The server stored the first rating but the kiosk never heard back.
        _server.Preload(ratings[0].Id);

        await Sender().DeliverOnceAsync(CancellationToken.None);

        Assert.Equal(0, await _outbox.GetDepthAsync());
        Assert.Equal(ratings.Select(r => r.Id), await _outbox.GetDeliveredIdsAsync());
        Assert.Equal(ratings.Select(r => r.Id.ToString()), _server.StoredIds);
    }

    [Fact]
    public async Task DeliverOnceAsync_RatingRejected_IsKeptAsRejectedAndNeverResent()
    {
        var ratings = await EnqueueAsync(3, i => TestCatalog.Rating(_clock) with { Text = i == 1 ? "拒收" : null });
        _server.Reject = r => r.Text == "拒收" ? "text" : null;
        var sender = Sender();

        await sender.DeliverOnceAsync(CancellationToken.None);
        await _outbox.EnqueueAsync(TestCatalog.Rating(_clock));
        await sender.DeliverOnceAsync(CancellationToken.None);

        var rejected = Assert.Single(await _outbox.GetRecentRejectedAsync());
        Assert.Equal((ratings[1].Id, "text"), (rejected.RatingId, rejected.Field));
        Assert.Equal(0, await _outbox.GetDepthAsync());
        Assert.Equal(1, _server.Calls.Count(call => call.Contains(ratings[1].Id.ToString())));
    }

    [Fact]
    public async Task DeliverOnceAsync_AnswerDoesNotCoverEveryRating_MarksNothingAndRetriesLater()
    {
        await EnqueueAsync(2);
        _server.AnswerIncompletely = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => Sender().DeliverOnceAsync(CancellationToken.None));

        Assert.Equal(2, await _outbox.GetDepthAsync());
        Assert.Empty(await _outbox.GetDeliveredIdsAsync());
    }

    [Fact]
    public async Task DeliverOnceAsync_HundredTwentyPending_SendsBatchesOfFiftyOldestFirst()
    {
        var ratings = await EnqueueAsync(120);
        var sender = Sender();

        Assert.Equal(TimeSpan.Zero, await sender.DeliverOnceAsync(CancellationToken.None));
        Assert.Equal(TimeSpan.Zero, await sender.DeliverOnceAsync(CancellationToken.None));
        await sender.DeliverOnceAsync(CancellationToken.None);

        Assert.Equal([50, 50, 20], _server.Calls.Select(c => c.Count));
        Assert.Equal(ratings.Select(r => r.Id.ToString()), _server.Calls.SelectMany(c => c));
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public async Task ExecuteAsync_RatingEnqueuedWhileIdle_IsDeliveredWithoutWaitingForThePoll()
    {
        using var sender = Sender(TimeProvider.System);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            // Let the sender find the outbox empty and go to sleep for its 30 s poll.
            await Task.Delay(200);
            var rating = TestCatalog.Rating(_clock);
            await _outbox.EnqueueAsync(rating);

            await Wait.UntilAsync(async () => await _outbox.GetDepthAsync() == 0, Bound, "the rating to be delivered");
            Assert.Equal([rating.Id.ToString()], _server.StoredIds);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_RatingEnqueuedWhileBackingOff_IsDeliveredWithoutWaitingForTheRetry()
    {
        _server.FailNextCalls = 1;
        var first = await EnqueueAsync(1);
        // The fake clock never moves: only the new rating can wake the sender from its back-off.
        using var sender = Sender();
        await sender.StartAsync(CancellationToken.None);
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(sender.LastError is not null), Bound, "the first attempt to fail");
            var second = TestCatalog.Rating(_clock);
            await _outbox.EnqueueAsync(second);

            await Wait.UntilAsync(async () => await _outbox.GetDepthAsync() == 0, Bound, "delivery after the new rating");
            Assert.Equal([first[0].Id.ToString(), second.Id.ToString()], _server.StoredIds);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ExecuteAsync_ServerDownThenBack_DeliversEverythingOnceAfterBackingOff()
    {
        _server.FailNextCalls = 2;
        var ratings = await EnqueueAsync(5);
        using var sender = Sender(TimeProvider.System);
        await sender.StartAsync(CancellationToken.None);
        try
        {
            // Two failures cost about 1 s + 2 s of back-off, then the third call succeeds.
            await Wait.UntilAsync(async () => await _outbox.GetDepthAsync() == 0, Bound, "delivery after the outage");

            Assert.Equal(3, _server.Calls.Count);
            Assert.Equal(ratings.Select(r => r.Id.ToString()), _server.StoredIds);
        }
        finally
        {
            await sender.StopAsync(CancellationToken.None);
        }
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _dir.Dispose();
    }
}
