namespace ServiceHall.Dashboard.Services;

/// <summary>How many ratings of one level a hall received today.</summary>
public sealed record LevelCount(SatisfactionLevel Level, int Count)
{
    public string Label => Level.Label();
}

/// <summary>One department's figures today.</summary>
/// <param name="DepartmentCode">The department's code.</param>
/// <param name="DepartmentName">The name shown in the table.</param>
/// <param name="RatingCount">评价数.</param>
/// <param name="GoodCount">好评数.</param>
/// <param name="BadCount">差评数.</param>
/// <param name="GoodRate">好评率 in percent; null when the department has no ratings today.</param>
public sealed record DepartmentLiveFigures(
    string DepartmentCode,
    string DepartmentName,
    int RatingCount,
    int GoodCount,
    int BadCount,
    double? GoodRate);

/// <summary>A hall's figures since local midnight, as the hall screen shows them.</summary>
/// <param name="HallCode">The hall's code.</param>
/// <param name="HallName">The hall's name for the title.</param>
/// <param name="AsOf">When the server computed the figures.</param>
/// <param name="Day">The local calendar day covered; null if the server sent none.</param>
/// <param name="RatingCount">评价数 (inactive system-default ratings excluded by the server).</param>
/// <param name="GoodCount">好评数 = 非常满意 + 满意 + 基本满意.</param>
/// <param name="BadCount">差评数 = 不满意 + 非常不满意.</param>
/// <param name="Levels">Exactly five entries, best level first.</param>
/// <param name="HourlyCounts">Exactly 24 entries, index 0 = 00:00–00:59 local time.</param>
/// <param name="Departments">Ranked as the server sent them (most ratings first).</param>
/// <param name="GoodRate">好评率 in percent; null when there are no ratings.</param>
/// <param name="BadRate">差评率 in percent; null when there are no ratings.</param>
public sealed record HallLiveFigures(
    string HallCode,
    string HallName,
    DateTimeOffset? AsOf,
    DateOnly? Day,
    int RatingCount,
    int GoodCount,
    int BadCount,
    IReadOnlyList<LevelCount> Levels,
    IReadOnlyList<int> HourlyCounts,
    IReadOnlyList<DepartmentLiveFigures> Departments,
    double? GoodRate,
    double? BadRate);
