using System.Globalization;

namespace ServiceHall.Dashboard.Components.Live;

/// <summary>How figures are written on public pages.</summary>
public static class FigureFormat
{
    /// <summary>Shown where a rate has no denominator (no ratings yet), instead of a misleading "0.0%".</summary>
    public const string NoValue = "—";

    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    /// <summary>A percentage (0–100) with one decimal, e.g. "92.3%"; "—" when there is none.</summary>
    public static string Percent(double? percent) =>
        percent is { } value ? value.ToString("0.0", CultureInfo.InvariantCulture) + "%" : NoValue;

    public static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    /// <summary>"2026年11月27日 星期五".</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy年M月d日 dddd", Chinese);

    /// <summary>A time of day in the hall's zone, "HH:mm:ss".</summary>
    public static string TimeOfDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
