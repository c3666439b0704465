namespace ServiceHall.Server.Domain;

/// <summary>
/// What the government proactively publishes (主动公开) at the disclosure zone (docs/rules/active-disclosure.md): the kinds the
/// district notice names, each a category of the kiosk's 主动公开 catalogue.
/// </summary>
public enum PublishedDocumentType
{
    /// <summary>政府信息公开指南, kept current with its update date (条例 第二十二条).</summary>
    Guide = 1,

    /// <summary>主动公开目录 (条例 第二十二条).</summary>
    Catalogue = 2,

    /// <summary>政策文件, published with its interpretation (谁起草谁解读).</summary>
    Policy = 3,

    /// <summary>政策解读 of one policy document.</summary>
    Interpretation = 4,

    /// <summary>惠企政策: conditions, materials, procedure, contact and the application window.</summary>
    EnterprisePolicy = 5,

    /// <summary>证明事项告知承诺制 清单: the certificates a written promise may replace.</summary>
    PromiseCertificates = 6,

    /// <summary>涉企收费目录清单.</summary>
    EnterpriseFees = 7,

    /// <summary>"马上办、网上办、一次办" 事项清单.</summary>
    ServiceModeList = 8,
}

/// <summary>Where a document is in its life (docs/rules/active-disclosure.md#lifecycle).</summary>
public enum PublishedDocumentState
{
    Draft = 1,
    InReview = 2,
    Approved = 3,
    Published = 4,
    Withdrawn = 5,
}

/// <summary>What an audit record of a document says happened.</summary>
public enum DocumentEventKind
{
    Drafted = 1,
    Edited = 2,
    SubmittedForReview = 3,
    ReturnedForChanges = 4,
    Approved = 5,
    Published = 6,
    Withdrawn = 7,
}

/// <summary>A link a document carries: an attachment or its online version, by title and address.</summary>
public sealed record DocumentLink(string Title, string Url);

/// <summary>
/// What an enterprise policy must tell an applicant (district notice: "申请条件、申报材料清单、办理流程、承办部门联系方式、申请起止时间";
/// the window itself is <see cref="DocumentContent.ApplyFrom"/>–<see cref="DocumentContent.ApplyUntil"/>).
/// </summary>
public sealed record EnterpriseTerms(string Conditions, string Materials, string Procedure, string Contact);

/// <summary>
/// The editable content of a document. Dates are local days in the district. Body is plain text, paragraphs separated by
/// blank lines.
/// </summary>
public sealed record DocumentContent(
    PublishedDocumentType Type,
    string Title,
    string IssuingBody,
    string? DocumentNumber,
    DateOnly? IssuedOn,
    DateOnly? EffectiveOn,
    DateOnly? ExpiresOn,
    DateOnly? ApplyFrom,
    DateOnly? ApplyUntil,
    string Body,
    EnterpriseTerms? Terms,
    IReadOnlyList<DocumentLink> Attachments,
    IReadOnlyList<string> ServiceItemCodes,
    Guid? InterpretsPolicyId,
    string? OnlineUrl,
    bool Demo = false);

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

/// <summary>The checks every document's content passes before it is stored (docs/rules/active-disclosure.md#fields).</summary>
public static class PublishedDocumentRules
{
    public const int Title = 200;
    public const int IssuingBody = 100;
    public const int DocumentNumber = 64;
    public const int Body = 20_000;
    public const int TermsText = 4_000;
    public const int Contact = 200;
    public const int Url = 2_000;
    public const int MaxAttachments = 20;
    public const int MaxServiceItems = 20;
    public const int ServiceItemCode = 64;

