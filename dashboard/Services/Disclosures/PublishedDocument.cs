using System.Text.Json;

namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>One published version in the list of disclosures.</summary>
public sealed record PublicationSummary(string PeriodKey, string PeriodLabel, int Version, DateTimeOffset PublishedAt, string? Correction);

/// <summary>
/// A publication exactly as the server froze it: the open-data JSON document (README "Open data"), read as it is.
/// Every figure a page shows comes from here; nothing is recomputed (同源发布).
/// </summary>
public sealed record PublishedDocument(string PeriodKey, int Version, DateTimeOffset PublishedAt, string? Correction, PublishedContent Content)
{
    /// <summary>The server's JSON uses the web defaults (camelCase) and so does the reader.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads <c>content_json</c>; a document without content is refused rather than shown half empty.</summary>
    public static PublishedDocument Parse(string json) =>
        JsonSerializer.Deserialize<PublishedDocument>(json, Json) is { Content: not null } document
            ? document
            : throw new JsonException("The publication has no content.");
}

public sealed record PublishedContent(
    string PeriodKey,
    string PeriodLabel,
    DateOnly FirstDay,
    DateOnly LastDay,
    string DistrictRegionCode,
    IReadOnlyList<PublishedIndicator> Headline,
    IReadOnlyList<PublishedCount> Levels,
    IReadOnlyList<PublishedCount> Channels,
    IReadOnlyList<PublishedUnit> Departments,
    IReadOnlyList<PublishedUnit> Windows,
    IReadOnlyList<PublishedTrendPoint> Trend,
    IReadOnlyList<PublishedCount> BadReviewReasons,
    IReadOnlyList<PublishedBadReview> BadReviews,
    int WithheldTexts = 0)
{
    /// <summary>Ratings a reviewer excluded from every figure, by reason; null in publications made before exclusions existed.</summary>
    public IReadOnlyList<PublishedCount>? ExcludedRatings { get; init; }
}

/// <summary>
/// One headline figure with its formula; <see cref="Display"/> is what the page prints ("92.3%", "120" or 样本不足).
/// </summary>
public sealed record PublishedIndicator(
    string Code, string Name, string Formula, int Numerator, int? Denominator, double? Percent, bool InsufficientSample, string Display);

/// <summary>A labelled count: a satisfaction level (code 1–5, GB/T 39046), a channel or a 差评 reason.</summary>
public sealed record PublishedCount(string Code, string Label, int Count);

/// <summary>A ranked row by department or window; the rates are the published display text.</summary>
public sealed record PublishedUnit(
    int Rank, string Code, string Name, int Ratings, string GoodRate, int BadReviews, int Rectified, string RectifiedInTimeRate);

public sealed record PublishedTrendPoint(string PeriodKey, string PeriodLabel, int Ratings, string GoodRate, int BadReviews);

/// <summary>One 差评 as published: de-identified text and what was done about it.</summary>
public sealed record PublishedBadReview(
    DateOnly RatedOn, string Department, string Window, string ServiceItem, string Level, IReadOnlyList<string> Reasons,
    string Text, string Outcome);
