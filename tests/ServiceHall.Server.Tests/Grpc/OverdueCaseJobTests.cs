using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Cases;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class OverdueCaseJobTests
{
    /// <summary>The real server with a clock the test moves.</summary>
    private sealed class ClockedServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    [Fact]
    public async Task EscalateOverdue_PastTheContactDeadline_EscalatesOnceAndOnlyThatCase()
    {
        using var server = new ClockedServer();
        var bad = ServerFactory.GoodRating();
        bad.Level = RatingLevel.VeryDissatisfied;
        bad.Text = "窗口无人";
        await server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });
        var job = server.Services.GetServices<IHostedService>().OfType<OverdueCaseJob>().Single();
        long Escalations() => server.Scalar("SELECT COUNT(*) FROM case_events WHERE kind = 17");

        await job.EscalateOverdueAsync(CancellationToken.None);
        Assert.Equal(0, Escalations());

        // Past any first-contact deadline, even across the longest holiday of the year.
        server.Clock.Advance(TimeSpan.FromDays(12));
        await job.EscalateOverdueAsync(CancellationToken.None);
        await job.EscalateOverdueAsync(CancellationToken.None);

        Assert.Equal(1, Escalations());
        Assert.Equal(1, server.Scalar("SELECT COUNT(*) FROM case_events WHERE kind = 17 AND actor_id = 'system'"));
    }
}
