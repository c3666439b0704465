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

    [Fact]
    public async Task Held_NotSentUntilReleased_ThenSentInItsFinalForm()
    {
        using var outbox = Open();
        var tapped = TestCatalog.Rating(_clock, level: SatisfactionLevel.Satisfied);
        await outbox.EnqueueAsync(tapped, _clock.GetUtcNow().AddMinutes(10));

        Assert.Equal(1, await outbox.GetDepthAsync());
        Assert.Empty(await outbox.GetPendingBatchAsync());

        Assert.True(await outbox.ReleaseHeldAsync(tapped with { Text = "很耐心", ReasonTagCodes = ["ATT_PATIENT"] }));

        var sent = Assert.Single(await outbox.GetPendingBatchAsync());
        Assert.Equal(tapped.Id, sent.Id);
        Assert.Equal("很耐心", sent.Text);
        // Released means on its way: it can no longer be changed or taken back.
        Assert.False(await outbox.ReplaceHeldAsync(tapped, _clock.GetUtcNow().AddMinutes(10)));
        Assert.False(await outbox.DiscardHeldAsync(tapped.Id));
        Assert.Equal("很耐心", Assert.Single(await outbox.GetPendingBatchAsync()).Text);
    }

    [Fact]
    public async Task Held_NeverReleased_GoesOutWhenItsHoldTimePasses()
    {
        using var outbox = Open();
        var tapped = TestCatalog.Rating(_clock, level: SatisfactionLevel.VerySatisfied);
        await outbox.EnqueueAsync(tapped, _clock.GetUtcNow().AddMinutes(10));

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Assert.Empty(await outbox.GetPendingBatchAsync());
        _clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal(tapped.Id, Assert.Single(await outbox.GetPendingBatchAsync()).Id);
        Assert.False(await outbox.DiscardHeldAsync(tapped.Id));
    }

    [Fact]
    public async Task Held_Discarded_LeavesNothing()
    {
        using var outbox = Open();
        var tapped = TestCatalog.Rating(_clock, level: SatisfactionLevel.Satisfied);
        await outbox.EnqueueAsync(tapped, _clock.GetUtcNow().AddMinutes(10));

        Assert.True(await outbox.DiscardHeldAsync(tapped.Id));

        Assert.Equal(0, await outbox.GetDepthAsync());
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await outbox.GetPendingBatchAsync());
    }

    [Fact]
    public async Task Held_OutboxFromBeforeHolding_GetsTheColumnAndKeepsItsRatings()
    {
        var rating = TestCatalog.Rating(_clock);
        using (var connection = new SqliteConnection($"Data Source={_dir.File("outbox.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, rating_id TEXT NOT NULL UNIQUE, payload TEXT NOT NULL,
                    callback_phone TEXT NULL, enqueued_at INTEGER NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
                    delivered_at INTEGER NULL, rejected_at INTEGER NULL, rejected_field TEXT NULL, rejected_reason TEXT NULL);
                """;
            command.ExecuteNonQuery();
        }
        using (var first = Open())
        {
            await first.EnqueueAsync(rating);
        }

        using var outbox = Open();

        Assert.Equal(rating.Id, Assert.Single(await outbox.GetPendingBatchAsync()).Id);
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
