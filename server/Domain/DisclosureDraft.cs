using System.Text;

namespace ServiceHall.Server.Domain;

/// <summary>
/// One text of a draft as the 政务公开 officer reviews it: a 差评's words as the citizen wrote them, or what the handler
/// wrote for the public about what was done (整改情况) — what the de-identification made of it (and whether it changed or
/// withheld it), and what will be published if the draft is approved
/// (docs/rules/indicators-and-disclosure.md#review-before-release). <see cref="Row"/> is the 差评's place in the draft's
/// list, <see cref="Field"/> which of its texts this is. The original words stay in the draft only: approval publishes
/// <see cref="Published"/> and drops the rest.
/// </summary>
public sealed record DraftText(
    int Row, string Original, string Scrubbed, bool Changed, bool Withheld, string Published, DraftTextDecision Decision,
    DraftTextField Field = DraftTextField.CitizenText);

/// <summary>Which text of a listed 差评 a <see cref="DraftText"/> is.</summary>
public enum DraftTextField
{
    /// <summary>The citizen's words (the 差评's text).</summary>
    CitizenText = 0,

    /// <summary>The handler's account for the public of what was done (公开的整改情况).</summary>
    WhatWasDone = 1,
}

/// <summary>What the officer did with a text; <c>None</c> keeps the de-identification's result.</summary>
public enum DraftTextDecision
{
    None = 0,
    Redacted = 1,
    Hidden = 2,
}

/// <summary>Who publishes the disclosures, printed on every version (GB/T 9704 版记: 发文机关, 联系方式).</summary>
public sealed record DisclosureSender(string IssuingBody, string Contact);

/// <summary>The sign-off a published version carries: who issued it, how to reach them, when and by which role it was approved.</summary>
public sealed record PublicationSignOff(string IssuingBody, string Contact, DateTimeOffset ApprovedAt, string ApprovingRole);

/// <summary>
/// A notice that something was withdrawn from a published version: which 差评 text (its row) or the whole version
/// (<see cref="Row"/> null), when and why. What was withdrawn is not repeated here.
/// </summary>
public sealed record Withdrawal(int? Row, DateTimeOffset WithdrawnAt, string Reason)
{
    public string What => Row is { } row ? $"第 {row + 1} 条差评的文字" : "本版全部内容";

    /// <summary>
    /// Which 差评 a withdrawn text belongs to, wherever it is listed — the month, the quarter, the year, a correction —
    /// and in every draft to come: a SHA-256 of what the row says about the 差评 and how long its text is (a mask keeps
    /// the length). Only this is kept, never the text. Two 差评 alike in all of it are both withdrawn: the safe side.
    /// </summary>
    /// <param name="row">The 差评 as listed.</param>
    /// <param name="text">The text as de-identified or masked (not a 未公开 placeholder).</param>
    public static string KeyOf(PublishedBadReview row, string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
            row.RatedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), row.Department, row.Window, row.ServiceItem,
            row.Level, string.Join('\u001e', row.Reasons), text.EnumerateRunes().Count().ToString(System.Globalization.CultureInfo.InvariantCulture)))));
}