    /// <summary>Refuses content that breaks a rule, naming the field (fields are named as in the contract).</summary>
    public static void Check(DocumentContent c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (!Enum.IsDefined(c.Type))
        {
            throw new InvalidInputException("content.type", "未指定类别");
        }

        Text(c.Title, "content.title", Title);
        Text(c.IssuingBody, "content.issuing_body", IssuingBody);
        Text(c.Body, "content.body", Body);
        TextLimits.Check(c.DocumentNumber, "content.document_number", DocumentNumber);
        if (c.DocumentNumber is { } number && number.Any(char.IsControl))
        {
            throw new InvalidInputException("content.document_number", "不能含控制字符");
        }

        if (c.IssuedOn is { } issued && c.EffectiveOn is { } effective && effective < issued)
        {
            throw new InvalidInputException("content.effective_on", "施行日期不能早于成文日期");
        }

        if (c.ExpiresOn is { } expires && (c.EffectiveOn ?? c.IssuedOn) is { } start && expires < start)
        {
            throw new InvalidInputException("content.expires_on", "失效日期不能早于施行日期");
        }

        if ((c.ApplyFrom is null) != (c.ApplyUntil is null))
        {
            throw new InvalidInputException(c.ApplyFrom is null ? "content.apply_from" : "content.apply_until", "申请起止日期须同时填写");
        }

        if (c.ApplyFrom is { } from && c.ApplyUntil is { } until && until < from)
        {
            throw new InvalidInputException("content.apply_until", "申请截止日期不能早于开始日期");
        }

        if (c.Type == PublishedDocumentType.EnterprisePolicy)
        {
            if (c.Terms is null)
            {
                throw new InvalidInputException("content.terms", "惠企政策须写明申请条件、申报材料清单、办理流程和承办部门联系方式");
            }

            if (c.ApplyFrom is null)
            {
                throw new InvalidInputException("content.apply_from", "惠企政策须写明申请起止时间");
            }
        }

        if (c.Terms is { } terms)
        {
            Text(terms.Conditions, "content.terms.conditions", TermsText);
            Text(terms.Materials, "content.terms.materials", TermsText);
            Text(terms.Procedure, "content.terms.procedure", TermsText);
            Text(terms.Contact, "content.terms.contact", Contact);
        }

        if (c.Type == PublishedDocumentType.Interpretation && c.InterpretsPolicyId is null)
        {
            throw new InvalidInputException("content.interprets_policy_id", "政策解读须指明所解读的政策文件");
        }

        if (c.Type != PublishedDocumentType.Interpretation && c.InterpretsPolicyId is not null)
        {
            throw new InvalidInputException("content.interprets_policy_id", "只有政策解读可以指向政策文件");
        }

        if (c.Attachments.Count > MaxAttachments)
        {
            throw new InvalidInputException("content.attachments", $"至多 {MaxAttachments} 个附件");
        }

        for (var i = 0; i < c.Attachments.Count; i++)
        {
            Text(c.Attachments[i].Title, $"content.attachments[{i}].title", Title);
            Address(c.Attachments[i].Url, $"content.attachments[{i}].url");
        }

        if (c.OnlineUrl is not null)
        {
            Address(c.OnlineUrl, "content.online_url");
        }

        if (c.ServiceItemCodes.Count > MaxServiceItems)
        {
            throw new InvalidInputException("content.service_item_codes", $"至多关联 {MaxServiceItems} 个事项");
        }

        foreach (var code in c.ServiceItemCodes)
        {
            Text(code, "content.service_item_codes", ServiceItemCode);
        }
    }

    /// <summary>Days an enterprise policy is still open for applications on <paramref name="today"/>; null when it is not.</summary>
    public static int? DaysLeftToApply(DocumentContent c, DateOnly today) =>
        c is { ApplyFrom: { } from, ApplyUntil: { } until } && from <= today && today <= until
            ? until.DayNumber - today.DayNumber
            : null;

    private static void Text(string? value, string field, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidInputException(field, "不能为空");
        }

        TextLimits.Check(value, field, max);
    }

    private static void Address(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidInputException(field, "不能为空");
        }

        TextLimits.Check(value, field, Url);
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidInputException(field, "须为 http(s) 网址");
        }
    }
}

public static class PublishedDocumentLabels
{
    public static string Label(this PublishedDocumentType type) => type switch
    {
        PublishedDocumentType.Guide => "政府信息公开指南",
        PublishedDocumentType.Catalogue => "主动公开目录",
        PublishedDocumentType.Policy => "政策文件",
        PublishedDocumentType.Interpretation => "政策解读",
        PublishedDocumentType.EnterprisePolicy => "惠企政策",
        PublishedDocumentType.PromiseCertificates => "证明事项告知承诺制清单",
        PublishedDocumentType.EnterpriseFees => "涉企收费目录清单",
        PublishedDocumentType.ServiceModeList => "马上办、网上办、一次办清单",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Label(this PublishedDocumentState state) => state switch
    {
        PublishedDocumentState.Draft => "草稿",
        PublishedDocumentState.InReview => "待审核",
        PublishedDocumentState.Approved => "已审核待发布",
        PublishedDocumentState.Published => "已发布",
        PublishedDocumentState.Withdrawn => "已撤回",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string Label(this DocumentEventKind kind) => kind switch
    {
        DocumentEventKind.Drafted => "起草",
        DocumentEventKind.Edited => "修改",
        DocumentEventKind.SubmittedForReview => "提交审核",
        DocumentEventKind.ReturnedForChanges => "退回修改",
        DocumentEventKind.Approved => "审核通过",
        DocumentEventKind.Published => "发布",
        DocumentEventKind.Withdrawn => "撤回",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
