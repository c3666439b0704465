using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class RatingSessionTests : IDisposable
{
    private const string PensionItem = "11370104MB2851302F000117010000";

    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly Outbox _outbox;
    private readonly RatingSession _session;
    private readonly HallCatalog _catalog = TestCatalog.Create();
    private int _homeRequests;

    public RatingSessionTests()
    {
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
        var options = TestCatalog.Wrap(TestCatalog.Options());
        _session = new RatingSession(_outbox, options, _clock, new KioskSessionPreferences(options));
        _session.HomeRequested += () => Interlocked.Increment(ref _homeRequests);
    }

    [Fact]
    public void Start_NewRating_NothingIsPreselected()
    {
        _session.Start(_catalog);

        Assert.Equal(RatingStep.ChooseTarget, _session.Step);
        Assert.Null(_session.Window);
        Assert.Null(_session.Item);
        Assert.Null(_session.Level);
        Assert.Empty(_session.SelectedTags);
        Assert.Equal("", _session.Text);
    }

    [Fact]
    public void StartForItem_FromTheGuide_ItemIsTheTargetAndTheLevelIsStillOpen()
    {
        Assert.True(_session.StartForItem(_catalog, PensionItem));

        Assert.Equal(RatingStep.ChooseLevel, _session.Step);
        Assert.Equal(PensionItem, _session.Item?.Code);
        Assert.Null(_session.Level);
    }

    [Theory]
    [InlineData(SatisfactionLevel.Dissatisfied)]
    [InlineData(SatisfactionLevel.VeryDissatisfied)]
    public void ContinueToContact_BadReviewWithoutTagOrText_IsRefused(SatisfactionLevel level)
    {
        ToReasons(level);

        Assert.False(_session.ContinueToContact());
        Assert.Equal(RatingStep.ChooseReasons, _session.Step);

        _session.SetText("   ");
        Assert.False(_session.ContinueToContact());
    }

    [Fact]
    public void ContinueToContact_BadReviewWithATag_Proceeds()
    {
        ToReasons(SatisfactionLevel.Dissatisfied);

        Assert.True(_session.ToggleTag("EFF_LONG_WAIT"));
        Assert.True(_session.ContinueToContact());
        Assert.Equal(RatingStep.Contact, _session.Step);
    }

    [Fact]
    public void ContinueToContact_BadReviewWithOnlyText_Proceeds()
    {
        ToReasons(SatisfactionLevel.VeryDissatisfied);

        _session.SetText("排队一个小时");

        Assert.True(_session.ContinueToContact());
    }

    [Theory]
    [InlineData(SatisfactionLevel.VerySatisfied)]
    [InlineData(SatisfactionLevel.Satisfied)]
    [InlineData(SatisfactionLevel.BasicallySatisfied)]
    public async Task ChooseLevel_GoodLevel_IsRecordedOnTheTapAndSentWhenTheScreenCloses(SatisfactionLevel level)
    {
        _session.Start(_catalog);
        _session.ChooseWindow("B03");

        Assert.Equal(LevelResult.Recorded, await _session.ChooseLevelAsync(level));

        // Recorded (committed to the outbox) at once; held while the citizen may still add a reason.
        Assert.Equal(RatingStep.Recorded, _session.Step);
        Assert.Equal(1, await _outbox.GetDepthAsync());
        Assert.Empty(await _outbox.GetPendingBatchAsync());
        Assert.Equal(_clock.GetUtcNow().AddSeconds(12), _session.ClosesAt);

        _clock.Advance(TimeSpan.FromSeconds(12));

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(level, rating.Level);
        Assert.Equal("B03", rating.WindowCode);
        Assert.Null(rating.CallbackPhone);
        Assert.Empty(rating.ReasonTagCodes);
        Assert.Equal(1, _homeRequests);
        Assert.Equal(RatingStep.NotStarted, _session.Step);
    }

    [Fact]
    public async Task Recorded_ReasonAndCommentAdded_GoOutWithTheSameRating()
    {
        var tapped = await RecordGoodAsync(SatisfactionLevel.Satisfied);
        _clock.Advance(TimeSpan.FromSeconds(8));
        Assert.True(_session.ToggleTag("ATT_PATIENT"));
        _clock.Advance(TimeSpan.FromSeconds(8)); // each touch gives the few seconds again
        Assert.True(_session.SetText("  窗口人员很耐心  "));
        Assert.Equal(RatingStep.Recorded, _session.Step);

        Assert.True(await _session.FinishAsync());

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(tapped, rating.Id);
        Assert.Equal(["ATT_PATIENT"], rating.ReasonTagCodes);
        Assert.Equal("窗口人员很耐心", rating.Text);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(-16), rating.RatedAt); // rated when the face was tapped
    }

    [Fact]
    public async Task Recorded_ChangedToAnotherGoodLevel_RewritesTheSameRating()
    {
        var tapped = await RecordGoodAsync(SatisfactionLevel.BasicallySatisfied);

        Assert.True(_session.ChangeLevel());
        Assert.Equal(RatingStep.ChooseLevel, _session.Step);
        Assert.Equal(LevelResult.Recorded, await _session.ChooseLevelAsync(SatisfactionLevel.VerySatisfied));
        await _session.FinishAsync();

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(tapped, rating.Id);
        Assert.Equal(SatisfactionLevel.VerySatisfied, rating.Level);
    }

    [Fact]
    public async Task Recorded_ChangedToABadReview_TakesTheGoodRatingBackAndRecordsOnlyTheFinishedBadReview()
    {
        await RecordGoodAsync(SatisfactionLevel.Satisfied);

        _session.ChangeLevel();
        Assert.Equal(LevelResult.ReasonsNeeded, await _session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied));

        Assert.Equal(RatingStep.ChooseReasons, _session.Step);
        Assert.Null(_session.Saved);
        Assert.Equal(0, await _outbox.GetDepthAsync());

        _session.ToggleTag("ATT_POOR");
        _session.ContinueToContact();
        Assert.Equal(SubmitResult.Saved, await _session.SubmitAsync(null));
        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(SatisfactionLevel.Dissatisfied, rating.Level);
    }

    [Fact]
    public async Task Recorded_ChangedToABadReviewAndLeftUnfinished_RecordsNothing()
    {
        await RecordGoodAsync(SatisfactionLevel.Satisfied);
        _session.ChangeLevel();
        await _session.ChooseLevelAsync(SatisfactionLevel.VeryDissatisfied);

        _clock.Advance(TimeSpan.FromSeconds(90));
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, _homeRequests);
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public async Task Recorded_ChangingThenGoingBack_KeepsTheFirstChoice()
    {
        await RecordGoodAsync(SatisfactionLevel.Satisfied);

        _session.ChangeLevel();
        _session.Back();

        Assert.Equal(RatingStep.Recorded, _session.Step);
        Assert.Equal(SatisfactionLevel.Satisfied, _session.Level);
        _session.Cancel(); // leaving the screen any other way sends it too
        var rating = Assert.Single(await WaitForPendingAsync());
        Assert.Equal(SatisfactionLevel.Satisfied, rating.Level);
    }

    [Fact]
    public async Task Recorded_CitizenLeavesWhileChangingTheLevel_TheFirstChoiceGoesOut()
    {
        await RecordGoodAsync(SatisfactionLevel.VerySatisfied);
        _session.ChangeLevel();

        _clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(1, _homeRequests);
        Assert.Equal(SatisfactionLevel.VerySatisfied, Assert.Single(await WaitForPendingAsync()).Level);
    }

    [Fact]
    public async Task Recorded_NewTransactionArrivesAtThePad_TheHeldRatingGoesOutNotLost()
    {
        var tapped = await RecordGoodAsync(SatisfactionLevel.Satisfied);

        _session.StartForTransaction(_catalog, new TransactionTarget("TX-2", "K7M2P9QX", "B03", "社保窗口", "区人社局", PensionItem, "养老保险", "HY0301", "王", "窗口工作人员", null),
            KioskChannel.HallPad);

        Assert.Equal(tapped, Assert.Single(await WaitForPendingAsync()).Id);
    }

    [Fact]
    public async Task Recorded_KioskStopsWhileHeld_TheRatingGoesOutAfterTheRestart()
    {
        var tapped = await RecordGoodAsync(SatisfactionLevel.Satisfied);
        _outbox.Dispose();

        using var restarted = new Outbox(_dir.File("outbox.db"), _clock);

        Assert.Equal(tapped, Assert.Single(await restarted.GetPendingBatchAsync()).Id);
    }

    [Fact]
    public async Task IdleTimeout_AsksStillThereWithACountdownBeforeDiscarding()
    {
        ToReasons(SatisfactionLevel.Dissatisfied);
        _session.ToggleTag("ATT_POOR");

        _clock.Advance(TimeSpan.FromSeconds(90));

        Assert.Equal(0, _homeRequests);
        Assert.Equal(_clock.GetUtcNow().AddSeconds(20), _session.StillThereUntil);
        Assert.Equal(RatingStep.ChooseReasons, _session.Step);

        _session.Touch(); // "我还在"
        Assert.Null(_session.StillThereUntil);
        _clock.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal(0, _homeRequests);
        Assert.True(_session.IsTagSelected("ATT_POOR"));
    }

    [Fact]
    public async Task IdleTimeout_InElderlyMode_WaitsLongerAndCountsDownLonger()
    {
        var options = TestCatalog.Wrap(TestCatalog.Options());
        var preferences = new KioskSessionPreferences(options);
        preferences.ToggleElderlyMode();
        using var session = new RatingSession(_outbox, options, _clock, preferences);
        session.Start(_catalog);
        session.ChooseWindow("B03");

        _clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Null(session.StillThereUntil);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(40), session.StillThereUntil);
        Assert.Equal(LevelResult.Recorded, await session.ChooseLevelAsync(SatisfactionLevel.Satisfied));
        Assert.Equal(_clock.GetUtcNow().AddSeconds(24), session.ClosesAt);
    }

    [Fact]
    public async Task ToggleTag_TagOfAnotherLevel_IsRefused()
    {
        await RecordGoodAsync(SatisfactionLevel.Satisfied);

        Assert.False(_session.ToggleTag("EFF_LONG_WAIT"));
        Assert.Equal(["EFF_FAST", "ATT_PATIENT"], _session.AvailableTags.Select(t => t.Code));
        Assert.Empty(_session.SelectedTags);
    }

    [Fact]
    public async Task ChooseLevel_ChangedAfterGoingBack_DropsTagsThatNoLongerFit()
    {
        ToReasons(SatisfactionLevel.VeryDissatisfied);
        _session.ToggleTag("SKL_BUCK_PASSING");
        _session.ToggleTag("ATT_POOR");

        _session.Back();
        Assert.Equal(SatisfactionLevel.VeryDissatisfied, _session.Level);
        await _session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied);

        Assert.Equal(["ATT_POOR"], _session.SelectedTags.Select(t => t.Code));
    }

    [Fact]
    public async Task SubmitAsync_WithoutALevel_IsRefusedAndRecordsNothing()
    {
        _session.Start(_catalog);
        _session.ChooseWindow("B03");

        Assert.Equal(SubmitResult.NotReady, await _session.SubmitAsync(null));
        Assert.False(_session.ContinueToContact());
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public async Task ChooseLevel_OnTheTargetStep_IsRefusedAndRecordsNothing()
    {
        _session.Start(_catalog);

        Assert.Equal(LevelResult.Refused, await _session.ChooseLevelAsync(SatisfactionLevel.VerySatisfied));
        Assert.Equal(0, await _outbox.GetDepthAsync());
        Assert.False(_session.ChooseWindow("Z99"));
        Assert.Equal(RatingStep.ChooseTarget, _session.Step);
    }

    [Fact]
    public async Task SubmitAsync_CompleteBadReview_EnqueuesExactlyOneRatingWithEveryField()
    {
        ToReasons(SatisfactionLevel.VeryDissatisfied, window: "B03");
        _session.ToggleTag("EFF_LONG_WAIT");
        _session.ToggleTag("SKL_BUCK_PASSING");
        _session.SetText("  窗口推诿，让我跑了三次  ");
        _session.ContinueToContact();
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(SubmitResult.Saved, await _session.SubmitAsync("138 0013 8000"));

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(_session.Saved?.Id, rating.Id);
        Assert.Equal(7, rating.Id.Version);
        Assert.Equal("370104-ZWZX", rating.HallCode);
        Assert.Equal("B03", rating.WindowCode);
        Assert.Null(rating.ServiceItemCode);
        Assert.Equal("HY0301", rating.StaffId);
        Assert.Equal(SatisfactionLevel.VeryDissatisfied, rating.Level);
        Assert.Equal(["EFF_LONG_WAIT", "SKL_BUCK_PASSING"], rating.ReasonTagCodes);
        Assert.Equal(TestCatalog.TagListVersion, rating.ReasonTagListVersion);
        Assert.Equal("窗口推诿，让我跑了三次", rating.Text);
        Assert.Equal("13800138000", rating.CallbackPhone);
        Assert.Equal("kiosk-test", rating.DeviceId);
        Assert.Equal(_clock.GetUtcNow(), rating.RatedAt);
        Assert.Equal(RatingStep.ThankYou, _session.Step);

        var submission = ServiceHallClient.ToSubmission(rating);
        Assert.Equal(Protos.V1.RatingChannel.HallTerminal, submission.Channel);
        Assert.Equal(Protos.V1.RatingLevel.VeryDissatisfied, submission.Level);
        Assert.Equal(rating.RatedAt, submission.RatedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task SubmitAsync_ItemFromTheGuideAnonymously_CarriesTheItemAndNoPhone()
    {
        _session.StartForItem(_catalog, PensionItem);
        await _session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied);
        _session.SetText("材料清单与实际要求不一致");
        _session.ContinueToContact();

        Assert.Equal(SubmitResult.Saved, await _session.SubmitAsync(null));

        var rating = Assert.Single(await _outbox.GetPendingBatchAsync());
        Assert.Equal(PensionItem, rating.ServiceItemCode);
        Assert.Null(rating.WindowCode);
        Assert.Null(rating.CallbackPhone);
        Assert.Empty(rating.ReasonTagCodes);
    }

    [Fact]
    public async Task SubmitAsync_WindowWithTwoStaff_LeavesTheStaffUnknown()
    {
        await RecordGoodAsync(SatisfactionLevel.Satisfied, window: "A01");
        await _session.FinishAsync();

        Assert.Null(Assert.Single(await _outbox.GetPendingBatchAsync()).StaffId);
    }

    [Theory]
    [InlineData("1380013800")]
    [InlineData("138001380001")]
    [InlineData("12800138000")]
    [InlineData("0531-87598110")]
    [InlineData("1380013800a")]
    public async Task SubmitAsync_InvalidPhone_IsRefusedAndStaysOnContact(string phone)
    {
        ToContact();

        Assert.Equal(SubmitResult.InvalidPhone, await _session.SubmitAsync(phone));

        Assert.Equal(RatingStep.Contact, _session.Step);
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public async Task SubmitAsync_TappedTwice_RecordsOneRating()
    {
        ToContact();

        var results = await Task.WhenAll(_session.SubmitAsync(null), _session.SubmitAsync(null));

        Assert.Contains(SubmitResult.Saved, results);
        Assert.Equal(1, await _outbox.GetDepthAsync());
    }

    [Theory]
    [InlineData(RatingStep.ChooseTarget)]
    [InlineData(RatingStep.ChooseLevel)]
    [InlineData(RatingStep.ChooseReasons)]
    [InlineData(RatingStep.Contact)]
    public async Task IdleTimeout_OnAnyStep_AsksThenDiscardsTheRatingRecordsNothingAndGoesHome(RatingStep step)
    {
        _session.Start(_catalog);
        if (step >= RatingStep.ChooseLevel)
        {
            _session.ChooseWindow("B03");
        }
        if (step >= RatingStep.ChooseReasons)
        {
            await _session.ChooseLevelAsync(SatisfactionLevel.VeryDissatisfied);
            _session.ToggleTag("ATT_POOR");
        }
        if (step >= RatingStep.Contact)
        {
            _session.ContinueToContact();
        }
        Assert.Equal(step, _session.Step);

        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.NotNull(_session.StillThereUntil);
        _clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Equal(0, _homeRequests);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, _homeRequests);
        Assert.Null(_session.StillThereUntil);
        Assert.Equal(RatingStep.NotStarted, _session.Step);
        Assert.Null(_session.Level);
        Assert.Null(_session.Window);
        Assert.Empty(_session.SelectedTags);
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public void Touch_BeforeTheTimeout_KeepsTheRating()
    {
        ToReasons(SatisfactionLevel.Dissatisfied);

        _clock.Advance(TimeSpan.FromSeconds(80));
        _session.Touch();
        _clock.Advance(TimeSpan.FromSeconds(80));

        Assert.Equal(0, _homeRequests);
        Assert.Null(_session.StillThereUntil);
        Assert.Equal(SatisfactionLevel.Dissatisfied, _session.Level);
    }

    [Fact]
    public async Task ThankYou_AfterThankYouSeconds_GoesHomeAndIsReadyForTheNextCitizen()
    {
        ToContact();
        await _session.SubmitAsync(null);

        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(RatingStep.ThankYou, _session.Step);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(1, _homeRequests);
        Assert.Equal(RatingStep.NotStarted, _session.Step);
        Assert.Null(_session.Saved);
        Assert.Equal(1, await _outbox.GetDepthAsync());
    }

    [Fact]
    public async Task Cancel_MidRating_RecordsNothing()
    {
        ToReasons(SatisfactionLevel.Dissatisfied);
        _session.ToggleTag("ATT_POOR");

        _session.Cancel();

        Assert.Equal(RatingStep.NotStarted, _session.Step);
        Assert.Equal(0, await _outbox.GetDepthAsync());
    }

    [Fact]
    public void Back_WalksBackThroughTheSteps()
    {
        ToContact();

        _session.Back();
        Assert.Equal(RatingStep.ChooseReasons, _session.Step);
        _session.Back();
        Assert.Equal(RatingStep.ChooseLevel, _session.Step);
        _session.Back();
        Assert.Equal(RatingStep.ChooseTarget, _session.Step);
        _session.Back();
        Assert.Equal(RatingStep.NotStarted, _session.Step);
    }

    [Fact]
    public void SetText_LongerThanFiveHundred_IsCut()
    {
        ToReasons(SatisfactionLevel.Dissatisfied);

        _session.SetText(new string('好', 600));

        Assert.Equal(500, _session.MaxTextLength);
        Assert.Equal(500, _session.Text.Length);
    }

    [Fact]
    public async Task SetText_ServerSetsALowerLimit_IsCutAtTheServersLimit()
    {
        var response = TestCatalog.Response();
        response.RatingRules = new() { MaxTextLength = 20 };
        _session.Start(ServiceHallClient.ToCatalog(response));
        _session.ChooseWindow("B03");
        await _session.ChooseLevelAsync(SatisfactionLevel.Satisfied);

        _session.SetText(new string('好', 30));

        Assert.Equal(20, _session.MaxTextLength);
        Assert.Equal(20, _session.Text.Length);
    }

    [Fact]
    public async Task SubmitAsync_ServerSendsAnotherPhonePattern_ChecksTheServersPattern()
    {
        var response = TestCatalog.Response();
        response.RatingRules = new() { CallbackPhonePattern = "^0531[0-9]{8}$" };
        _session.Start(ServiceHallClient.ToCatalog(response));
        _session.ChooseWindow("B03");
        await _session.ChooseLevelAsync(SatisfactionLevel.Dissatisfied);
        _session.ToggleTag("ATT_POOR");
        _session.ContinueToContact();

        Assert.Equal(500, _session.MaxTextLength);
        Assert.False(_session.IsValidPhone("13800138000"));
        Assert.Equal(SubmitResult.InvalidPhone, await _session.SubmitAsync("13800138000"));
        Assert.Equal(SubmitResult.Saved, await _session.SubmitAsync("0531-87654321"));
    }

    [Theory]
    [InlineData(0, "", 500, "^1[3-9][0-9]{9}$")]
    [InlineData(80, "(unclosed", 80, "^1[3-9][0-9]{9}$")]
    [InlineData(-3, "^1[0-9]{10}$", 500, "^1[0-9]{10}$")]
    public void RatingInputRules_NotSentOrUnusable_FallBackToTheDefaultForThatRule(
        int maxTextLength, string pattern, int expectedLength, string expectedPattern)
    {
        Assert.Equal(new RatingInputRules(expectedLength, expectedPattern), RatingInputRules.From(maxTextLength, pattern));
    }

    /// <summary>A 差评 at its reasons step.</summary>
    private void ToReasons(SatisfactionLevel level, string window = "B03")
    {
        Assert.True(level.IsBadReview());
        _session.Start(_catalog);
        Assert.True(_session.ChooseWindow(window));
        Assert.Equal(LevelResult.ReasonsNeeded, _session.ChooseLevelAsync(level).GetAwaiter().GetResult());
        Assert.Equal(RatingStep.ChooseReasons, _session.Step);
    }

    /// <summary>A 差评 with a reason, at the contact step.</summary>
    private void ToContact()
    {
        ToReasons(SatisfactionLevel.Dissatisfied);
        _session.ToggleTag("ATT_POOR");
        Assert.True(_session.ContinueToContact());
    }

    /// <summary>A good level tapped: recorded and held. Returns the rating's id.</summary>
    private async Task<Guid> RecordGoodAsync(SatisfactionLevel level, string window = "B03")
    {
        _session.Start(_catalog);
        Assert.True(_session.ChooseWindow(window));
        Assert.Equal(LevelResult.Recorded, await _session.ChooseLevelAsync(level));
        return _session.Saved!.Id;
    }

    /// <summary>The outbox's sendable ratings, once a release written in the background has landed.</summary>
    private async Task<IReadOnlyList<KioskRating>> WaitForPendingAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            if (await _outbox.GetPendingBatchAsync() is { Count: > 0 } batch)
            {
                return batch;
            }
            await Task.Delay(20);
        }
        return [];
    }

    public void Dispose()
    {
        _session.Dispose();
        _outbox.Dispose();
        _dir.Dispose();
    }
}
