using System.Globalization;
using Microsoft.Extensions.Options;

namespace ServiceHall.Kiosk.Accessibility;

/// <summary>The languages the kiosk speaks. Chinese is the default; catalog content stays as the server sends it.</summary>
public enum KioskLanguage
{
    Chinese,
    English,
}

/// <summary>
/// What the citizen at the screen chose for this visit: 关怀版 (elderly mode), language and voice prompts. One per
/// browser circuit, free of UI types. It lasts until the session resets (<see cref="Reset"/>, called when the idle
/// timeout or the end of the thank-you pause sends the kiosk home), so the next citizen starts with the standard screen.
/// </summary>
public sealed class KioskSessionPreferences(IOptions<KioskOptions> options)
{
    private static readonly CultureInfo ChineseCulture = CultureInfo.GetCultureInfo("zh-CN");
    private static readonly CultureInfo EnglishCulture = CultureInfo.GetCultureInfo("en-US");

    private readonly KioskOptions _options = options.Value;
    private readonly Lock _lock = new();

    /// <summary>关怀版: larger type and targets, one column, a longer idle timeout (工信部 2021 适老化 specs).</summary>
    public bool ElderlyMode { get; private set; }

    public KioskLanguage Language { get; private set; } = KioskLanguage.Chinese;

    /// <summary>Whether the rating flow speaks its prompts; the read-aloud button works either way.</summary>
    public bool VoicePrompts { get; private set; } = options.Value.VoicePromptsOnByDefault;

    /// <summary>The culture the screen's text is looked up in (per circuit; never the process-wide default).</summary>
    public CultureInfo Culture => Language == KioskLanguage.English ? EnglishCulture : ChineseCulture;

    /// <summary>BCP 47 tag for the page's lang attribute and for speech synthesis.</summary>
    public string LanguageTag => Culture.Name;

    /// <summary>
    /// Seconds without a touch before the kiosk goes home: doubled by default in 关怀版, because no countdown may press
    /// an older citizen (适老化: no countdown pressure).
    /// </summary>
    public TimeSpan IdleTimeout => TimeSpan.FromSeconds(ElderlyMode ? _options.ElderlyIdleTimeoutSeconds : _options.IdleTimeoutSeconds);

    /// <summary>How long the "还在吗？" prompt counts down before the kiosk goes home: longer in 关怀版.</summary>
    public TimeSpan StillThereTimeout =>
        TimeSpan.FromSeconds(ElderlyMode ? _options.ElderlyStillThereSeconds : _options.StillThereSeconds);

    /// <summary>How long the screen after a good rating's tap stays without a touch: longer in 关怀版.</summary>
    public TimeSpan RecordedTimeout =>
        TimeSpan.FromSeconds(ElderlyMode ? _options.ElderlyRecordedSeconds : _options.RecordedSeconds);

    /// <summary>Raised (possibly on a timer thread) after any preference changes.</summary>
    public event Action? Changed;

    public void ToggleElderlyMode() => Update(() => ElderlyMode = !ElderlyMode);

    public void ToggleLanguage() => Update(() =>
        Language = Language == KioskLanguage.Chinese ? KioskLanguage.English : KioskLanguage.Chinese);

    public void SetLanguage(KioskLanguage language) => Update(() => Language = language);

    public void ToggleVoicePrompts() => Update(() => VoicePrompts = !VoicePrompts);

    /// <summary>Back to the standard screen for the next citizen: standard mode, Chinese, voice prompts as configured.</summary>
    public void Reset() => Update(() =>
    {
        ElderlyMode = false;
        Language = KioskLanguage.Chinese;
        VoicePrompts = _options.VoicePromptsOnByDefault;
    });

    private void Update(Action change)
    {
        lock (_lock)
        {
            change();
        }
        Changed?.Invoke();
    }
}
