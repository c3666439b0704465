using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));

    private Outbox Open() => new(_dir.File("outbox.db"), _clock);

    [Fact]
    public async Task EnqueueAsync_ThenReopened_RatingIsStillPendingWithEveryField()
    {
        var rating = TestCatalog.Rating(_clock, phone: "13800138000", level: SatisfactionLevel.VeryDissatisfied) with
        {
            ServiceItemCode = "11370104MB2851302F000117010000",
            StaffId = "HY0301",
            Text = "等候时间较长",
        };
        using (var outbox = Open())
        {
            await outbox.EnqueueAsync(rating);
        }

        using var reopened = Open();
        var pending = Assert.Single(await reopened.GetPendingBatchAsync());
        Assert.Equal(rating.Id, pending.Id);
        Assert.Equal(rating.Level, pending.Level);
        Assert.Equal(rating.ReasonTagCodes, pending.ReasonTagCodes);
        Assert.Equal(rating.ReasonTagListVersion, pending.ReasonTagListVersion);
        Assert.Equal(rating.Text, pending.Text);
        Assert.Equal(rating.CallbackPhone, pending.CallbackPhone);
        Assert.Equal(rating.ServiceItemCode, pending.ServiceItemCode);
        Assert.Equal(rating.StaffId, pending.StaffId);
        Assert.Equal(rating.RatedAt, pending.RatedAt);
        Assert.Equal(1, await reopened.GetDepthAsync());
    }

    [Fact]
    public async Task EnqueueAsync_SameIdTwice_KeepsOneRow()
    {
        using var outbox = Open();
        var rating = TestCatalog.Rating(_clock);

        await outbox.EnqueueAsync(rating);
        await outbox.EnqueueAsync(rating);

        Assert.Equal(1, await outbox.GetDepthAsync());
    }

    [Fact]
    public async Task GetPendingBatchAsync_SixtyPending_ReturnsOldestFiftyInOrder()
    {
        using var outbox = Open();
        var ids = new List<Guid>();
        for (var i = 0; i < 60; i++)
        {
            var rating = TestCatalog.Rating(_clock);
            ids.Add(rating.Id);
            await outbox.EnqueueAsync(rating);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var batch = await outbox.GetPendingBatchAsync(100);

        Assert.Equal(ids.Take(Outbox.MaxBatchSize), batch.Select(r => r.Id));
        Assert.Equal(60, await outbox.GetDepthAsync());
    }

    [Fact]
    public async Task RecordResultsAsync_StoredAndRejected_LeavePendingButAreKept()
    {
        using var outbox = Open();
        var delivered = TestCatalog.Rating(_clock, phone: "13800138000");
        var rejected = TestCatalog.Rating(_clock, phone: "13900139000");
        var waiting = TestCatalog.Rating(_clock);
        foreach (var rating in new[] { delivered, rejected, waiting })
        {
            await outbox.EnqueueAsync(rating);
        }
        _clock.Advance(TimeSpan.FromMinutes(2));

        await outbox.RecordResultsAsync(
        [
            new DeliveryResult(delivered.Id, DeliveryOutcome.Stored),
            new DeliveryResult(rejected.Id, DeliveryOutcome.Rejected, "service_item_code", "事项不存在"),
        ]);

        Assert.Equal([waiting.Id], (await outbox.GetPendingBatchAsync()).Select(r => r.Id));
        Assert.Equal(1, await outbox.GetDepthAsync());
        Assert.Equal([delivered.Id], await outbox.GetDeliveredIdsAsync());
        Assert.Equal(_clock.GetUtcNow(), await outbox.GetLastDeliveryAsync());
        var refused = Assert.Single(await outbox.GetRecentRejectedAsync());
        Assert.Equal((rejected.Id, "service_item_code", "事项不存在"), (refused.RatingId, refused.Field, refused.Reason));
        Assert.Equal(0, CountStoredPhones());
    }

    [Fact]
    public async Task GetOldestPendingAgeAsync_FollowsTheClockAndClearsWhenDelivered()
    {
        using var outbox = Open();
        Assert.Null(await outbox.GetOldestPendingAgeAsync());
        Assert.Null(await outbox.GetLastDeliveryAsync());
        var first = TestCatalog.Rating(_clock);
        await outbox.EnqueueAsync(first);
        _clock.Advance(TimeSpan.FromMinutes(3));
        await outbox.EnqueueAsync(TestCatalog.Rating(_clock));
        _clock.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(TimeSpan.FromMinutes(5), await outbox.GetOldestPendingAgeAsync());

        await outbox.RecordResultsAsync([new DeliveryResult(first.Id, DeliveryOutcome.Stored)]);
        Assert.Equal(TimeSpan.FromMinutes(2), await outbox.GetOldestPendingAgeAsync());
    }

    [Fact]
    public async Task RecordResultsAsync_AlreadyRejected_IsNotTurnedIntoDelivered()
    {
        using var outbox = Open();
        var rating = TestCatalog.Rating(_clock);
        await outbox.EnqueueAsync(rating);
        await outbox.RecordResultsAsync([new DeliveryResult(rating.Id, DeliveryOutcome.Rejected, "level", "无效")]);

        await outbox.RecordResultsAsync([new DeliveryResult(rating.Id, DeliveryOutcome.Stored)]);

        Assert.Empty(await outbox.GetDeliveredIdsAsync());
        Assert.Single(await outbox.GetRecentRejectedAsync());
    }

    private long CountStoredPhones()
    {
        using var connection = new SqliteConnection($"Data Source={_dir.File("outbox.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM outbox WHERE callback_phone IS NOT NULL OR payload LIKE '%1380013%' OR payload LIKE '%1390013%'";
        return (long)command.ExecuteScalar()!;
    }

    public void Dispose() => _dir.Dispose();
}
