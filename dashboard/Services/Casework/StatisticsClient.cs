using System.Globalization;
using System.Text;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Casework;

/// <summary>What the statistics page breaks the handling figures down by.</summary>
public enum StatisticsBreakdown
{
    Department = 1,
    Window = 2,
    Staff = 3,
    ReasonTag = 4,
    Channel = 5,
}

/// <summary>The kinds of period the statistics page offers.</summary>
public enum StatisticsPeriodKind
{
    Month = 1,
    Quarter = 2,
    Year = 3,
    Custom = 4,
}

/// <summary>A run of local days the figures cover, both ends included, with what a page calls it.</summary>
public sealed record StatisticsPeriod(DateOnly FirstDay, DateOnly LastDay, string Label)
{
    public static StatisticsPeriod Month(int year, int month)
    {
        var first = new DateOnly(year, month, 1);
        return new(first, first.AddMonths(1).AddDays(-1), $"{year}年{month}月");
    }

    public static StatisticsPeriod Quarter(int year, int quarter)
    {
        var first = new DateOnly(year, ((quarter - 1) * 3) + 1, 1);
        return new(first, first.AddMonths(3).AddDays(-1), $"{year}年第{"一二三四"[quarter - 1]}季度");
    }

    public static StatisticsPeriod Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31), $"{year}年度");

    public static StatisticsPeriod Custom(DateOnly first, DateOnly last) =>
        new(first, last, $"{first:yyyy-MM-dd} 至 {last:yyyy-MM-dd}");

    /// <summary>The period cut at <paramref name="today"/>: figures of days not yet come are none.</summary>
    public StatisticsPeriod Until(DateOnly today) => LastDay > today && FirstDay <= today ? this with { LastDay = today } : this;
}

/// <summary>One group of a breakdown; <see cref="GoodRate"/> and <see cref="BadCount"/> for windows only.</summary>
public sealed record HandlingGroupView(string Key, string Name, HandlingSummaryView Summary, FigureView? GoodRate, int BadCount);

/// <summary>One window of the month-end ranking (通报): 好评率, 差评数 and 按时整改率, ranked.</summary>
public sealed record WindowRankView(int Rank, string Name, FigureView GoodRate, int BadCount, FigureView RectifiedInTime);

/// <summary>The handling figures of one period and the caller's scope, in total, by department and by the breakdown asked for.</summary>
public sealed record HandlingStatistics(StatisticsPeriod Period, StatisticsBreakdown Breakdown, HandlingPeriodView Figures, IReadOnlyList<HandlingGroupView> Groups)
{
    /// <summary>
    /// The windows ranked as a hall's month-end 通报 ranks them: 好评率 first (a window whose sample is too small last), then
    /// fewer 差评, then 按时整改率; empty unless broken down by window.
    /// </summary>
    public IReadOnlyList<WindowRankView> WindowRanking => Groups
        .Where(g => g.GoodRate is not null)
        .OrderByDescending(g => PercentOf(g.GoodRate!) ?? -1)
        .ThenBy(g => g.BadCount)
        .ThenByDescending(g => PercentOf(g.Summary.Rate(HandlingFiguresMapping.RectifiedInTimeRate)) ?? -1)
        .ThenBy(g => g.Key, StringComparer.Ordinal)
        .Select((g, i) => new WindowRankView(i + 1, g.Name, g.GoodRate!, g.BadCount, g.Summary.Rate(HandlingFiguresMapping.RectifiedInTimeRate)))
        .ToList();

    private static double? PercentOf(FigureView figure) =>
        figure.Denominator is > 0 && double.TryParse(figure.Display.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) ? p : null;

