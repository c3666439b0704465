using Google.Protobuf.WellKnownTypes;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Tests;

/// <summary>Live-figure messages as the server sends them, built from level counts so totals stay consistent.</summary>
internal static class TestFigures
{
    public static readonly DateTimeOffset AsOf = new(2026, 3, 9, 2, 15, 30, TimeSpan.Zero); // 10:15:30 in Jinan

    /// <param name="levels">Counts of 非常满意 … 非常不满意.</param>
    /// <param name="departments">Ranked as the server would rank them.</param>
    public static LiveFigures Message(int[] levels, params (string Code, string Name, int Good, int Bad)[] departments)
    {
        var total = levels.Sum();
        var good = levels[0] + levels[1] + levels[2];
        var bad = levels[3] + levels[4];
        var message = new LiveFigures
        {
            HallCode = "370104-ZWZX",
            HallName = "槐荫区政务服务中心",
            AsOf = Timestamp.FromDateTimeOffset(AsOf),
            Day = "2026-03-09",
            RatingCount = total,
            GoodCount = good,
            BadCount = bad,
            GoodRate = total == 0 ? 0 : 100.0 * good / total,
            BadRate = total == 0 ? 0 : 100.0 * bad / total,
        };
        message.LevelCounts.AddRange(levels);
        // All of today's ratings arrived at 10 时 (index 10), so hour sums match the total.
        message.HourlyCounts.AddRange(Enumerable.Range(0, 24).Select(hour => hour == 10 ? total : 0));
        foreach (var (code, name, departmentGood, departmentBad) in departments)
        {
            var count = departmentGood + departmentBad;
            message.Departments.Add(new DepartmentFigures
            {
                DepartmentCode = code,
                DepartmentName = name,
                RatingCount = count,
                GoodCount = departmentGood,
                BadCount = departmentBad,
                GoodRate = count == 0 ? 0 : 100.0 * departmentGood / count,
            });
        }

        return message;
    }

    /// <summary>13 ratings: 12 good, 1 bad (好评率 92.3%).</summary>
    public static LiveFigures Typical() => Message(
        [6, 4, 2, 1, 0],
        ("RSJ", "区人力资源社会保障局", 7, 1),
        ("SPJ", "区行政审批服务局", 5, 0),
        ("YBJ", "区医保局", 0, 0));

    public static LiveFigures Empty() => Message([0, 0, 0, 0, 0], ("SPJ", "区行政审批服务局", 0, 0));
}
