using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Dashboard;

/// <summary>
/// Settings of the public dashboard, bound from the "Dashboard" section (env vars <c>Dashboard__ServerAddress</c>,
/// <c>Dashboard__HallCode</c>, <c>Dashboard__TimeZone</c>, <c>Dashboard__OpenDataBaseUrl</c>, <c>Dashboard__DistrictName</c>)
/// and validated on start.
/// </summary>
public sealed class DashboardOptions : IValidatableObject
{
    public const string SectionName = "Dashboard";

    /// <summary>The server's gRPC endpoint: https (verified) across a network, h2c (http) on one machine.</summary>
    [Required, Url]
    public string ServerAddress { get; set; } = "http://127.0.0.1:5100";

    /// <summary>
    /// The certificate (PEM or DER) of the district's own certificate authority, when the server's certificate is issued
    /// by one the machine does not trust; none: the machine's trust store decides. Never a way to skip verification.
    /// </summary>
    public string? ServerCaCertificate { get; set; }

    /// <summary>
    /// The server's HTTP endpoint serving the open-data files (<c>/open-data/publications/...</c>); the disclosure pages
    /// link their JSON and CSV downloads there.
    /// </summary>
    [Required, Url]
    public string OpenDataBaseUrl { get; set; } = "http://127.0.0.1:5101";

    /// <summary>The district whose disclosures the public pages title, e.g. "槐荫区 政务服务好差评情况公开（2026年11月）".</summary>
    [Required, MinLength(1)]
    public string DistrictName { get; set; } = "槐荫区";

    /// <summary>The hall whose live figures the hall screen shows.</summary>
    [Required, MinLength(1)]
    public string HallCode { get; set; } = "370104-ZWZX";

    /// <summary>
    /// IANA id of the hall's time zone, used to show the time figures were computed. The server counts days in the
    /// district's zone, and <c>LiveFigures.as_of</c> is a UTC instant without an offset.
    /// </summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public TimeZoneInfo ResolveTimeZone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>
    /// The live hall screen runs on a wall screen nobody touches: it shows no links (the same as opening it with
    /// <c>?wall=1</c>).
    /// </summary>
    public bool HallScreenOnWall { get; set; }

    /// <summary>The live hall screen in its larger mode (长辈版), one column (the same as <c>?large=1</c>).</summary>
    public bool HallScreenLarge { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _))
        {
            yield return new ValidationResult($"Unknown time zone '{TimeZone}'.", [nameof(TimeZone)]);
        }
    }
}
