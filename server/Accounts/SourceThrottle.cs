using System.Collections.Concurrent;

namespace ServiceHall.Server.Accounts;

/// <summary>
/// Failed sign-ins per source address in a window: a source that fails too often is refused until its window passes,
/// whichever names it tries. Kept in memory: a restart forgets it, while the per-account lockout is in the store.
/// </summary>
public sealed class SourceThrottle(TimeProvider time)
{
    private const int MaxSourcesTracked = 10_000;

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);

    private sealed record Window(DateTimeOffset Start, int Failures);

    public bool IsBlocked(string source, int maxFailures, TimeSpan window) =>
        _windows.TryGetValue(source, out var w) && time.GetUtcNow() - w.Start < window && w.Failures >= maxFailures;

    public void RecordFailure(string source, TimeSpan window)
    {
        var now = time.GetUtcNow();
        if (_windows.Count >= MaxSourcesTracked)
        {
            // Bounded memory under a flood of sources: windows that have passed go first.
            foreach (var (key, old) in _windows)
            {
                if (now - old.Start >= window)
                {
                    _windows.TryRemove(key, out _);
                }
            }
        }

        _windows.AddOrUpdate(source, _ => new Window(now, 1),
            (_, w) => now - w.Start >= window ? new Window(now, 1) : w with { Failures = w.Failures + 1 });
    }
}
