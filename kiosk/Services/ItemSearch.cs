namespace ServiceHall.Kiosk.Services;

/// <summary>Finding service items on the guide screens.</summary>
public static class ItemSearch
{
    // What people say at the counter, next to the words the catalog uses.
    private static readonly Dictionary<string, string[]> Colloquial = new()
    {
        ["社保"] = ["社会保险", "社会保障", "养老保险", "失业保险", "工伤保险"],
        ["医保"] = ["医疗保险", "医疗保障", "医保"],
        ["社保卡"] = ["社会保障卡"],
        ["身份证"] = ["居民身份证"],
        ["低保"] = ["最低生活保障"],
        ["执照"] = ["营业执照", "设立登记"],
        ["开公司"] = ["公司设立", "设立登记"],
        ["上学"] = ["入学", "招生"],
    };

    /// <summary>
    /// Items of <paramref name="departmentCode"/> (all when null) whose name, theme, type, code or department
    /// contains every word of <paramref name="query"/>; in catalog order.
    /// </summary>
    public static IEnumerable<ServiceItemInfo> Find(HallCatalog catalog, string? query, string? departmentCode)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var words = (query ?? "").Split([' ', '\u3000'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return catalog.ServiceItems.Where(item =>
            (string.IsNullOrEmpty(departmentCode) || item.DepartmentCode == departmentCode)
            && words.All(word => Synonyms(word).Any(term =>
                Haystack(catalog, item).Any(field => field.Contains(term, StringComparison.OrdinalIgnoreCase)))));
    }

    private static IEnumerable<string> Synonyms(string word)
    {
        yield return word;
        if (Colloquial.TryGetValue(word, out var terms))
        {
            foreach (var term in terms)
            {
                yield return term;
            }
        }
    }

    private static IEnumerable<string> Haystack(HallCatalog catalog, ServiceItemInfo item)
    {
        yield return item.Name;
        yield return item.NameEn;
        yield return item.Theme;
        yield return item.ItemType;
        yield return item.Code;
        yield return item.BasicCode;
        if (catalog.FindDepartment(item.DepartmentCode) is { } department)
        {
            yield return department.Name;
            yield return department.ShortName;
            yield return department.NameEn;
            yield return department.ShortNameEn;
        }
    }
}
