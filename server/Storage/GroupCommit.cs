using System.Threading.Channels;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Group commit: requests from every concurrent caller wait here and are written together, in one transaction and one
/// fsync, by one writer; each caller is answered after that commit. Under load this turns thousands of tiny transactions
/// a second into a few large ones; alone, a caller waits for nothing but its own commit.
/// </summary>
/// <typeparam name="TRequest">One caller's request (e.g. one call's ratings).</typeparam>
/// <typeparam name="TResult">What that caller is answered once the group is committed.</typeparam>
public sealed class GroupCommit<TRequest, TResult> : IDisposable
{
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Func<IReadOnlyList<TRequest>, Task<TResult[]>> _commit;
    private readonly Func<TRequest, int> _sizeOf;
    private readonly int _maxPerCommit;
    private readonly Lazy<Task> _writer;

    /// <param name="commit">Writes a group in one transaction and returns each request's result, in order.</param>
    /// <param name="sizeOf">How much of a commit a request takes (e.g. its ratings).</param>
    /// <param name="maxPerCommit">
    /// How much one commit takes at most: enough to make a commit worth its fsync, small enough that the first caller in a
    /// group is not kept long. A single request larger than this is still written, alone.
    /// </param>
    public GroupCommit(Func<IReadOnlyList<TRequest>, Task<TResult[]>> commit, Func<TRequest, int> sizeOf, int maxPerCommit)
    {
        _commit = commit;
        _sizeOf = sizeOf;
        _maxPerCommit = maxPerCommit;
        _writer = new Lazy<Task>(() => Task.Run(WriteAsync));
    }

    /// <summary>
    /// Queues a request for the next commit and waits for it. A caller that gives up still has its request written (or
    /// not) with the rest: a retry must therefore be harmless (e.g. "already stored").
    /// </summary>
    public Task<TResult> SubmitAsync(TRequest request, CancellationToken cancellationToken)
    {
        var pending = new Pending(request, new(TaskCreationOptions.RunContinuationsAsynchronously));
        _ = _writer.Value;
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TRequest, TResult>), "the store is shut down");
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    public void Dispose() => _pending.Writer.TryComplete();

    private async Task WriteAsync()
    {
        var group = new List<Pending>();
        while (await _pending.Reader.WaitToReadAsync())
        {
            group.Clear();
            var size = 0;
            while (size < _maxPerCommit && _pending.Reader.TryRead(out var pending))
            {
                group.Add(pending);
                size += _sizeOf(pending.Request);
            }

            try
            {
                var results = await _commit(group.Select(p => p.Request).ToList());
                for (var i = 0; i < group.Count; i++)
                {
                    group[i].Done.SetResult(results[i]);
                }
            }
            catch (Exception) when (group.Count > 1)
            {
                // One caller's fault must not fail the others: each is written again on its own.
                foreach (var pending in group)
                {
                    try
                    {
                        pending.Done.SetResult((await _commit([pending.Request]))[0]);
                    }
                    catch (Exception e)
                    {
                        pending.Done.SetException(e);
                    }
                }
            }
            catch (Exception e)
            {
                group[0].Done.SetException(e);
            }
        }
    }

    private sealed record Pending(TRequest Request, TaskCompletionSource<TResult> Done);
}
