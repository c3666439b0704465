using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Services;
using ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Tests;

/// <summary>一次一评: a transaction as the rating target, the pad's timeout (未评价, never a rating), and its durable report.</summary>
public sealed class TransactionRatingTests : IDisposable
{
    private const string CompanyItem = "11370104MB2851301K000105001000";

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly KioskOptions _options = TestCatalog.Options();
    private readonly HallCatalog _catalog = TestCatalog.Create();
    private Outbox _outbox;

    public TransactionRatingTests()
    {
        _options.Mode = KioskModes.WindowPad;
        _options.WindowCode = "A01";
        _options.PadRatingSeconds = 60;
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
    }

    // A01 has two staff on duty: only the transaction can say that 张振华 (HY0102) served.
    private static TransactionTarget Transaction(string number = "BJ-2026-0001") => new(
        number, "K7M2P9QX", "A01", "企业开办综合窗口", "槐荫区行政审批服务局", CompanyItem, "有限责任公司设立登记",
        "HY0102", "张振华", "窗口工作人员", null);

    [Fact]
    public async Task SubmitAsync_TransactionTarget_RatingCarriesTransactionStaffWindowItemAndPadChannel()
    {
        var wrapped = TestCatalog.Wrap(_options);
        using var session = new RatingSession(_outbox, wrapped, _clock, new KioskSessionPreferences(wrapped));

        session.StartForTransaction(_catalog, Transaction(), KioskChannel.HallPad);
        Assert.Equal(RatingStep.ChooseLevel, session.Step);
        Assert.Null(session.Level);
        // One tap on the pad: recorded.
        Assert.Equal(LevelResult.Recorded, await session.ChooseLevelAsync(SatisfactionLevel.VerySatisfied));
        Assert.True(await session.FinishAsync());

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal("BJ-2026-0001", rating.TransactionNumber);
        Assert.Equal("HY0102", rating.StaffId);
        Assert.Equal("A01", rating.WindowCode);
        Assert.Equal(CompanyItem, rating.ServiceItemCode);
        Assert.Equal(KioskChannel.HallPad, rating.Channel);

        var submission = ServiceHallClient.ToSubmission(rating);
        Assert.Equal("BJ-2026-0001", submission.TransactionNumber);
        Assert.Equal(RatingChannel.HallPad, submission.Channel);
        Assert.Equal("HY0102", submission.StaffId);
    }

    [Fact]
    public async Task SubmitAsync_OrdinaryKioskRating_HasNoTransactionAndTheTerminalChannel()
    {
        var wrapped = TestCatalog.Wrap(TestCatalog.Options());
        using var session = new RatingSession(_outbox, wrapped, _clock, new KioskSessionPreferences(wrapped));
        session.StartForTransaction(_catalog, Transaction(), KioskChannel.HallPad);
        session.Cancel();

        session.Start(_catalog);
        Assert.True(session.ChooseWindow("B03"));
        Assert.Equal(LevelResult.Recorded, await session.ChooseLevelAsync(SatisfactionLevel.Satisfied));
        await session.FinishAsync();

        var submission = ServiceHallClient.ToSubmission(Assert.Single(await _outbox.GetPendingBatchAsync()));
        Assert.Equal("", submission.TransactionNumber);
        Assert.Equal(RatingChannel.HallTerminal, submission.Channel);
    }

    [Fact]
    public async Task PadTimer_NotRatedInTime_RecordsNotRatedAndEnqueuesNoRating()
    {
        using var pad = NewPad();
        await pad.OfferAsync(Transaction());

        _clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Empty(await _outbox.GetPendingNotRatedAsync());
        Assert.NotNull(pad.Current);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await Wait.UntilAsync(async () => (await _outbox.GetPendingNotRatedAsync()).Count == 1,
            TimeSpan.FromSeconds(5), "the not-rated record");

        Assert.Equal(["BJ-2026-0001"], await _outbox.GetPendingNotRatedAsync());
        Assert.Null(pad.Current);
        Assert.Empty(await _outbox.GetPendingBatchAsync());
    }

    [Fact]
    public async Task PadTimer_TouchedAndThenRated_RecordsNothingNotRated()
    {
        using var pad = NewPad();
        await pad.OfferAsync(Transaction());

        _clock.Advance(TimeSpan.FromSeconds(50));
        pad.Touch();
        _clock.Advance(TimeSpan.FromSeconds(50));
        Assert.NotNull(pad.Current);

        pad.MarkRated("BJ-2026-0001");
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(pad.Current);
        Assert.Empty(await _outbox.GetPendingNotRatedAsync());
    }

