using Microsoft.Extensions.Time.Testing;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Rating;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class KioskSessionPreferencesTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(8)));
    private readonly Outbox _outbox;
    private readonly KioskSessionPreferences _preferences;
    private readonly RatingSession _session;
    private readonly HallCatalog _catalog = TestCatalog.Create();
    private int _homeRequests;

    public KioskSessionPreferencesTests()
    {
        _outbox = new Outbox(_dir.File("outbox.db"), _clock);
        var options = TestCatalog.Wrap(TestCatalog.Options());
        _preferences = new KioskSessionPreferences(options);
        _session = new RatingSession(_outbox, options, _clock, _preferences);
        _session.HomeRequested += () => Interlocked.Increment(ref _homeRequests);
    }

    [Fact]
    public void NewSession_StartsStandard_ChineseWithVoicePrompts()
    {
        Assert.False(_preferences.ElderlyMode);
        Assert.Equal(KioskLanguage.Chinese, _preferences.Language);
        Assert.Equal("zh-CN", _preferences.LanguageTag);
        Assert.True(_preferences.VoicePrompts);
        Assert.Equal(TimeSpan.FromSeconds(90), _preferences.IdleTimeout);
    }

    [Fact]
    public void Toggles_EachChangeOneChoice_AndTellTheScreen()
    {
        var changes = 0;
        _preferences.Changed += () => changes++;

        _preferences.ToggleElderlyMode();
        _preferences.ToggleLanguage();
        _preferences.ToggleVoicePrompts();

        Assert.Equal((true, KioskLanguage.English, "en-US", false, 3),
            (_preferences.ElderlyMode, _preferences.Language, _preferences.LanguageTag, _preferences.VoicePrompts, changes));
        Assert.Equal(TimeSpan.FromSeconds(180), _preferences.IdleTimeout);
    }

    [Fact]
    public void Reset_AfterAVisit_BackToTheStandardScreen()
    {
        _preferences.ToggleElderlyMode();
        _preferences.SetLanguage(KioskLanguage.English);
        _preferences.ToggleVoicePrompts();

        _preferences.Reset();

        Assert.Equal((false, KioskLanguage.Chinese, true), (_preferences.ElderlyMode, _preferences.Language, _preferences.VoicePrompts));
    }

    [Fact]
    public void Reset_VoicePromptsOffByConfiguration_StaysOff()
    {
        var preferences = new KioskSessionPreferences(TestCatalog.Wrap(new KioskOptions { VoicePromptsOnByDefault = false }));
        preferences.ToggleVoicePrompts();

        preferences.Reset();

        Assert.False(preferences.VoicePrompts);
    }

    [Fact]
    public void IdleTimeout_InElderlyMode_IsDoubledAndNoCitizenIsRushed()
    {
        _session.Start(_catalog);
        _preferences.ToggleElderlyMode();
        _session.Touch();

        _clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Equal(0, _homeRequests);
        Assert.Equal(RatingStep.ChooseTarget, _session.Step);
        Assert.True(_preferences.ElderlyMode);

        _clock.Advance(TimeSpan.FromSeconds(1));
        // "还在吗？" counts down longer too.
        Assert.Equal(_clock.GetUtcNow().AddSeconds(40), _session.StillThereUntil);
        _clock.Advance(TimeSpan.FromSeconds(39));
        Assert.Equal(0, _homeRequests);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, _homeRequests);
        Assert.Equal(RatingStep.NotStarted, _session.Step);
    }

    [Fact]
    public void IdleReset_OnAnyScreen_SendsTheNextCitizenTheStandardChineseScreen()
    {
        _preferences.ToggleElderlyMode();
        _preferences.SetLanguage(KioskLanguage.English);
        _session.Touch();

        _clock.Advance(TimeSpan.FromSeconds(180));
        _clock.Advance(TimeSpan.FromSeconds(40));

        Assert.Equal(1, _homeRequests);
        Assert.False(_preferences.ElderlyMode);
        Assert.Equal(KioskLanguage.Chinese, _preferences.Language);
    }

    [Fact]
    public void StandardMode_TimesOutAtTheStandardTime()
    {
        _session.Start(_catalog);

        _clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(0, _homeRequests);
        _clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(1, _homeRequests);
    }

    public void Dispose()
    {
        _session.Dispose();
        _outbox.Dispose();
        _dir.Dispose();
    }
}
