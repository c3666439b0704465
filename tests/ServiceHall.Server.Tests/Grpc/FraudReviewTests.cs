using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Accounts;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Live;
using ServiceHall.Server.Ratings;
using Dom = ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// Anti-fraud with a person in the loop, on the real server and store: the scan flags each pattern, a reviewer keeps or
/// excludes, and an exclusion takes the rating out of the figures and is stated in the publication.
/// </summary>
public sealed class FraudReviewTests : IDisposable
{
    private sealed class ClockedServer : ServerFactory
    {
        public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow.AddHours(-3));

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }

    private readonly ClockedServer _server = new();

    public void Dispose() => _server.Dispose();

    private DateTimeOffset Now => _server.Clock.GetUtcNow();

    private RatingSubmission Rated(int minutesAgo, string window = "A01")
    {
        var rating = ServerFactory.GoodRating();
        rating.WindowCode = window;
        rating.RatedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-minutesAgo));
        return rating;
    }

    private static RatingSubmission Bad(RatingSubmission rating, string text)
    {
        rating.Level = RatingLevel.VeryDissatisfied;
        rating.Text = text;
        return rating;
    }

    private async Task SubmitAsync(string credential, params RatingSubmission[] ratings)
    {
        var results = (await _server.CreateRatingClient(credential).SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { ratings } })).Results;
        Assert.All(results, r => Assert.Equal(RatingOutcome.Stored, r.Outcome));
    }

    private async Task<int> ScanAsync()
    {
        _server.Clock.Advance(FraudScan.Settle + TimeSpan.FromSeconds(1));
        return await _server.Services.GetRequiredService<FraudScan>().ScanAsync(CancellationToken.None);
    }

    private async Task<RatingReviewService.RatingReviewServiceClient> ReviewerAsync(string user, Dom.StaffRole role, string? hall = null)
    {
        await _server.Services.GetRequiredService<StaffSignIn>().CreateAccountAsync(
            user, user, role, role == Dom.StaffRole.DepartmentHandler ? "RSJ" : null, "a long reviewer password", CancellationToken.None, hall);
        var token = (await new AccountService.AccountServiceClient(_server.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = user, Password = "a long reviewer password" })).AccessToken;
        return new(_server.CreateChannel().CreateCallInvoker().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + token);
            return m;
        }));
    }

    private long FlagsOf(string ratingId) =>
        _server.Scalar("SELECT COUNT(*) FROM rating_flags WHERE rating_id = @id", ("id", ratingId));

    private long Pattern(string ratingId) =>
        _server.Scalar("SELECT pattern FROM rating_flags WHERE rating_id = @id", ("id", ratingId));

    [Fact]
    public async Task Scan_FlagsEachPattern_AndNothingElse()
    {
        var catalog = await new CatalogService.CatalogServiceClient(_server.CreateChannel())
            .GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });
        var staffId = catalog.Windows.Single(w => w.Code == "A01").Staff[0].StaffId;
        var burst = _server.EnrollKiosk("kiosk-burst", ServerFactory.HallCode);
        var calm = _server.EnrollKiosk("kiosk-calm", ServerFactory.HallCode);
        _server.EnrollKiosk("pad-a02", ServerFactory.HallCode, Dom.DeviceKind.WindowPad, "A02");
        _server.Clock.Advance(TimeSpan.FromHours(2));

        // 1. Five ratings from one device within a minute; the fifth reaches the threshold.
        var burstRatings = Enumerable.Range(0, 5).Select(i => Rated(100).Also(r => r.RatedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-100).AddSeconds(i * 10)))).ToArray();
        await SubmitAsync(burst, burstRatings);
        // 2. One callback number on four ratings, minutes apart.
        var phoneRatings = Enumerable.Range(0, 4).Select(i => Rated(90 - (i * 5)).Also(r => r.CallbackPhone = "13812345678")).ToArray();
        await SubmitAsync(calm, phoneRatings);
        // 3. The same complaint three times, written a little differently.
        var texts = new[] { "排队太久了，窗口只开了一个！", "排队 太久了 窗口只开了一个", "排队太久了窗口只开了一个。。" };
        var textRatings = texts.Select((t, i) => Rated(60 - (i * 5)).Also(r => r.Text = t)).ToArray();
        await SubmitAsync(calm, textRatings);
        // 4. Three 差评 against one member of staff.
        var staffRatings = Enumerable.Range(0, 3).Select(i => Bad(Rated(40 - (i * 5)), $"第{i}次：办事拖拉").Also(r => r.StaffId = staffId)).ToArray();
        await SubmitAsync(calm, staffRatings);
        // 5. A rating of window A02, which has a pad, without its transaction.
        var unlinked = Rated(10, window: "A02");
        await SubmitAsync(calm, unlinked);

        await ScanAsync();

        Assert.Equal(1, FlagsOf(burstRatings[4].RatingId));
        Assert.Equal((long)Dom.FraudPattern.DeviceBurst, Pattern(burstRatings[4].RatingId));
        Assert.Equal(0, FlagsOf(burstRatings[3].RatingId));
        Assert.Equal([0L, 0L, 0L, 1L], phoneRatings.Select(r => FlagsOf(r.RatingId)));
        Assert.Equal((long)Dom.FraudPattern.RepeatedPhone, Pattern(phoneRatings[3].RatingId));
        Assert.Equal([0L, 0L, 1L], textRatings.Select(r => FlagsOf(r.RatingId)));
        Assert.Equal((long)Dom.FraudPattern.RepeatedText, Pattern(textRatings[2].RatingId));
        Assert.Equal([0L, 0L, 1L], staffRatings.Select(r => FlagsOf(r.RatingId)));
        Assert.Equal((long)Dom.FraudPattern.StaffTargeted, Pattern(staffRatings[2].RatingId));
        Assert.Equal((long)Dom.FraudPattern.NoTransactionAtPadWindow, Pattern(unlinked.RatingId));
        Assert.Equal(5, _server.Scalar("SELECT COUNT(*) FROM rating_flags"));
        // The callback number is kept only encrypted and as its keyed hash: never in clear beside the flags.
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM rating_phone_keys WHERE phone_key LIKE '%12345678%'"));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM rating_flags WHERE detail LIKE '%1234%5678%'"));

        // A second scan finds nothing new and raises nothing twice.
        Assert.Equal(0, await ScanAsync());
    }

    [Fact]
    public async Task Exclusion_ByAReviewer_TakesTheRatingOutOfTheFigures_AndThePublicationSaysWhy()
    {
        var calm = _server.EnrollKiosk("kiosk-texts", ServerFactory.HallCode);
        _server.Clock.Advance(TimeSpan.FromHours(1));
        var repeated = Enumerable.Range(0, 4).Select(i => Rated(50 - (i * 5)).Also(r => r.Text = "这个窗口的服务真的非常好值得表扬")).ToArray();
        await SubmitAsync(calm, repeated);
        await ScanAsync();
        var indicators = _server.Services.GetRequiredService<IndicatorQuery>();
        var clock = _server.Services.GetRequiredService<DistrictClock>();
        var day = clock.LocalDay(repeated[0].RatedAt.ToDateTimeOffset());
        var before = await indicators.CountAsync(Dom.Scope.District, day, day, CancellationToken.None);

        var moderator = await ReviewerAsync("fraud-moderator", Dom.StaffRole.Moderator);
        var queue = (await moderator.ListFlaggedRatingsAsync(new ListFlaggedRatingsRequest())).Ratings;
        // The third and fourth time the text was seen (flagged in one scan: any order).
        Assert.Equal(
            new[] { repeated[2].RatingId, repeated[3].RatingId }.Order(StringComparer.Ordinal),
            queue.Select(r => r.RatingId).Order(StringComparer.Ordinal));
        Assert.All(queue, r => Assert.Equal(FraudPattern.RepeatedText, Assert.Single(r.Flags).Pattern));

        // Flagged but not yet decided: it counts.
        Assert.Equal(4, before.Levels.Total);
        await moderator.DecideFlaggedRatingAsync(new DecideFlaggedRatingRequest
        {
            RatingId = repeated[2].RatingId, Exclude = true, Reason = ExclusionReason.Fabricated, Note = "同一设备同一文字，核实为刷评",
        });
        await moderator.DecideFlaggedRatingAsync(new DecideFlaggedRatingRequest { RatingId = repeated[3].RatingId, Exclude = false, Note = "核实为不同市民" });

        var after = await indicators.CountAsync(Dom.Scope.District, day, day, CancellationToken.None);
        Assert.Equal(before.Levels.Total - 1, after.Levels.Total);
        Assert.Equal(before.ActiveRatings - 1, after.ActiveRatings);
        Assert.Empty((await moderator.ListFlaggedRatingsAsync(new ListFlaggedRatingsRequest())).Ratings);
        Assert.Equal(1, _server.Scalar(
            "SELECT COUNT(*) FROM rating_reviews WHERE rating_id = @id AND excluded = 1 AND reason = 1 AND reviewed_at_ms > 0", ("id", repeated[2].RatingId)));

        var period = Dom.Period.Containing(Dom.PeriodKind.Month, day);
        var published = await _server.Services.GetRequiredService<PublicationBuilder>().BuildAsync(period, CancellationToken.None);
        var excluded = Assert.Single(published.ExcludedRatings!);
        Assert.Equal((Dom.FraudPatterns.Label(Dom.ExclusionReason.Fabricated), 1), (excluded.Label, excluded.Count));
        Assert.Equal(after.Levels.Total, published.Levels.Sum(l => l.Count));
    }

    [Fact]
    public async Task Decide_OnlyReviewers_OncePerRating_WithAReasonToExclude()
    {
        var calm = _server.EnrollKiosk("kiosk-decide", ServerFactory.HallCode);
        _server.Clock.Advance(TimeSpan.FromHours(1));
        var repeated = Enumerable.Range(0, 3).Select(i => Rated(30 - i).Also(r => r.Text = "同样的一段评价文字出现三次")).ToArray();
        await SubmitAsync(calm, repeated);
        await ScanAsync();
        var flagged = repeated[2].RatingId;
        var handler = await ReviewerAsync("fraud-handler", Dom.StaffRole.DepartmentHandler);
        var supervisor = await ReviewerAsync("fraud-supervisor", Dom.StaffRole.Supervisor, ServerFactory.HallCode);
        var otherHall = await ReviewerAsync("fraud-street", Dom.StaffRole.Supervisor, "370104-ZZLJD");

        var byHandler = await Assert.ThrowsAsync<RpcException>(
            () => handler.ListFlaggedRatingsAsync(new ListFlaggedRatingsRequest()).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() => supervisor.DecideFlaggedRatingAsync(
            new DecideFlaggedRatingRequest { RatingId = flagged, Exclude = true, Note = "刷评" }).ResponseAsync);
        var notFlagged = await Assert.ThrowsAsync<RpcException>(() => supervisor.DecideFlaggedRatingAsync(
            new DecideFlaggedRatingRequest { RatingId = repeated[0].RatingId, Exclude = false }).ResponseAsync);
        var ofAnotherHall = await Assert.ThrowsAsync<RpcException>(() => otherHall.DecideFlaggedRatingAsync(
            new DecideFlaggedRatingRequest { RatingId = flagged, Exclude = false }).ResponseAsync);
        Assert.Empty((await otherHall.ListFlaggedRatingsAsync(new ListFlaggedRatingsRequest())).Ratings);
        await supervisor.DecideFlaggedRatingAsync(new DecideFlaggedRatingRequest
        {
            RatingId = flagged, Exclude = true, Reason = ExclusionReason.Duplicate, Note = "同一市民重复提交",
        });
        var twice = await Assert.ThrowsAsync<RpcException>(() => supervisor.DecideFlaggedRatingAsync(
            new DecideFlaggedRatingRequest { RatingId = flagged, Exclude = false }).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, byHandler.StatusCode);
        Assert.Equal((StatusCode.InvalidArgument, "reason"), (noReason.StatusCode, Assert.Single(noReason.FieldsAtFault())));
        Assert.Equal(StatusCode.NotFound, notFlagged.StatusCode);
        Assert.Equal(StatusCode.NotFound, ofAnotherHall.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, twice.StatusCode);
        Assert.Equal(1, _server.Scalar("SELECT COUNT(*) FROM rating_reviews"));
        Assert.Equal(1, _server.Scalar("SELECT excluded FROM rating_reviews WHERE rating_id = @id", ("id", flagged)));
    }
}

internal static class TestObjects
{
    /// <summary>The object after an action on it, for building test data inline.</summary>
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}