/// <summary>
/// A period's disclosure before release (定期公开须经审核后发布): the content as built, and each of its texts under
/// review. Only an approved draft becomes a <see cref="Publication"/>. An edit can only mask what the de-identification
/// produced — never add a word — or hide the whole text.
/// </summary>
public sealed record DisclosureDraft(
    string PeriodKey, int Version, DateTimeOffset CreatedAt, DateOnly DueDay, string? Correction, PublicationContent Content,
    IReadOnlyList<DraftText> Texts, int Revision = 0)
{
    /// <summary>What a masked character becomes (全角星号).</summary>
    public const char Mask = '＊';

    /// <summary>Shown instead of a text the officer hid.</summary>
    public const string HiddenByOfficer = "（经审核不予公开）";

    /// <summary>Shown instead of a text withdrawn after publication.</summary>
    public const string WithdrawnText = "（已撤回）";

    public string Label => Content.PeriodLabel + (Version > 1 ? $" 第 {Version} 版" : "");

    /// <summary>Due and not approved: the console and the log say so until it is.</summary>
    public bool IsOverdue(DateOnly today) => today > DueDay;

    /// <summary>
    /// Publishes <paramref name="edited"/> instead of the de-identified text: it must be that text with some characters
    /// replaced by <see cref="Mask"/>, one for one — same length, nothing added, nothing reordered.
    /// </summary>
    public DisclosureDraft Redact(int row, string edited, DraftTextField field = DraftTextField.CitizenText)
    {
        var text = Find(row, field);
        if (!IsRedactionOf(text.Scrubbed, edited))
        {
            throw new InvalidInputException("text", $"只能把文字改为“{Mask}”遮盖，不能增删或改写其他文字");
        }

        if (edited == text.Published)
        {
            throw new InvalidInputException("text", "没有改动");
        }

        return With(text with { Published = edited, Decision = DraftTextDecision.Redacted });
    }

    /// <summary>Keeps the whole text out of the publication (the 差评 itself stays listed and counted).</summary>
    public DisclosureDraft Hide(int row, DraftTextField field = DraftTextField.CitizenText)
    {
        var text = Find(row, field);
        return text.Decision == DraftTextDecision.Hidden
            ? throw new InvalidInputException("row", "这条文字已不予公开")
            : With(text with { Published = HiddenByOfficer, Decision = DraftTextDecision.Hidden });
    }

    /// <summary>The publication this draft becomes when approved: the reviewed texts in place, signed off.</summary>
    public Publication Approve(DateTimeOffset at, string approvingRole, DisclosureSender sender)
    {
        var reviews = Content.BadReviews.ToList();
        foreach (var text in Texts)
        {
            reviews[text.Row] = text.Field == DraftTextField.WhatWasDone
                ? reviews[text.Row] with { WhatWasDone = text.Published }
                : reviews[text.Row] with { Text = text.Published };
        }

        return new Publication(
            PeriodKey, Version, at, Correction, Content with { BadReviews = reviews },
            new PublicationSignOff(sender.IssuingBody, sender.Contact, at, approvingRole));
    }

    /// <summary>
    /// Whether <paramref name="edited"/> is <paramref name="source"/> with characters masked one for one. Compared by
    /// Unicode scalar, so a mask never splits a character in two.
    /// </summary>
    public static bool IsRedactionOf(string source, string edited)
    {
        var (i, j) = (0, 0);
        while (i < source.Length && j < edited.Length)
        {
            Rune.DecodeFromUtf16(source.AsSpan(i), out _, out var sourceLength);
            var status = Rune.DecodeFromUtf16(edited.AsSpan(j), out var rune, out var editedLength);
            // The same code units, or a well-formed mask in place of one character (a lone surrogate is one).
            if (!source.AsSpan(i, sourceLength).SequenceEqual(edited.AsSpan(j, editedLength))
                && !(status == System.Buffers.OperationStatus.Done && rune.Value == Mask))
            {
                return false;
            }

            (i, j) = (i + sourceLength, j + editedLength);
        }

        return i == source.Length && j == edited.Length;
    }

    private DraftText Find(int row, DraftTextField field) =>
        Texts.FirstOrDefault(t => t.Row == row && t.Field == field)
            ?? throw new NotFoundException(
                $"{Label} 没有第 {row + 1} 条{(field == DraftTextField.WhatWasDone ? "整改情况" : "文字")}", "row",
                row.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private DisclosureDraft With(DraftText changed) =>
        this with { Texts = Texts.Select(t => t.Row == changed.Row && t.Field == changed.Field ? changed : t).ToList() };
}

/// <summary>What the 政务公开 officer (or the publishing job) did to a disclosure.</summary>
public enum DisclosureActionKind
{
    Drafted = 1,
    Redacted = 2,
    Hidden = 3,
    Approved = 4,
    TextWithdrawn = 5,
    VersionWithdrawn = 6,

    /// <summary>A handler's 整改情况 masked (<see cref="Redacted"/> is the citizen's text).</summary>
    SummaryRedacted = 7,

    /// <summary>A handler's 整改情况 kept out of the publication.</summary>
    SummaryHidden = 8,
}

/// <summary>
/// One row of the disclosure audit: who, when, what (period, version and the 差评's row, from 0), and why. The words
/// of a text are never repeated here.
/// </summary>
public sealed record DisclosureAction(
    DateTimeOffset At, string UserName, DisclosureActionKind Kind, string PeriodKey, int Version, int? Row, string Reason);
