using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Disclosure;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class PublicationTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    /// <summary>The real server with a clock that starts on 2026-07-01 and that the test moves.</summary>
    private sealed class QuarterServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 7, 1, 9, 0, 0, China));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Disclosure:MinimumSample", "1");
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    /// <summary>A deterministic quarter: 1–4 ratings a day over 2026 Q3, about one in six a 差评 (with a reason).</summary>
    private static async Task<(int Quarter, int September, int SeptemberBad)> SeedQuarterAsync(QuarterServer server)
    {
        var random = new Random(20260701);
        var client = server.CreateRatingClient();
        var (quarter, september, septemberBad) = (0, 0, 0);
        for (var day = new DateTimeOffset(2026, 7, 1, 10, 0, 0, China); day.Month <= 9; day = day.AddDays(1))
        {
            server.Clock.SetUtcNow(day);
            var request = new SubmitRatingsRequest();
            for (var i = random.Next(1, 5); i > 0; i--)
            {
                var rating = RatingAt(day);
                rating.Level = (RatingLevel)(random.Next(6) == 0 ? 5 : random.Next(1, 4));
                if (rating.Level == RatingLevel.VeryDissatisfied)
                {
                    rating.Text = "等候时间过长，联系电话13900001111";
                    septemberBad += day.Month == 9 ? 1 : 0;
                }

                request.Ratings.Add(rating);
            }

            await client.SubmitRatingsAsync(request);
            quarter += request.Ratings.Count;
            september += day.Month == 9 ? request.Ratings.Count : 0;
        }

        return (quarter, september, septemberBad);
    }

    private static RatingSubmission RatingAt(DateTimeOffset at)
    {
        var rating = ServerFactory.GoodRating();
        rating.RatedAt = Timestamp.FromDateTimeOffset(at);
        return rating;
    }

    private static Dictionary<string, JsonElement> Headline(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("content").GetProperty("headline").EnumerateArray()
            .ToDictionary(i => i.GetProperty("code").GetString()!);

    [Fact]
    public async Task PublishedQuarter_FrozenAgainstLaterData_CorrectedAsVersionTwo_SameNumbersInEveryExport()
    {
        using var server = new QuarterServer();
        var (quarter, september, septemberBad) = await SeedQuarterAsync(server);

        server.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 21, 9, 0, 0, China));
        await server.Services.DraftAndApproveClosedPeriodsAsync();
        var disclosure = new DisclosureService.DisclosureServiceClient(server.CreateChannel());
        var list = (await disclosure.ListPublicationsAsync(new ListPublicationsRequest())).Publications;

        Assert.Single(list, p => p.PeriodKey == "2026-Q3" && p.Version == 1);
        Assert.Single(list, p => p.PeriodKey == "2026-09" && p.Version == 1);
        // Every closed month since the first rating (2026-07-01), none before it.
        Assert.Equal(["2026-07", "2026-08", "2026-09", "2026-Q3"], list.Select(p => p.PeriodKey).Order(StringComparer.Ordinal));
        var q3 = await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-Q3" });
        Assert.Equal(quarter, Headline(q3.ContentJson)["rating_count"].GetProperty("numerator").GetInt32());
        var sep = await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" });
        Assert.Equal(september, Headline(sep.ContentJson)["rating_count"].GetProperty("numerator").GetInt32());
        Assert.Equal("2026年9月", sep.Header.PeriodLabel);
        // The trend starts at the first month with ratings.
        Assert.Equal(
            ["2026-07", "2026-08", "2026-09"],
            JsonDocument.Parse(sep.ContentJson).RootElement.GetProperty("content").GetProperty("trend").EnumerateArray()
                .Select(t => t.GetProperty("periodKey").GetString()));

        // Every 差评 of the month is listed, de-identified.
        var badReviews = JsonDocument.Parse(sep.ContentJson).RootElement.GetProperty("content").GetProperty("badReviews");
        Assert.Equal(septemberBad, badReviews.GetArrayLength());
        Assert.DoesNotContain("13900001111", sep.ContentJson, StringComparison.Ordinal);
        Assert.Contains("[电话已隐去]", sep.ContentJson, StringComparison.Ordinal);

        // Late ratings of September arrive after publication: version 1 does not move; the next run corrects September as
        // version 2, which counts them and says how many arrived later.
        server.Clock.Advance(TimeSpan.FromHours(2));
        var late = new SubmitRatingsRequest();
        late.Ratings.AddRange(Enumerable.Range(0, 5).Select(_ => RatingAt(new DateTimeOffset(2026, 9, 30, 16, 0, 0, China))));
        await server.CreateRatingClient().SubmitRatingsAsync(late);
        await server.Services.DraftAndApproveClosedPeriodsAsync();
        var v2 = await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" });
        Assert.Equal(2, v2.Header.Version);
        Assert.Contains("期后收到迟到评价 5 条", v2.Header.Correction, StringComparison.Ordinal);
        Assert.Contains($"评价数 {september} → {september + 5}", v2.Header.Correction, StringComparison.Ordinal);
        Assert.Equal(5, JsonDocument.Parse(v2.ContentJson).RootElement.GetProperty("content").GetProperty("publishedLater").GetInt32());
        Assert.Equal(sep.ContentJson, (await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09", Version = 1 })).ContentJson);
        // Nothing new arrived: the next run corrects nothing.
        await server.Services.DraftAndApproveClosedPeriodsAsync();
        Assert.Equal(2, (await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" })).Header.Version);

        // A supervisor corrects it: version 3 says why and what changed; the earlier versions stay as they were.
        await server.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
            "supervisor", "督办", DomainRole.Supervisor, null, "a long supervisor password", CancellationToken.None);
        var token = (await new AccountService.AccountServiceClient(server.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "supervisor", Password = "a long supervisor password" })).AccessToken;
        var corrected = await disclosure.CorrectPublicationAsync(
            new CorrectPublicationRequest { PeriodKey = "2026-09", Reason = "复核差评分类" },
            new Metadata { { "authorization", "Bearer " + token } });

        // The correction is a draft until the 政务公开 officer approves it.
        Assert.Equal(3, corrected.Header.Version);
        Assert.DoesNotContain((await disclosure.ListPublicationsAsync(new ListPublicationsRequest())).Publications, p => p.Version == 3);
        Assert.Equal(3, Assert.Single(await server.Services.ApproveDraftsAsync()).Version);
        Assert.Contains("复核差评分类。变化：主要指标无变化", corrected.Header.Correction, StringComparison.Ordinal);
        var v1 = await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09", Version = 1 });
        Assert.Equal(sep.ContentJson, v1.ContentJson);

        // Open data: the JSON file is the document the RPC serves; the CSV tables carry the same numbers.
        var http = server.CreateClient();
        Assert.Equal(sep.ContentJson, await http.GetStringAsync("/open-data/publications/2026-09/v1.json"));
        var indicators = (await http.GetStringAsync("/open-data/publications/2026-09/v2/indicators.csv")).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("code,name,formula,numerator,denominator,percent,insufficient_sample,display", indicators[0]);
        Assert.StartsWith($"rating_count,评价数,", indicators[1], StringComparison.Ordinal);
        Assert.Contains($",{september + 5},,,false,{september + 5}", indicators[1], StringComparison.Ordinal);
        // Every rate of the ranked tables comes with its numerator and denominator; each 差评 with its outcome.
        Assert.EndsWith(
            "rectified_in_time_rate,good_ratings,bad_due,rectified_in_time",
            (await http.GetStringAsync("/open-data/publications/2026-09/v2/departments.csv")).TrimStart('\uFEFF').Split("\r\n")[0],
            StringComparison.Ordinal);
        Assert.EndsWith(
            "outcome,disposition,what_was_done,rectified_on,working_days_taken,on_time,called_back,citizen_verdict",
            (await http.GetStringAsync("/open-data/publications/2026-09/v2/bad-reviews.csv")).TrimStart('\uFEFF').Split("\r\n")[0],
            StringComparison.Ordinal);
        foreach (var table in OpenData.Tables)
        {
            var response = await http.GetAsync($"/open-data/publications/2026-09/v2/{table}.csv");
            Assert.True(response.IsSuccessStatusCode, table);
        }

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/open-data/publications/2026-09/v4.json")).StatusCode);
    }

    [Fact]
    public async Task HideRatingText_ByAModerator_TextKeptOutButTheRatingCounted()
    {
        using var server = new QuarterServer();
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 9, 20, 10, 0, 0, China));
        var bad = RatingAt(server.Clock.GetUtcNow());
        bad.Level = RatingLevel.Dissatisfied;
        bad.Text = "这条文字含有不宜公开的内容";
        await server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { bad } });
        var signIn = server.Services.GetRequiredService<StaffSignIn>();
        await signIn.CreateAccountAsync("moderator", "审核", DomainRole.Moderator, null, "a long moderator password", CancellationToken.None);
        await signIn.CreateAccountAsync("manager", "主任", DomainRole.HallManager, null, "a long manager password", CancellationToken.None);
        var accounts = new AccountService.AccountServiceClient(server.CreateChannel());
        async Task<Metadata> Token(string user, string password) =>
            new() { { "authorization", "Bearer " + (await accounts.SignInAsync(new SignInRequest { UserName = user, Password = password })).AccessToken } };
        var disclosure = new DisclosureService.DisclosureServiceClient(server.CreateChannel());
        var hide = new HideRatingTextRequest { RatingId = bad.RatingId, Reason = "含他人隐私" };

        var denied = await Assert.ThrowsAsync<RpcException>(
            async () => await disclosure.HideRatingTextAsync(hide, await Token("manager", "a long manager password")));
        await disclosure.HideRatingTextAsync(hide, await Token("moderator", "a long moderator password"));
        server.Clock.SetUtcNow(new DateTimeOffset(2026, 10, 21, 9, 0, 0, China));
        await server.Services.DraftAndApproveClosedPeriodsAsync();
        var sep = (await disclosure.GetPublicationAsync(new GetPublicationRequest { PeriodKey = "2026-09" })).ContentJson;

        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        Assert.DoesNotContain("不宜公开", sep, StringComparison.Ordinal);
        Assert.Contains(PublicationBuilder.HiddenText, sep, StringComparison.Ordinal);
        Assert.Equal(1, Headline(sep)["rating_count"].GetProperty("numerator").GetInt32());
    }

    [Fact]
    public async Task CorrectPublication_NotASupervisor_PermissionDenied()
    {
        using var server = new QuarterServer();
        await server.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
            "manager", "主任", DomainRole.HallManager, null, "a long manager password", CancellationToken.None);
        var token = (await new AccountService.AccountServiceClient(server.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "manager", Password = "a long manager password" })).AccessToken;
        var disclosure = new DisclosureService.DisclosureServiceClient(server.CreateChannel());

        var e = await Assert.ThrowsAsync<RpcException>(() => disclosure.CorrectPublicationAsync(
            new CorrectPublicationRequest { PeriodKey = "2026-06", Reason = "试一试" },
            new Metadata { { "authorization", "Bearer " + token } }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
    }
}
