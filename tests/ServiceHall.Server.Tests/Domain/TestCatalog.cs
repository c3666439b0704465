using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>A small hand-made district: one hall, two departments, three windows, two items, five tags.</summary>
internal static class TestCatalog
{
    public const string HallCode = "H1";

    public static DistrictCatalog Create()
    {
        Department[] departments = [new("RSJ", "人社局", "区人社局"), new("YBJ", "医保局", "区医保局"), new("MZJ", "民政局", "区民政局")];
        ServiceWindow[] windows =
        [
            new("A01", "社保窗口", "RSJ", [new("S01", "王芳", "窗口工作人员")], ["ITEM-SB"]),
            new("A02", "医保窗口", "YBJ", [new("S02", "李强", "窗口工作人员")], ["ITEM-YB"]),
            new("A03", "综合受理窗口", "RSJ", [], ["ITEM-YB"]),
        ];
        var hall = new Hall(HallCode, "测试大厅", "370104", "地址", "周一至周五", "0531-12345678", windows);
        ServiceItem[] items = [Item("ITEM-SB", "社保卡申领", "RSJ"), Item("ITEM-YB", "异地就医备案", "YBJ")];
        var tags = new ReasonTagList("T1",
        [
            new("FAST", "办事效率高", "服务效率", [RatingLevel.VerySatisfied, RatingLevel.Satisfied]),
            new("KIND", "态度热情", "服务态度", [RatingLevel.VerySatisfied, RatingLevel.Satisfied, RatingLevel.BasicallySatisfied]),
            new("SLOW", "等候时间长", "服务效率", [RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied]),
            new("RUDE", "态度不好", "服务态度", [RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied]),
            new("GUIDE", "办事指南不清楚", "办事指南/告知", [RatingLevel.Dissatisfied, RatingLevel.VeryDissatisfied]),
        ]);
        return new DistrictCatalog("370104", departments, [hall], items, tags);
    }

    private static ServiceItem Item(string code, string name, string department) => new(
        code, "000" + code, name, "公共服务", department, "社会保障", ["条件"], [new("身份证", 1, 1, true, "")], ["受理", "办结"],
        20, 5, "不收费", "一楼", "工作日", "0531-1", "0531-2", "", []);
}