    [Fact]
    public async Task OfferAsync_NextTransactionBeforeTheFirstWasRated_FirstIsRecordedNotRated()
    {
        using var pad = NewPad();
        await pad.OfferAsync(Transaction("BJ-1"));
        await pad.OfferAsync(Transaction("BJ-2"));

        Assert.Equal("BJ-2", pad.Current?.TransactionNumber);
        Assert.Equal(["BJ-1"], await _outbox.GetPendingNotRatedAsync());
    }

    [Fact]
    public async Task Follow_TransactionOffered_OpensItsRatingOnThePadChannelOnce()
    {
        using var pad = NewPad();
        using var session = NewSession();
        Assert.Equal(PadScreen.Stay, pad.Follow(session, _catalog));

        await pad.OfferAsync(Transaction());

        Assert.Equal(PadScreen.Rate, pad.Follow(session, _catalog));
        Assert.Equal(RatingStep.ChooseLevel, session.Step);
        Assert.Equal("BJ-2026-0001", session.Transaction?.TransactionNumber);
        Assert.Equal(KioskChannel.HallPad, session.Channel);
        // Already rating it (a touch, another change): nothing restarts.
        Assert.Equal(LevelResult.ReasonsNeeded, await session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied));
        Assert.Equal(PadScreen.Stay, pad.Follow(session, _catalog));
        Assert.Equal(RatingStep.ChooseReasons, session.Step);
    }

    [Fact]
    public async Task Follow_TimeRanOutDuringTheRating_TakesTheRatingAwayAndGoesIdle()
    {
        using var pad = NewPad();
        using var session = NewSession();
        await pad.OfferAsync(Transaction());
        pad.Follow(session, _catalog);
        await session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied);

        _clock.Advance(TimeSpan.FromSeconds(60));
        await Wait.UntilAsync(async () => (await _outbox.GetPendingNotRatedAsync()).Count == 1, TimeSpan.FromSeconds(5), "the not-rated record");

        Assert.Equal(PadScreen.Idle, pad.Follow(session, _catalog));
        Assert.Equal(RatingStep.NotStarted, session.Step);
        Assert.Empty(await _outbox.GetPendingBatchAsync());
    }

    [Fact]
    public async Task Follow_RatedThenOfferEnds_KeepsTheThankYou()
    {
        using var pad = NewPad();
        using var session = NewSession();
        await pad.OfferAsync(Transaction());
        pad.Follow(session, _catalog);
        await session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied);
        session.ToggleTag("ATT_POOR");
        session.ContinueToContact();
        Assert.Equal(SubmitResult.Saved, await session.SubmitAsync(null));

        pad.MarkRated("BJ-2026-0001");

        Assert.Null(pad.Current);
        Assert.Equal(PadScreen.Stay, pad.Follow(session, _catalog));
        Assert.Equal(RatingStep.ThankYou, session.Step);
    }

    [Fact]
    public async Task Follow_GoodLevelTappedOnThePad_KeepsItsFewSecondsToAddAReason()
    {
        using var pad = NewPad();
        using var session = NewSession();
        await pad.OfferAsync(Transaction());
        pad.Follow(session, _catalog);
        Assert.Equal(LevelResult.Recorded, await session.ChooseLevelAsync(SatisfactionLevel.Satisfied));

        pad.MarkRated("BJ-2026-0001");

        Assert.Equal(PadScreen.Stay, pad.Follow(session, _catalog));
        Assert.Equal(RatingStep.Recorded, session.Step);
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty(await _outbox.GetPendingNotRatedAsync());
    }

    [Fact]
    public async Task GoodLevelChangedIntoABadReviewAndLeft_ThePadRecordsNotRatedAndNoRating()
    {
        using var pad = NewPad();
        using var session = NewSession();
        await pad.OfferAsync(Transaction());
        pad.Follow(session, _catalog);
        await session.ChooseLevelAsync(SatisfactionLevel.Satisfied);
        pad.MarkRated("BJ-2026-0001");

        // What the rating screen does when the citizen changes a recorded good level into a 差评.
        session.ChangeLevel();
        Assert.Equal(LevelResult.ReasonsNeeded, await session.ChooseLevelAsync(SatisfactionLevel.VeryDissatisfied));
        await pad.OfferAsync(Transaction());
        Assert.Equal(PadScreen.Stay, pad.Follow(session, _catalog));

        _clock.Advance(TimeSpan.FromSeconds(60));
        await Wait.UntilAsync(async () => (await _outbox.GetPendingNotRatedAsync()).Count == 1, TimeSpan.FromSeconds(5), "the not-rated record");

        Assert.Equal(["BJ-2026-0001"], await _outbox.GetPendingNotRatedAsync());
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public async Task NotRatedSender_PendingSurvivesRestartAndServerAway_IsRetriedUntilRecorded()
    {
        await _outbox.EnqueueNotRatedAsync("BJ-2026-0001");
        // The kiosk restarts: a new outbox over the same file.
        _outbox.Dispose();
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
        Assert.Equal(["BJ-2026-0001"], await _outbox.GetPendingNotRatedAsync());

        var server = new FakeTransactionServer { FailNextCalls = 1 };
        var sender = new NotRatedSender(_outbox, new TransactionClient(server, _clock), _clock, NullLogger<NotRatedSender>.Instance);

        await Assert.ThrowsAsync<RpcException>(() => sender.DeliverOnceAsync(CancellationToken.None));
        Assert.Equal(["BJ-2026-0001"], await _outbox.GetPendingNotRatedAsync());

        await sender.DeliverOnceAsync(CancellationToken.None);
        Assert.Empty(await _outbox.GetPendingNotRatedAsync());
        Assert.Equal(["BJ-2026-0001", "BJ-2026-0001"], server.Calls);
        Assert.Empty(await _outbox.GetPendingBatchAsync());
    }

    [Fact]
    public async Task NotRatedSender_RatedMeanwhile_StopsReporting()
    {
        await _outbox.EnqueueNotRatedAsync("BJ-2026-0001");
        var server = new FakeTransactionServer { AlreadyRated = true };
        var sender = new NotRatedSender(_outbox, new TransactionClient(server, _clock), _clock, NullLogger<NotRatedSender>.Instance);

        await sender.DeliverOnceAsync(CancellationToken.None);

        Assert.Empty(await _outbox.GetPendingNotRatedAsync());
    }

    [Fact]
    public void Validate_WindowPadWithoutWindow_IsRefused()
    {
        var options = TestCatalog.Options();
        options.Mode = KioskModes.WindowPad;
        var results = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(KioskOptions.WindowCode)));

        options.WindowCode = "A01";
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }

    public void Dispose()
    {
        _outbox.Dispose();
        _dir.Dispose();
    }

    private RatingSession NewSession()
    {
        var wrapped = TestCatalog.Wrap(_options);
        return new RatingSession(_outbox, wrapped, _clock, new KioskSessionPreferences(wrapped));
    }

    private WindowPad NewPad() =>
        new(_outbox, TestCatalog.Wrap(_options), _clock, NullLogger<WindowPad>.Instance);
}

