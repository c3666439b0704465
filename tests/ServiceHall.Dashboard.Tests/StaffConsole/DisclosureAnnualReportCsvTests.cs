using ServiceHall.Dashboard.Services.Casework;

namespace ServiceHall.Dashboard.Tests.StaffConsole;

/// <summary>The annual report's CSV: both tables, in the printed order, a spreadsheet-readable UTF-8 file.</summary>
public class DisclosureAnnualReportCsvTests
{
    private static readonly DisclosureAnnualReport Report = new(
        2026,
        ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
        [
            ("一、本年新收政府信息公开申请数量", "new", [3, 1, 0, 0, 0, 0, 4]),
            ("（三）不予公开 3.危及“三安全一稳定”", "not_disclosed_security_stability", [1, 0, 0, 0, 0, 0, 1]),
            ("a, \"quoted\" label", "other", [0, 0, 0, 0, 0, 0, 0]),
        ],
        [("行政复议", [1, 0, 0, 1, 2])]);

    [Fact]
    public void ToCsv_BothTablesWithHeadersAndCounts_BomFirst_QuotesWhereNeeded()
    {
        var lines = Report.ToCsv().Split("\r\n");

        Assert.StartsWith("\uFEFF收到和处理政府信息公开申请情况,自然人,商业企业", lines[0], StringComparison.Ordinal);
        Assert.Equal("一、本年新收政府信息公开申请数量,3,1,0,0,0,0,4", lines[1]);
        Assert.Equal("（三）不予公开 3.危及“三安全一稳定”,1,0,0,0,0,0,1", lines[2]);
        Assert.Equal("\"a, \"\"quoted\"\" label\",0,0,0,0,0,0,0", lines[3]);
        Assert.Equal("政府信息公开行政复议、行政诉讼情况,结果维持,结果纠正,其他结果,尚未审结,总计", lines[5]);
        Assert.Equal("行政复议,1,0,0,1,2", lines[6]);
    }
}
