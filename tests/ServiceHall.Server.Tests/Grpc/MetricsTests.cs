using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// The Prometheus endpoint on the server's HTTP port moves with what the server does. Alone in its collection: a meter is
/// found by name in the whole process, so another test's server would move the same counters.
/// </summary>
[Collection(nameof(MetricsTests))]
public sealed partial class MetricsTests : IDisposable
{
    private readonly SecuredServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Metrics_AfterRatingsAreStored_CountersMove()
    {
        _server.Settings["Metrics:CaseCountSeconds"] = "1";
        var before = await ScrapeAsync();
        var bad = ServerFactory.GoodRating();
        bad.Level = RatingLevel.VeryDissatisfied;
        bad.ReasonTagCodes.Add("EFF_LONG_WAIT");
        bad.ReasonTagListVersion = "2026.1";
        var wrongWindow = ServerFactory.GoodRating();
        wrongWindow.WindowCode = "Z99";
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest
        {
            Ratings = { ServerFactory.GoodRating(), ServerFactory.GoodRating(), bad, wrongWindow },
        });
        await Assert.ThrowsAsync<RpcException>(() => _server.Accounts().SignInAsync(
            new SignInRequest { UserName = "nobody", Password = "not the password" }).ResponseAsync);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var screen = new LiveFiguresService.LiveFiguresServiceClient(_server.CreateChannel())
            .WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = ServerFactory.HallCode }, cancellationToken: timeout.Token);
        Assert.True(await screen.ResponseStream.MoveNext(timeout.Token));

        var after = await ScrapeUntilAsync(m => Value(m, "servicehall_cases_open", "state=\"New\"") >= 1);

        Assert.Equal(3, Delta(before, after, "servicehall_ratings_stored_total"));
        Assert.Equal(1, Delta(before, after, "servicehall_ratings_rejected_total", "field=\"window_code\""));
        Assert.Equal(1, Delta(before, after, "servicehall_ratings_batch_size_count"));
        Assert.Equal(1, Delta(before, after, "servicehall_ratings_batch_size_bucket", "le=\"5\""));
        Assert.Equal(0, Delta(before, after, "servicehall_ratings_batch_size_bucket", "le=\"2\""));
        Assert.True(Delta(before, after, "servicehall_ratings_commit_duration_seconds_count") >= 1);
        Assert.Equal(1, Delta(before, after, "servicehall_sign_in_failures_total", "kind=\"sign-in-failed\""));
        Assert.True(Value(after, "servicehall_streams_open") >= 1);
        Assert.Equal(0, Value(after, "servicehall_cases_overdue"));
        // Counts only: nothing of a rating, a rater or a staff member is ever a label.
        Assert.DoesNotContain(bad.RatingId, after, StringComparison.Ordinal);
        Assert.DoesNotContain("nobody", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_ProvinceDown_RelayGaugesAndFailuresMove()
    {
        await using var province = await Relay.ProvinceStubServer.StartAsync();
        province.Fail(ProvinceStub.StubFault.Error500);
        foreach (var (key, value) in Relay.RelayServer.Settings(province.Endpoint))
        {
            _server.Settings[key] = value;
        }

        _server.Settings["Metrics:CaseCountSeconds"] = "1";
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ServerFactory.GoodRating() } });

        var after = await ScrapeUntilAsync(m => Value(m, "servicehall_relay_pending") >= 1 && Value(m, "servicehall_relay_failures_total") >= 1);

        Assert.Equal(1, Value(after, "servicehall_relay_pending"));
        Assert.True(Value(after, "servicehall_relay_failures_total", "kind=\"server_error\"") >= 1);
        Assert.True(Value(after, "servicehall_relay_oldest_pending_age_seconds") >= 0);
        Assert.Equal(0, Value(after, "servicehall_relay_stalled"));
        Assert.Equal(0, Value(after, "servicehall_relay_delivered_total"));
    }

    private async Task<string> ScrapeAsync()
    {
        using var http = _server.CreateClient();
        return await http.GetStringAsync("/metrics");
    }

    // The exporter answers from a copy up to 300 ms old, and the case gauges are recounted every second here.
    private async Task<string> ScrapeUntilAsync(Func<string, bool> ready)
    {
        var metrics = await ScrapeAsync();
        for (var i = 0; i < 50 && !ready(metrics); i++)
        {
            await Task.Delay(200);
            metrics = await ScrapeAsync();
        }

        return metrics;
    }

    private static double Delta(string before, string after, string name, string? label = null) =>
        Value(after, name, label) - Value(before, name, label);

    /// <summary>The value of the sample <paramref name="name"/> whose labels contain <paramref name="label"/>; 0 when absent.</summary>
    private static double Value(string metrics, string name, string? label = null) =>
        Sample().Matches(metrics)
            .Where(m => m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            .Select(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0)
            .Sum();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>[^}]*)\})? (?<value>[^ \n]+)", RegexOptions.Multiline)]
    private static partial Regex Sample();
}

[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public sealed class MetricsCollection;
