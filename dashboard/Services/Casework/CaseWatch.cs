using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Where the console's live case stream stands.</summary>
public enum CaseWatchStatus
{
    /// <summary>Not started, or stopped at sign-out.</summary>
    Off,

    /// <summary>Opening the first stream.</summary>
    Connecting,

    /// <summary>The stream is open: new and changed cases arrive as they happen.</summary>
    Watching,

    /// <summary>The stream dropped; retrying. Pages reload their data once it is back (notices may have been missed).</summary>
    Reconnecting,

    /// <summary>
    /// The server refused the token (expired or revoked); the stream stopped. The console layout ends the session on
    /// its own thread, since ending it touches the browser's storage.
    /// </summary>
    SignInRequired,
}

/// <summary>A case notice, or a change of the stream's status (then <see cref="Change"/> is null).</summary>
public sealed record CaseWatchUpdate(CaseWatchStatus Status, CaseChange? Change);

/// <summary>
/// One <c>WatchCases</c> stream per signed-in circuit (scoped), shared by the console layout (new-case alert) and the
/// queue (refresh). Reconnects with the shared backoff (<see cref="Reconnect"/>); an Unauthenticated answer stops it and
/// reports <see cref="CaseWatchStatus.SignInRequired"/>.
/// </summary>
public sealed class CaseWatch : IAsyncDisposable
{
    /// <summary>A stream still open after this long without an error counts as established.</summary>
    internal static readonly TimeSpan EstablishedAfter = TimeSpan.FromSeconds(2);

    private readonly CaseService.CaseServiceClient _client;
    private readonly ConsoleSession _session;
    private readonly TimeProvider _time;
    private readonly ILogger<CaseWatch> _logger;
    private readonly Reconnect _reconnect;
    private readonly Lock _gate = new();
    private readonly List<Action<CaseWatchUpdate>> _subscribers = [];
    private CancellationTokenSource? _running;
    private Task _loop = Task.CompletedTask;

    public CaseWatch(
        CaseService.CaseServiceClient client,
        ConsoleSession session,
        TimeProvider time,
        ILogger<CaseWatch> logger,
        ReconnectOptions? reconnect = null)
    {
        _client = client;
        _session = session;
        _time = time;
        _logger = logger;
        // A refused token ends the stream (the console signs out); the sign-out itself ends it too.
        _reconnect = new Reconnect(reconnect ?? DashboardReconnect.Defaults, time,
            static ex => ex is not (RpcException { StatusCode: StatusCode.Unauthenticated } or SignedOut));
        _reconnect.Connected += () => SetStatus(CaseWatchStatus.Watching);
        _reconnect.Disconnected += OnDisconnected;
    }

    public CaseWatchStatus Status { get; private set; } = CaseWatchStatus.Off;

    /// <summary>Calls <paramref name="onUpdate"/> on the stream's thread (components marshal with InvokeAsync). Dispose to stop.</summary>
    public IDisposable Subscribe(Action<CaseWatchUpdate> onUpdate)
    {
        ArgumentNullException.ThrowIfNull(onUpdate);
        lock (_gate)
        {
            _subscribers.Add(onUpdate);
        }

        return new Subscription(this, onUpdate);
    }

    /// <summary>Opens the stream if it is not open and someone is signed in. Safe to call on every render.</summary>
    public void EnsureStarted()
    {
        lock (_gate)
        {
            if (_running is not null || !_session.IsSignedIn)
            {
                return;
            }

            _running = new CancellationTokenSource();
            var token = _running.Token;
            _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        }
    }

    /// <summary>Closes the stream (at sign-out).</summary>
    public async Task StopAsync()
    {
        CancellationTokenSource? running;
        Task loop;
        lock (_gate)
        {
            running = _running;
            _running = null;
            loop = _loop;
        }

        if (running is null)
        {
            return;
        }

        await running.CancelAsync();
        await loop;
        running.Dispose();
        SetStatus(CaseWatchStatus.Off);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Hands an update to subscribers. Internal so tests can drive pages without a server.</summary>
    internal void Publish(CaseWatchUpdate update)
    {
        Action<CaseWatchUpdate>[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(update);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A case watch subscriber failed");
            }
        }
    }

    private void SetStatus(CaseWatchStatus status)
    {
        if (Status == status)
        {
            return;
        }

        Status = status;
        Publish(new CaseWatchUpdate(status, null));
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        SetStatus(CaseWatchStatus.Connecting);
        try
        {
            await _reconnect.KeepConnectedAsync(WatchOnceAsync, stopping);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
        {
            _logger.LogInformation("The server refused the console token on the case stream: {Detail}", ex.Status.Detail);
            SetStatus(CaseWatchStatus.SignInRequired);
            return;
        }
        catch (SignedOut)
        {
        }

        if (!stopping.IsCancellationRequested)
        {
            SetStatus(CaseWatchStatus.Off);
        }
    }

    /// <summary>One stream, open until it drops; reports itself up once it has lasted or brought a notice.</summary>
    private async Task WatchOnceAsync(Action connected, CancellationToken stopping)
    {
        if (_session.Credentials is not { } credentials)
        {
            throw new SignedOut();
        }

        using var call = _client.WatchCases(
            new WatchCasesRequest(), CaseClient.AuthorizationHeaders(credentials), cancellationToken: stopping);
        var next = call.ResponseStream.MoveNext(stopping);
        if (Status != CaseWatchStatus.Watching)
        {
            // No message may come for a long time; a stream that has not failed by now is up.
            await Task.WhenAny(next, Task.Delay(EstablishedAfter, _time, stopping));
            if (!next.IsFaulted && !next.IsCanceled && !stopping.IsCancellationRequested)
            {
                connected();
            }
        }

        while (await next)
        {
            connected();
            Publish(new CaseWatchUpdate(CaseWatchStatus.Watching, call.ResponseStream.Current.ToCaseChange()));
            next = call.ResponseStream.MoveNext(stopping);
        }
    }

    private void OnDisconnected(ReconnectWait wait)
    {
        switch (wait.Error)
        {
            case null:
                _logger.LogInformation("The server ended the case stream; reconnecting");
                break;
            case RpcException ex when Status == CaseWatchStatus.Watching:
                _logger.LogWarning("Case stream failed with {StatusCode}: {Detail}; reconnecting", ex.StatusCode, ex.Status.Detail);
                break;
            case RpcException ex:
                // Still down: one warning when the stream dropped is enough.
                _logger.LogDebug("Case stream still unavailable: {StatusCode} {Detail}", ex.StatusCode, ex.Status.Detail);
                break;
            case var ex:
                _logger.LogError(ex, "Case stream failed unexpectedly");
                break;
        }

        SetStatus(CaseWatchStatus.Reconnecting);
    }

    /// <summary>No one is signed in any more: the stream has no one to serve.</summary>
    private sealed class SignedOut() : Exception("Signed out.");

    private sealed class Subscription(CaseWatch watch, Action<CaseWatchUpdate> onUpdate) : IDisposable
    {
        public void Dispose()
        {
            lock (watch._gate)
            {
                watch._subscribers.Remove(onUpdate);
            }
        }
    }
}
