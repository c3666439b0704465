using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using ServiceHall.Bench.Fleet;
using ServiceHall.Protos.V1;

namespace ServiceHall.Bench;

/// <summary>Loading the ratings of a past year through the API, batch by batch.</summary>
internal sealed record BulkLoadResult(int Requested, int Callers, TimeSpan Elapsed, CallTally Tally, LatencySummary Latency)
{
    public double StoredPerSecond => Tally.Stored / Elapsed.TotalSeconds;
}

/// <summary>Median time of a query over a few runs; <see cref="Error"/> if a run failed.</summary>
internal sealed record QueryTiming(TimeSpan? Median, int Runs, string? Error);

/// <summary>
/// One period's indicators from the server (DisclosureService.GetIndicators, district scope) beside the full-scan SQL
/// count on the same store, and whether both count the same ratings.
/// </summary>
internal sealed record IndicatorTiming(string Period, long RatingsInPeriod, int? ServerRatingCount, QueryTiming Server, QueryTiming FullScan);

/// <summary>Indicators over a year of stored ratings: the load, then a month, a quarter and the year.</summary>
internal static class IndicatorStage
{
    public const int LoadBatchSize = 500;

    /// <summary>
    /// At most this many load callers: more only queue at the store, and a batch of 500 waiting behind too many others
    /// would run into its deadline.
    /// </summary>
    public const int MaxLoadCallers = 16;

    private const int Runs = 5;
    private static readonly TimeSpan LoadCallTimeout = TimeSpan.FromMinutes(2);

