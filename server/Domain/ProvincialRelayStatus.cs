namespace ServiceHall.Server.Domain;

/// <summary>Failures of the provincial upload of one kind (timeout, server error, …): how many, and the last one.</summary>
public sealed record RelayErrorCount(string Kind, long Count, DateTimeOffset LastAt, string LastMessage);

/// <summary>
/// Where the provincial upload stands (docs/provincial-relay.md#status): what waits, since when, when the province last took a
/// batch, what it refused and what went wrong.
/// </summary>
public sealed record ProvincialRelayStatus(
    bool Enabled,
    long Pending,
    DateTimeOffset? OldestPendingQueuedAt,
    DateTimeOffset? LastSuccessAt,
    long Delivered,
    long Refused,
    IReadOnlyList<RelayErrorCount> Errors)
{
    /// <summary>
    /// The relay stopped draining: something has waited longer than <paramref name="stalledAfter"/> and no batch was delivered
    /// in that time either. A long queue that is moving is not stalled; a queue whose oldest item is stuck is.
    /// </summary>
    public bool IsStalled(DateTimeOffset now, TimeSpan stalledAfter) =>
        Enabled && Pending > 0 && OldestPendingQueuedAt is { } oldest && now - oldest > stalledAfter
        && (LastSuccessAt is not { } last || now - last > stalledAfter);
}
