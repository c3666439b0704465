namespace ServiceHall.Server.Domain;

/// <summary>
/// Counts by level for some scope, with the indicators (docs/rules/indicators-and-disclosure.md#indicators) that need
/// nothing but them.
/// </summary>
public sealed record LevelCounts(IReadOnlyList<int> ByLevel)
{
    public static LevelCounts Empty { get; } = new(new int[5]);

    /// <summary>评价数: every counted rating.</summary>
    public int Total => ByLevel.Sum();

    /// <summary>好评 = 非常满意 + 满意 + 基本满意.</summary>
    public int Good => RatingLevels.All.Where(l => !l.IsBad()).Sum(Of);

    /// <summary>差评 = 不满意 + 非常不满意.</summary>
    public int Bad => RatingLevels.All.Where(l => l.IsBad()).Sum(Of);

    /// <summary>好评率 = 好评 ÷ 评价数, in percent; 0 for no ratings.</summary>
    public double GoodRate => Indicators.Percent(Good, Total);

    /// <summary>差评率 = 差评 ÷ 评价数, in percent; 0 for no ratings.</summary>
    public double BadRate => Indicators.Percent(Bad, Total);

    public int Of(RatingLevel level) => ByLevel[(int)level - 1];

    public LevelCounts Add(RatingLevel level, int count)
    {
        var counts = ByLevel.ToArray();
        counts[(int)level - 1] += count;
        return new LevelCounts(counts);
    }
}

/// <summary>One stored count: ratings of one level, for one department, in one local hour of the day.</summary>
public sealed record RatingCountRow(string DepartmentCode, RatingLevel Level, int LocalHour, int Count);

public sealed record DepartmentDayFigures(Department Department, LevelCounts Counts);

/// <summary>A hall's figures for one local calendar day: what the live hall screen shows.</summary>
public sealed record DayFigures(
    Hall Hall, DateOnly Day, DateTimeOffset AsOf, LevelCounts Counts, IReadOnlyList<int> HourlyCounts,
    IReadOnlyList<DepartmentDayFigures> Departments)
{
    public static DayFigures Build(
        Hall hall, IReadOnlyList<Department> departments, DateOnly day, DateTimeOffset asOf, IEnumerable<RatingCountRow> rows)
    {
        var total = LevelCounts.Empty;
        var hourly = new int[24];
        var byDepartment = departments.ToDictionary(d => d.Code, _ => LevelCounts.Empty);
        foreach (var row in rows)
        {
            total = total.Add(row.Level, row.Count);
            hourly[row.LocalHour] += row.Count;
            byDepartment[row.DepartmentCode] = byDepartment.GetValueOrDefault(row.DepartmentCode, LevelCounts.Empty).Add(row.Level, row.Count);
        }

        // Ranked by ratings received, then by the hall's own order, so the table reads the same on every refresh.
        var ranked = departments
            .Select((d, order) => (Figures: new DepartmentDayFigures(d, byDepartment[d.Code]), order))
            .OrderByDescending(x => x.Figures.Counts.Total)
            .ThenBy(x => x.order)
            .Select(x => x.Figures)
            .ToList();
        return new DayFigures(hall, day, asOf, total, hourly, ranked);
    }
}
