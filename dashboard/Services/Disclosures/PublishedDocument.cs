using System.Text.Json;

namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>
/// One published version in the list of disclosures: its sign-off, what was withdrawn from it, and its headline
/// figures (none when the whole version was withdrawn).
/// </summary>
public sealed record PublicationSummary(
    string PeriodKey, string PeriodLabel, int Version, DateTimeOffset PublishedAt, string? Correction, PublishedSignOff? SignOff = null,
    IReadOnlyList<PublishedWithdrawal>? Withdrawals = null, bool Withdrawn = false, IReadOnlyList<PublishedFigure>? Headline = null);

/// <summary>Who issued a version and who approved it (发布机关, 联系方式, 审核日期, 审核角色).</summary>
public sealed record PublishedSignOff(string IssuingBody, string Contact, DateTimeOffset ApprovedAt, string ApprovingRole);

/// <summary>A notice that something was withdrawn after publication: what, when and why.</summary>
public sealed record PublishedWithdrawal(int? Row, DateTimeOffset WithdrawnAt, string Reason)
{
    public string What => Row is { } row ? $"第 {row + 1} 条差评的文字" : "本版全部内容";
}

/// <summary>A headline figure as a list shows it.</summary>
public sealed record PublishedFigure(string Code, string Name, string Display);

/// <summary>A version as read: its header, and its document unless the whole version was withdrawn.</summary>
public sealed record PublishedVersion(PublicationSummary Header, PublishedDocument? Document);

/// <summary>
/// A publication exactly as the server froze it: the open-data JSON document (README "Open data"), read as it is.
/// Every figure a page shows comes from here; nothing is recomputed (同源发布).
/// </summary>
public sealed record PublishedDocument(
    string PeriodKey, int Version, DateTimeOffset PublishedAt, string? Correction, PublishedContent Content, PublishedSignOff? SignOff = null,
    IReadOnlyList<PublishedWithdrawal>? Withdrawals = null)
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
    int WithheldTexts = 0,
    int PublishedLater = 0)
{
    /// <summary>Ratings a reviewer excluded from every figure, by reason; null in publications made before exclusions existed.</summary>
    public IReadOnlyList<PublishedCount>? ExcludedRatings { get; init; }

    /// <summary>The period's 办事咨询 and 办不成事反映 figures; null in publications made before they were published.</summary>
    public IReadOnlyList<PublishedEnquiryFigures>? Enquiries { get; init; }
}

/// <summary>
/// One enquiry kind in the period (by day of receipt): received, done (答复 or 办结), done within the limit, and the median
/// working days taken by those done (null when none is done).
/// </summary>
public sealed record PublishedEnquiryFigures(string Code, string Label, string DoneLabel, int Received, int Done, int DoneOnTime, double? MedianWorkingDays);

/// <summary>
/// One headline figure with its formula; <see cref="Display"/> is what the page prints ("92.3%", "120" or 样本不足).
/// </summary>
public sealed record PublishedIndicator(
    string Code, string Name, string Formula, int Numerator, int? Denominator, double? Percent, bool InsufficientSample, string Display);

/// <summary>A labelled count: a satisfaction level (code 1–5, GB/T 39046), a channel or a 差评 reason.</summary>
public sealed record PublishedCount(string Code, string Label, int Count);

/// <summary>
/// A ranked row by department or window; the rates are the published display text, with their numerators and
/// denominators (absent from versions published before they were).
/// </summary>
public sealed record PublishedUnit(
    int Rank, string Code, string Name, int Ratings, string GoodRate, int BadReviews, int Rectified, string RectifiedInTimeRate,
    int? GoodRatings = null, int? BadDue = null, int? RectifiedInTime = null);

public sealed record PublishedTrendPoint(string PeriodKey, string PeriodLabel, int Ratings, string GoodRate, int BadReviews);

/// <summary>
/// One 差评 as published: de-identified text and what was done about it — disposition, the handler's public summary, day
/// rectified, working days taken, on time, callback (是/否/匿名) and the rater's verdict (empty in versions published
/// before they were).
/// </summary>
public sealed record PublishedBadReview(
    DateOnly RatedOn, string Department, string Window, string ServiceItem, string Level, IReadOnlyList<string> Reasons,
    string Text, string Outcome, string Disposition = "", string WhatWasDone = "", DateOnly? RectifiedOn = null,
    int? WorkingDaysTaken = null, bool? OnTime = null, string CalledBack = "", string CitizenVerdict = "");

/// <summary>One row of the enquiry figures table: a period, a kind and its counts.</summary>
public sealed record EnquiryFiguresRow(string Period, string Label, string DoneLabel, int Received, int Done, int DoneOnTime, double? MedianWorkingDays);
