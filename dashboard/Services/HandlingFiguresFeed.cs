using System.Collections.Concurrent;
using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services;

/// <summary>The latest handling figures of one scope (a hall, or "" for the district) and whether the stream is up.</summary>
public sealed record HandlingFeedState(string HallCode, HandlingFiguresView? Figures, bool Connected);

/// <summary>
/// Holds one <c>WatchHandlingFigures</c> stream per scope shown (the hall screen's hall, the district screen), opened when a
/// page first asks for it and kept for every page and circuit of this dashboard, reconnecting with the shared backoff.
/// </summary>
public sealed class HandlingFiguresFeed(
    LiveFiguresService.LiveFiguresServiceClient client, TimeProvider time, ILogger<HandlingFiguresFeed> logger, ReconnectOptions? reconnect = null)
    : IDisposable
{
    private readonly ConcurrentDictionary<string, Scope> _scopes = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The latest state of a scope; starts its stream if it is not open yet.</summary>
    public HandlingFeedState Current(string hallCode) => ScopeOf(hallCode).State;

    /// <summary>Calls <paramref name="onChange"/> with every new state of the scope (on the feed's thread). Dispose to stop.</summary>
    public IDisposable Subscribe(string hallCode, Action<HandlingFeedState> onChange)
    {
        var scope = ScopeOf(hallCode);
        scope.Listeners[onChange] = 0;
        return new Unsubscribe(() => scope.Listeners.TryRemove(onChange, out _));
    }

    /// <summary>Replaces a scope's state and tells its subscribers. Internal so tests can drive pages without a server.</summary>
    internal void Publish(string hallCode, HandlingFiguresView figures) =>
        ScopeOf(hallCode).Publish(new HandlingFeedState(hallCode, figures, Connected: true));

    private Scope ScopeOf(string hallCode) => _scopes.GetOrAdd(hallCode, code =>
    {
        var scope = new Scope(code);
        _ = RunAsync(scope);
        return scope;
    });

    private async Task RunAsync(Scope scope)
    {
        var retry = new Reconnect(reconnect ?? DashboardReconnect.Defaults, time, static _ => true);
        retry.Disconnected += wait =>
        {
            logger.LogDebug(wait.Error, "Handling figures of {Scope} unavailable; retrying in {Delay}", scope.HallCode, wait.Delay);
            scope.Publish(scope.State with { Connected = false });
        };
        try
        {
            await retry.KeepConnectedAsync(async (connected, token) =>
            {
                using var call = client.WatchHandlingFigures(new WatchHandlingFiguresRequest { HallCode = scope.HallCode }, cancellationToken: token);
                await foreach (var message in call.ResponseStream.ReadAllAsync(token))
                {
                    scope.Publish(new HandlingFeedState(scope.HallCode, message.ToView(), Connected: true));
                    connected();
                }
            }, _stopping.Token);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed class Scope(string hallCode)
    {
        public string HallCode { get; } = hallCode;

        public HandlingFeedState State { get; private set; } = new(hallCode, null, false);

        public ConcurrentDictionary<Action<HandlingFeedState>, byte> Listeners { get; } = new();

        public void Publish(HandlingFeedState state)
        {
            State = state;
            foreach (var listener in Listeners.Keys)
            {
                listener(state);
            }
        }
    }

    private sealed class Unsubscribe(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
