using System.Globalization;
using Microsoft.Extensions.Localization;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Resources;

/// <summary>
/// The screen's text in the language this circuit's citizen chose. Looks each string up in
/// <see cref="SharedStrings"/> under <see cref="KioskSessionPreferences.Culture"/>, never under the process-wide
/// culture: one kiosk server may serve several screens, and a timer thread has no request culture at all.
/// </summary>
public sealed class KioskText(IStringLocalizer<SharedStrings> localizer, KioskSessionPreferences preferences)
{
    public CultureInfo Culture => preferences.Culture;

    /// <summary>The string called <paramref name="name"/>; the name itself if the resources lack it (a test guards that).</summary>
    public string this[string name]
    {
        get
        {
            // IStringLocalizer reads CurrentUICulture; set it for this lookup only and put it back at once.
            var previous = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = preferences.Culture;
            try
            {
                return localizer[name].Value;
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
        }
    }

    /// <summary>The string called <paramref name="name"/> with its {0}… placeholders filled in, formatted for the language.</summary>
    public string Format(string name, params object?[] args) => string.Format(preferences.Culture, this[name], args);

    /// <summary>The level's label: in Chinese exactly as 国办发〔2019〕51号 words it.</summary>
    public string Level(SatisfactionLevel level) => level.IsDefined()
        ? this["Level." + level.ToString()]
        : throw new ArgumentOutOfRangeException(nameof(level), level, "not a rating level");

    /// <summary>
    /// A catalog text (a hall, department, window, item or reason-tag name) in the citizen's language: its English text
    /// when the kiosk speaks English and the district gave one, otherwise the Chinese (docs/rules/accessibility.md#english).
    /// </summary>
    public CatalogText Content(string chinese, string? english) =>
        preferences.Language == KioskLanguage.English && !string.IsNullOrWhiteSpace(english)
            ? new(english, "en-US")
            : new(chinese, "zh-CN");

    /// <summary>承诺办结时限: "即办" for zero days.</summary>
    public string PromisedTimeLimit(ServiceItemInfo item) =>
        item.PromisedTimeLimitDays <= 0 ? this["TimeLimit.OnTheSpot"] : Format("TimeLimit.Promised", item.PromisedTimeLimitDays);

    /// <summary>法定办结时限: zero days means the law sets none.</summary>
    public string LegalTimeLimit(ServiceItemInfo item) =>
        item.LegalTimeLimitDays <= 0 ? this["TimeLimit.NotSetByLaw"] : Format("TimeLimit.WorkingDays", item.LegalTimeLimitDays);
}

/// <summary>A catalog text as shown, with the language it is written in (for the element's lang attribute).</summary>
public readonly record struct CatalogText(string Text, string Lang);
