using Google.Protobuf.WellKnownTypes;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>When a rating can have been made: not before its device was first enrolled, not in the future.</summary>
public sealed class RatingTimeRulesTests : IDisposable
{
    private sealed class ClockedServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    private readonly ClockedServer _server = new();

    public void Dispose() => _server.Dispose();

    private RatingSubmission RatedAt(DateTimeOffset at)
    {
        var rating = ServerFactory.GoodRating();
        rating.RatedAt = Timestamp.FromDateTimeOffset(at);
        return rating;
    }

    private async Task<IReadOnlyList<RatingResult>> SubmitAsync(string credential, params RatingSubmission[] ratings) =>
        (await _server.CreateRatingClient(credential).SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ratings } })).Results;

    [Fact]
    public async Task SubmitRatings_DatedBeforeTheKioskWasFirstEnrolled_Rejected()
    {
        var enrolled = _server.Clock.GetUtcNow();
        var credential = _server.EnrollKiosk("kiosk-time", ServerFactory.HallCode);
        _server.Clock.Advance(TimeSpan.FromHours(1));

        var results = await SubmitAsync(
            credential,
            RatedAt(enrolled.AddDays(-1)),
            RatedAt(DateTimeOffset.UnixEpoch),
            RatedAt(DateTimeOffset.MinValue),
            RatedAt(enrolled.AddMinutes(-4)),
            RatedAt(_server.Clock.GetUtcNow().AddMinutes(6)));

        Assert.Equal(
            [RatingOutcome.Rejected, RatingOutcome.Rejected, RatingOutcome.Rejected, RatingOutcome.Stored, RatingOutcome.Rejected],
            results.Select(r => r.Outcome));
        Assert.All(results.Where(r => r.Outcome == RatingOutcome.Rejected), r => Assert.Equal("rated_at", r.Field));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM ratings WHERE rated_at_ms < 0"));
    }

    [Fact]
    public async Task SubmitRatings_ReEnrolledKiosk_OutboxFromBeforeTheReEnrolmentGetsThrough()
    {
        _server.EnrollKiosk("kiosk-again", ServerFactory.HallCode);
        _server.Clock.Advance(TimeSpan.FromDays(1));
        var madeOffline = RatedAt(_server.Clock.GetUtcNow());
        _server.Clock.Advance(TimeSpan.FromDays(1));

        var credential = _server.EnrollKiosk("kiosk-again", ServerFactory.HallCode);
        var results = await SubmitAsync(credential, madeOffline);

        Assert.Equal(RatingOutcome.Stored, results.Single().Outcome);
    }

    [Fact]
    public async Task SubmitRatings_RatedOnDay5DeliveredOnDay8_AcceptedMarkedLateCountedWhenMade()
    {
        var credential = _server.EnrollKiosk("terminal-time", ServerFactory.HallCode);
        var systemCredential = _server.EnrollKiosk("window-system-time", ServerFactory.HallCode, ServiceHall.Server.Domain.DeviceKind.WindowSystem);
        var windowSystem = new TransactionService.TransactionServiceClient(_server.CreateChannel().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + systemCredential);
            return m;
        }));
        var catalog = await new CatalogService.CatalogServiceClient(_server.CreateChannel())
            .GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });
        var itemCode = catalog.ServiceItems.First(i => i.WindowCodes.Contains("A01")).Code;
        var answer = await windowSystem.CompleteTransactionAsync(new CompleteTransactionRequest
        {
            TransactionNumber = "BJ-TIME-1", HallCode = ServerFactory.HallCode, WindowCode = "A01", ServiceItemCode = itemCode,
        });
        await windowSystem.CompleteTransactionAsync(new CompleteTransactionRequest
        {
            TransactionNumber = "BJ-TIME-2", HallCode = ServerFactory.HallCode, WindowCode = "A01", ServiceItemCode = itemCode,
        });
        var rateBy = answer.RateBy.ToDateTimeOffset();
        RatingSubmission Of(string number, DateTimeOffset at)
        {
            var rating = RatedAt(at);
            rating.TransactionNumber = number;
            rating.ServiceItemCode = itemCode;
            return rating;
        }

        var onDay5 = Of("BJ-TIME-1", rateBy.AddHours(-1));
        var afterTheWindow = Of("BJ-TIME-2", rateBy.AddHours(1));
        _server.Clock.Advance(rateBy.AddDays(3) - _server.Clock.GetUtcNow());
        var results = await SubmitAsync(credential, onDay5, afterTheWindow);

        Assert.Equal(RatingOutcome.Stored, results[0].Outcome);
        Assert.Equal(RatingOutcome.Rejected, results[1].Outcome);
        Assert.Equal("transaction_number", results[1].Field);
        Assert.Equal(1, _server.Scalar("SELECT arrived_late FROM ratings WHERE id = @id", ("id", onDay5.RatingId)));
        Assert.Equal(
            onDay5.RatedAt.ToDateTimeOffset().ToUnixTimeMilliseconds(),
            _server.Scalar("SELECT rated_at_ms FROM ratings WHERE id = @id", ("id", onDay5.RatingId)));
        // Tallied under the hour it was made, not the hour it arrived.
        var madeHour = onDay5.RatedAt.ToDateTimeOffset().ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000;
        Assert.Equal(1, _server.Scalar("SELECT COALESCE(SUM(count), 0) FROM rating_hours WHERE hour_ms = @h", ("h", madeHour)));
    }
}
