using Microsoft.Extensions.Time.Testing;

namespace ServiceHall.Kiosk.Tests;

/// <summary>The one retry policy every reconnecting loop of the kiosk and the dashboard uses, on a fake clock.</summary>
public sealed class ReconnectTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private static readonly ReconnectOptions PlainDoubling = new() { UseJitter = false };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly List<DateTimeOffset> _attempts = [];
    private readonly List<ReconnectWait> _waits = [];

    private Reconnect NewReconnect(ReconnectOptions options, Func<Exception, bool>? isTransient = null, Func<double>? randomizer = null)
    {
        var reconnect = new Reconnect(options, _clock, isTransient ?? (ex => ex is IOException), randomizer);
        reconnect.Disconnected += wait =>
        {
            lock (_waits)
            {
                _waits.Add(wait);
            }
        };
        return reconnect;
    }

    private void Attempted()
    {
        lock (_attempts)
        {
            _attempts.Add(_clock.GetUtcNow());
        }
    }

    private int AttemptCount
    {
        get
        {
            lock (_attempts)
            {
                return _attempts.Count;
            }
        }
    }

    /// <summary>Moves the fake clock on in small steps (giving the retry a moment each time) until <paramref name="done"/>.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done, string what)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (!done())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting for {what}");
            _clock.Advance(Step);
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private List<double> SecondsBetweenAttempts()
    {
        lock (_attempts)
        {
            return [.. _attempts.Zip(_attempts.Skip(1), (a, b) => (b - a).TotalSeconds)];
        }
    }

    [Fact]
    public async Task RetryAsync_KeepsFailing_WaitsTheFirstDelayDoublingUpToTheCap()
    {
        var reconnect = NewReconnect(PlainDoubling);
        var failures = 7;

        var run = reconnect.RetryAsync(_ =>
        {
            Attempted();
            return AttemptCount <= failures ? throw new IOException("server away") : ValueTask.FromResult(42);
        }, CancellationToken.None).AsTask();
        await AdvanceUntilAsync(() => run.IsCompleted, "the eighth attempt");

        Assert.Equal(42, await run);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], _waits.Select(w => w.Delay.TotalSeconds));
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], _waits.Select(w => w.Attempt));
        Assert.All(_waits, w => Assert.IsType<IOException>(w.Error));
        // Each attempt came no sooner than its wait, and no more than one clock step later.
        Assert.All(SecondsBetweenAttempts().Zip(_waits), pair =>
            Assert.InRange(pair.First, pair.Second.Delay.TotalSeconds, pair.Second.Delay.TotalSeconds + Step.TotalSeconds + 0.001));
    }

    [Fact]
    public async Task RetryAsync_WithJitter_SpreadsTheWaitsButNeverPastTheCap()
    {
        var options = new ReconnectOptions { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(15) };
        var random = new Random(7);
        var reconnect = NewReconnect(options, randomizer: random.NextDouble);

        var run = reconnect.RetryAsync(_ =>
        {
            Attempted();
            return AttemptCount <= 12 ? throw new IOException("server away") : ValueTask.FromResult(true);
        }, CancellationToken.None).AsTask();
        await AdvanceUntilAsync(() => run.IsCompleted, "the last attempt");

        Assert.True(await run);
        Assert.Equal(12, _waits.Count);
        Assert.All(_waits, w => Assert.InRange(w.Delay, TimeSpan.FromMilliseconds(1), options.MaxDelay));
        Assert.NotEqual([1, 2, 4, 8, 15, 15, 15, 15, 15, 15, 15, 15], _waits.Select(w => w.Delay.TotalSeconds));
        // The waits still grow: the last ones are near the cap, far above the first delay.
        Assert.True(_waits.TakeLast(4).Average(w => w.Delay.TotalSeconds) > 5);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RetryAsync_FailingAllNight_WaitsStayAtTheCapWithoutOverflowing(bool jitter)
    {
        // A server away overnight: thousands of attempts at the cap (here ticks long, so the test is quick), where 2^attempt
        // long overflowed.
        var cap = TimeSpan.FromTicks(10);
        var reconnect = new Reconnect(new ReconnectOptions { FirstDelay = TimeSpan.FromTicks(1), MaxDelay = cap, UseJitter = jitter },
            TimeProvider.System, _ => true);
        var waits = new List<TimeSpan>();
        reconnect.Disconnected += wait => waits.Add(wait.Delay);
        var attempts = 0;

        await reconnect.RetryAsync(_ => ++attempts < 3000 ? throw new IOException("server away") : ValueTask.FromResult(true),
            CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(2999, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, cap));
        Assert.All(waits.Skip(1100), w => Assert.Equal(cap, w));
    }

    [Fact]
    public async Task RetryAsync_NotTransient_ThrowsWithoutRetrying()
    {
        var reconnect = NewReconnect(PlainDoubling);

        await Assert.ThrowsAsync<InvalidDataException>(async () => await reconnect.RetryAsync<int>(_ =>
        {
            Attempted();
            throw new InvalidDataException("a bug, not an outage");
        }, CancellationToken.None));

        Assert.Equal(1, AttemptCount);
        Assert.Empty(_waits);
    }

    [Fact]
    public async Task RetryAsync_CancelledWhileWaiting_StopsWithoutAnotherAttempt()
    {
        var reconnect = NewReconnect(PlainDoubling);
        using var stop = new CancellationTokenSource();

        var run = reconnect.RetryAsync<int>(_ =>
        {
            Attempted();
            throw new IOException("server away");
        }, stop.Token).AsTask();
        await AdvanceUntilAsync(() => AttemptCount == 2, "the second attempt");
        await stop.CancelAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(2, AttemptCount);
    }

    [Fact]
    public async Task KeepConnectedAsync_DropsAfterBeingUp_StartsTheDelaysOverAndReportsEachConnection()
    {
        var reconnect = NewReconnect(PlainDoubling);
        var connections = 0;
        reconnect.Connected += () => Interlocked.Increment(ref connections);
        using var stop = new CancellationTokenSource();

        // Down, down, up then dropped, down, down, then up for good.
        var run = reconnect.KeepConnectedAsync(async (connected, token) =>
        {
            Attempted();
            switch (AttemptCount)
            {
                case 3:
                    connected();
                    connected();
                    throw new IOException("dropped");
                case 6:
                    connected();
                    await Task.Delay(Timeout.Infinite, token);
                    break;
                default:
                    throw new IOException("server away");
            }
        }, stop.Token);
        await AdvanceUntilAsync(() => AttemptCount == 6, "the connection to come back");

        Assert.Equal([1, 2, 1, 2, 4], _waits.Select(w => w.Delay.TotalSeconds));
        Assert.Equal(2, connections);
        await stop.CancelAsync();
        await run.WaitAsync(Bound);
    }

    [Fact]
    public async Task KeepConnectedAsync_StreamEndsWithoutError_ReconnectsAndReportsNoError()
    {
        var reconnect = NewReconnect(PlainDoubling);
        using var stop = new CancellationTokenSource();

        var run = reconnect.KeepConnectedAsync((connected, _) =>
        {
            Attempted();
            connected();
            return Task.CompletedTask;
        }, stop.Token);
        await AdvanceUntilAsync(() => AttemptCount == 3, "the third connection");
        await stop.CancelAsync();
        await run.WaitAsync(Bound);

        // An ended stream counts as a drop after being up: each reconnect waits the first delay.
        Assert.All(_waits, w => Assert.Null(w.Error));
        Assert.All(_waits, w => Assert.Equal(TimeSpan.FromSeconds(1), w.Delay));
    }

    [Fact]
    public async Task KeepConnectedAsync_NotTransient_ThrowsToTheCaller()
    {
        var reconnect = NewReconnect(PlainDoubling);

        var run = reconnect.KeepConnectedAsync((connected, _) =>
        {
            Attempted();
            connected();
            throw new UnauthorizedAccessException("token refused");
        }, CancellationToken.None);

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => run.WaitAsync(Bound));
        Assert.Equal(1, AttemptCount);
        Assert.Empty(_waits);
    }
}
