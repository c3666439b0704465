namespace ServiceHall.Server.Domain;

/// <summary>
/// A periodic disclosure (定期公开) as published: frozen once stored. A correction is a new version that says what
/// changed and why; the earlier version stays readable. The same content feeds the public page and the open-data files
/// (同源发布).
/// </summary>
public sealed record Publication(
    string PeriodKey, int Version, DateTimeOffset PublishedAt, string? Correction, PublicationContent Content);

/// <summary>
/// What a disclosure holds. <c>WithheldTexts</c> counts the texts (citizens' and handlers' public summaries) the
/// de-identification could not make safe with confidence: listed as 未公开, their ratings counted as usual. <c>PublishedLater</c> counts the period's ratings received
/// after its first version was published: counted in a correction, and said so.
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
    int WithheldTexts = 0,
    int PublishedLater = 0);

public sealed record LabelledCount(string Code, string Label, int Count);

/// <summary>
/// A row of the ranked table by department or window. Every rate comes with its numerator and denominator
/// (<c>GoodRatings</c>/<c>Ratings</c>, <c>RectifiedInTime</c>/<c>BadDue</c>), shown beside it also when the sample is too
/// small for a percentage.
/// </summary>
public sealed record UnitFigures(
    int Rank, string Code, string Name, int Ratings, string GoodRate, int BadReviews, int Rectified, string RectifiedInTimeRate,
    int GoodRatings = 0, int BadDue = 0, int RectifiedInTime = 0);

public sealed record TrendPoint(string PeriodKey, string PeriodLabel, int Ratings, string GoodRate, int BadReviews);

/// <summary>
/// One 差评 as the public sees it: what was said (de-identified) and what was done about it — its disposition, the
/// handler's public summary (de-identified), the day it was rectified, the working days taken, on time or late, whether
/// the rater was called back (是/否/匿名) and the rater's verdict on the fix (docs/rules/indicators-and-disclosure.md#each-bad-review).
/// </summary>
public sealed record PublishedBadReview(
    DateOnly RatedOn, string Department, string Window, string ServiceItem, string Level, IReadOnlyList<string> Reasons,
    string Text, string Outcome, string Disposition = "", string WhatWasDone = "", DateOnly? RectifiedOn = null,
    int? WorkingDaysTaken = null, bool? OnTime = null, string CalledBack = "", string CitizenVerdict = "");
