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
    private volatile OpenCaseCounts _cases = new(new Dictionary<CaseState, long>(), 0);

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
}
