namespace ServiceHall.Server.Domain;

/// <summary>
/// A periodic disclosure (定期公开) as published: frozen once stored. A correction is a new version that says what
/// changed and why; the earlier version stays readable. The same content feeds the public page and the open-data files
/// (同源发布).
/// </summary>
public sealed record Publication(
    string PeriodKey, int Version, DateTimeOffset PublishedAt, string? Correction, PublicationContent Content);

/// <summary>
/// What a disclosure holds. <c>WithheldTexts</c> counts the 差评 texts the de-identification could not make safe with
/// confidence: listed as 未公开, their ratings counted as usual.
/// </summary>
public sealed record PublicationContent(
    string PeriodKey,
    string PeriodLabel,
    DateOnly FirstDay,
    DateOnly LastDay,
    string DistrictRegionCode,
    IReadOnlyList<IndicatorValue> Headline,
    IReadOnlyList<LabelledCount> Levels,
    IReadOnlyList<LabelledCount> Channels,
    IReadOnlyList<UnitFigures> Departments,
    IReadOnlyList<UnitFigures> Windows,
    IReadOnlyList<TrendPoint> Trend,
    IReadOnlyList<LabelledCount> BadReviewReasons,
    IReadOnlyList<PublishedBadReview> BadReviews,
    int WithheldTexts = 0)
{
    /// <summary>
    /// The period's ratings a reviewer excluded from every figure, by reason (they are not in any other figure); null in
    /// publications made before exclusions existed.
    /// </summary>
    public IReadOnlyList<LabelledCount>? ExcludedRatings { get; init; }
}

public sealed record LabelledCount(string Code, string Label, int Count);

/// <summary>A row of the ranked table by department or window.</summary>
public sealed record UnitFigures(
    int Rank, string Code, string Name, int Ratings, string GoodRate, int BadReviews, int Rectified, string RectifiedInTimeRate);

public sealed record TrendPoint(string PeriodKey, string PeriodLabel, int Ratings, string GoodRate, int BadReviews);

/// <summary>One 差评 as the public sees it: what was said (de-identified) and what was done about it.</summary>
public sealed record PublishedBadReview(
    DateOnly RatedOn, string Department, string Window, string ServiceItem, string Level, IReadOnlyList<string> Reasons,
    string Text, string Outcome);
