using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Live;
using Dom = ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// 追评 through the receipt's short code, once per rating; and system defaults relayed by a window's business system,
/// stored as not active so 主动评价率 counts only what citizens chose (docs/rules/ratings.md#active-ratings).
/// </summary>
public sealed class FollowUpAndActiveTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private (RatingService.RatingServiceClient Ratings, TransactionService.TransactionServiceClient Transactions) Device(
        string deviceId, Dom.DeviceKind kind, string? window = null)
    {
        var credential = factory.EnrollKiosk(deviceId, ServerFactory.HallCode, kind, window);
        var invoker = factory.CreateChannel().CreateCallInvoker().Intercept(m =>
        {
            m.Add("authorization", "Bearer " + credential);
            return m;
        });
        return (new RatingService.RatingServiceClient(invoker), new TransactionService.TransactionServiceClient(invoker));
    }

    private async Task<(string Number, string ShortCode, string ItemCode)> FinishedAsync(string number, string window = "A01")
    {
        var catalog = await new CatalogService.CatalogServiceClient(factory.CreateChannel())
            .GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });
        var item = catalog.ServiceItems.First(i => i.WindowCodes.Contains(window)).Code;
        var system = Device("system-" + number, Dom.DeviceKind.WindowSystem);
        var answer = await system.Transactions.CompleteTransactionAsync(new CompleteTransactionRequest
        {
            TransactionNumber = number, HallCode = ServerFactory.HallCode, WindowCode = window, ServiceItemCode = item,
        });
        return (number, answer.ShortCode, item);
    }

    private static AddFollowUpRequest FollowUp(string shortCode, string text = "后来窗口主动打电话告知了进度，点赞") => new()
    {
        FollowUpId = Guid.NewGuid().ToString(), ShortCode = shortCode, Text = text, WrittenAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
    };

    [Fact]
    public async Task AddFollowUp_OncePerRating_RetrySafe_FiguresUnchanged()
    {
        var terminal = Device("terminal-followup", Dom.DeviceKind.HallTerminal);
        var (number, code, item) = await FinishedAsync("FU-1");
        var rating = ServerFactory.GoodRating();
        rating.TransactionNumber = number;
        rating.ServiceItemCode = item;
        var notYet = await Assert.ThrowsAsync<RpcException>(() => terminal.Ratings.AddFollowUpAsync(FollowUp(code)).ResponseAsync);
        await terminal.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var ratingsBefore = factory.Scalar("SELECT COUNT(*) FROM ratings");

        var first = FollowUp(code.ToLowerInvariant());
        var stored = await terminal.Ratings.AddFollowUpAsync(first);
        var retried = await terminal.Ratings.AddFollowUpAsync(first);
        var second = await Assert.ThrowsAsync<RpcException>(() => terminal.Ratings.AddFollowUpAsync(FollowUp(code, "再追评一次")).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => terminal.Ratings.AddFollowUpAsync(FollowUp("ZZZZ2222")).ResponseAsync);
        var empty = await Assert.ThrowsAsync<RpcException>(() => terminal.Ratings.AddFollowUpAsync(FollowUp(code, "   ")).ResponseAsync);

        Assert.Equal((StatusCode.FailedPrecondition, Dom.FollowUp.NotRatedYet), (notYet.StatusCode, notYet.Status.Detail));
        Assert.Equal(FollowUpOutcome.Stored, stored.Outcome);
        Assert.Equal(FollowUpOutcome.AlreadyStored, retried.Outcome);
        Assert.Equal((StatusCode.FailedPrecondition, Dom.FollowUp.HasFollowUp), (second.StatusCode, second.Status.Detail));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("text", Assert.Single(empty.FieldsAtFault()));
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM rating_follow_ups WHERE rating_id = @id", ("id", rating.RatingId)));
        Assert.Equal(ratingsBefore, factory.Scalar("SELECT COUNT(*) FROM ratings"));
        Assert.Equal(1, factory.Scalar("SELECT COUNT(*) FROM ratings WHERE id = @id AND level = 1", ("id", rating.RatingId)));
    }

    [Fact]
    public async Task FollowUpOfABadReview_ShownOnItsCasePage()
    {
        var terminal = Device("terminal-followup-case", Dom.DeviceKind.HallTerminal);
        var (number, code, item) = await FinishedAsync("FU-CASE");
        var rating = ServerFactory.GoodRating();
        (rating.TransactionNumber, rating.ServiceItemCode, rating.Level, rating.Text) = (number, item, RatingLevel.Dissatisfied, "等了一个多小时");
        await terminal.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var followUp = FollowUp(code, "第二天窗口打电话道歉了，问题已解决");
        await terminal.Ratings.AddFollowUpAsync(followUp);

        await factory.Services.GetRequiredService<ServiceHall.Server.Accounts.StaffSignIn>().CreateAccountAsync(
            "followup-manager", "王主任", Dom.StaffRole.HallManager, null, "correct horse battery", CancellationToken.None, ServerFactory.HallCode);
        var token = (await new AccountService.AccountServiceClient(factory.CreateChannel())
            .SignInAsync(new SignInRequest { UserName = "followup-manager", Password = "correct horse battery" })).AccessToken;
        var manager = new Metadata { { "authorization", "Bearer " + token } };
        var cases = new CaseService.CaseServiceClient(factory.CreateChannel());
        var details = new List<GetCaseResponse>();
        foreach (var c in (await cases.ListCasesAsync(new ListCasesRequest(), manager)).Cases)
        {
            details.Add(await cases.GetCaseAsync(new GetCaseRequest { CaseId = c.CaseId }, manager));
        }

        var page = details.Single(d => d.Rating.RatingId == rating.RatingId);
        Assert.Equal("第二天窗口打电话道歉了，问题已解决", page.Rating.FollowUpText);
        // Stored to the millisecond.
        Assert.Equal(
            followUp.WrittenAt.ToDateTimeOffset().ToUnixTimeMilliseconds(), page.Rating.FollowUpWrittenAt.ToDateTimeOffset().ToUnixTimeMilliseconds());
        Assert.All(details.Where(d => d.Rating.RatingId != rating.RatingId), d => Assert.Equal("", d.Rating.FollowUpText));
    }

    [Fact]
    public async Task AddFollowUp_ByABusinessSystemOrAnotherWindowsPad_Refused()
    {
        var (number, code, item) = await FinishedAsync("FU-2", window: "A02");
        var pad = Device("pad-a02-followup", Dom.DeviceKind.WindowPad, "A02");
        var rating = ServerFactory.GoodRating();
        (rating.TransactionNumber, rating.ServiceItemCode, rating.WindowCode, rating.Channel) = (number, item, "A02", RatingChannel.HallPad);
        await pad.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });

        var system = await Assert.ThrowsAsync<RpcException>(
            () => Device("system-followup", Dom.DeviceKind.WindowSystem).Ratings.AddFollowUpAsync(FollowUp(code)).ResponseAsync);
        var otherPad = await Assert.ThrowsAsync<RpcException>(
            () => Device("pad-a01-followup", Dom.DeviceKind.WindowPad, "A01").Ratings.AddFollowUpAsync(FollowUp(code)).ResponseAsync);
        var own = await pad.Ratings.AddFollowUpAsync(FollowUp(code));

        Assert.Equal(StatusCode.PermissionDenied, system.StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, otherPad.StatusCode);
        Assert.Equal(FollowUpOutcome.Stored, own.Outcome);
    }

    [Fact]
    public async Task SystemDefault_FromTheBusinessSystem_StoredNotActive_AndLeavesTheActiveRate()
    {
        var (number, _, item) = await FinishedAsync("SD-1");
        var system = Device("system-defaults", Dom.DeviceKind.WindowSystem);
        var terminal = Device("terminal-defaults", Dom.DeviceKind.HallTerminal);
        var indicators = factory.Services.GetRequiredService<IndicatorQuery>();
        var today = factory.Services.GetRequiredService<DistrictClock>().LocalDay(DateTimeOffset.UtcNow);
        var before = await indicators.CountAsync(Dom.Scope.District, today, today, CancellationToken.None);
        RatingSubmission Default(RatingLevel level)
        {
            var rating = ServerFactory.GoodRating();
            (rating.TransactionNumber, rating.ServiceItemCode, rating.SystemDefault, rating.Channel, rating.Level) =
                (number, item, true, RatingChannel.Pc, level);
            return rating;
        }

        var fromTerminal = await Assert.ThrowsAsync<RpcException>(
            () => terminal.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { Default(RatingLevel.Satisfied) } }).ResponseAsync);
        var bad = (await system.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { Default(RatingLevel.VeryDissatisfied) } })).Results.Single();
        var good = Default(RatingLevel.Satisfied);
        var stored = (await system.Ratings.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { good } })).Results.Single();
        var after = await indicators.CountAsync(Dom.Scope.District, today, today, CancellationToken.None);

        Assert.Equal(StatusCode.PermissionDenied, fromTerminal.StatusCode);
        Assert.Equal((RatingOutcome.Rejected, "system_default"), (bad.Outcome, bad.Field));
        Assert.Equal(RatingOutcome.Stored, stored.Outcome);
        Assert.Equal(0, factory.Scalar("SELECT active FROM ratings WHERE id = @id", ("id", good.RatingId)));
        Assert.Equal(before.Levels.Total + 1, after.Levels.Total);
        Assert.Equal(before.ActiveRatings, after.ActiveRatings);
        Assert.Equal(0, factory.Scalar("SELECT COUNT(*) FROM cases WHERE rating_id = @id", ("id", good.RatingId)));
    }
}
