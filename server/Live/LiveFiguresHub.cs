using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ServiceHall.Server.Live;

/// <summary>
/// Tells live-figure streams that a hall's ratings or cases changed. A subscriber holds at most one pending signal, so a
/// burst of ratings wakes it once and it recomputes the figures once. A district subscriber (no hall) hears every hall.
/// </summary>
public sealed class LiveFiguresHub
{
    private readonly ConcurrentDictionary<Subscription, byte> _subscriptions = new();

    public Subscription Subscribe(string? hallCode)
    {
        var subscription = new Subscription(this, hallCode);
        _subscriptions.TryAdd(subscription, 0);
        return subscription;
    }

    public void RatingsStored(IEnumerable<string> hallCodes)
    {
        var halls = hallCodes.ToHashSet();
        foreach (var subscription in _subscriptions.Keys.Where(s => s.HallCode is null || halls.Contains(s.HallCode)))
        {
            subscription.Signal.Writer.TryWrite(true);
        }
    }

    /// <summary>A case of the hall was opened or took a step: the handling figures change.</summary>
    public void CasesChanged(IEnumerable<string> hallCodes) => RatingsStored(hallCodes);

    public sealed class Subscription(LiveFiguresHub hub, string? hallCode) : IDisposable
    {
        internal Channel<bool> Signal { get; } = Channel.CreateBounded<bool>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

        /// <summary>The hall listened to; null for the whole district.</summary>
        public string? HallCode { get; } = hallCode;

        /// <summary>Waits until the hall's ratings changed since the last wait, or the timeout passed.</summary>
        public async Task WaitForChangeAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                await Signal.Reader.ReadAsync(timer.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The timeout: the caller refreshes anyway (a new day may have begun).
            }
        }

        public void Dispose() => hub._subscriptions.TryRemove(this, out _);
    }
}
