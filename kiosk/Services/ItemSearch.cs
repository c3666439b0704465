namespace ServiceHall.Kiosk.Services;

/// <summary>Finding service items on the guide screens (the matching itself is <see cref="TextSearch"/>'s).</summary>
public static class ItemSearch
{
    /// <summary>
    /// Items of <paramref name="departmentCode"/> (all when null) whose name, theme, type, code or department
    /// contains every word of <paramref name="query"/> (or its pinyin initials); in catalog order.
    /// </summary>
    public static IEnumerable<ServiceItemInfo> Find(HallCatalog catalog, string? query, string? departmentCode)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var words = TextSearch.Words(query);
        return catalog.ServiceItems.Where(item =>
            (string.IsNullOrEmpty(departmentCode) || item.DepartmentCode == departmentCode)
            && TextSearch.Matches(words, Haystack(catalog, item)));
    }

    private static IEnumerable<string?> Haystack(HallCatalog catalog, ServiceItemInfo item)
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
