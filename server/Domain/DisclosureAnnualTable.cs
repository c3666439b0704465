namespace ServiceHall.Server.Domain;

/// <summary>What the annual report needs of one request: who applied, when it was received, when and how it was concluded.</summary>
public sealed record DisclosureRequestFacts(ApplicantKind ApplicantKind, DateOnly ReceivedDay, DateOnly? ConcludedDay, DisclosureOutcome? Outcome);

/// <summary>One row of the table "收到和处理政府信息公开申请情况".</summary>
public enum AnnualTableRowKind
{
    /// <summary>一、本年新收申请数量.</summary>
    NewThisYear = 1,

    /// <summary>二、上年结转申请数量.</summary>
    CarriedOver = 2,

    /// <summary>三、本年度办理结果, one row per outcome.</summary>
    Outcome = 3,

    /// <summary>（七）总计.</summary>
    Total = 4,

    /// <summary>四、结转下年度继续办理.</summary>
    CarriedForward = 5,
}

/// <summary>A row: its kind, its outcome for an outcome row, its label, and the counts by column (<see cref="DisclosureAnnualTable.Columns"/>).</summary>
public sealed record AnnualTableRow(AnnualTableRowKind Kind, DisclosureOutcome? Outcome, string Label, IReadOnlyList<int> Counts)
{
    public int Total => Counts[^1];
}

/// <summary>
/// The annual report's table "收到和处理政府信息公开申请情况" for one year (条例 art. 50; format of 国办公开办函〔2021〕30号),
/// computed from the requests (docs/rules/disclosure-requests.md#the-annual-table). Counts only: nothing about an applicant
/// beyond the kind the columns count.
/// </summary>
/// <remarks>
/// A request belongs to the year it was received (its day of receipt) and is counted under its outcome in the year it was
/// concluded (the reply delivered, or lapsed for want of a supplement). One not concluded by the end of a year is carried
/// into the next. So for each column: 新收 + 上年结转 = 总计 + 结转下年度.
/// </remarks>
public sealed record DisclosureAnnualTable(int Year, IReadOnlyList<AnnualTableRow> Rows)
{
    /// <summary>The columns: 自然人, then the five kinds of 法人或其他组织, then 总计.</summary>
    public static IReadOnlyList<ApplicantKind> ApplicantColumns { get; } = Enum.GetValues<ApplicantKind>();

    public static IReadOnlyList<string> Columns { get; } = [.. ApplicantColumns.Select(k => k.Label()), "总计"];

    public AnnualTableRow Row(AnnualTableRowKind kind) => Rows.Single(r => r.Kind == kind);

    public AnnualTableRow Row(DisclosureOutcome outcome) => Rows.Single(r => r.Outcome == outcome);

    public static DisclosureAnnualTable Compute(int year, IEnumerable<DisclosureRequestFacts> requests)
    {
        var list = requests.ToList();
        AnnualTableRow Count(AnnualTableRowKind kind, DisclosureOutcome? outcome, string label, Func<DisclosureRequestFacts, bool> counts)
        {
            var byKind = ApplicantColumns.Select(k => list.Count(r => r.ApplicantKind == k && counts(r))).ToList();
            return new AnnualTableRow(kind, outcome, label, [.. byKind, byKind.Sum()]);
        }

        bool ConcludedIn(DisclosureRequestFacts r) => r.ConcludedDay?.Year == year && r.Outcome is not null;

        var rows = new List<AnnualTableRow>
        {
            Count(AnnualTableRowKind.NewThisYear, null, "一、本年新收政府信息公开申请数量", r => r.ReceivedDay.Year == year),
            Count(AnnualTableRowKind.CarriedOver, null, "二、上年结转政府信息公开申请数量",
                r => r.ReceivedDay.Year < year && (r.ConcludedDay is null || r.ConcludedDay.Value.Year >= year)),
        };
        rows.AddRange(DisclosureOutcomes.All.Select(o =>
            Count(AnnualTableRowKind.Outcome, o, RowLabel(o), r => ConcludedIn(r) && r.Outcome == o)));
        rows.Add(Count(AnnualTableRowKind.Total, null, "（七）总计", ConcludedIn));
        rows.Add(Count(AnnualTableRowKind.CarriedForward, null, "四、结转下年度继续办理",
            r => r.ReceivedDay.Year <= year && (r.ConcludedDay is null || r.ConcludedDay.Value.Year > year)));
        return new DisclosureAnnualTable(year, rows);
    }

    /// <summary>"三、本年度办理结果（一）予以公开", "（三）不予公开 1.属于国家秘密": the row as the printed table heads it.</summary>
    public static string RowLabel(DisclosureOutcome outcome) => outcome.GroundNumber() switch
    {
        null => outcome.Category().Numeral() + outcome.Label(),
        var n => $"{outcome.Category().Numeral()}{outcome.Category().Label()} {n}.{outcome.Label()}",
    };
}

/// <summary>
/// The second table of the annual report: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) arising from disclosure work, each
/// as 结果维持, 结果纠正, 其他结果, 尚未审结, 总计. Entered by the 政务公开 office: the server does not see these proceedings.
/// </summary>
public sealed record ReviewAndLitigationFigures(int Year, ProceedingFigures Review, ProceedingFigures LitigationDirect, ProceedingFigures LitigationAfterReview)
{
    public static ReviewAndLitigationFigures Empty(int year) => new(year, ProceedingFigures.Zero, ProceedingFigures.Zero, ProceedingFigures.Zero);
}

/// <summary>One kind of proceeding's counts: 结果维持, 结果纠正, 其他结果, 尚未审结; 总计 is their sum.</summary>
public sealed record ProceedingFigures(int Upheld, int Corrected, int Other, int Pending)
{
    public static ProceedingFigures Zero { get; } = new(0, 0, 0, 0);

    public int Total => Upheld + Corrected + Other + Pending;

    /// <exception cref="InvalidInputException">A count is negative or absurd.</exception>
    public void Check(string field)
    {
        if (new[] { Upheld, Corrected, Other, Pending }.Any(n => n is < 0 or > 100_000))
        {
            throw new InvalidInputException(field, "各项数量须为 0 至 100000 的整数");
        }
    }
}
