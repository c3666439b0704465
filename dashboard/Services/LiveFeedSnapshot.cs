namespace ServiceHall.Dashboard.Services;

/// <summary>Where the dashboard's stream of live figures stands.</summary>
public enum FeedConnection
{
    /// <summary>No figures received yet since the dashboard started (the server may not be up yet).</summary>
    Connecting,

    /// <summary>The stream is open and figures are current.</summary>
    Connected,

    /// <summary>The stream dropped after figures were received; the last figures are kept while retrying.</summary>
    Reconnecting,

    /// <summary>The server does not know the configured hall; retried in case it is added.</summary>
    HallNotFound,
}

/// <summary>The latest figures with the state of the connection that brought them. Immutable; replaced on change.</summary>
/// <param name="HallCode">The configured hall.</param>
/// <param name="Connection">The state of the stream.</param>
/// <param name="Figures">The last figures received, or null before the first message.</param>
/// <param name="DisconnectedSince">When the stream dropped; set only while <see cref="FeedConnection.Reconnecting"/>.</param>
public sealed record LiveFeedSnapshot(
    string HallCode,
    FeedConnection Connection,
    HallLiveFigures? Figures,
    DateTimeOffset? DisconnectedSince)
{
    public static LiveFeedSnapshot Initial(string hallCode) => new(hallCode, FeedConnection.Connecting, null, null);

    public LiveFeedSnapshot WithFigures(HallLiveFigures figures) =>
        this with { Connection = FeedConnection.Connected, Figures = figures, DisconnectedSince = null };

    /// <summary>
    /// The stream failed or ended. Before any figures arrived the screen stays in its calm "connecting" state;
    /// after, it keeps the last figures and says since when it is reconnecting.
    /// </summary>
    public LiveFeedSnapshot Disconnected(DateTimeOffset now, bool hallNotFound) => hallNotFound
        ? this with { Connection = FeedConnection.HallNotFound, DisconnectedSince = null }
        : Connection switch
        {
            FeedConnection.Connected => this with { Connection = FeedConnection.Reconnecting, DisconnectedSince = now },
            FeedConnection.Connecting or FeedConnection.Reconnecting => this,
            FeedConnection.HallNotFound => Figures is null
                ? this with { Connection = FeedConnection.Connecting }
                : this with { Connection = FeedConnection.Reconnecting, DisconnectedSince = now },
            _ => throw new InvalidOperationException($"Unknown connection state {Connection}."),
        };
}
