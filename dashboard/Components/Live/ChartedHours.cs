using System.Text.RegularExpressions;

namespace ServiceHall.Dashboard.Components.Live;

/// <summary>
/// The hours the hall screen's hourly chart spans: the hall's opening hours from the catalog (the earliest time named to
/// the latest, e.g. "上午9:00-12:00 下午13:30-17:00" → 9–17 时), widened to any hour that has ratings after all; the
/// whole day when the text names no time.
/// </summary>
public static partial class ChartedHours
{
    public static (int From, int To) Of(string? openingHours, IReadOnlyList<int> hourlyCounts)
    {
        ArgumentNullException.ThrowIfNull(hourlyCounts);
        var times = TimePattern().Matches(openingHours ?? "")
            .Select(m => (Hour: int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                Minute: int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .Where(t => t.Hour is >= 0 and <= 24 && t.Minute is >= 0 and < 60)
            .ToList();
        if (times.Count < 2)
        {
            return (0, hourlyCounts.Count);
        }
        var from = times.Min(t => t.Hour);
        var to = Math.Min(hourlyCounts.Count, times.Max(t => t.Minute > 0 ? t.Hour + 1 : t.Hour));
        for (var hour = 0; hour < hourlyCounts.Count; hour++)
        {
            if (hourlyCounts[hour] > 0)
            {
                from = Math.Min(from, hour);
                to = Math.Max(to, hour + 1);
            }
        }
        return from < to ? (from, to) : (0, hourlyCounts.Count);
    }

    [GeneratedRegex(@"(\d{1,2})\s*[:：]\s*(\d{2})")]
    private static partial Regex TimePattern();
}
