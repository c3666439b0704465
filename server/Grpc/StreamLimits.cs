using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace ServiceHall.Server.Grpc;

/// <summary>How many server streams may be open at once. Section "Streams" (docs/deployment.md#input-and-stream-limits).</summary>
public sealed class StreamOptions
{
    public const string Section = "Streams";

    /// <summary>Streams one signed-in account or one kiosk may hold open at once; a console tab holds one or two.</summary>
    [Range(1, 1_000)]
    public int PerCaller { get; set; } = 8;

    /// <summary>
    /// Live-figures streams (anonymous) from one source address at once: a dashboard holds one per hall it shows, so a
    /// few dashboards behind one address stay well within it.
    /// </summary>
    [Range(1, 10_000)]
    public int LiveFiguresPerSource { get; set; } = 16;

    /// <summary>Streams of every kind and caller open at once on this server instance.</summary>
    [Range(1, 1_000_000)]
    public int Total { get; set; } = 2_000;
}

/// <summary>
/// Counts the open server streams of this instance, by holder (an account, a device, or a source address for the
/// anonymous live figures) and in total, and refuses one more beyond either cap with ResourceExhausted: a caller that
/// opens streams in a loop cannot take the server's memory, nor can all callers together.
/// </summary>
public sealed class StreamLimits(IOptions<StreamOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);
    private int _total;

    /// <summary>Streams open now on this instance.</summary>
    public int OpenStreams => Volatile.Read(ref _total);

    /// <summary>Holds one stream for <paramref name="holder"/> until disposed, or refuses it.</summary>
    public IDisposable Open(string holder, int perHolder, string perHolderRefusal)
    {
        if (Interlocked.Increment(ref _total) > options.Value.Total)
        {
            Interlocked.Decrement(ref _total);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "服务器实时连接已满，请稍后重试"));
        }

        if (_open.AddOrUpdate(holder, 1, (_, n) => n + 1) > perHolder)
        {
            Release(holder);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, perHolderRefusal));
        }

        return new Lease(this, holder);
    }

    private void Release(string holder)
    {
        Interlocked.Decrement(ref _total);
        if (_open.AddOrUpdate(holder, 0, (_, n) => n - 1) <= 0)
        {
            _open.TryRemove(new KeyValuePair<string, int>(holder, 0));
        }
    }

    private sealed class Lease(StreamLimits limits, string holder) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limits.Release(holder);
            }
        }
    }
}
