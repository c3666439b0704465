using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Storage;

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
        var store = server.Services.GetRequiredService<ICaseStore>();
        async Task<IReadOnlyList<Server.Domain.CaseEvent>> EscalationsAsync() =>
            (await store.ListCasesAsync(new CaseQuery([]), CancellationToken.None)).Cases
                .SelectMany(c => c.Events).Where(e => e.Kind == Server.Domain.CaseEventKind.Escalated).ToList();

        await job.EscalateOverdueAsync(CancellationToken.None);
        Assert.Empty(await EscalationsAsync());

        // Past any first-contact deadline, even across the longest holiday of the year.
        server.Clock.Advance(TimeSpan.FromDays(12));
        await job.EscalateOverdueAsync(CancellationToken.None);
        await job.EscalateOverdueAsync(CancellationToken.None);

        Assert.Equal("system", Assert.Single(await EscalationsAsync()).By.Id);
    }
}
