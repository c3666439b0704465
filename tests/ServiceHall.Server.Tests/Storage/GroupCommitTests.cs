using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Tests.Storage;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task ConcurrentRequests_CommittedInGroups_EachAnsweredWithItsOwnResult()
    {
        var groups = new List<int>();
        var gate = new TaskCompletionSource();
        using var commit = new GroupCommit<int, int>(async group =>
        {
            await gate.Task;
            lock (groups)
            {
                groups.Add(group.Count);
            }

            return group.Select(x => x * 10).ToArray();
        }, _ => 1, maxPerCommit: 100);

        var answers = Enumerable.Range(1, 50).Select(i => commit.SubmitAsync(i, CancellationToken.None)).ToList();
        gate.SetResult();

        Assert.Equal(Enumerable.Range(1, 50).Select(i => i * 10), await Task.WhenAll(answers).WaitAsync(TimeSpan.FromSeconds(10)));
        // Those queued while the first commit waited went together, not one commit each.
        Assert.True(groups.Count < 50, $"{groups.Count} commits for 50 requests");
        Assert.Equal(50, groups.Sum());
    }

    [Fact]
    public async Task AFailingRequest_FailsAlone_TheOthersInItsGroupAreWritten()
    {
        var gate = new TaskCompletionSource();
        using var commit = new GroupCommit<int, string>(async group =>
        {
            await gate.Task;
            return group.Contains(13) ? throw new InvalidOperationException("13 is refused") : group.Select(x => $"ok {x}").ToArray();
        }, _ => 1, maxPerCommit: 100);

        var answers = new[] { 12, 13, 14 }.Select(i => commit.SubmitAsync(i, CancellationToken.None)).ToList();
        gate.SetResult();

        Assert.Equal("ok 12", await answers[0].WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<InvalidOperationException>(() => answers[1].WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("ok 14", await answers[2].WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
