namespace ServiceHall.Dashboard.Charts;

/// <summary>
/// The size of the hall screen's text read from afar, for its charts (canvas text, which CSS cannot size); app.css sizes
/// the rest with the same rule (<c>--read</c>). A character at least 1/200 of the viewing distance high — 25 mm at 5 m —
/// is 32 px on a 65-inch 1920 × 1080 screen and 64 px at 3840 × 2160; smaller windows scale down to 16 px. 长辈版 draws
/// everything 1.25 × where the screen is read close; on a wall the 5-m size already serves every reader
/// (docs/rules/accessibility.md#hall-screen).
/// </summary>
public static class HallScreenType
{
    /// <summary>The text read at 5 m on a 1920 × 1080 screen, in CSS px.</summary>
    public const double ReadAt5mOn1080p = 32;

    /// <summary>The smallest size text is drawn at, on a phone.</summary>
    public const double Smallest = 16;

    /// <summary>The label size before the page has measured its screen (a 1280 × 720 window).</summary>
    public const double BeforeMeasured = 21;

    /// <summary>The narrowest screen laid out as a wall (app.css: min-width 1400px, landscape).</summary>
    public const int WallWidth = 1400;

    public static double LabelSize(int viewportWidth, int viewportHeight, bool large)
    {
        var scale = Math.Min(viewportWidth / 1920.0, viewportHeight / 1080.0);
        var size = Math.Clamp(scale * ReadAt5mOn1080p, Smallest, 10 * ReadAt5mOn1080p);
        var onWall = viewportWidth >= WallWidth && viewportWidth > viewportHeight;
        return Math.Round(size * (large && !onWall ? 1.25 : 1));
    }
}
