namespace ServiceHall.Server.Domain;

/// <summary>
/// What the indicators of one period and scope are computed from (docs/rules/indicators-and-disclosure.md#indicators).
/// Ratings and their cases are counted in the period the citizen rated (docs/rules/indicators-and-disclosure.md#which-period).
/// </summary>
public sealed record IndicatorCounts(
    // Ratings by level, 未评价 records and ratings whose 差评 an upheld appeal took out excluded.
    LevelCounts Levels,
    // Of those, the ones the citizen gave (主动评价), as opposed to system default ratings.
    int ActiveRatings,
    // 差评 taken out of the figures by an upheld appeal (误评/恶意差评): shown as their own count.
    int AppealUpheld,
    // Transactions offered a rating, and those of them that ended 未评价.
    int TransactionsOffered,
    int TransactionsNotRated,
    // 差评 cases (appeal-upheld ones excluded) that are due: closed, or past their rectification deadline.
    int BadDue,
    int BadRectified,
    int BadRectifiedInTime,
    // Real-name 差评 whose callback is due (reached, or past the contact deadline), and those whose rater was reached (回访).
    int RealNameBad,
    int RealNameBadContacted,
    // Raters asked about the fix, and those 满意 or 基本满意 with it.
    int RatersAsked,
    int RatersSatisfied)
{
    public static IndicatorCounts Empty { get; } = new(LevelCounts.Empty, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// The counts of a period and scope from tallies of its ratings and the counts of its cases. <paramref name="upheldRatings"/>
    /// are the ratings among the tallied ones (same period and scope) whose 差评 an upheld appeal took out: they leave the
    /// rating figures. The one way counts are made: <c>IndicatorQuery</c> gathers these for the live indicators and for
    /// every figure of a publication.
    /// </summary>
    public static IndicatorCounts Of(
        IEnumerable<RatingTally> tallies, IEnumerable<RatingRecord> upheldRatings, CaseFigures cases, (int Offered, int NotRated) transactions = default)
    {
        var levels = LevelCounts.Empty;
        var active = 0;
        foreach (var t in tallies)
        {
            levels = levels.Add(t.Level, t.Count);
            active += t.IsActive ? t.Count : 0;
        }

        foreach (var r in upheldRatings)
        {
            levels = levels.Add(r.Level, -1);
            active -= r.IsActive ? 1 : 0;
        }

        return new IndicatorCounts(
            levels,
            active,
            cases.AppealUpheld,
            TransactionsOffered: transactions.Offered,
            TransactionsNotRated: transactions.NotRated,
            cases.BadDue,
            cases.BadRectified,
            cases.BadRectifiedInTime,
            cases.RealNameBad,
            cases.RealNameBadContacted,
            cases.RatersAsked,
            cases.RatersSatisfied);
    }
}

/// <summary>
/// One published figure with its formula as data: the page shows how it was computed, and a rate whose denominator is
/// below the minimum sample shows 样本不足 instead of a number.
/// </summary>
public sealed record IndicatorValue(
    string Code, string Name, string Formula, int Numerator, int? Denominator, double? Percent, bool InsufficientSample)
{
    /// <summary>What a page prints: the count, the rate with one decimal, or 样本不足.</summary>
    public string Display => Denominator is null
        ? Numerator.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : InsufficientSample ? "样本不足" : Percent!.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + "%";
}

/// <summary>The indicators of docs/rules/indicators-and-disclosure.md, all computed here and nowhere else.</summary>
public static class Indicators
{
    public const string RatingCount = "rating_count";
    public const string ActiveRate = "active_rate";
    public const string GoodRate = "good_rate";
    public const string BadRate = "bad_rate";
    public const string NotRatedRate = "not_rated_rate";
    public const string RectifiedRate = "rectified_rate";
    public const string RectifiedInTimeRate = "rectified_in_time_rate";
    public const string CallbackRate = "callback_rate";
    public const string FixSatisfactionRate = "fix_satisfaction_rate";
    public const string AppealUpheldCount = "appeal_upheld_count";

    /// <summary>Every indicator, in the order a disclosure lists them.</summary>
    public static IReadOnlyList<IndicatorValue> Compute(IndicatorCounts c, int minimumSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSample);
        var ratings = c.Levels.Total;
        return
        [
            Count(RatingCount, "评价数", "评价数 = 期内评价条数（不含未评价，不含申诉成立的差评）", ratings),
            Rate(ActiveRate, "主动评价率", "主动评价率 = 主动评价数 ÷ 评价数", c.ActiveRatings, ratings, minimumSample),
            Rate(GoodRate, "好评率", "好评率 = (非常满意 + 满意 + 基本满意) ÷ 评价数", c.Levels.Good, ratings, minimumSample),
            Rate(BadRate, "差评率", "差评率 = (不满意 + 非常不满意) ÷ 评价数", c.Levels.Bad, ratings, minimumSample),
            Rate(NotRatedRate, "未评率", "未评率 = 未评价的办件数 ÷ 提供评价的办件数", c.TransactionsNotRated, c.TransactionsOffered, minimumSample),
            .. CaseRateValues(c.BadDue, c.BadRectified, c.BadRectifiedInTime, c.RealNameBad, c.RealNameBadContacted, c.RatersAsked, c.RatersSatisfied,
                c.AppealUpheld, minimumSample),
        ];
    }

    /// <summary>
    /// The case indicators alone (差评整改率, 按时整改率, 实名差评回访率, 回访整改满意率, 申诉成立差评数), as a disclosure lists them:
    /// the handling figures of the live screens and the statistics page show exactly these.
    /// </summary>
    public static IReadOnlyList<IndicatorValue> CaseRates(CaseFigures c, int minimumSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSample);
        return CaseRateValues(c.BadDue, c.BadRectified, c.BadRectifiedInTime, c.RealNameBad, c.RealNameBadContacted, c.RatersAsked, c.RatersSatisfied,
            c.AppealUpheld, minimumSample);
    }

    private static IndicatorValue[] CaseRateValues(
        int due, int rectified, int inTime, int realName, int contacted, int asked, int satisfied, int upheld, int minimumSample) =>
    [
        Rate(RectifiedRate, "差评整改率", "差评整改率 = 已整改办结的差评数 ÷ 应整改的差评数（已办结或已过整改时限）", rectified, due, minimumSample),
        Rate(RectifiedInTimeRate, "按时整改率", "按时整改率 = 按期整改办结的差评数 ÷ 应整改的差评数", inTime, due, minimumSample),
        Rate(CallbackRate, "实名差评回访率", "实名差评回访率 = 已回访的实名差评数 ÷ 应回访的实名差评数（已回访或已过首次联系时限）", contacted, realName, minimumSample),
        Rate(FixSatisfactionRate, "回访整改满意率", "回访整改满意率 = (满意 + 基本满意) ÷ 征询整改满意度的评价人数",
            satisfied, asked, minimumSample),
        Count(AppealUpheldCount, "申诉成立差评数", "申诉成立差评数 = 经督办人员认定为误评或恶意差评的差评数（不计入差评统计，记录保留）", upheld),
    ];

    private static IndicatorValue Count(string code, string name, string formula, int count) =>
        new(code, name, formula, count, null, null, false);

    /// <summary>A rate in percent with one decimal, the one rounding rule of every published figure; 0 for 0 ÷ 0.</summary>
    public static double Percent(int numerator, int denominator) =>
        denominator == 0 ? 0 : Math.Round(100.0 * numerator / denominator, 1, MidpointRounding.AwayFromZero);

    private static IndicatorValue Rate(string code, string name, string formula, int numerator, int denominator, int minimumSample)
    {
        var insufficient = denominator == 0 || denominator < minimumSample;
        double? percent = insufficient ? null : Percent(numerator, denominator);
        return new(code, name, formula, numerator, denominator, percent, insufficient);
    }
}
