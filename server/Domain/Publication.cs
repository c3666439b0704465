namespace ServiceHall.Server.Domain;

/// <summary>
/// A periodic disclosure (定期公开) as published: frozen once stored. A correction is a new version that says what
/// changed and why; the earlier version stays readable. The same content feeds the public page and the open-data files
/// (同源发布). It was approved by a 政务公开 officer (<see cref="SignOff"/>); the only change after that is a withdrawal,
/// which takes a text or the whole version out of every channel and leaves a notice (<see cref="Withdrawals"/>); the
/// figures never change (docs/rules/indicators-and-disclosure.md#withdrawal).
/// </summary>
public sealed record Publication(
    string PeriodKey, int Version, DateTimeOffset PublishedAt, string? Correction, PublicationContent Content,
    PublicationSignOff? SignOff = null, IReadOnlyList<Withdrawal>? Withdrawals = null)
{
    /// <summary>How long the reason of a withdrawal or a review step may be (it is printed on the notice).</summary>
    public const int MaxReasonLength = 200;

    /// <summary>The whole version was withdrawn: only its header and the notice remain public.</summary>
    public bool IsWithdrawn => Withdrawals?.Any(w => w.Row is null) == true;

    /// <summary>
    /// Takes one 差评's words out (row from 0) — the citizen's text and the handler's 整改情况 — leaving a notice; the 差评
    /// stays listed and counted.
    /// </summary>
    public Publication WithdrawText(int row, DateTimeOffset at, string reason)
    {
        Refuse(reason);
        if (row < 0 || row >= Content.BadReviews.Count || Content.BadReviews[row] is { Text.Length: 0, WhatWasDone.Length: 0 })
        {
            throw new InvalidInputException("row", $"{PeriodKey} 第 {Version} 版没有第 {row + 1} 条差评文字");
        }

        if (Withdrawals?.Any(w => w.Row == row) == true)
        {
            throw new InvalidInputException("row", "这条文字已撤回");
        }

        var reviews = Content.BadReviews.ToList();
        // The row's words go: the citizen's and the handler's account of what was done.
        reviews[row] = reviews[row] with { Text = Withdrawn(reviews[row].Text), WhatWasDone = Withdrawn(reviews[row].WhatWasDone) };
        return this with
        {
            Content = Content with { BadReviews = reviews },
            Withdrawals = [.. Withdrawals ?? [], new Withdrawal(row, at, reason.Trim())],
        };
    }

    /// <summary>Takes the whole version out: every text is dropped from storage too, the header and the notice stay.</summary>
    public Publication WithdrawAll(DateTimeOffset at, string reason)
    {
        Refuse(reason);
        return this with
        {
            Content = Content with
            {
                BadReviews = Content.BadReviews.Select(b => b with { Text = Withdrawn(b.Text), WhatWasDone = Withdrawn(b.WhatWasDone) }).ToList(),
            },
            Withdrawals = [.. Withdrawals ?? [], new Withdrawal(null, at, reason.Trim())],
        };
    }

    private static string Withdrawn(string text) => text.Length == 0 ? "" : DisclosureDraft.WithdrawnText;

    private void Refuse(string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new InvalidInputException("reason", "撤回须说明原因");
        }

        if (reason.Trim().Length > MaxReasonLength)
        {
            throw new InvalidInputException("reason", $"原因不超过 {MaxReasonLength} 字");
        }

        if (IsWithdrawn)
        {
            throw new InvalidInputException("version", $"{PeriodKey} 第 {Version} 版已整版撤回");
        }
    }
}

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
    int PublishedLater = 0)
{
    /// <summary>
    /// The period's ratings a reviewer excluded from every figure, by reason (they are not in any other figure); null in
    /// publications made before exclusions existed.
    /// </summary>
    public IReadOnlyList<LabelledCount>? ExcludedRatings { get; init; }

    /// <summary>
    /// The period's questions (办事咨询) and "could not get it done" reports (办不成事反映), one row each; null in publications
    /// made before they were published (docs/rules/questions-and-reports.md#monthly-figures).
    /// </summary>
    public IReadOnlyList<EnquiryFigures>? Enquiries { get; init; }
}

/// <summary>
/// One enquiry kind in a period, counted by day of receipt: received, done (answered or concluded), done within the limit,
/// and the median working days taken by those done (null when none is done).
/// </summary>
/// <param name="Code">"question" or "could_not_be_done_report".</param>
/// <param name="Label">办事咨询 or 办不成事反映.</param>
/// <param name="DoneLabel">What done is for the kind: 答复 or 办结.</param>
/// <param name="Received">Received in the period.</param>
/// <param name="Done">Of those, answered or concluded so far.</param>
/// <param name="DoneOnTime">Of those, within the limit.</param>
/// <param name="MedianWorkingDays">The median working days taken by those done; null when none is done.</param>
public sealed record EnquiryFigures(string Code, string Label, string DoneLabel, int Received, int Done, int DoneOnTime, double? MedianWorkingDays);

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
