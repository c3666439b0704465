using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

public sealed class HeartbeatSenderTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly Outbox _outbox;

    public HeartbeatSenderTests() => _outbox = new Outbox(_dir.File("outbox.db"), _clock);

    /// <summary>A KioskService that keeps what it was told.</summary>
    private sealed class RecordingKioskService : KioskService.KioskServiceClient
    {
        public List<ReportHeartbeatRequest> Heartbeats { get; } = [];

        public override AsyncUnaryCall<ReportHeartbeatResponse> ReportHeartbeatAsync(
            ReportHeartbeatRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
        {
            Heartbeats.Add(request);
            return new AsyncUnaryCall<ReportHeartbeatResponse>(
                Task.FromResult(new ReportHeartbeatResponse()), Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }
    }

    [Fact]
    public async Task ReportAsync_PendingRatings_ReportsDepthAndHowLongTheOldestWaited()
    {
        var server = new RecordingKioskService();
        await _outbox.EnqueueAsync(TestCatalog.Rating(_clock));
        _clock.Advance(TimeSpan.FromMinutes(3));
        await _outbox.EnqueueAsync(TestCatalog.Rating(_clock));

        await new HeartbeatSender(_outbox, server, _clock, NullLogger<HeartbeatSender>.Instance).ReportAsync(CancellationToken.None);

        var beat = Assert.Single(server.Heartbeats);
        Assert.Equal(2, beat.OutboxDepth);
        Assert.Equal(180, beat.OldestPendingSeconds);
        Assert.Null(beat.LastDeliveryAt);
        Assert.NotEmpty(beat.Version);
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _dir.Dispose();
    }
}
