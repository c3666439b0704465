using Grpc.Core;
using ServiceHall.Protos.V1;
using ServiceHall.Server.Domain;
using DomainRole = ServiceHall.Server.Domain.StaffRole;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>
/// Nothing a caller sends or holds open is unbounded: free text outside case steps has a size, refused by field name; streams
/// are capped per caller, per source address for the anonymous live figures, and in total.
/// </summary>
public sealed class InputAndStreamLimitTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly SecuredServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task FreeTextBeyondItsLimit_InvalidArgumentNamingTheField_AndNothingChanges()
    {
        await _server.CreateAsync("moderator", DomainRole.Moderator);
        await _server.CreateAsync("supervisor", DomainRole.Supervisor);
        var moderator = await _server.SignInAsync("moderator");
        var supervisor = await _server.SignInAsync("supervisor");
        var rating = ServerFactory.GoodRating();
        rating.Text = "窗口人员很耐心";
        await _server.CreateRatingClient().SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { rating } });
        var longReason = new string('因', TextLimits.Reason + 1);
        var publications = _server.Scalar("SELECT COUNT(*) FROM publications");

        var hide = await RefusedAsync(() => new DisclosureService.DisclosureServiceClient(_server.Invoker(moderator))
            .HideRatingTextAsync(new HideRatingTextRequest { RatingId = rating.RatingId, Reason = longReason }).ResponseAsync);
        var correct = await RefusedAsync(() => new DisclosureService.DisclosureServiceClient(_server.Invoker(supervisor))
            .CorrectPublicationAsync(new CorrectPublicationRequest { PeriodKey = "2026-06", Reason = longReason }).ResponseAsync);
        var signIn = await RefusedAsync(() => _server.Accounts()
            .SignInAsync(new SignInRequest { UserName = new string('a', TextLimits.UserName + 1), Password = SecuredServer.Password }).ResponseAsync);
        var password = await RefusedAsync(() => _server.Accounts()
            .SignInAsync(new SignInRequest { UserName = "moderator", Password = new string('p', TextLimits.Password + 1) }).ResponseAsync);
        var change = await RefusedAsync(() => _server.Accounts(moderator).ChangePasswordAsync(new ChangePasswordRequest
            { OldPassword = SecuredServer.Password, NewPassword = new string('新', TextLimits.Password + 1) }).ResponseAsync);
        var heartbeat = await RefusedAsync(() => new KioskService.KioskServiceClient(_server.Invoker(_server.EnrollKiosk("kiosk-beat", ServerFactory.HallCode)))
            .ReportHeartbeatAsync(new ReportHeartbeatRequest { Version = new string('9', TextLimits.Version + 1) }).ResponseAsync);

        Assert.Equal(["reason"], hide.FieldsAtFault());
        Assert.Equal(["reason"], correct.FieldsAtFault());
        Assert.Equal(["user_name"], signIn.FieldsAtFault());
        Assert.Equal(["password"], password.FieldsAtFault());
        Assert.Equal(["new_password"], change.FieldsAtFault());
        Assert.Equal(["version"], heartbeat.FieldsAtFault());
        Assert.Equal(publications, _server.Scalar("SELECT COUNT(*) FROM publications"));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM hidden_texts"));
        Assert.Equal(0, _server.Scalar("SELECT COUNT(*) FROM security_events WHERE LENGTH(user_name) > @max", ("max", TextLimits.UserName)));
        // The old password still works: the oversized new one changed nothing; the account was not counted as failing.
        await _server.SignInAsync("moderator");
        Assert.Equal(0, _server.Scalar("SELECT failed_sign_ins FROM staff_accounts WHERE user_name = 'moderator'"));
    }

    [Fact]
    public async Task LiveFigures_CappedPerSourceAddress_AndFreedWhenAStreamEnds()
    {
        _server.Settings["Streams:LiveFiguresPerSource"] = "2";
        var live = new LiveFiguresService.LiveFiguresServiceClient(_server.CreateChannel());
        using var timeout = new CancellationTokenSource(Bound);
        var request = new WatchLiveFiguresRequest { HallCode = ServerFactory.HallCode };
        var first = live.WatchLiveFigures(request, cancellationToken: timeout.Token);
        using var second = live.WatchLiveFigures(request, cancellationToken: timeout.Token);
        Assert.True(await first.ResponseStream.MoveNext(timeout.Token));
        Assert.True(await second.ResponseStream.MoveNext(timeout.Token));

        using var third = live.WatchLiveFigures(request, cancellationToken: timeout.Token);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await third.ResponseStream.MoveNext(timeout.Token));
        first.Dispose();

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.True(await WithinAsync(async () =>
        {
            using var again = live.WatchLiveFigures(request, cancellationToken: timeout.Token);
            return await again.ResponseStream.MoveNext(timeout.Token);
        }), "the place of a stream that ended was not freed");
    }

    [Fact]
    public async Task Streams_CappedInTotal_AcrossCallersAndKinds()
    {
        _server.Settings["Streams:Total"] = "3";
        await _server.CreateAsync("one", DomainRole.HallManager, hall: ServerFactory.HallCode);
        await _server.CreateAsync("two", DomainRole.HallManager, hall: ServerFactory.HallCode);
        using var timeout = new CancellationTokenSource(Bound);
        var live = new LiveFiguresService.LiveFiguresServiceClient(_server.CreateChannel());
        using var screen = live.WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = ServerFactory.HallCode }, cancellationToken: timeout.Token);
        Assert.True(await screen.ResponseStream.MoveNext(timeout.Token));
        var one = new CaseService.CaseServiceClient(_server.Invoker(await _server.SignInAsync("one")));
        var two = new CaseService.CaseServiceClient(_server.Invoker(await _server.SignInAsync("two")));
        using var a = one.WatchCases(new WatchCasesRequest(), cancellationToken: timeout.Token);
        await a.ResponseHeadersAsync;
        using var b = two.WatchCases(new WatchCasesRequest(), cancellationToken: timeout.Token);
        await b.ResponseHeadersAsync;

        // Each caller is far below its own cap; together they fill the server's.
        using var c = two.WatchCases(new WatchCasesRequest(), cancellationToken: timeout.Token);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await c.ResponseStream.MoveNext(timeout.Token));
        using var d = live.WatchLiveFigures(new WatchLiveFiguresRequest { HallCode = ServerFactory.HallCode }, cancellationToken: timeout.Token);
        var refusedLive = await Assert.ThrowsAsync<RpcException>(async () => await d.ResponseStream.MoveNext(timeout.Token));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal(StatusCode.ResourceExhausted, refusedLive.StatusCode);
    }

    private static async Task<RpcException> RefusedAsync(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        return e;
    }

    // The server releases a stream's place when its call ends, a moment after the client disposes it.
    private static async Task<bool> WithinAsync(Func<Task<bool>> attempt)
    {
        for (var i = 0; i < 50; i++)
        {
            try
            {
                return await attempt();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                await Task.Delay(100);
            }
        }

        return false;
    }
}
