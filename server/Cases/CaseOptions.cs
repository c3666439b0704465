using System.ComponentModel.DataAnnotations;

namespace ServiceHall.Server.Cases;

/// <summary>Where the working-day calendars are and how often deadlines are checked. Section "Cases".</summary>
public sealed class CaseOptions
{
    public const string Section = "Cases";

    /// <summary>One JSON file per year (2026.json, …); relative paths are taken from the app's folder.</summary>
    [Required]
    public string CalendarDirectory { get; set; } = "Calendars";

    /// <summary>How often the overdue job looks at open cases.</summary>
    [Range(5, 3600)]
    public int DeadlineScanSeconds { get; set; } = 60;
}
