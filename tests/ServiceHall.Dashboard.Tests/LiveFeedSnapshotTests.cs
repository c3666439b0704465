using ServiceHall.Dashboard.Services;

namespace ServiceHall.Dashboard.Tests;

public class LiveFeedSnapshotTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 9, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Disconnected_BeforeAnyFigures_StaysCalmlyConnecting()
    {
        var snapshot = LiveFeedSnapshot.Initial("370104-ZWZX").Disconnected(Now, hallNotFound: false);

        Assert.Equal(FeedConnection.Connecting, snapshot.Connection);
        Assert.Null(snapshot.DisconnectedSince);
    }

    [Fact]
    public void Disconnected_AfterFigures_ReconnectingKeepsLastFigures()
    {
        var figures = TestFigures.Typical().ToHallFigures();
        var snapshot = LiveFeedSnapshot.Initial("370104-ZWZX").WithFigures(figures).Disconnected(Now, hallNotFound: false);

        Assert.Equal(FeedConnection.Reconnecting, snapshot.Connection);
        Assert.Same(figures, snapshot.Figures);
        Assert.Equal(Now, snapshot.DisconnectedSince);
    }

    [Fact]
    public void Disconnected_WhileReconnecting_KeepsTheTimeItFirstDropped()
    {
        var dropped = LiveFeedSnapshot.Initial("370104-ZWZX")
            .WithFigures(TestFigures.Typical().ToHallFigures())
            .Disconnected(Now, hallNotFound: false);

        var later = dropped.Disconnected(Now.AddMinutes(1), hallNotFound: false);

        Assert.Equal(Now, later.DisconnectedSince);
    }

    [Fact]
    public void WithFigures_AfterReconnecting_ConnectedAgain()
    {
        var snapshot = LiveFeedSnapshot.Initial("370104-ZWZX")
            .WithFigures(TestFigures.Typical().ToHallFigures())
            .Disconnected(Now, hallNotFound: false)
            .WithFigures(TestFigures.Empty().ToHallFigures());

        Assert.Equal(FeedConnection.Connected, snapshot.Connection);
        Assert.Null(snapshot.DisconnectedSince);
        Assert.Equal(0, snapshot.Figures!.RatingCount);
    }

    [Fact]
    public void Disconnected_HallNotFound_SaysSo()
    {
        var snapshot = LiveFeedSnapshot.Initial("999999-XX").Disconnected(Now, hallNotFound: true);

        Assert.Equal(FeedConnection.HallNotFound, snapshot.Connection);
    }
}