    /// <summary>
    /// The figures as a CSV file Excel opens with its Chinese intact (UTF-8 with a byte-order mark): the total and each group,
    /// every rate with its numerator and denominator. Figures only: nothing about a rater is in it.
    /// </summary>
    public byte[] ToCsv()
    {
        var rates = new[]
        {
            HandlingFiguresMapping.RectifiedRate, HandlingFiguresMapping.RectifiedInTimeRate, HandlingFiguresMapping.CallbackRate,
            HandlingFiguresMapping.FixSatisfactionRate,
        };
        var header = new List<string> { "期间", "统计维度", "分组", "差评数", "待处理", "已逾期" };
        foreach (var code in rates)
        {
            var name = Figures.Total.Rate(code).Name;
            header.AddRange([name, name + "分子", name + "分母"]);
        }

        header.AddRange(["回访中位工作日", "反馈中位工作日"]);
        if (Breakdown == StatisticsBreakdown.Window)
        {
            header.AddRange(["好评率", "差评数（评价）"]);
        }

        var csv = new StringBuilder().AppendJoin(',', header.Select(Field)).Append("\r\n");
        void Row(string group, HandlingSummaryView s, HandlingGroupView? g)
        {
            var cells = new List<string> { Period.Label, BreakdownLabel(Breakdown), group, Number(s.Received), Number(s.Open), Number(s.Overdue) };
            foreach (var code in rates)
            {
                var rate = s.Rate(code);
                cells.AddRange([rate.Display, Number(rate.Numerator), rate.Denominator is { } d ? Number(d) : ""]);
            }

            cells.AddRange([Days(s.MedianDaysToContact), Days(s.MedianDaysToFeedback)]);
            if (Breakdown == StatisticsBreakdown.Window)
            {
                cells.AddRange([g?.GoodRate?.Display ?? "", g is null ? "" : Number(g.BadCount)]);
            }

            csv.AppendJoin(',', cells.Select(Field)).Append("\r\n");
        }

        Row("合计", Figures.Total, null);
        foreach (var g in Groups)
        {
            Row(g.Name, g.Summary, g);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static string BreakdownLabel(StatisticsBreakdown breakdown) => breakdown switch
    {
        StatisticsBreakdown.Department => "部门",
        StatisticsBreakdown.Window => "窗口",
        StatisticsBreakdown.Staff => "工作人员",
        StatisticsBreakdown.ReasonTag => "差评原因",
        StatisticsBreakdown.Channel => "评价渠道",
        _ => throw new ArgumentOutOfRangeException(nameof(breakdown), breakdown, null),
    };

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Days(double? days) => days?.ToString("0.#", CultureInfo.InvariantCulture) ?? "";

    // RFC 4180 quoting; a text a spreadsheet would run as a formula gets a leading quote (docs/rules/indicators-and-disclosure.md#safe-files).
    private static string Field(string text)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length > 0 && "=+-@\t\r".Contains(trimmed[0], StringComparison.Ordinal) && !double.TryParse(text, CultureInfo.InvariantCulture, out _))
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}

/// <summary>The console's call to CaseService.GetHandlingFigures for the statistics page: map, call with the user's token, map.</summary>
public sealed class StatisticsClient(CaseService.CaseServiceClient client, ConsoleSession session)
{
    public async Task<HandlingStatistics> GetAsync(StatisticsPeriod period, StatisticsBreakdown breakdown, CancellationToken cancellationToken = default)
    {
        var request = new GetHandlingFiguresRequest
        {
            FromDay = period.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ToDay = period.LastDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Breakdown = ToProto(breakdown),
        };
        var response = await session.CallAsync(headers => client.GetHandlingFiguresAsync(request, headers, DateTime.UtcNow + CaseClient.CallTimeout, cancellationToken));
        return new HandlingStatistics(
            period, breakdown, response.Period.ToView(),
            response.Groups.Select(g => new HandlingGroupView(g.Key, g.Name, g.Summary.ToView(), g.GoodRate?.ToView(), g.BadCount)).ToList());
    }

    private static HandlingBreakdown ToProto(StatisticsBreakdown breakdown) => breakdown switch
    {
        StatisticsBreakdown.Department => HandlingBreakdown.Department,
        StatisticsBreakdown.Window => HandlingBreakdown.Window,
        StatisticsBreakdown.Staff => HandlingBreakdown.Staff,
        StatisticsBreakdown.ReasonTag => HandlingBreakdown.ReasonTag,
        StatisticsBreakdown.Channel => HandlingBreakdown.Channel,
        _ => throw new ArgumentOutOfRangeException(nameof(breakdown), breakdown, null),
    };
}
