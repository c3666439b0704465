using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Net.Client;
using Microsoft.Playwright;
using ServiceHall.Protos.V1;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace ServiceHall.EndToEnd.Tests;

/// <summary>Two server instances on one PostgreSQL database: kiosks on either, the dashboard on one.</summary>
public sealed class MultiInstanceTests(TwoInstances servers, ITestOutputHelper output) : IClassFixture<TwoInstances>
{
    [Fact]
    public async Task RatingsSpreadOverBothInstances_RetriedAgainstTheOther_EachStoredOnce()
    {
        var ratings = Enumerable.Range(0, 100).Select(i => TwoInstances.Rating(
            i % 10 == 0 ? Protos.V1.RatingLevel.VeryDissatisfied : Protos.V1.RatingLevel.VerySatisfied)).ToList();
        var toA = ratings.Take(50).ToList();
        var toB = ratings.Skip(50).ToList();

        // Kiosks spread over both instances...
        Assert.All(await SubmitAsync(servers.A, toA), r => Assert.Equal(RatingOutcome.Stored, r.Outcome));
        Assert.All(await SubmitAsync(servers.B, toB), r => Assert.Equal(RatingOutcome.Stored, r.Outcome));
        // ...a kiosk that lost the answer retries against the other one...
        Assert.All(await SubmitAsync(servers.B, toA), r => Assert.Equal(RatingOutcome.AlreadyStored, r.Outcome));
        Assert.All(await SubmitAsync(servers.A, toB), r => Assert.Equal(RatingOutcome.AlreadyStored, r.Outcome));
        // ...and the same batch sent to both at once is stored by exactly one of them.
        var twice = Enumerable.Range(0, 50).Select(_ => TwoInstances.Rating()).ToList();
        var answers = await Task.WhenAll(SubmitAsync(servers.A, twice), SubmitAsync(servers.B, twice));
        for (var i = 0; i < twice.Count; i++)
        {
            Assert.Equal(1, answers.Count(a => a[i].Outcome == RatingOutcome.Stored));
            Assert.Equal(1, answers.Count(a => a[i].Outcome == RatingOutcome.AlreadyStored));
        }

        var ids = string.Join(',', ratings.Concat(twice).Select(r => $"'{r.RatingId}'"));
        Assert.Equal(150, await servers.ScalarAsync($"SELECT COUNT(*) FROM ratings WHERE id IN ({ids})"));
        Assert.Equal(150, await servers.ScalarAsync($"SELECT COUNT(DISTINCT id) FROM ratings WHERE id IN ({ids})"));
        // Each 差评 opened exactly one case, whichever instance stored it.
        Assert.Equal(10, await servers.ScalarAsync($"SELECT COUNT(*) FROM cases WHERE rating_id IN ({ids})"));
    }

    [Fact]
    public async Task DashboardOnOneInstance_SeesARatingStoredAtTheOtherWithinTwoSeconds()
    {
        // The dashboard's own mechanism, timed: the live stream of instance A while a rating is stored at B.
        using var channel = GrpcChannel.ForAddress(servers.A.Grpc);
        using var watch = new LiveFiguresService.LiveFiguresServiceClient(channel)
            .WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = TwoInstances.HallCode });
        Assert.True(await watch.ResponseStream.MoveNext(CancellationToken.None));
        var before = watch.ResponseStream.Current.BadCount;

        var stored = Stopwatch.StartNew();
        Assert.Equal(RatingOutcome.Stored, (await SubmitAsync(servers.B, [TwoInstances.Rating(Protos.V1.RatingLevel.Dissatisfied)])).Single().Outcome);
        stored.Restart();
        using var twoSeconds = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var seen = false;
        while (!seen && await watch.ResponseStream.MoveNext(twoSeconds.Token))
        {
            seen = watch.ResponseStream.Current.BadCount == before + 1;
        }

        output.WriteLine($"stored at B → A's live stream showed it: {stored.ElapsedMilliseconds} ms");
        Assert.True(seen, servers.Logs);

        // And the dashboard process itself, attached to A, shows the next one stored at B.
        var web = AppProcess.FreePort();
        await using var dashboard = await AppProcess.StartAsync("ServiceHall.Dashboard", new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{web}/",
            ["Urls"] = $"http://127.0.0.1:{web}/",
            ["Dashboard__ServerAddress"] = servers.A.Grpc.ToString(),
            ["Dashboard__HallCode"] = TwoInstances.HallCode,
        }, new Uri($"http://127.0.0.1:{web}/"));
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1920, Height = 1080 }, Locale = "zh-CN" });
        await page.GotoAsync($"http://127.0.0.1:{web}/");
        var badCount = page.GetByTestId("bad-count");
        await Expect(badCount).ToHaveTextAsync(new Regex($"^{before + 1}\\b"), new() { Timeout = 20_000 });

        await SubmitAsync(servers.B, [TwoInstances.Rating(Protos.V1.RatingLevel.VeryDissatisfied)]);
        var shown = Stopwatch.StartNew();
        await Expect(badCount).ToHaveTextAsync(new Regex($"^{before + 2}\\b"), new() { Timeout = 10_000 });
        output.WriteLine($"stored at B → dashboard on A showed it: {shown.ElapsedMilliseconds} ms");
    }

    private async Task<IReadOnlyList<RatingResult>> SubmitAsync(Instance instance, IEnumerable<RatingSubmission> ratings) =>
        (await servers.RatingClient(instance).SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ratings } })).Results;
}

/// <summary>The scheduled jobs of two instances on one database: one runs them, the other stands by and takes over.</summary>
public sealed class JobLeadershipTests(TwoInstances servers) : IClassFixture<TwoInstances>
{
    private const string Leads = "This instance runs the scheduled jobs";

    [Fact]
    public async Task ScheduledJobs_RunOnOneInstanceOnly_AndMoveToTheOtherWhenItStops()
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !(servers.A.App.HasPrinted(Leads) || servers.B.App.HasPrinted(Leads)))
        {
            await Task.Delay(200);
        }

        var leader = servers.A.App.HasPrinted(Leads) ? servers.A : servers.B;
        var standby = leader == servers.A ? servers.B : servers.A;
        Assert.True(leader.App.HasPrinted(Leads), servers.Logs);
        Assert.False(standby.App.HasPrinted(Leads), servers.Logs);
        Assert.True(standby.App.HasPrinted("stands by"), servers.Logs);
        // The publication job ran once: every period whose figures are final (the history's months and quarter), each
        // drafted once for review, by the leader only.
        await WaitForAsync(async () => await servers.ScalarAsync("SELECT COUNT(*) FROM disclosure_drafts") >= 3, servers.Logs);
        var drafts = await servers.ScalarAsync("SELECT COUNT(*) FROM disclosure_drafts");
        Assert.True(drafts >= 3, $"{drafts} drafts");
        Assert.Equal(drafts, await servers.ScalarAsync("SELECT COUNT(DISTINCT period_key) FROM disclosure_drafts"));
        Assert.False(standby.App.HasPrinted("drafted"), servers.Logs);

        await leader.App.DisposeAsync();
        await WaitForAsync(() => Task.FromResult(standby.App.HasPrinted(Leads)), servers.Logs);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string logs)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail("not within 20 s:\n" + logs);
    }
}
