namespace ServiceHall.Server.Domain;

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
