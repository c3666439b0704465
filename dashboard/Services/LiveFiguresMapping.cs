using System.Globalization;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services;

/// <summary>Maps the wire message to the records components use; components never see proto types.</summary>
public static class LiveFiguresMapping
{
    public const int HoursPerDay = 24;

    public static HallLiveFigures ToHallFigures(this LiveFigures message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var hasRatings = message.RatingCount > 0;
        return new HallLiveFigures(
            HallCode: message.HallCode,
            HallName: message.HallName,
            AsOf: message.AsOf?.ToDateTimeOffset(),
            Day: DateOnly.TryParseExact(message.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                ? day
                : null,
            RatingCount: message.RatingCount,
            GoodCount: message.GoodCount,
            BadCount: message.BadCount,
            Levels: SatisfactionLevels.All
                .Select((level, index) => new LevelCount(level, At(message.LevelCounts, index)))
                .ToArray(),
            HourlyCounts: Enumerable.Range(0, HoursPerDay).Select(hour => At(message.HourlyCounts, hour)).ToArray(),
            Departments: message.Departments.Select(ToDepartmentFigures).ToArray(),
            // The contract sends 0 for "no ratings"; the screen must show "—" then, not "0.0%".
            GoodRate: hasRatings ? message.GoodRate : null,
            BadRate: hasRatings ? message.BadRate : null);
    }

    private static DepartmentLiveFigures ToDepartmentFigures(DepartmentFigures department) => new(
        department.DepartmentCode,
        department.DepartmentName,
        department.RatingCount,
        department.GoodCount,
        department.BadCount,
        department.RatingCount > 0 ? department.GoodRate : null);

    /// <summary>
    /// The contract promises five level counts and 24 hourly counts; a short list from a misbehaving server is
    /// padded with zeros so a public screen keeps its shape instead of failing.
    /// </summary>
    private static int At(IReadOnlyList<int> counts, int index) => index < counts.Count ? counts[index] : 0;
}
