using System.Diagnostics;

namespace ServiceHall.Bench;

/// <summary>
/// Keeps every sample (Stopwatch ticks); percentiles come from one sorted array of all of them, so they are exact rather
/// than bucketed. Not thread-safe: each caller records into its own and the run merges them at the end.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly List<long> _samples = [];

    public void Record(long ticks) => _samples.Add(ticks);

    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetTimestamp() - startTimestamp);

    public static LatencySummary Summarize(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.SelectMany(r => r._samples).ToArray();
        Array.Sort(all);
        return LatencySummary.Of(all);
    }

    public LatencySummary Summarize() => Summarize([this]);
}

/// <summary>
/// Nearest-rank percentiles of a set of durations. A lag may be negative: live figures can reach the bench before the
/// answer to the call whose ratings they already count.
/// </summary>
internal sealed record LatencySummary(int Count, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static LatencySummary Empty { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    public static LatencySummary Of(long[] sortedTicks) => sortedTicks.Length == 0
        ? Empty
        : new(sortedTicks.Length, At(sortedTicks, 0.50), At(sortedTicks, 0.99), ToTimeSpan(sortedTicks[^1]));

    public static TimeSpan ToTimeSpan(long stopwatchTicks) => TimeSpan.FromSeconds((double)stopwatchTicks / Stopwatch.Frequency);

    private static TimeSpan At(long[] sorted, double fraction)
    {
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return ToTimeSpan(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)]);
    }
}
