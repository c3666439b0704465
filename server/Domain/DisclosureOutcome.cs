namespace ServiceHall.Server.Domain;

/// <summary>
/// The categories of a reply to an information-disclosure request, exactly as the annual report's table
/// "收到和处理政府信息公开申请情况" counts them (国办公开办函〔2021〕30号; docs/rules/disclosure-requests.md#outcomes).
/// </summary>
public enum DisclosureOutcomeCategory
{
    /// <summary>(一) 予以公开 (including "already proactively published", told where).</summary>
    Disclosed = 1,

    /// <summary>(二) 部分公开 (区分处理的，只计这一情形).</summary>
    PartlyDisclosed = 2,

    /// <summary>(三) 不予公开, with one of eight grounds.</summary>
    NotDisclosed = 3,

    /// <summary>(四) 无法提供, with one of three grounds.</summary>
    CannotProvide = 4,

    /// <summary>(五) 不予处理, with one of five grounds.</summary>
    NotHandled = 5,

    /// <summary>(六) 其他处理, with one of three grounds.</summary>
    Other = 6,
}

/// <summary>
/// One row of the annual report's outcome rows: a category with its ground where the category has grounds. The numbering
/// within a category follows the report format, so the rows read in the same order as the printed table.
/// </summary>
public enum DisclosureOutcome
{
    Disclosed = 1,
    PartlyDisclosed = 2,

    NotDisclosedStateSecret = 31,
    NotDisclosedOtherLaw = 32,
    NotDisclosedSecurityStability = 33,
    NotDisclosedThirdPartyRights = 34,
    NotDisclosedInternalAffairs = 35,
    NotDisclosedProcessInformation = 36,
    NotDisclosedEnforcementFile = 37,
    NotDisclosedAdministrativeQuery = 38,

    CannotProvideNotHeld = 41,
    CannotProvideWouldNeedCreating = 42,
    CannotProvideStillUnclear = 43,

    NotHandledPetitionOrComplaint = 51,
    NotHandledRepeated = 52,
    NotHandledPublication = 53,
    NotHandledMassRepeated = 54,
    NotHandledConfirmHeldInformation = 55,

    OtherNoSupplement = 61,
    OtherFeeNotPaid = 62,
    OtherOther = 63,
}

public static class DisclosureOutcomes
{
    /// <summary>Every outcome in the order of the report's rows.</summary>
    public static IReadOnlyList<DisclosureOutcome> All { get; } = Enum.GetValues<DisclosureOutcome>();

