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
/// queue (refresh). Reconnects with backoff (1 s doubling to 15 s); an Unauthenticated answer stops it and reports
/// <see cref="CaseWatchStatus.SignInRequired"/>.
/// </summary>
public sealed class CaseWatch(
    CaseService.CaseServiceClient client,
    ConsoleSession session,
    TimeProvider time,
    ILogger<CaseWatch> logger) : IAsyncDisposable
{
    internal static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(15);

    /// <summary>A stream still open after this long without an error counts as established.</summary>
    internal static readonly TimeSpan EstablishedAfter = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly List<Action<CaseWatchUpdate>> _subscribers = [];
    private CancellationTokenSource? _running;
    private Task _loop = Task.CompletedTask;

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
            if (_running is not null || !session.IsSignedIn)
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
                logger.LogError(ex, "A case watch subscriber failed");
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
        var retryDelay = FirstRetryDelay;
        while (!stopping.IsCancellationRequested)
        {
            if (session.Credentials is not { } credentials)
            {
                break;
            }

            try
            {
                using var call = client.WatchCases(
                    new WatchCasesRequest(), CaseClient.AuthorizationHeaders(credentials), cancellationToken: stopping);
                var next = call.ResponseStream.MoveNext(stopping);
                if (Status != CaseWatchStatus.Watching)
                {
                    // No message may come for a long time; a stream that has not failed by now is up.
                    await Task.WhenAny(next, Task.Delay(EstablishedAfter, time, stopping));
                    if (!next.IsFaulted && !next.IsCanceled && !stopping.IsCancellationRequested)
                    {
                        SetStatus(CaseWatchStatus.Watching);
                        retryDelay = FirstRetryDelay;
                    }
                }

                while (await next)
                {
                    Publish(new CaseWatchUpdate(CaseWatchStatus.Watching, call.ResponseStream.Current.ToCaseChange()));
                    next = call.ResponseStream.MoveNext(stopping);
                }

                logger.LogInformation("The server ended the case stream; reconnecting");
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unauthenticated)
            {
                logger.LogInformation("The server refused the console token on the case stream: {Detail}", ex.Status.Detail);
                SetStatus(CaseWatchStatus.SignInRequired);
                return;
            }
            catch (RpcException ex) when (Status == CaseWatchStatus.Watching)
            {
                logger.LogWarning("Case stream failed with {StatusCode}: {Detail}; reconnecting", ex.StatusCode, ex.Status.Detail);
            }
            catch (RpcException ex)
            {
                // Still down: one warning when the stream dropped is enough.
                logger.LogDebug("Case stream still unavailable: {StatusCode} {Detail}", ex.StatusCode, ex.Status.Detail);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Case stream failed unexpectedly");
            }

            SetStatus(CaseWatchStatus.Reconnecting);
            try
            {
                await Task.Delay(retryDelay, time, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }

        SetStatus(CaseWatchStatus.Off);
    }

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
