namespace ServiceHall.Server.Domain;

/// <summary>One audit record of a document: appended once, never changed.</summary>
public sealed record DocumentEvent(
    int Sequence, DateTimeOffset At, Actor By, DocumentEventKind Kind, PublishedDocumentState From, PublishedDocumentState To, string? Note)
    : ICaseRecord
{
    string ICaseRecord.What => Kind.Label();
}

/// <summary>Everything a <see cref="PublishedDocument"/> is, for storage.</summary>
public sealed record PublishedDocumentSnapshot(
    Guid Id,
    DocumentContent Content,
    PublishedDocumentState State,
    string? SubmittedBy,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    IReadOnlyList<DocumentEvent> Events);

/// <summary>
/// A document the 政务公开 office publishes proactively (docs/rules/active-disclosure.md). Drafted and edited, submitted for
/// review, approved by a <em>different</em> officer (unless the district has one officer,
/// ProactiveDisclosure:SecondOfficerReviews), published, and withdrawn when it must no longer stand. Every
/// method checks the state and the actor first, changes nothing when it refuses, and appends exactly one audit record.
/// </summary>
/// <remarks>
/// Not on the case-step machinery (docs/case-steps.md): that is built for cases with statutory deadlines on the working-day
/// calendar, escalation and per-step inputs; a document has four fixed transitions, no deadline and one actor kind, and its
/// edit is a whole-content replace, so plain guarded methods say it more simply. The audit record has the shared
/// <see cref="ICaseRecord"/> shape.
/// </remarks>
public sealed class PublishedDocument
{
    private readonly List<DocumentEvent> _events = [];

    private PublishedDocument(Guid id, DocumentContent content, DateTimeOffset at)
    {
        Id = id;
        Content = content;
        UpdatedAt = at;
        State = PublishedDocumentState.Draft;
    }

    public Guid Id { get; }

    public DocumentContent Content { get; private set; }

    public PublishedDocumentState State { get; private set; }

    /// <summary>The officer who last submitted it for review (the one who may not approve it when a second officer reviews).</summary>
    public string? SubmittedBy { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>When it was (last) published; kept after a withdrawal.</summary>
    public DateTimeOffset? PublishedAt { get; private set; }

    public IReadOnlyList<DocumentEvent> Events => _events;

    /// <summary>A new draft with checked content.</summary>
    public static PublishedDocument Draft(Guid id, DocumentContent content, Actor by, DateTimeOffset at)
    {
        PublishedDocumentRules.Check(content);
        OfficeOnly(by, "起草公开内容");
        var document = new PublishedDocument(id, content, at);
        document.Append(at, by, DocumentEventKind.Drafted, PublishedDocumentState.Draft, PublishedDocumentState.Draft, null);
        return document;
    }

    /// <summary>Replaces the content of a draft, or of a withdrawn document (which becomes a draft again, to be reviewed anew).</summary>
    public void Edit(DocumentContent content, Actor by, DateTimeOffset at)
    {
        Guard(by, "修改", PublishedDocumentState.Draft, PublishedDocumentState.Withdrawn);
        PublishedDocumentRules.Check(content);
        if (content.Type != Content.Type)
        {
            throw new InvalidInputException("content.type", "已有文件不能改变类别，请新建");
        }

        var from = State;
        Content = content;
        State = PublishedDocumentState.Draft;
        Append(at, by, DocumentEventKind.Edited, from, State, null);
    }

    public void SubmitForReview(Actor by, DateTimeOffset at)
    {
        Guard(by, "提交审核", PublishedDocumentState.Draft);
        SubmittedBy = by.Id;
        Transition(by, at, DocumentEventKind.SubmittedForReview, PublishedDocumentState.InReview, null);
    }

    /// <summary>Sends a document in review back to its drafter, with the reason.</summary>
    public void ReturnForChanges(Actor by, string reason, DateTimeOffset at)
    {
        Guard(by, "退回修改", PublishedDocumentState.InReview);
        var why = Required(reason, "reason", TextLimits.Reason);
        Transition(by, at, DocumentEventKind.ReturnedForChanges, PublishedDocumentState.Draft, why);
    }

    /// <summary>
    /// Approves a document in review. With <paramref name="secondOfficerReviews"/> the officer who submitted it may not
    /// approve it (docs/rules/active-disclosure.md#review).
    /// </summary>
    public void Approve(Actor by, bool secondOfficerReviews, string? note, DateTimeOffset at)
    {
        Guard(by, "审核通过", PublishedDocumentState.InReview);
        if (secondOfficerReviews && by.Id == SubmittedBy)
        {
            throw new NotNowException("须由提交人以外的另一名政务公开专员审核", "second_officer_required");
        }

        TextLimits.Check(note, "note", TextLimits.Reason);
        Transition(by, at, DocumentEventKind.Approved, PublishedDocumentState.Approved, Blank(note));
    }

    public void Publish(Actor by, DateTimeOffset at)
    {
        Guard(by, "发布", PublishedDocumentState.Approved);
        PublishedAt = at;
        Transition(by, at, DocumentEventKind.Published, PublishedDocumentState.Published, null);
    }

    /// <summary>Takes a published document off the kiosk; the reason stays in the audit trail.</summary>
    public void Withdraw(Actor by, string reason, DateTimeOffset at)
    {
        Guard(by, "撤回", PublishedDocumentState.Published);
        var why = Required(reason, "reason", TextLimits.Reason);
        Transition(by, at, DocumentEventKind.Withdrawn, PublishedDocumentState.Withdrawn, why);
    }

    public PublishedDocumentSnapshot ToSnapshot() => new(Id, Content, State, SubmittedBy, UpdatedAt, PublishedAt, _events.ToList());

    public static PublishedDocument Restore(PublishedDocumentSnapshot s)
    {
        var document = new PublishedDocument(s.Id, s.Content, s.UpdatedAt)
        {
            State = s.State,
            SubmittedBy = s.SubmittedBy,
            PublishedAt = s.PublishedAt,
        };
        document._events.AddRange(s.Events);
        return document;
    }

    private void Guard(Actor by, string action, params PublishedDocumentState[] from)
    {
        OfficeOnly(by, action);
        if (!from.Contains(State))
        {
            throw new NotNowException($"“{Content.Title}”当前为“{State.Label()}”，不能{action}", "document_state");
        }
    }

    private static void OfficeOnly(Actor by, string action)
    {
        if (by.Role != CaseRole.DisclosureOffice)
        {
            throw new AccessDeniedException($"只有政务公开专员可以{action}");
        }
    }

    private void Transition(Actor by, DateTimeOffset at, DocumentEventKind kind, PublishedDocumentState to, string? note)
    {
        var from = State;
        State = to;
        Append(at, by, kind, from, to, note);
    }

    private void Append(DateTimeOffset at, Actor by, DocumentEventKind kind, PublishedDocumentState from, PublishedDocumentState to, string? note)
    {
        UpdatedAt = at;
        _events.Add(new DocumentEvent(_events.Count + 1, at, by, kind, from, to, note));
    }

    private static string Required(string? value, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidInputException(field, "不能为空");
        }

        TextLimits.Check(value.Trim(), field, max);
        return value.Trim();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
