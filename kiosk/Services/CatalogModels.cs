using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ServiceHall.Kiosk.Services;

// Plain C# mirrors of the CatalogService messages: components and the rating flow never see proto types.
// The *En texts are the district's optional English names (catalog.proto): empty when it gave none, in which case the
// kiosk in English shows the Chinese text (KioskText.Content; docs/rules/accessibility.md#english). Their defaults let a
// catalog.json saved before they existed still load.

/// <summary>Everything this kiosk's hall shows: the hall, its departments, windows, service items and reason tags.</summary>
public sealed record HallCatalog(
    HallInfo Hall,
    IReadOnlyList<DepartmentInfo> Departments,
    IReadOnlyList<WindowInfo> Windows,
    IReadOnlyList<ServiceItemInfo> ServiceItems,
    ReasonTagListInfo ReasonTags,
    RatingInputRules? RatingRules = null)
{
    /// <summary>
    /// The server's rules for a rating; <see cref="RatingInputRules.Default"/> when the catalog came from a server, or
    /// a saved catalog.json, older than the rules in the contract.
    /// </summary>
    [JsonIgnore]
    public RatingInputRules Rules => RatingRules ?? RatingInputRules.Default;

    public DepartmentInfo? FindDepartment(string? code) =>
        code is null ? null : Departments.FirstOrDefault(d => d.Code == code);

    public WindowInfo? FindWindow(string? code) => code is null ? null : Windows.FirstOrDefault(w => w.Code == code);

    public ServiceItemInfo? FindItem(string? code) => code is null ? null : ServiceItems.FirstOrDefault(i => i.Code == code);

    /// <summary>The department's short name for buttons, or its code when the department is not listed.</summary>
    public string DepartmentName(string code) => FindDepartment(code) is { } d
        ? (string.IsNullOrWhiteSpace(d.ShortName) ? d.Name : d.ShortName)
        : code;

    /// <summary>The department's short English name for buttons, else its full English name; empty if it has neither.</summary>
    public string DepartmentNameEn(string code) => FindDepartment(code) is { } d
        ? (string.IsNullOrWhiteSpace(d.ShortNameEn) ? d.NameEn : d.ShortNameEn)
        : "";

    /// <summary>Tags that may be used with <paramref name="level"/>, in list order.</summary>
    public IReadOnlyList<ReasonTagInfo> TagsFor(SatisfactionLevel level) =>
        [.. ReasonTags.Tags.Where(t => t.Levels.Contains(level))];
}

public sealed record HallInfo(
    string Code, string Name, string RegionCode, string Address, string OpeningHours, string SupervisionPhone,
    string NameEn = "", string OpeningHoursEn = "");

public sealed record DepartmentInfo(string Code, string Name, string ShortName, string NameEn = "", string ShortNameEn = "");

public sealed record StaffInfo(string StaffId, string Name, string Title);

public sealed record WindowInfo(string Code, string Name, string DepartmentCode, IReadOnlyList<StaffInfo> Staff, string NameEn = "");

public sealed record MaterialInfo(string Name, int OriginalCopies, int Photocopies, bool Required, string Note);

public sealed record FaqInfo(string Question, string Answer);

public sealed record ServiceItemInfo(
    string Code,
    string BasicCode,
    string Name,
    string ItemType,
    string DepartmentCode,
    IReadOnlyList<string> Conditions,
    IReadOnlyList<MaterialInfo> Materials,
    IReadOnlyList<string> ProcessSteps,
    int LegalTimeLimitDays,
    int PromisedTimeLimitDays,
    string Fees,
    string Location,
    string OfficeHours,
    string ConsultationPhone,
    string SupervisionPhone,
    string OnlineUrl,
    IReadOnlyList<FaqInfo> Faq,
    IReadOnlyList<string> WindowCodes,
    string Theme,
    string NameEn = "");

/// <summary>What the server accepts in a rating (catalog.proto RatingInputRules), checked on the kiosk too.</summary>
/// <param name="MaxTextLength">The most characters a 文字评价 may have.</param>
/// <param name="CallbackPhonePattern">The pattern a callback number matches once spaces and dashes are removed.</param>
/// <param name="CallbackWorkingDays">Working days within which a real-name 差评 is called back; 0 when not sent.</param>
public sealed record RatingInputRules(int MaxTextLength, string CallbackPhonePattern, int CallbackWorkingDays = 0)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// What servers applied before they sent their rules: 500 characters and a mainland mobile number. Used only
    /// until a catalog with the server's own rules arrives.
    /// </summary>
    public static RatingInputRules Default { get; } = new(500, "^1[3-9][0-9]{9}$");

    /// <summary>The rules as the server sent them, with the default for each one it did not send or sent unusable.</summary>
    public static RatingInputRules From(int maxTextLength, string? callbackPhonePattern, int callbackWorkingDays = 0) => new(
        maxTextLength > 0 ? maxTextLength : Default.MaxTextLength,
        IsUsablePattern(callbackPhonePattern) ? callbackPhonePattern! : Default.CallbackPhonePattern,
        Math.Max(0, callbackWorkingDays));

    /// <summary>True when <paramref name="digits"/> is a callback number the server will accept.</summary>
    public bool IsCallbackPhone(string digits) =>
        Regex.IsMatch(digits, CallbackPhonePattern, RegexOptions.CultureInvariant, MatchTimeout);

    private static bool IsUsablePattern(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern))
        {
            return false;
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

public sealed record ReasonTagInfo(
    string Code, string Label, string Dimension, IReadOnlyList<SatisfactionLevel> Levels, string LabelEn = "", string DimensionEn = "");

public sealed record ReasonTagListInfo(string Version, IReadOnlyList<ReasonTagInfo> Tags);

/// <summary>What the server said about one submitted rating.</summary>
public enum DeliveryOutcome
{
    /// <summary>Stored now, or stored before under the same id: either way the server has it.</summary>
    Stored,
    /// <summary>Refused for good; resending gives the same answer.</summary>
    Rejected,
}

public sealed record DeliveryResult(Guid RatingId, DeliveryOutcome Outcome, string? Field = null, string? Reason = null);
