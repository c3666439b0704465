using System.Runtime.ExceptionServices;
using Polly;
using Polly.Retry;

namespace ServiceHall.Frontend;

/// <summary>
/// How long the front ends wait between attempts to reach the server: <see cref="FirstDelay"/>, doubling up to
/// <see cref="MaxDelay"/>, each with jitter so that the kiosks of a hall do not all call back at the same moment after
/// an outage. Bound from the "Reconnect" section of each app's settings.
/// </summary>
public sealed record ReconnectOptions
{
    public const string SectionName = "Reconnect";

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Off only where a test wants the plain doubling.</summary>
    public bool UseJitter { get; init; } = true;
}

/// <summary>
/// A failed attempt or a dropped connection, and the wait before the next attempt.
/// </summary>
/// <param name="Error">What failed; null when a stream simply ended.</param>
/// <param name="Delay">The wait before the next attempt.</param>
/// <param name="Attempt">How many attempts failed in a row so far (0 for the first).</param>
public readonly record struct ReconnectWait(Exception? Error, TimeSpan Delay, int Attempt);

/// <summary>
/// The one retry policy of the kiosk and the dashboard (Polly): retry forever, until cancelled, with exponential
/// backoff, jitter and a cap (<see cref="ReconnectOptions"/>). <see cref="RetryAsync{T}"/> retries one call until it
/// goes through (the outbox senders); <see cref="KeepConnectedAsync"/> keeps a server stream open and starts the
/// delays over once a connection has been up (the live feeds). Each user makes its own instance, so the events it
/// hears are its own.
/// </summary>
public sealed class Reconnect
{
    private readonly ResiliencePipeline _pipeline;
    private readonly Func<Exception, bool> _isTransient;

    /// <param name="options">The delays.</param>
    /// <param name="timeProvider">The clock the waits run on.</param>
    /// <param name="isTransient">
    /// Which failures are worth another attempt; any other ends the retries and is thrown to the caller. Cancellation
    /// of the caller's token is never retried.
    /// </param>
    /// <param name="randomizer">The jitter's source of numbers in [0, 1); tests pass a fixed one.</param>
    public Reconnect(ReconnectOptions options, TimeProvider timeProvider, Func<Exception, bool> isTransient, Func<double>? randomizer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(isTransient);
        _isTransient = isTransient;
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } error && ShouldRetry(error, args.Context.CancellationToken)),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = options.FirstDelay,
            MaxDelay = options.MaxDelay,
            UseJitter = options.UseJitter,
            OnRetry = args =>
            {
                var error = args.Outcome.Exception is StreamEnded ? null : args.Outcome.Exception;
                Disconnected?.Invoke(new ReconnectWait(error, args.RetryDelay, args.AttemptNumber));
                return ValueTask.CompletedTask;
            },
        };
        if (randomizer is not null)
        {
            retry.Randomizer = randomizer;
        }
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = timeProvider }.AddRetry(retry).Build();
    }

    /// <summary>
    /// Raised before each wait: an attempt failed, or a connection dropped. A UI shows "reconnecting" from here on.
    /// </summary>
    public event Action<ReconnectWait>? Disconnected;

    /// <summary>Raised when a connection reports itself up (<see cref="KeepConnectedAsync"/>), once per connection.</summary>
    public event Action? Connected;

    /// <summary>Runs <paramref name="attempt"/> until it returns, waiting between failed attempts.</summary>
    public ValueTask<T> RetryAsync<T>(Func<CancellationToken, ValueTask<T>> attempt, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(attempt, cancellationToken);

    /// <summary>
    /// Keeps a connection (a server stream) open until <paramref name="cancellationToken"/> is cancelled: whenever
    /// <paramref name="connection"/> ends or fails with a transient error it is run again after the next delay.
    /// The connection calls the action it is given once it is up (a first message, say); after that, a drop starts
    /// the delays over from <see cref="ReconnectOptions.FirstDelay"/>. Returns on cancellation; throws a failure that is
    /// not transient.
    /// </summary>
    public async Task KeepConnectedAsync(Func<Action, CancellationToken, Task> connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ExceptionDispatchInfo? dropped = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // One run of the pipeline per outage: Polly counts the attempts since the connection was last up.
                await _pipeline.ExecuteAsync(async (CancellationToken token) =>
                {
                    if (dropped is { } drop)
                    {
                        // The connection that was up and dropped is this outage's first failure: Polly waits the
                        // first delay before the next attempt and doubles from there.
                        dropped = null;
                        drop.Throw();
                    }
                    var up = false;
                    void ReportUp()
                    {
                        if (!up)
                        {
                            up = true;
                            Connected?.Invoke();
                        }
                    }
                    try
                    {
                        await connection(ReportUp, token);
                    }
                    catch (Exception ex) when (up && ShouldRetry(ex, token))
                    {
                        dropped = ExceptionDispatchInfo.Capture(ex);
                        return;
                    }
                    var ended = new StreamEnded();
                    if (up)
                    {
                        dropped = ExceptionDispatchInfo.Capture(ended);
                        return;
                    }
                    throw ended;
                }, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private bool ShouldRetry(Exception error, CancellationToken cancellationToken) => error switch
    {
        StreamEnded => true,
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        _ => _isTransient(error),
    };

    /// <summary>The server ended a stream without an error: reconnect like after a failure.</summary>
    private sealed class StreamEnded() : Exception("The server ended the stream.");
}
