using System.Globalization;

namespace ServiceHall.Dashboard.Components.Disclosures;

/// <summary>How the disclosure pages write dates and versions.</summary>
public static class DisclosureFormat
{
    /// <summary>"2026年11月1日 00:05" in the district's zone.</summary>
    public static string PublishedAt(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("yyyy年M月d日 HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"2026年10月1日至2026年10月31日".</summary>
    public static string Period(DateOnly first, DateOnly last) =>
        $"{Day(first)}至{Day(last)}";

    public static string Day(DateOnly day) => day.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    /// <summary>"2026-10-05", as the bad-review table and its CSV show it.</summary>
    public static string IsoDay(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// A rate as a ranked table shows it: the published percentage with its numerator/denominator beside it, or, when the
    /// sample is too small for a percentage, the numerator/denominator with 样本不足 as the annotation ("2/2").
    /// </summary>
    public static (string Main, string? Note) Rate(string display, int? numerator, int? denominator)
    {
        if (numerator is not { } n || denominator is not { } d)
        {
            return (display, null);
        }

        var fraction = $"{n.ToString(CultureInfo.InvariantCulture)}/{d.ToString(CultureInfo.InvariantCulture)}";
        return display.EndsWith('%') ? (display, fraction) : (fraction, display);
    }

    /// <summary>"用时 3 个工作日", "当日": how long a rectification took.</summary>
    public static string Taken(int? workingDays) => workingDays switch
    {
        null => "",
        0 => "当日",
        { } days => $"用时 {days.ToString(CultureInfo.InvariantCulture)} 个工作日",
    };

    /// <summary>On time, late, or not yet rectified.</summary>
    public static string OnTime(bool? onTime) => onTime switch
    {
        true => "按时",
        false => "超期",
        null => "—",
    };

    public static string Version(int version) => $"第{version.ToString(CultureInfo.InvariantCulture)}版";

    /// <summary>The page of one version: "/disclosures/2026-10/v2".</summary>
    public static string PageOf(string periodKey, int version) =>
        $"/disclosures/{Uri.EscapeDataString(periodKey)}/v{version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Orders a list newest first: by the period's last day, then a month before its quarter before its year (they can
    /// end on the same day), then the latest version first.
    /// </summary>
    public static (DateOnly LastDay, int Span) Recency(string periodKey)
    {
        if (periodKey.Length == 4 && int.TryParse(periodKey, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            return (new DateOnly(year, 12, 31), 3);
        }

        if (periodKey.Length == 7 && int.TryParse(periodKey[..4], NumberStyles.None, CultureInfo.InvariantCulture, out year))
        {
            if (periodKey[5] == 'Q' && periodKey[6] is >= '1' and <= '4')
            {
                return (new DateOnly(year, (periodKey[6] - '0') * 3, 1).AddMonths(1).AddDays(-1), 2);
            }

            if (int.TryParse(periodKey[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var month) && month is >= 1 and <= 12)
            {
                return (new DateOnly(year, month, 1).AddMonths(1).AddDays(-1), 1);
            }
        }

        return (DateOnly.MinValue, 0);
    }

    /// <summary>Reads the "v2" segment of a version's address; null if it is not one.</summary>
    public static int? ParseVersion(string? segment) =>
        segment is ['v' or 'V', .. var digits]
        && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version >= 1
            ? version
            : null;
}