    // A query slower than this is not repeated: one run says enough, and five would hold the bench up for minutes.
    private static readonly TimeSpan RepeatLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan QueryDeadline = TimeSpan.FromMinutes(10);
    private static readonly TimeZoneInfo District = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>The last full calendar year in the district when the bench started: the ratings are spread over it, and it is queried.</summary>
    public static readonly int Year = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, District).Year - 1;

    /// <summary>
    /// Submits <paramref name="count"/> ratings spread evenly over <see cref="Year"/>, in batches of 500 from several callers,
    /// oldest first, through the real API with the kiosks' credentials. The API takes back-dated ratings (it refuses only
    /// a rated_at ahead of the server's clock, RatingRules), so the load goes the way every rating goes: checks, a case
    /// for each 差评, and whatever the store keeps beside the rating.
    /// </summary>
    public static async Task<BulkLoadResult> LoadYearAsync(
        IReadOnlyList<KioskConnection> kiosks, RatingFactory factory, int count, int callers, CancellationToken cancellationToken)
    {
        callers = Math.Min(callers, MaxLoadCallers);
        var (yearStart, yearEnd) = Bounds(new DateOnly(Year, 1, 1), new DateOnly(Year, 12, 31));
        var span = yearEnd - yearStart;
        DateTimeOffset RatedAt(long i) => yearStart + span * ((i + 0.5) / count);

        var batches = (count + LoadBatchSize - 1) / LoadBatchSize;
        var nextBatch = -1;
        var tallies = Enumerable.Range(0, callers).Select(_ => new CallTally()).ToArray();
        var latencies = Enumerable.Range(0, callers).Select(_ => new LatencyRecorder()).ToArray();
        var start = Stopwatch.GetTimestamp();
        using var progress = new CancellationTokenSource();
        var reporting = ReportProgressAsync(() => tallies.Sum(t => t.Stored), count, progress.Token);

        try
        {
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                int batch;
                while ((batch = Interlocked.Increment(ref nextBatch)) < batches)
                {
                    var kiosk = kiosks[batch % kiosks.Count];
                    var first = (long)batch * LoadBatchSize;
                    var size = (int)Math.Min(LoadBatchSize, count - first);
                    var request = factory.Batch(kiosk.Identity.DeviceId, kiosk.Identity.HallCode, size, i => RatedAt(first + i));
                    var sent = Stopwatch.GetTimestamp();
                    try
                    {
                        var response = await kiosk.Ratings.SubmitRatingsAsync(
                            request, deadline: DateTime.UtcNow + LoadCallTimeout, cancellationToken: cancellationToken);
                        latencies[c].RecordSince(sent);
                        tallies[c].Answered(request, response);
                    }
                    catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                    {
                        tallies[c].Failed(e);
                    }
                }
            }, cancellationToken)));
        }
        finally
        {
            await progress.CancelAsync();
            await reporting;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        return new BulkLoadResult(count, callers, elapsed, CallTally.Merge(tallies), LatencyRecorder.Summarize(latencies));
    }

    /// <summary>The ratings of <see cref="Year"/> in the store, read directly.</summary>
    public static async Task<long> CountRatingsInYearAsync(StoreProbe store, CancellationToken cancellationToken)
    {
        var (from, to) = Bounds(new DateOnly(Year, 1, 1), new DateOnly(Year, 12, 31));
        return (await store.CountByLevelAsync(from, to, cancellationToken)).Values.Sum();
    }

    /// <summary>December, the fourth quarter and the whole of <see cref="Year"/>: each through the server and by full scan.</summary>
    public static async Task<IReadOnlyList<IndicatorTiming>> TimeQueriesAsync(
        GrpcChannel channel, StoreProbe store, CancellationToken cancellationToken)
    {
        var disclosure = new DisclosureService.DisclosureServiceClient(channel);
        // The ratings were made last year but received now, so their 差评's cases (counted by when they were received) all
        // fall in this month: this month's figures count every one of them.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, District).DateTime);
        var periods = new (string Label, DateOnly First, DateOnly Last)[]
        {
            ($"month {Year}-12", new DateOnly(Year, 12, 1), new DateOnly(Year, 12, 31)),
            ($"quarter {Year}-Q4", new DateOnly(Year, 10, 1), new DateOnly(Year, 12, 31)),
            ($"year {Year}", new DateOnly(Year, 1, 1), new DateOnly(Year, 12, 31)),
            ($"this month so far, every case", new DateOnly(today.Year, today.Month, 1), today),
        };

        var timings = new List<IndicatorTiming>();
        foreach (var (label, first, last) in periods)
        {
            var request = new GetIndicatorsRequest
            {
                ScopeKind = ScopeKind.District,
                FromDay = first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ToDay = last.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
            int? serverCount = null;
            var server = await TimeAsync(async () =>
            {
                var response = await disclosure.GetIndicatorsAsync(
                    request, deadline: DateTime.UtcNow + QueryDeadline, cancellationToken: cancellationToken);
                serverCount = response.Indicators.FirstOrDefault(i => i.Code == "rating_count")?.Numerator;
            });

            var (from, to) = Bounds(first, last);
            long rows = 0;
            var fullScan = await TimeAsync(async () => rows = (await store.CountByLevelAsync(from, to, cancellationToken)).Values.Sum());
            timings.Add(new IndicatorTiming(label, rows, serverCount, server, fullScan));
            Progress.Say($"  {label}: GetIndicators {Report.Ms(server.Median)} ms, full scan {Report.Ms(fullScan.Median)} ms, {rows:N0} ratings");
        }

        return timings;
    }

    /// <summary>[start of the first day, start of the day after the last) in the district's time zone, as the server reckons days.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Bounds(DateOnly first, DateOnly last)
    {
        static DateTimeOffset StartOf(DateOnly day)
        {
            var local = day.ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, District.GetUtcOffset(local));
        }

        return (StartOf(first), StartOf(last.AddDays(1)));
    }

    private static async Task<QueryTiming> TimeAsync(Func<Task> query)
    {
        var durations = new List<TimeSpan>();
        try
        {
            while (durations.Count < Runs)
            {
                var start = Stopwatch.GetTimestamp();
                await query();
                durations.Add(Stopwatch.GetElapsedTime(start));
                if (durations[^1] > RepeatLimit)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is RpcException or System.Data.Common.DbException)
        {
            return new QueryTiming(Median(durations), durations.Count, e.Message);
        }

        return new QueryTiming(Median(durations), durations.Count, null);
    }

    private static TimeSpan? Median(List<TimeSpan> durations) =>
        durations.Count == 0 ? null : durations.Order().ElementAt(durations.Count / 2);

    private static async Task ReportProgressAsync(Func<long> stored, int count, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Progress.Say($"  loaded {stored():N0} of {count:N0}");
            }
        }
        catch (OperationCanceledException)
        {
            // The load is done.
        }
    }
}
