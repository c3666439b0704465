using ServiceHall.Dashboard.Services.Casework;
using ServiceHall.Protos.V1;

namespace ServiceHall.Dashboard.Services.Disclosures;

/// <summary>What the officer did or may do with a text of a draft.</summary>
public enum ReviewDecision
{
    None,
    Redacted,
    Hidden,
}

/// <summary>Which text of a listed 差评 is under review.</summary>
public enum ReviewField
{
    /// <summary>The citizen's words.</summary>
    CitizenText,

    /// <summary>The handler's account for the public of what was done (整改情况).</summary>
    WhatWasDone,
}

/// <summary>A text under review (a 差评's words, or its 整改情况): as written, as de-identified, and as it will be published.</summary>
public sealed record ReviewText(
    int Row, string Original, string Scrubbed, bool Changed, bool Withheld, string Published, ReviewDecision Decision, string RatedOn,
    string Department, string Level, ReviewField Field = ReviewField.CitizenText)
{
    /// <summary>Needs a look first: the de-identification changed it or could not make it safe.</summary>
    public bool Flagged => Changed || Withheld;

    /// <summary>Whose words these are, as the page labels them.</summary>
    public string FieldLabel => Field == ReviewField.WhatWasDone ? "整改情况（经办人填写）" : "群众评价";
}

public sealed record ReviewFigure(string Name, string Display);

/// <summary>A draft disclosure awaiting the 政务公开 officer's approval.</summary>
public sealed record ReviewDraft(
    string PeriodKey, string PeriodLabel, int Version, int Revision, DateTimeOffset CreatedAt, string DueDay, bool Overdue, string? Correction,
    int BadReviews, IReadOnlyList<ReviewFigure> Headline, IReadOnlyList<ReviewText> Texts)
{
    public string Title => PeriodLabel + (Version > 1 ? $"（第 {Version} 版）" : "");
}

/// <summary>One row of the disclosure audit.</summary>
public sealed record ReviewAuditEntry(DateTimeOffset At, string UserName, string Kind, string PeriodKey, int Version, int? Row, string Reason)
{
    public string KindLabel => Kind switch
    {
        "drafted" => "生成草稿",
        "redacted" => "遮盖文字",
        "hidden" => "不予公开",
        "approved" => "审核发布",
        "text-withdrawn" => "撤回文字",
        "version-withdrawn" => "撤回整版",
        "summary-redacted" => "遮盖整改情况",
        "summary-hidden" => "整改情况不予公开",
        _ => Kind,
    };
}

/// <summary>
/// The console's calls for reviewing, approving and withdrawing disclosures (DisclosureService, officer and auditor), with
/// the signed-in user's token. Components never see proto types.
/// </summary>
public sealed class DisclosureReviewClient(DisclosureService.DisclosureServiceClient client, ConsoleSession session)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The mask character: one for each character hidden (the server accepts nothing else).</summary>
    public const char Mask = '＊';

    public async Task<IReadOnlyList<ReviewDraft>> DraftsAsync(CancellationToken cancellationToken = default) =>
        (await session.CallAsync(h => client.ListDraftsAsync(new ListDraftsRequest(), h, Deadline(), cancellationToken))).Drafts.Select(ToDraft).ToList();

    public async Task<ReviewDraft> RedactAsync(ReviewDraft draft, ReviewText text, string masked, string reason, CancellationToken cancellationToken = default) =>
        ToDraft((await session.CallAsync(h => client.RedactDraftTextAsync(
            new RedactDraftTextRequest
            {
                PeriodKey = draft.PeriodKey, Version = draft.Version, Row = text.Row, Field = ToProto(text.Field), Text = masked, Reason = reason,
            },
            h, Deadline(), cancellationToken))).Draft);

    public async Task<ReviewDraft> HideAsync(ReviewDraft draft, ReviewText text, string reason, CancellationToken cancellationToken = default) =>
        ToDraft((await session.CallAsync(h => client.HideDraftTextAsync(
            new HideDraftTextRequest { PeriodKey = draft.PeriodKey, Version = draft.Version, Row = text.Row, Field = ToProto(text.Field), Reason = reason },
            h, Deadline(), cancellationToken))).Draft);

    public Task ApproveAsync(ReviewDraft draft, CancellationToken cancellationToken = default) =>
        session.CallAsync(h => client.ApproveDraftAsync(
            new ApproveDraftRequest { PeriodKey = draft.PeriodKey, Version = draft.Version, Revision = draft.Revision }, h, Deadline(), cancellationToken));

    /// <summary>Withdraws one 差评 text (its row from 0) or, with <paramref name="row"/> null, the whole version.</summary>
    public Task WithdrawAsync(string periodKey, int version, int? row, string reason, CancellationToken cancellationToken = default)
    {
        var request = new WithdrawPublishedRequest { PeriodKey = periodKey, Version = version, Reason = reason };
        if (row is { } r)
        {
            request.Row = r;
        }

        return session.CallAsync(h => client.WithdrawPublishedAsync(request, h, Deadline(), cancellationToken));
    }

    public async Task<IReadOnlyList<ReviewAuditEntry>> AuditAsync(CancellationToken cancellationToken = default) =>
        (await session.CallAsync(h => client.ListDisclosureActionsAsync(new ListDisclosureActionsRequest { Limit = 100 }, h, Deadline(), cancellationToken)))
        .Actions.Select(a => new ReviewAuditEntry(
            a.At?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, a.UserName, a.Kind, a.PeriodKey, a.Version, a.HasRow ? a.Row : null, a.Reason))
        .ToList();

    /// <summary>
    /// <paramref name="text"/> with every occurrence of <paramref name="words"/> replaced by one mask per character, as
    /// the server accepts it; unchanged when the words are not in it.
    /// </summary>
    public static string MaskWords(string text, string words) =>
        string.IsNullOrEmpty(words) ? text : text.Replace(words, new string(Mask, words.EnumerateRunes().Count()), StringComparison.Ordinal);

    private static DateTime Deadline() => DateTime.UtcNow + CallTimeout;

    private static DraftTextField ToProto(ReviewField field) => field switch
    {
        ReviewField.CitizenText => DraftTextField.CitizenText,
        ReviewField.WhatWasDone => DraftTextField.WhatWasDone,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    private static ReviewDraft ToDraft(Protos.V1.DisclosureDraft d) => new(
        d.PeriodKey, d.PeriodLabel, d.Version, d.Revision, d.CreatedAt?.ToDateTimeOffset() ?? DateTimeOffset.MinValue, d.DueDay, d.Overdue,
        d.Correction is { Length: > 0 } correction ? correction : null, d.BadReviews,
        d.Headline.Select(f => new ReviewFigure(f.Name, f.Display)).ToList(),
        d.Texts.Select(t => new ReviewText(
            t.Row, t.Original, t.Scrubbed, t.Changed, t.Withheld, t.Published,
            t.Decision switch
            {
                DraftTextDecision.Redacted => ReviewDecision.Redacted,
                DraftTextDecision.Hidden => ReviewDecision.Hidden,
                _ => ReviewDecision.None,
            },
            t.RatedOn, t.Department, t.Level,
            t.Field == DraftTextField.WhatWasDone ? ReviewField.WhatWasDone : ReviewField.CitizenText)).ToList());
}
