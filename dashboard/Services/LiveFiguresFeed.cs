using Grpc.Core;
using Microsoft.Extensions.Options;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services;

/// <summary>
/// Holds one <c>WatchLiveFigures</c> stream to the server for the configured hall, for every page and circuit
/// of this dashboard, and reconnects with the shared backoff (<see cref="Reconnect"/>) when it drops or the server is down.
/// Pages read <see cref="Current"/> and <see cref="Subscribe"/> to changes.
/// </summary>
public sealed class LiveFiguresFeed : BackgroundService
{
    private readonly LiveFiguresService.LiveFiguresServiceClient _client;
    private readonly IOptions<DashboardOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveFiguresFeed> _logger;
    private readonly Reconnect _reconnect;
    private readonly Lock _gate = new();
    private readonly string _hallCode;
    private readonly List<Action<LiveFeedSnapshot>> _subscribers = [];
    private LiveFeedSnapshot? _current;

    public LiveFiguresFeed(
        LiveFiguresService.LiveFiguresServiceClient client,
        IOptions<DashboardOptions> options,
        TimeProvider time,
        ILogger<LiveFiguresFeed> logger,
        ReconnectOptions? reconnect = null)
    {
        _client = client;
        _options = options;
        _time = time;
        _logger = logger;
        _hallCode = options.Value.HallCode;
        // Every failure is retried (an unknown hall too, shown as such): the hall screen must come back by itself.
        _reconnect = new Reconnect(reconnect ?? DashboardReconnect.Defaults, time, static _ => true);
        _reconnect.Disconnected += OnDisconnected;
    }

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
                _logger.LogError(ex, "A live figures subscriber failed for hall {HallCode}", _hallCode);
            }
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        _reconnect.KeepConnectedAsync(async (connected, token) =>
        {
            _logger.LogDebug("Opening the live figures stream of hall {HallCode} at {ServerAddress}", _hallCode, _options.Value.ServerAddress);
            using var call = _client.WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = _hallCode }, cancellationToken: token);
            await foreach (var message in call.ResponseStream.ReadAllAsync(token))
            {
                if (Current.Connection != FeedConnection.Connected)
                {
                    _logger.LogInformation("Receiving live figures of hall {HallCode} from {ServerAddress}", _hallCode, _options.Value.ServerAddress);
                }

                var figures = message.ToHallFigures();
                Publish(current => current.WithFigures(figures));
                connected();
            }
        }, stoppingToken);

    /// <summary>The stream dropped or could not be opened: say so on screen (the last figures stay) and log it once.</summary>
    private void OnDisconnected(ReconnectWait wait)
    {
        var hallNotFound = wait.Error is RpcException { StatusCode: StatusCode.NotFound };
        switch (wait.Error)
        {
            case null:
                _logger.LogWarning("The server ended the live figures stream of hall {HallCode}; reconnecting", _hallCode);
                break;
            case RpcException when hallNotFound:
                _logger.LogError("The server does not know hall {HallCode}; check Dashboard:HallCode", _hallCode);
                break;
            case RpcException ex when Current.Connection == FeedConnection.Connected:
                _logger.LogWarning("Live figures stream of hall {HallCode} failed with {StatusCode}: {Detail}", _hallCode, ex.StatusCode, ex.Status.Detail);
                break;
            case RpcException ex:
                _logger.LogDebug("Live figures of hall {HallCode} still unavailable: {StatusCode} {Detail}", _hallCode, ex.StatusCode, ex.Status.Detail);
                break;
            case var ex:
                // Anything else (a malformed message, a handler bug) must not stop the hall screen for good.
                _logger.LogError(ex, "Live figures stream of hall {HallCode} failed unexpectedly", _hallCode);
                break;
        }

        Publish(current => current.Disconnected(_time.GetUtcNow(), hallNotFound));
        _logger.LogDebug("Reconnecting to live figures of hall {HallCode} in {RetryDelay}", _hallCode, wait.Delay);
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