/// <summary>TransactionService as the pad's sender meets it: may be away, may say the transaction was rated.</summary>
public sealed class FakeTransactionServer : TransactionService.TransactionServiceClient
{
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];

    public int FailNextCalls { get; set; }

    public bool AlreadyRated { get; set; }

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public override AsyncUnaryCall<RecordNotRatedResponse> RecordNotRatedAsync(RecordNotRatedRequest request, CallOptions options)
    {
        lock (_lock)
        {
            _calls.Add(request.TransactionNumber);
            if (FailNextCalls > 0)
            {
                FailNextCalls--;
                return Call(Task.FromException<RecordNotRatedResponse>(new RpcException(new Status(StatusCode.Unavailable, "server is down"))));
            }
        }
        return AlreadyRated
            ? Call(Task.FromException<RecordNotRatedResponse>(new RpcException(new Status(StatusCode.FailedPrecondition, "该办件已评价"))))
            : Call(Task.FromResult(new RecordNotRatedResponse()));
    }

    private static AsyncUnaryCall<RecordNotRatedResponse> Call(Task<RecordNotRatedResponse> response) =>
        new(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
}

public sealed class TransactionClientTests
{
    [Theory]
    [InlineData(StatusCode.FailedPrecondition, "该办件已评价，每次办理只能评价一次", "该办件已评价，每次办理只能评价一次")]
    [InlineData(StatusCode.Unavailable, "connection refused", null)]
    public void CitizenMessage_ServerAnswer_IsShownWithoutTheFieldName(StatusCode code, string detail, string? expected) =>
        Assert.Equal(expected, TransactionClient.CitizenMessage(new RpcException(new Status(code, detail))));

    [Fact]
    public void CitizenMessage_NotFoundWithTheCodeAsDetail_ShowsTheMessage()
    {
        // As the server answers an unknown short code: the code travels as a ResourceInfo detail, not in the words.
        var notFound = new Google.Rpc.Status
        {
            Code = (int)StatusCode.NotFound,
            Message = "没有找到这个评价码，请核对回执上的评价码",
            Details =
            {
                Google.Protobuf.WellKnownTypes.Any.Pack(new Google.Rpc.ResourceInfo { ResourceType = "transaction", ResourceName = "ZZZZZZZZ" }),
            },
        }.ToRpcException();

        Assert.Equal("没有找到这个评价码，请核对回执上的评价码", TransactionClient.CitizenMessage(notFound));
    }
}
