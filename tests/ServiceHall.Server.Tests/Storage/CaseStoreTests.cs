using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Cases;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;
using CaseState = ServiceHall.Server.Domain.CaseState;
using DeadlineStatus = ServiceHall.Server.Domain.DeadlineStatus;
using StaffAccount = ServiceHall.Server.Domain.StaffAccount;
using StaffRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>
/// The case queue filtered in the database gives exactly the cases the same filter picks case by case, whichever database
/// is under it: every filter, the caller's scope, paging, and the late ones at several moments.
/// </summary>
public sealed class CaseStoreTests : IDisposable
{
    private readonly ClockedServer _server = new();

    private ICaseStore Cases => _server.Services.GetRequiredService<ICaseStore>();

    [Fact]
    public async Task ListCases_EachFilter_GivesTheMatchingCases_NewestFirst_AcrossPages()
    {
        var all = await SeedAsync();
        var now = _server.Clock.GetUtcNow();
        var queries = new (CaseQuery Query, Func<BadReviewCase, bool> Matches)[]
        {
            (new CaseQuery([]), _ => true),
            (new CaseQuery([CaseState.New]), c => c.State == CaseState.New),
            (new CaseQuery([CaseState.Closed, CaseState.Assigned]), c => c.State is CaseState.Closed or CaseState.Assigned),
            (new CaseQuery([], DepartmentCode: "XZSP"), c => (c.AssignedDepartmentCode ?? c.DepartmentCode) == "XZSP"),
            (new CaseQuery([], WindowCode: "A01"), c => c.WindowCode == "A01"),
            (new CaseQuery([], HallCode: ServerFactory.HallCode), c => c.HallCode == ServerFactory.HallCode),
            (new CaseQuery([], HallCode: "no-such-hall"), _ => false),
            (new CaseQuery([], SeenByDepartment: "XZSP"), c => c.AssignedDepartmentCode == "XZSP" || c.DepartmentCode == "XZSP"),
            (new CaseQuery([], DueBefore: now), c => c.State != CaseState.Closed && (c.Deadlines.ContactDue < now || c.Deadlines.RectificationDue < now)),
            (new CaseQuery([CaseState.New], DepartmentCode: "XZSP", HallCode: ServerFactory.HallCode, DueBefore: now.AddDays(30)),
                c => c.State == CaseState.New && (c.AssignedDepartmentCode ?? c.DepartmentCode) == "XZSP" && c.HallCode == ServerFactory.HallCode),
        };

        foreach (var (query, matches) in queries)
        {
            var expected = all.Where(matches)
                .OrderByDescending(c => c.ReceivedAt.ToUnixTimeMilliseconds()).ThenBy(c => c.Id.ToString(), StringComparer.Ordinal)
                .Select(c => c.Id).ToList();
            var listed = new List<Guid>();
            var page = await Cases.ListCasesAsync(query with { Limit = 7 }, CancellationToken.None);
            listed.AddRange(page.Cases.Select(c => c.Id));
            while (page.Next is not null)
            {
                page = await Cases.ListCasesAsync(query with { Limit = 7, After = page.Next }, CancellationToken.None);
                listed.AddRange(page.Cases.Select(c => c.Id));
            }

            Assert.Equal(expected, listed);
        }
    }

    [Fact]
    public async Task WorkflowList_LateOnly_GivesTheCasesWhoseDeadlinesSaySo_WithinTheCallersScope()
    {
        var all = await SeedAsync();
        var workflow = _server.Services.GetRequiredService<CaseWorkflow>();
        var accounts = new[]
        {
            new StaffAccount(Guid.NewGuid(), "manager", "manager", StaffRole.HallManager, null, ServerFactory.HallCode, ""),
            new StaffAccount(Guid.NewGuid(), "handler", "handler", StaffRole.DepartmentHandler, "XZSP", null, ""),
            new StaffAccount(Guid.NewGuid(), "supervisor", "supervisor", StaffRole.Supervisor, null, null, ""),
        };
        // Right after the ratings, then at each of the next days: deadlines come due soon, then pass.
        for (var day = 0; day < 8; day++)
        {
            var now = _server.Clock.GetUtcNow();
            foreach (var account in accounts)
            {
                foreach (var (dueSoonToo, limit) in new[] { (false, 200), (true, 200), (true, 3) })
                {
                    var filter = new CaseFilter([], null, null, OverdueOnly: true, DueSoonToo: dueSoonToo, Limit: limit);
                    var expected = all.Where(account.MaySee)
                        .Where(c => IsLate(c.DeadlineStatusAt(now, workflow.Limits), dueSoonToo))
                        .OrderByDescending(c => c.ReceivedAt.ToUnixTimeMilliseconds()).ThenBy(c => c.Id.ToString(), StringComparer.Ordinal)
                        .Take(limit).Select(c => c.Id).ToList();
                    var listed = await workflow.ListAsync(account, filter, CancellationToken.None);
                    Assert.Equal(expected, listed.Select(x => x.Case.Id));
                }
            }

            _server.Clock.Advance(TimeSpan.FromDays(1));
        }
    }

    private static bool IsLate(CaseDeadlineReport report, bool dueSoonToo) =>
        report.Contact == DeadlineStatus.Overdue || report.Rectification == DeadlineStatus.Overdue
        || (dueSoonToo && (report.Contact == DeadlineStatus.DueSoon || report.Rectification == DeadlineStatus.DueSoon));

    /// <summary>Closed and open cases from the history, and new ones just now; returns every case stored.</summary>
    private async Task<IReadOnlyList<BadReviewCase>> SeedAsync()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(1_500, 20, badPerMille: 120, seed: 5, CancellationToken.None);
        var client = _server.CreateRatingClient();
        foreach (var window in new[] { "A01", "A02", "A01" })
        {
            var r = ServerFactory.GoodRating();
            r.WindowCode = window;
            r.Level = Protos.V1.RatingLevel.VeryDissatisfied;
            r.Text = "窗口无人";
            await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { r } });
        }

        var all = await Cases.ListCasesRatedAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.UtcNow.AddYears(1), CancellationToken.None);
        Assert.True(all.Count > 50 && all.Any(c => c.State == CaseState.New) && all.Any(c => c.State == CaseState.Closed));
        return all;
    }

    public void Dispose() => _server.Dispose();

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
}
