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
    public async Task EscalateOverdue_PastBothDeadlines_EachEscalatedOnce_ManualEscalationStopsNone()
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

        // A hall manager's own escalation does not switch the automatic ones off.
        var c = (await store.ListCasesAsync(new CaseQuery([]), CancellationToken.None)).Cases.Single();
        var before = c.Events.Count;
        c.Escalate(new Server.Domain.Actor("m1", Server.Domain.CaseRole.HallManager), "主动督办", server.Clock.GetUtcNow());
        await store.SaveCaseAsync(c, before, CancellationToken.None);

        // Past both the first-contact and the rectification deadline, and each by more than the working days after which
        // it goes on to the district supervisor, even across the longest holiday of the year.
        server.Clock.Advance(TimeSpan.FromDays(30));
        // (The job's own timer may run a scan too when the clock moves: the count is what matters.)
        await job.EscalateOverdueAsync(CancellationToken.None);
        await job.EscalateOverdueAsync(CancellationToken.None);

        // Each missed deadline once to the hall manager and once to the district supervisor.
        var automatic = (await EscalationsAsync()).Where(e => e.By.Id == "system").ToList();
        Assert.Equal(4, automatic.Count);
        Assert.Equal(4, automatic.Select(e => e.MissedDeadline).Distinct().Count());
        Assert.Equal(2, automatic.Count(e => e.Note!.Contains("区级督办人员", StringComparison.Ordinal)));
        Assert.Equal(5, (await EscalationsAsync()).Count);
    }
}
