using System.Globalization;
using ServiceHall.Dashboard.Services.Casework;

namespace ServiceHall.Dashboard.Components.StaffConsole;

/// <summary>How the console writes times and labels.</summary>
public static class ConsoleFormat
{
    public const string None = "—";

    /// <summary>"2026-03-09 10:15" in the hall's zone; "—" when the server sent no time.</summary>
    public static string Time(DateTimeOffset? instant, TimeZoneInfo zone) => instant is { } value
        ? TimeZoneInfo.ConvertTime(value, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
        : None;

    public static string TimeOfDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    public static string Level(SatisfactionLevel? level) => level?.Label() ?? None;

    public static string OrNone(string? text) => string.IsNullOrWhiteSpace(text) ? None : text;

    /// <summary>The CSS modifier of a stage's pill.</summary>
    public static string StageTone(CaseStage stage) => stage switch
    {
        CaseStage.New => "new",
        CaseStage.Closed or CaseStage.AppealUpheld => "closed",
        CaseStage.Appealed => "appeal",
        CaseStage.Assigned or CaseStage.Contacted or CaseStage.FixedAtOnce or CaseStage.RectifyingByDeadline
            or CaseStage.Explained or CaseStage.FeedbackGiven or CaseStage.Unknown => "open",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, null),
    };

    /// <summary>Lines of a textarea as a list (evidence: one reference per line).</summary>
    public static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
