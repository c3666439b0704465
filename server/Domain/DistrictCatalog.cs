namespace ServiceHall.Server.Domain;

// The *En names are optional English texts beside the Chinese ones (catalog.proto; docs/rules/accessibility.md#english):
// null when the district gave none.

public sealed record Department(string Code, string Name, string ShortName, string? NameEn = null, string? ShortNameEn = null);

public sealed record StaffMember(string StaffId, string Name, string Title);

public sealed record ServiceWindow(
    string Code, string Name, string DepartmentCode, IReadOnlyList<StaffMember> Staff, IReadOnlyList<string> ServiceItemCodes,
    string? NameEn = null);

public sealed record Hall(
    string Code, string Name, string RegionCode, string Address, string OpeningHours, string SupervisionPhone,
    IReadOnlyList<ServiceWindow> Windows, string? NameEn = null, string? OpeningHoursEn = null)
{
    public ServiceWindow? FindWindow(string code) => Windows.FirstOrDefault(w => w.Code == code);

    public bool HasStaff(string staffId) => Windows.Any(w => w.Staff.Any(s => s.StaffId == staffId));
}

public sealed record RequiredMaterial(string Name, int OriginalCopies, int Photocopies, bool Required, string Note);

public sealed record FaqEntry(string Question, string Answer);

/// <summary>A 事项 with the fields of GB/T 39046 Table 4.</summary>
public sealed record ServiceItem(
    string Code,
    string BasicCode,
    string Name,
    string ItemType,
    string DepartmentCode,
    string Theme,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<RequiredMaterial> Materials,
    IReadOnlyList<string> ProcessSteps,
    int LegalTimeLimitDays,
    int PromisedTimeLimitDays,
    string Fees,
    string Location,
    string OfficeHours,
    string ConsultationPhone,
    string SupervisionPhone,
    string OnlineUrl,
    IReadOnlyList<FaqEntry> Faq,
    string? NameEn = null);

public sealed record ReasonTag(
    string Code, string Label, string Dimension, IReadOnlyList<RatingLevel> Levels, string? LabelEn = null, string? DimensionEn = null);

/// <summary>The centrally managed reason-tag list; a rating names the version it was made with.</summary>
public sealed record ReasonTagList(string Version, IReadOnlyList<ReasonTag> Tags)
{
    public ReasonTag? Find(string code) => Tags.FirstOrDefault(t => t.Code == code);
}

/// <summary>Everything the district offers: departments, halls with their windows, service items, reason tags.</summary>
public sealed class DistrictCatalog
{
    private readonly Dictionary<string, Department> _departments;
    private readonly Dictionary<string, Hall> _halls;
    private readonly Dictionary<string, ServiceItem> _items;
    private readonly Dictionary<string, ReasonTagList> _publishedTags;

    // publishedReasonTags: every reason-tag list ever published, the current one included or not. A rating made on a
    // kiosk offline across a list update names the version it was made with and is checked against that version.
    public DistrictCatalog(
        string regionCode, IEnumerable<Department> departments, IEnumerable<Hall> halls,
        IEnumerable<ServiceItem> serviceItems, ReasonTagList reasonTags, IEnumerable<ReasonTagList>? publishedReasonTags = null)
    {
        RegionCode = regionCode;
        _departments = departments.ToDictionary(d => d.Code);
        _halls = halls.ToDictionary(h => h.Code);
        _items = serviceItems.ToDictionary(i => i.Code);
        ReasonTags = reasonTags;
        _publishedTags = (publishedReasonTags ?? []).Where(l => l.Version != reasonTags.Version).ToDictionary(l => l.Version);
        _publishedTags[reasonTags.Version] = reasonTags;
    }

    /// <summary>The reason-tag list published under the version, current or earlier, or null if none ever was.</summary>
    public ReasonTagList? FindReasonTags(string version) => _publishedTags.GetValueOrDefault(version);

    public string RegionCode { get; }

    public ReasonTagList ReasonTags { get; }

    public IEnumerable<Department> Departments => _departments.Values;

    public IEnumerable<Hall> Halls => _halls.Values;

    public IEnumerable<ServiceItem> ServiceItems => _items.Values;

    public Hall? FindHall(string code) => _halls.GetValueOrDefault(code);

    public Department? FindDepartment(string code) => _departments.GetValueOrDefault(code);

    public ServiceItem? FindServiceItem(string code) => _items.GetValueOrDefault(code);

    /// <summary>The departments with a window in the hall or an item handled there, windows' departments first.</summary>
    public IReadOnlyList<Department> DepartmentsOf(Hall hall) =>
        hall.Windows.Select(w => w.DepartmentCode)
            .Concat(ServiceItemsOf(hall).Select(i => i.DepartmentCode))
            .Distinct()
            .Select(c => _departments[c])
            .ToList();

    /// <summary>The service items handled at some window of the hall.</summary>
    public IReadOnlyList<ServiceItem> ServiceItemsOf(Hall hall) =>
        hall.Windows.SelectMany(w => w.ServiceItemCodes).Distinct().Select(c => _items[c]).ToList();
}
