using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench.Fleet;

/// <summary>
/// How far a hall screen trails the ratings at a steady pace. <see cref="UpdateLag"/>: for each update of the live
/// figures, arrival minus the answer to the call that brought the count to what the update shows (the newest rating it
/// shows). <see cref="RatingToScreen"/>: for each call, the first update that counts its ratings minus its answer (how
/// long a rating waits to be seen). Counts are matched against the calls in the order their answers arrived.
/// </summary>
internal sealed record LiveFeedResult(
    int TargetPerSecond, TimeSpan Elapsed, CallTally Tally, LatencySummary Submit, int Updates, LatencySummary UpdateLag,
    LatencySummary RatingToScreen, int Unmatched, bool FinalCountSeen)
{
    public double StoredPerSecond => Tally.Stored / Elapsed.TotalSeconds;
}

internal static class LiveFeedRun
{
    public const int RatingsPerSecond = 1000;

    // 1,000 ratings/s as a batch of 10 every 10 ms.
    private const int BatchSize = 10;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds((double)BatchSize / RatingsPerSecond);

    // Bounds on every wait: the first figures come at once, the last within the server's coalescing interval.
    private static readonly TimeSpan FirstFiguresWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LastFiguresWait = TimeSpan.FromSeconds(5);

    public static async Task<LiveFeedResult> RunAsync(
        Uri server, IReadOnlyList<KioskConnection> kiosks, RatingFactory factory, TimeSpan duration, CancellationToken cancellationToken)
    {
        var hallCode = kiosks[0].Identity.HallCode;

        // Warm-up: connections and code paths, before the figures are watched (their ratings are in the first figures).
        var warmUp = new PacedCalls(factory, hallCode);
        for (var i = 0; i < 20; i++)
        {
            await warmUp.SubmitAsync(kiosks[i % kiosks.Count], cancellationToken);
        }

        if (warmUp.Tally.Errors > 0)
        {
            throw new InvalidOperationException($"the warm-up calls failed: {warmUp.Tally.FirstProblem}");
        }

        using var channel = KioskConnection.OpenChannel(server);
        await using var feed = FiguresFeed.Open(channel, hallCode, cancellationToken);
        var baseCount = await feed.WaitForCountAsync(_ => true, FirstFiguresWait, cancellationToken)
            ?? throw new TimeoutException($"no live figures for {hallCode} within {FirstFiguresWait.TotalSeconds:0} s");

        var calls = new PacedCalls(factory, hallCode);
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        var batches = (int)(duration / Interval);
        for (var k = 0; k < batches; k++)
        {
            // Paced by the clock, not by the answers: a slow answer does not slow the kiosks down.
            var due = Interval * k - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            inFlight.Add(calls.SubmitAsync(kiosks[k % kiosks.Count], cancellationToken));
        }

        await Task.WhenAll(inFlight);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var finalCount = baseCount + (int)calls.Tally.Stored;
        var finalSeen = await feed.WaitForCountAsync(c => c >= finalCount, LastFiguresWait, cancellationToken) is not null;
        var updates = feed.Stop();

        return Match(calls.Tally, calls.Latency.Summarize(), elapsed, calls.Answers, updates, baseCount, finalSeen);
    }

    private static LiveFeedResult Match(
        CallTally tally, LatencySummary submit, TimeSpan elapsed, IReadOnlyList<(long At, int Stored)> answers,
        IReadOnlyList<(long At, int Count)> updates, int baseCount, bool finalSeen)
    {
        // Ratings answered so far, after each answer in arrival order.
        var answered = answers.Where(a => a.Stored > 0).OrderBy(a => a.At).ToArray();
        var cumulative = new int[answered.Length];
        for (int i = 0, sum = 0; i < answered.Length; i++)
        {
            cumulative[i] = sum += answered[i].Stored;
        }

        // Updates that show more ratings than the one before; the first figures are the base.
        var shown = new List<(long At, int Count)>();
        var last = baseCount;
        foreach (var (at, count) in updates)
        {
            if (count > last)
            {
                shown.Add((at, count - baseCount));
                last = count;
            }
        }

        var unmatched = 0;
        var updateLag = new List<long>();
        foreach (var (at, count) in shown)
        {
            var i = FirstAtLeast(cumulative, count);
            if (i < 0)
            {
                unmatched++;
                continue;
            }

            updateLag.Add(at - answered[i].At);
        }

        var shownCounts = shown.Select(s => s.Count).ToArray();
        var ratingToScreen = new List<long>();
        for (var i = 0; i < answered.Length; i++)
        {
            var j = FirstAtLeast(shownCounts, cumulative[i]);
            if (j < 0)
            {
                unmatched++;
                continue;
            }

            ratingToScreen.Add(shown[j].At - answered[i].At);
        }

        return new LiveFeedResult(
            RatingsPerSecond, elapsed, tally, submit, shown.Count, LatencySummary.Of([.. updateLag.Order()]),
            LatencySummary.Of([.. ratingToScreen.Order()]), unmatched, finalSeen);
    }

