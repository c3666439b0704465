using System.ComponentModel.DataAnnotations;
using System.Diagnostics.Metrics;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Grpc;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Metrics;

/// <summary>How often the case gauges are recounted. Section "Metrics".</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Seconds between recounts of open and overdue cases (one grouped query each time).</summary>
    [Range(1, 3600)]
    public int CaseCountSeconds { get; set; } = 30;
}

/// <summary>
/// The server's OpenTelemetry metrics (meter "ServiceHall.Server"), served for Prometheus at <c>/metrics</c> on the HTTP
/// endpoint. Counts and durations only: no rating's content, no rater, no staff member (docs/deployment.md#metrics).
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "ServiceHall.Server";

    private readonly Counter<long> _stored;
    private readonly Counter<long> _rejected;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _signInFailures;
    private readonly Counter<long> _relayDelivered;
    private readonly Counter<long> _relayFailures;
    private readonly Histogram<double> _relayBatchDuration;
    private volatile OpenCaseCounts _cases = new(new Dictionary<CaseState, long>(), 0);
    private volatile RelayGauges _relay = new(0, 0, false);

    private sealed record RelayGauges(long Pending, double OldestPendingSeconds, bool Stalled);

    public ServerMetrics(IMeterFactory meters, StreamLimits streams)
    {
        var meter = meters.Create(MeterName);
        _stored = meter.CreateCounter<long>("servicehall.ratings.stored", "{rating}", "Ratings stored, each once however often it was sent");
        _rejected = meter.CreateCounter<long>("servicehall.ratings.rejected", "{rating}", "Ratings refused, by the field at fault");
        _batchSize = meter.CreateHistogram<int>(
            "servicehall.ratings.batch_size", "{rating}", "Ratings per SubmitRatings call",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500] });
        _commitDuration = meter.CreateHistogram<double>(
            "servicehall.ratings.commit.duration", "s", "Time to write one group of ratings, their tallies and cases in one transaction",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2] });
        _signInFailures = meter.CreateCounter<long>("servicehall.sign_in.failures", "{attempt}", "Refused staff sign-ins, by kind");
        meter.CreateObservableGauge("servicehall.cases.open", () => _cases.ByState.Select(
            s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key.ToString()))),
            "{case}", "Cases not yet closed, by state");
        meter.CreateObservableGauge("servicehall.cases.overdue", () => _cases.Overdue, "{case}",
            "Open cases past a running deadline (first contact, or rectification and feedback)");
        _relayDelivered = meter.CreateCounter<long>(
            "servicehall.relay.delivered", "{item}", "Items the provincial platform took (or already held), each counted per delivery");
        _relayFailures = meter.CreateCounter<long>(
            "servicehall.relay.failures", "{request}", "Uploads to the provincial platform that failed, by kind (timeout, server_error, …)");
        _relayBatchDuration = meter.CreateHistogram<double>(
            "servicehall.relay.batch.duration", "s", "Time from a batch's first try to the province's answer, retries included",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 30, 60, 300, 1800] });
        meter.CreateObservableGauge("servicehall.relay.pending", () => _relay.Pending, "{item}", "Items waiting for the provincial platform");
        meter.CreateObservableGauge("servicehall.relay.oldest_pending_age", () => _relay.OldestPendingSeconds, "s",
            "How long the oldest waiting item has waited (0 when none waits)");
        meter.CreateObservableGauge("servicehall.relay.stalled", () => _relay.Stalled ? 1 : 0, "{alert}",
            "1 when the provincial upload stopped draining (docs/provincial-relay.md#status)");
        meter.CreateObservableGauge("servicehall.streams.open", () => streams.OpenStreams, "{stream}",
            "Server streams open on this instance (live figures, case notices, window pads)");
    }

    /// <summary>One SubmitRatings call: how many it carried, how many were newly stored, and the fields of those refused.</summary>
    public void RatingsSubmitted(int batchSize, int stored, IEnumerable<string> rejectedFields)
    {
        _batchSize.Record(batchSize);
        if (stored > 0)
        {
            _stored.Add(stored);
        }

        foreach (var field in rejectedFields)
        {
            _rejected.Add(1, new KeyValuePair<string, object?>("field", field));
        }
    }

    public void RatingsCommitted(TimeSpan duration) => _commitDuration.Record(duration.TotalSeconds);

    public void SignInFailed(string kind) => _signInFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void CasesCounted(OpenCaseCounts counts) => _cases = counts;

    public void RelayDelivered(int items, TimeSpan duration)
    {
        _relayDelivered.Add(items);
        _relayBatchDuration.Record(duration.TotalSeconds);
    }

    public void RelayFailed(string kind) => _relayFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void RelayCounted(ProvincialRelayStatus status, DateTimeOffset now, TimeSpan stalledAfter) => _relay = new(
        status.Pending, status.OldestPendingQueuedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, status.IsStalled(now, stalledAfter));
}