    public static DisclosureOutcomeCategory Category(this DisclosureOutcome outcome) => outcome switch
    {
        DisclosureOutcome.Disclosed => DisclosureOutcomeCategory.Disclosed,
        DisclosureOutcome.PartlyDisclosed => DisclosureOutcomeCategory.PartlyDisclosed,
        DisclosureOutcome.NotDisclosedStateSecret or DisclosureOutcome.NotDisclosedOtherLaw
            or DisclosureOutcome.NotDisclosedSecurityStability or DisclosureOutcome.NotDisclosedThirdPartyRights
            or DisclosureOutcome.NotDisclosedInternalAffairs or DisclosureOutcome.NotDisclosedProcessInformation
            or DisclosureOutcome.NotDisclosedEnforcementFile or DisclosureOutcome.NotDisclosedAdministrativeQuery
            => DisclosureOutcomeCategory.NotDisclosed,
        DisclosureOutcome.CannotProvideNotHeld or DisclosureOutcome.CannotProvideWouldNeedCreating
            or DisclosureOutcome.CannotProvideStillUnclear => DisclosureOutcomeCategory.CannotProvide,
        DisclosureOutcome.NotHandledPetitionOrComplaint or DisclosureOutcome.NotHandledRepeated
            or DisclosureOutcome.NotHandledPublication or DisclosureOutcome.NotHandledMassRepeated
            or DisclosureOutcome.NotHandledConfirmHeldInformation => DisclosureOutcomeCategory.NotHandled,
        DisclosureOutcome.OtherNoSupplement or DisclosureOutcome.OtherFeeNotPaid or DisclosureOutcome.OtherOther
            => DisclosureOutcomeCategory.Other,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The row's words in the report format.</summary>
    public static string Label(this DisclosureOutcome outcome) => outcome switch
    {
        DisclosureOutcome.Disclosed => "予以公开",
        DisclosureOutcome.PartlyDisclosed => "部分公开（区分处理的，只计这一情形，不计其他情形）",
        DisclosureOutcome.NotDisclosedStateSecret => "属于国家秘密",
        DisclosureOutcome.NotDisclosedOtherLaw => "其他法律行政法规禁止公开",
        DisclosureOutcome.NotDisclosedSecurityStability => "危及“三安全一稳定”",
        DisclosureOutcome.NotDisclosedThirdPartyRights => "保护第三方合法权益",
        DisclosureOutcome.NotDisclosedInternalAffairs => "属于三类内部事务信息",
        DisclosureOutcome.NotDisclosedProcessInformation => "属于四类过程性信息",
        DisclosureOutcome.NotDisclosedEnforcementFile => "属于行政执法案卷",
        DisclosureOutcome.NotDisclosedAdministrativeQuery => "属于行政查询事项",
        DisclosureOutcome.CannotProvideNotHeld => "本机关不掌握相关政府信息",
        DisclosureOutcome.CannotProvideWouldNeedCreating => "没有现成信息需要另行制作",
        DisclosureOutcome.CannotProvideStillUnclear => "补正后申请内容仍不明确",
        DisclosureOutcome.NotHandledPetitionOrComplaint => "信访举报投诉类申请",
        DisclosureOutcome.NotHandledRepeated => "重复申请",
        DisclosureOutcome.NotHandledPublication => "要求提供公开出版物",
        DisclosureOutcome.NotHandledMassRepeated => "无正当理由大量反复申请",
        DisclosureOutcome.NotHandledConfirmHeldInformation => "要求行政机关确认或重新出具已获取信息",
        DisclosureOutcome.OtherNoSupplement => "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        DisclosureOutcome.OtherFeeNotPaid => "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        DisclosureOutcome.OtherOther => "其他",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    /// <summary>The short label staff pick from: category and ground ("不予公开：属于国家秘密").</summary>
    public static string ChoiceLabel(this DisclosureOutcome outcome) => outcome.Category() switch
    {
        DisclosureOutcomeCategory.Disclosed => "予以公开",
        DisclosureOutcomeCategory.PartlyDisclosed => "部分公开",
        var category => category.Label() + "：" + outcome.Label(),
    };

    public static string Label(this DisclosureOutcomeCategory category) => category switch
    {
        DisclosureOutcomeCategory.Disclosed => "予以公开",
        DisclosureOutcomeCategory.PartlyDisclosed => "部分公开",
        DisclosureOutcomeCategory.NotDisclosed => "不予公开",
        DisclosureOutcomeCategory.CannotProvide => "无法提供",
        DisclosureOutcomeCategory.NotHandled => "不予处理",
        DisclosureOutcomeCategory.Other => "其他处理",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    /// <summary>The category's number in the report, "（一）" … "（六）".</summary>
    public static string Numeral(this DisclosureOutcomeCategory category) => category switch
    {
        DisclosureOutcomeCategory.Disclosed => "（一）",
        DisclosureOutcomeCategory.PartlyDisclosed => "（二）",
        DisclosureOutcomeCategory.NotDisclosed => "（三）",
        DisclosureOutcomeCategory.CannotProvide => "（四）",
        DisclosureOutcomeCategory.NotHandled => "（五）",
        DisclosureOutcomeCategory.Other => "（六）",
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, null),
    };

    /// <summary>The ground's number within its category (1…8), or null for a category without grounds.</summary>
    public static int? GroundNumber(this DisclosureOutcome outcome) =>
        outcome.Category() is DisclosureOutcomeCategory.Disclosed or DisclosureOutcomeCategory.PartlyDisclosed ? null : (int)outcome % 10;
}
