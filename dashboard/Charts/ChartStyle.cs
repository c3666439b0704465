namespace ServiceHall.Dashboard.Charts;

/// <summary>Shared look of the dashboard's charts, matching app.css.</summary>
internal static class ChartStyle
{
    public const string FontFamily = "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", sans-serif";
    public const string Text = "#1a2b42";
    public const string MutedText = "#44556b";
    public const string GridLine = "#d5deea";
    public const string Bar = "#1f5fa8";
}
