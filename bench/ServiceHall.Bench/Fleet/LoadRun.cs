using System.Diagnostics;
using Grpc.Core;

namespace ServiceHall.Bench.Fleet;

internal sealed record LoadSettings(int Callers, int BatchSize, TimeSpan Duration, TimeSpan WarmUp);

/// <summary>One closed-loop run: the measured phase, and the warm-up before it (its ratings are in the store too).</summary>
internal sealed record LoadResult(LoadSettings Settings, TimeSpan Elapsed, CallTally Tally, LatencySummary Latency, CallTally WarmUp)
{
    public double StoredPerSecond => Tally.Stored / Elapsed.TotalSeconds;
}

/// <summary>
/// A fleet of kiosks at full speed: each caller sends a batch, waits for the answer, and sends the next, until the time is
/// up. Callers are spread over the kiosks' connections round robin.
/// </summary>
internal static class LoadRun
{
    /// <summary>What a kiosk allows one call before it counts as failed.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public static async Task<LoadResult> RunAsync(
        IReadOnlyList<KioskConnection> kiosks, RatingFactory factory, LoadSettings settings, CancellationToken cancellationToken)
    {
        var (warmUp, _, _) = await RunPhaseAsync(kiosks, factory, settings, settings.WarmUp, cancellationToken);
        var (tally, latency, elapsed) = await RunPhaseAsync(kiosks, factory, settings, settings.Duration, cancellationToken);
        return new LoadResult(settings, elapsed, tally, latency, warmUp);
    }

    private static async Task<(CallTally Tally, LatencySummary Latency, TimeSpan Elapsed)> RunPhaseAsync(
        IReadOnlyList<KioskConnection> kiosks, RatingFactory factory, LoadSettings settings, TimeSpan duration,
        CancellationToken cancellationToken)
    {
        var tallies = Enumerable.Range(0, settings.Callers).Select(_ => new CallTally()).ToArray();
        var latencies = Enumerable.Range(0, settings.Callers).Select(_ => new LatencyRecorder()).ToArray();
        var start = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, settings.Callers).Select(i => Task.Run(
            () => CallInLoopAsync(kiosks[i % kiosks.Count], factory, settings.BatchSize, tallies[i], latencies[i], start, duration, cancellationToken),
            cancellationToken)));
        // Until the last answer: the calls still in flight when the time was up count, and so does their time.
        var elapsed = Stopwatch.GetElapsedTime(start);
        return (CallTally.Merge(tallies), LatencyRecorder.Summarize(latencies), elapsed);
    }

    private static async Task CallInLoopAsync(
        KioskConnection kiosk, RatingFactory factory, int batchSize, CallTally tally, LatencyRecorder latency, long start,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        while (Stopwatch.GetElapsedTime(start) < duration)
        {
            var request = factory.BatchNow(kiosk.Identity.DeviceId, kiosk.Identity.HallCode, batchSize);
            var sent = Stopwatch.GetTimestamp();
            try
            {
                var response = await kiosk.Ratings.SubmitRatingsAsync(
                    request, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken);
                latency.RecordSince(sent);
                tally.Answered(request, response);
            }
            catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
            {
                tally.Failed(e);
            }
        }
    }
}
