namespace ServiceHall.Kiosk.Resources;

/// <summary>
/// Names the kiosk's UI strings for <c>IStringLocalizer&lt;SharedStrings&gt;</c>: SharedStrings.resx holds the Chinese
/// default, SharedStrings.en.resx the English. Components read them through <see cref="KioskText"/>.
/// </summary>
public sealed class SharedStrings;
