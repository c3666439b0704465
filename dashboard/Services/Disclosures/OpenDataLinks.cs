namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>A CSV table of a publication: its name in the address and in words.</summary>
public sealed record OpenDataTable(string Name, string Title);

/// <summary>
/// Addresses of a publication's open-data files on the server's HTTP endpoint (README "Open data"), so the page's
/// download links fetch the very document the page shows.
/// </summary>
public sealed class OpenDataLinks(string baseUrl)
{
    /// <summary>Every CSV table, in the order of the page's sections.</summary>
    public static IReadOnlyList<OpenDataTable> Tables { get; } =
    [
        new("indicators", "主要指标"),
        new("levels", "满意度分布"),
        new("channels", "评价渠道"),
        new("departments", "部门排名"),
        new("windows", "窗口排名"),
        new("trend", "趋势"),
        new("bad-review-reasons", "差评原因"),
        new("bad-reviews", "差评及整改情况"),
    ];

    private readonly string _base = baseUrl.TrimEnd('/');

    public string Json(string periodKey, int version) =>
        $"{_base}/open-data/publications/{Uri.EscapeDataString(periodKey)}/v{version}.json";

    public string Csv(string periodKey, int version, string table) =>
        $"{_base}/open-data/publications/{Uri.EscapeDataString(periodKey)}/v{version}/{table}.csv";
}
