using Google.Protobuf.WellKnownTypes;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>Failures of one kind, as the relay page lists them.</summary>
public sealed record RelayFailureRow(string Kind, string Label, long Count, DateTimeOffset LastAt, string LastMessage);

/// <summary>The upload to the provincial platform, as the relay page shows it.</summary>
public sealed record RelayState(
    bool Enabled, string EndpointHost, long Pending, DateTimeOffset? OldestPendingQueuedAt, DateTimeOffset? LastSuccessAt, long Delivered,
    long Refused, bool Stalled, int StalledAfterMinutes, IReadOnlyList<RelayFailureRow> Failures);

/// <summary>The console's calls to ProvincialRelayService (status for district roles; backfill for the administrator).</summary>
public sealed class RelayClient(ProvincialRelayService.ProvincialRelayServiceClient client, ConsoleSession session)
{
    public async Task<RelayState> StatusAsync(CancellationToken cancellationToken = default)
    {
        var r = await session.CallAsync(headers => client.GetRelayStatusAsync(
            new GetRelayStatusRequest(), headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return new RelayState(
            r.Enabled, r.EndpointHost, r.Pending, r.OldestPendingQueuedAt?.ToDateTimeOffset(), r.LastSuccessAt?.ToDateTimeOffset(), r.Delivered,
            r.Refused, r.Stalled, r.StalledAfterMinutes,
            r.Failures.Select(f => new RelayFailureRow(f.Kind, f.Label, f.Count, f.LastAt.ToDateTimeOffset(), f.LastMessage)).ToList());
    }

    /// <summary>Queues [from, to) again; answers how many items wait again.</summary>
    public async Task<int> BackfillAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var r = await session.CallAsync(headers => client.BackfillRelayAsync(
            new BackfillRelayRequest { From = Timestamp.FromDateTimeOffset(from), To = Timestamp.FromDateTimeOffset(to) },
            headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return r.Requeued;
    }
}
