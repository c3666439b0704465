using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Disclosure;

/// <summary>How long the 政务公开 officer has to review a draft. Section "DisclosureReview".</summary>
public sealed class DisclosureReviewOptions
{
    public const string Section = "DisclosureReview";

    /// <summary>
    /// A draft is due for approval this many days after it is made (a period is drafted when its figures are final,
    /// see PublicationSchedule); a draft not approved by then is reported as overdue in the console and the log.
    /// </summary>
    [Range(1, 60)]
    public int ReviewDays { get; set; } = 10;
}

/// <summary>Who issues the disclosures, printed on every published version. Section "DisclosureSender".</summary>
public sealed class DisclosureSenderOptions
{
    public const string Section = "DisclosureSender";

    /// <summary>The issuing body (发布机关), e.g. 济南市槐荫区行政审批服务局.</summary>
    [Required(AllowEmptyStrings = false)]
    public string IssuingBody { get; set; } = "";

    /// <summary>How a reader reaches it: telephone, address or mailbox (联系方式).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Contact { get; set; } = "";
}

/// <summary>
/// The 政务公开 officer's actions on disclosures: mask or hide a draft's text, approve the draft (which publishes it),
/// withdraw a published text or version. Each is written to the disclosure audit with who, when and why, in the same
/// transaction as the change (docs/rules/indicators-and-disclosure.md#review-before-release).
/// </summary>
public sealed class DisclosureReview(
    IPublicationStore store, DistrictClock clock, IOptions<DisclosureSenderOptions> sender, ILogger<DisclosureReview> logger)
{
    /// <summary>The approving role as printed on a publication.</summary>
    public const string ApprovingRole = "政务公开专员";

    public Task<IReadOnlyList<DisclosureDraft>> DraftsAsync(CancellationToken cancellationToken) => store.ListDraftsAsync(cancellationToken);

    public async Task<DisclosureDraft> RedactAsync(
        string periodKey, int version, int row, DraftTextField field, string edited, string reason, string by, CancellationToken cancellationToken)
    {
        var draft = await FindDraftAsync(periodKey, version, cancellationToken);
        var updated = draft.Redact(row, edited, field);
        var kind = field == DraftTextField.WhatWasDone ? DisclosureActionKind.SummaryRedacted : DisclosureActionKind.Redacted;
        await store.SaveDraftAsync(updated, Action(by, kind, draft.PeriodKey, draft.Version, row, Reason(reason)), cancellationToken);
        return updated with { Revision = draft.Revision + 1 };
    }

    public async Task<DisclosureDraft> HideAsync(
        string periodKey, int version, int row, DraftTextField field, string reason, string by, CancellationToken cancellationToken)
    {
        var draft = await FindDraftAsync(periodKey, version, cancellationToken);
        var updated = draft.Hide(row, field);
        var kind = field == DraftTextField.WhatWasDone ? DisclosureActionKind.SummaryHidden : DisclosureActionKind.Hidden;
        await store.SaveDraftAsync(updated, Action(by, kind, draft.PeriodKey, draft.Version, row, Reason(reason)), cancellationToken);
        return updated with { Revision = draft.Revision + 1 };
    }

    /// <summary>
    /// Approves the draft as the officer saw it (<paramref name="revision"/>: an edit made meanwhile refuses the approval)
    /// and publishes it.
    /// </summary>
    public async Task<Publication> ApproveAsync(string periodKey, int version, int revision, string by, CancellationToken cancellationToken)
    {
        var draft = await FindDraftAsync(periodKey, version, cancellationToken);
        if (draft.Revision != revision)
        {
            throw new ConcurrentChangeException($"{draft.Label} 的草稿已被修改，请刷新后再审核");
        }

        var publication = draft.Approve(clock.UtcNow, ApprovingRole, new DisclosureSender(sender.Value.IssuingBody, sender.Value.Contact));
        await store.PublishDraftAsync(
            draft, publication, Action(by, DisclosureActionKind.Approved, draft.PeriodKey, draft.Version, null, "审核通过"), cancellationToken);
        logger.LogInformation("Disclosure {PeriodKey} v{Version} approved by {UserName} and published", draft.PeriodKey, draft.Version, by);
        return publication;
    }

    /// <summary>
    /// Withdraws one 差评's words — the citizen's text and the handler's 整改情况 (<paramref name="row"/> from 0) — or, with <paramref name="row"/> null, the whole version, from
    /// every channel; a notice says what, when and why. The figures do not change. A text goes wherever the same 差评 is
    /// listed — the month, quarter and year, every version — and from every draft now and to come.
    /// </summary>
    public async Task<Publication> WithdrawAsync(
        string periodKey, int version, int? row, string reason, string by, CancellationToken cancellationToken)
    {
        var all = await store.ListPublicationsAsync(cancellationToken);
        var publication = all.FirstOrDefault(p => p.PeriodKey == periodKey && p.Version == version)
            ?? throw new NotFoundException($"{periodKey} 第 {version} 版未公开", "publication", periodKey);
        var now = clock.UtcNow;
        if (row is not { } target)
        {
            var whole = publication.WithdrawAll(now, reason);
            await store.WithdrawAsync(
                [(publication, whole)], [Action(by, DisclosureActionKind.VersionWithdrawn, periodKey, version, null, reason.Trim())], null, cancellationToken);
            logger.LogWarning("Disclosure {PeriodKey} v{Version} withdrawn as a whole by {UserName}", periodKey, version, by);
            return whole;
        }

        publication.WithdrawText(target, now, reason); // refuses a bad row or reason before anything is looked up
        var listed = publication.Content.BadReviews[target];
        var key = listed.Text is "" or DisclosureDraft.WithdrawnText ? null : Withdrawal.KeyOf(listed, listed.Text);
        var changes = new List<(Publication Before, Publication After)>();
        var actions = new List<DisclosureAction>();
        foreach (var p in all.Where(p => !p.IsWithdrawn))
        {
            var after = p;
            for (var i = 0; i < p.Content.BadReviews.Count; i++)
            {
                var b = p.Content.BadReviews[i];
                // The row named, and the same 差评's text wherever else it is listed (a row with only the handler's
                // 整改情况 has no text to recognise it by elsewhere: that text is reviewed again before every release).
                if ((ReferenceEquals(p, publication) && i == target)
                    || (key is not null && b.Text is not ("" or DisclosureDraft.WithdrawnText) && Withdrawal.KeyOf(b, b.Text) == key))
                {
                    after = after.WithdrawText(i, now, reason);
                    actions.Add(Action(by, DisclosureActionKind.TextWithdrawn, p.PeriodKey, p.Version, i, reason.Trim()));
                }
            }

            if (!ReferenceEquals(after, p))
            {
                changes.Add((p, after));
            }
        }

        await store.WithdrawAsync(changes, actions, key, cancellationToken);
        logger.LogWarning(
            "Disclosure {PeriodKey} v{Version}: a text withdrawn by {UserName}, from {Count} listing(s)", periodKey, version, by, actions.Count);

        foreach (var draft in await store.ListDraftsAsync(cancellationToken))
        {
            foreach (var text in draft.Texts.Where(t => key is not null && t.Field == DraftTextField.CitizenText && t.Decision != DraftTextDecision.Hidden
                && Withdrawal.KeyOf(draft.Content.BadReviews[t.Row], t.Scrubbed) == key))
            {
                var current = (await store.ListDraftsAsync(cancellationToken)).Single(d => d.PeriodKey == draft.PeriodKey && d.Version == draft.Version);
                await store.SaveDraftAsync(
                    current.Hide(text.Row), Action(by, DisclosureActionKind.Hidden, draft.PeriodKey, draft.Version, text.Row, "已从公开内容撤回：" + reason.Trim()),
                    cancellationToken);
            }
        }

        return changes.Single(c => c.Before.PeriodKey == periodKey && c.Before.Version == version).After;
    }

    public Task<IReadOnlyList<DisclosureAction>> AuditAsync(int limit, CancellationToken cancellationToken) =>
        store.ListActionsAsync(Math.Clamp(limit, 1, 1000), cancellationToken);

    private async Task<DisclosureDraft> FindDraftAsync(string periodKey, int version, CancellationToken cancellationToken) =>
        (await store.ListDraftsAsync(cancellationToken)).FirstOrDefault(d => d.PeriodKey == periodKey && d.Version == version)
            ?? throw new NotFoundException($"没有待审核的 {periodKey} 第 {version} 版草稿", "draft", periodKey);

    private static string Reason(string reason) => reason?.Trim() switch
    {
        null or "" => throw new InvalidInputException("reason", "须说明原因"),
        { Length: > Publication.MaxReasonLength } => throw new InvalidInputException("reason", $"原因不超过 {Publication.MaxReasonLength} 字"),
        var trimmed => trimmed,
    };

    private DisclosureAction Action(string by, DisclosureActionKind kind, string periodKey, int version, int? row, string reason) =>
        new(clock.UtcNow, by, kind, periodKey, version, row, reason);
}
