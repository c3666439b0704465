using System.Collections.Concurrent;
using System.Threading.Channels;
using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Cases;

/// <summary>A case was opened or changed: what the console's live queue hears.</summary>
public sealed record CaseChange(BadReviewCase Case, bool Opened);

/// <summary>Fans case notices out to every open console stream.</summary>
public sealed class CaseHub
{
    private readonly ConcurrentDictionary<Channel<CaseChange>, byte> _watchers = new();

    public IDisposable Watch(out ChannelReader<CaseChange> notices)
    {
        var channel = Channel.CreateBounded<CaseChange>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });
        _watchers.TryAdd(channel, 0);
        notices = channel.Reader;
        return new Unwatch(() => _watchers.TryRemove(channel, out _));
    }

    public void Publish(CaseChange change)
    {
        foreach (var watcher in _watchers.Keys)
        {
            watcher.Writer.TryWrite(change);
        }
    }

    private sealed class Unwatch(Action remove) : IDisposable
    {
        public void Dispose() => remove();
    }
}