    // Index of the first value >= target in an ascending array, or -1.
    private static int FirstAtLeast(int[] ascending, int target)
    {
        var i = Array.BinarySearch(ascending, target);
        if (i < 0)
        {
            i = ~i;
        }
        else
        {
            while (i > 0 && ascending[i - 1] == target)
            {
                i--;
            }
        }

        return i < ascending.Length ? i : -1;
    }

    /// <summary>Calls that overlap when an answer is slower than the pace: each answer and its time, under one lock.</summary>
    private sealed class PacedCalls(RatingFactory factory, string hallCode)
    {
        private readonly List<(long At, int Stored)> _answers = [];

        public CallTally Tally { get; } = new();

        public LatencyRecorder Latency { get; } = new();

        /// <summary>When each answer arrived and how many of its ratings it stored.</summary>
        public IReadOnlyList<(long At, int Stored)> Answers => _answers;

        public async Task SubmitAsync(KioskConnection kiosk, CancellationToken cancellationToken)
        {
            var request = factory.BatchNow(kiosk.Identity.DeviceId, hallCode, BatchSize);
            var sent = Stopwatch.GetTimestamp();
            try
            {
                var response = await kiosk.Ratings.SubmitRatingsAsync(
                    request, deadline: DateTime.UtcNow + LoadRun.CallTimeout, cancellationToken: cancellationToken);
                var answeredAt = Stopwatch.GetTimestamp();
                lock (_answers)
                {
                    Latency.Record(answeredAt - sent);
                    _answers.Add((answeredAt, Tally.Answered(request, response)));
                }
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                lock (_answers)
                {
                    Tally.Failed(e);
                }
            }
        }
    }

    /// <summary>The WatchLiveFigures stream of one hall, read in the background: each message's arrival time and rating count.</summary>
    private sealed class FiguresFeed : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly AsyncServerStreamingCall<LiveFigures> _call;
        private readonly ConcurrentQueue<(long At, int Count)> _received = new();
        private readonly Task _reading;
        private volatile int _latest = -1;

        private FiguresFeed(GrpcChannel channel, string hallCode, CancellationToken cancellationToken)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _call = new LiveFiguresService.LiveFiguresServiceClient(channel)
                .WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = hallCode }, cancellationToken: _stop.Token);
            _reading = Task.Run(ReadAsync, CancellationToken.None);
        }

        public static FiguresFeed Open(GrpcChannel channel, string hallCode, CancellationToken cancellationToken) =>
            new(channel, hallCode, cancellationToken);

        /// <summary>Waits until the latest figures satisfy <paramref name="isReached"/>; their count, or null at the timeout.</summary>
        public async Task<int?> WaitForCountAsync(Func<int, bool> isReached, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var start = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(start) < timeout)
            {
                var latest = _latest;
                if (latest >= 0 && isReached(latest))
                {
                    return latest;
                }

                if (_reading.IsFaulted)
                {
                    await _reading;
                }

                await Task.Delay(5, cancellationToken);
            }

            return null;
        }

        /// <summary>Ends the stream; every message received, in arrival order.</summary>
        public IReadOnlyList<(long At, int Count)> Stop()
        {
            _stop.Cancel();
            return [.. _received];
        }

        public async ValueTask DisposeAsync()
        {
            _stop.Cancel();
            try
            {
                await _reading;
            }
            catch (Exception e) when (e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
            {
                // The stream ends by cancellation.
            }

            _call.Dispose();
            _stop.Dispose();
        }

        private async Task ReadAsync()
        {
            await foreach (var figures in _call.ResponseStream.ReadAllAsync(_stop.Token))
            {
                _received.Enqueue((Stopwatch.GetTimestamp(), figures.RatingCount));
                _latest = figures.RatingCount;
            }
        }
    }
}
