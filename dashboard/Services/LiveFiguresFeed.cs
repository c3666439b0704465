using Grpc.Core;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services;

/// <summary>
/// Holds one <c>WatchLiveFigures</c> stream to the server for the configured hall, for every page and circuit
/// of this dashboard, and reconnects with backoff (1 s doubling to 15 s) when it drops or the server is down.
/// Pages read <see cref="Current"/> and <see cref="Subscribe"/> to changes.
/// </summary>
public sealed class LiveFiguresFeed(
    LiveFiguresService.LiveFiguresServiceClient client,
    IOptions<DashboardOptions> options,
    TimeProvider time,
    ILogger<LiveFiguresFeed> logger) : BackgroundService
{
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(15);

    private readonly Lock _gate = new();
    private readonly string _hallCode = options.Value.HallCode;
    private readonly List<Action<LiveFeedSnapshot>> _subscribers = [];
    private LiveFeedSnapshot? _current;

    /// <summary>The latest figures and connection state; never null.</summary>
    public LiveFeedSnapshot Current
    {
        get
        {
            lock (_gate)
            {
                return _current ??= LiveFeedSnapshot.Initial(_hallCode);
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="onChange"/> with every new snapshot, on the feed's thread (a Blazor component must
    /// marshal with <c>InvokeAsync</c>). Dispose the result to stop.
    /// </summary>
    public IDisposable Subscribe(Action<LiveFeedSnapshot> onChange)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        lock (_gate)
        {
            _subscribers.Add(onChange);
        }

        return new Subscription(this, onChange);
    }

    /// <summary>Replaces the snapshot and tells subscribers. Internal so tests can drive pages without a server.</summary>
    internal void Publish(Func<LiveFeedSnapshot, LiveFeedSnapshot> change)
    {
        LiveFeedSnapshot next;
        Action<LiveFeedSnapshot>[] subscribers;
        lock (_gate)
        {
            var previous = _current ?? LiveFeedSnapshot.Initial(_hallCode);
            next = change(previous);
            if (next == previous)
            {
                return;
            }

            _current = next;
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(next);
            }
            catch (Exception ex)
            {
                // One broken page must not stop the feed for the others.
                logger.LogError(ex, "A live figures subscriber failed for hall {HallCode}", _hallCode);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            var hallNotFound = false;
            try
            {
                logger.LogDebug("Opening the live figures stream of hall {HallCode} at {ServerAddress}", _hallCode, options.Value.ServerAddress);
                using var call = client.WatchLiveFigures(
                    new WatchLiveFiguresRequest { HallCode = _hallCode },
                    cancellationToken: stoppingToken);
                var first = true;
                await foreach (var message in call.ResponseStream.ReadAllAsync(stoppingToken))
                {
                    if (first)
                    {
                        logger.LogInformation("Receiving live figures of hall {HallCode} from {ServerAddress}", _hallCode, options.Value.ServerAddress);
                        first = false;
                    }

                    var figures = message.ToHallFigures();
                    Publish(current => current.WithFigures(figures));
                    retryDelay = FirstRetryDelay;
                }

                logger.LogWarning("The server ended the live figures stream of hall {HallCode}; reconnecting", _hallCode);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex)
            {
                hallNotFound = ex.StatusCode == StatusCode.NotFound;
                if (hallNotFound)
                {
                    logger.LogError("The server does not know hall {HallCode}; check Dashboard:HallCode", _hallCode);
                }
                else if (Current.Connection == FeedConnection.Connected)
                {
                    logger.LogWarning("Live figures stream of hall {HallCode} failed with {StatusCode}: {Detail}", _hallCode, ex.StatusCode, ex.Status.Detail);
                }
                else
                {
                    logger.LogDebug("Live figures of hall {HallCode} still unavailable: {StatusCode} {Detail}", _hallCode, ex.StatusCode, ex.Status.Detail);
                }
            }
            catch (Exception ex)
            {
                // Anything else (a malformed message, a handler bug) must not stop the hall screen for good.
                logger.LogError(ex, "Live figures stream of hall {HallCode} failed unexpectedly", _hallCode);
            }

            Publish(current => current.Disconnected(time.GetUtcNow(), hallNotFound));
            logger.LogDebug("Reconnecting to live figures of hall {HallCode} in {RetryDelay}", _hallCode, retryDelay);
            try
            {
                await Task.Delay(retryDelay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private sealed class Subscription(LiveFiguresFeed feed, Action<LiveFeedSnapshot> onChange) : IDisposable
    {
        public void Dispose()
        {
            lock (feed._gate)
            {
                feed._subscribers.Remove(onChange);
            }
        }
    }
}
