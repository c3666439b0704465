using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ServiceHall.Server.Live;

/// <summary>
/// Fans notices out to every open stream (the console's case queue, a window pad's invitations). A slow listener
/// loses its oldest notices, never blocks the sender.
/// </summary>
public sealed class Broadcaster<T>
{
    private readonly ConcurrentDictionary<Channel<T>, byte> _listeners = new();

    public IDisposable Listen(out ChannelReader<T> notices)
    {
        var channel = Channel.CreateBounded<T>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        _listeners.TryAdd(channel, 0);
        notices = channel.Reader;
        return new Unlisten(() => _listeners.TryRemove(channel, out _));
    }

    public void Publish(T notice)
    {
        foreach (var listener in _listeners.Keys)
        {
            listener.Writer.TryWrite(notice);
        }
    }

    private sealed class Unlisten(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
