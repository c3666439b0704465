using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Relay;

/// <summary>What staff and IT do with the provincial upload: read its state, and send a period again (backfill).</summary>
public sealed class ProvincialRelayDesk(
    ProvincialUploadQueue queue, ProvincialRelayJob job, IOptions<ProvincialRelayOptions> options, TimeProvider time,
    ILogger<ProvincialRelayDesk> logger)
{
    /// <summary>The state, and whether the upload stopped draining (docs/provincial-relay.md#status).</summary>
    public async Task<(ProvincialRelayStatus Status, bool Stalled, string EndpointHost)> StatusAsync(CancellationToken cancellationToken)
    {
        var status = await queue.ReadStatusAsync(cancellationToken);
        var host = options.Value.IsEnabled && Uri.TryCreate(options.Value.Endpoint, UriKind.Absolute, out var uri) ? uri.Authority : "";
        return (status, status.IsStalled(time.GetUtcNow(), StalledAfter), host);
    }

    public TimeSpan StalledAfter => TimeSpan.FromMinutes(options.Value.StalledAfterMinutes);

    /// <summary>Queues [from, to) again; <paramref name="by"/> names who asked, for the log.</summary>
    public async Task<int> BackfillAsync(DateTimeOffset? from, DateTimeOffset? to, string by, CancellationToken cancellationToken)
    {
        if (from is not { } start)
        {
            throw new InvalidInputException("from", "须给出补传的起始时间");
        }

        if (to is not { } end)
        {
            throw new InvalidInputException("to", "须给出补传的截止时间");
        }

        if (end <= start)
        {
            throw new InvalidInputException("to", "截止时间须晚于起始时间");
        }

        var requeued = await queue.BackfillAsync(start, end, cancellationToken);
        logger.LogInformation("Provincial backfill of [{From:O}, {To:O}) by {By}: {Requeued} items wait again", start, end, by, requeued);
        job.Wake();
        return requeued;
    }
}
