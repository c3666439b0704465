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
