using System.Globalization;
using System.Net.Mail;

namespace ServiceHall.Server.Domain;

/// <summary>
/// Who applies, as the annual report counts applicants (国办公开办函〔2021〕30号: 自然人; 法人或其他组织 — 商业企业, 科研机构,
/// 社会公益组织, 法律服务机构, 其他). docs/rules/disclosure-requests.md#applying.
/// </summary>
public enum ApplicantKind
{
    NaturalPerson = 1,
    CommercialEnterprise = 2,
    ResearchInstitution = 3,
    PublicWelfareOrganisation = 4,
    LegalServiceOrganisation = 5,
    OtherOrganisation = 6,
}

/// <summary>The identity document an applicant shows (条例 art. 29: 身份证明).</summary>
public enum IdentityDocumentKind
{
    /// <summary>居民身份证 (18 characters, GB 11643 check digit).</summary>
    ResidentIdCard = 1,

    /// <summary>护照.</summary>
    Passport = 2,

    /// <summary>港澳居民来往内地通行证.</summary>
    HongKongMacaoPermit = 3,

    /// <summary>台湾居民来往大陆通行证.</summary>
    TaiwanPermit = 4,

    /// <summary>外国人永久居留身份证.</summary>
    ForeignPermanentResidentCard = 5,

    /// <summary>统一社会信用代码 (18 characters, GB 32100 check character): an organisation's.</summary>
    UnifiedSocialCreditCode = 6,
}

/// <summary>The form the applicant wants the information in (条例 art. 29, 40).</summary>
public enum InformationForm
{
    Paper = 1,
    Electronic = 2,

    /// <summary>查阅: inspect on site.</summary>
    InspectOnSite = 3,
}

/// <summary>How the applicant receives the reply and the information; also how a reply was delivered.</summary>
public enum DeliveryMethod
{
    /// <summary>自行领取 at the hall.</summary>
    Collect = 1,

    /// <summary>邮寄.</summary>
    Post = 2,

    /// <summary>电子邮件.</summary>
    Email = 3,
}

/// <summary>
/// The applicant's identity and contact: encrypted at rest, shown masked, never in a log, an export or anything public
/// (docs/rules/privacy.md). Kept apart from the request so the request's own record can be shown to those who handle it.
/// </summary>
public sealed record ApplicantIdentity(
    string Name, IdentityDocumentKind DocumentKind, string DocumentNumber, string Phone, string? PostalAddress, string? Email,
    string? ContactPerson)
{
    /// <summary>张** / 济南某某有限公司 → 济南********: the first character, enough to tell two requests apart, not to name anyone.</summary>
    public string MaskedName => Name.Length <= 1 ? "*" : Name[..1] + new string('*', Math.Min(Name.Length - 1, 8));

    /// <summary>3701**********1234: the first four and last four characters.</summary>
    public string MaskedDocumentNumber => DocumentNumber.Length <= 8
        ? new string('*', DocumentNumber.Length)
        : DocumentNumber[..4] + new string('*', DocumentNumber.Length - 8) + DocumentNumber[^4..];

    public string MaskedPhone => Phone.Length >= 7 ? Phone[..3] + new string('*', Phone.Length - 7) + Phone[^4..] : "****";
}

/// <summary>What information is wanted (条例 art. 29(2)): its name, its document number, or a description that identifies it.</summary>
public sealed record InformationWanted(string? Name, string? DocumentNumber, string? Description);

/// <summary>
/// An application as the citizen or organisation filled it in at the kiosk, checked field by field: each refusal names
/// the contract's field and says in plain words what is wrong (docs/rules/disclosure-requests.md#limits).
/// </summary>
public sealed record DisclosureApplication(
    ApplicantKind ApplicantKind,
    ApplicantIdentity Applicant,
    InformationWanted Information,
    InformationForm Form,
    DeliveryMethod Delivery)
{
    public const int MaxNameLength = 100;
    public const int MaxDocumentNumberLength = 32;
    public const int MaxPhoneLength = 20;
    public const int MaxAddressLength = 200;
    public const int MaxEmailLength = 100;
    public const int MaxInformationNameLength = 200;
    public const int MaxInformationDocumentNumberLength = 100;
    public const int MaxDescriptionLength = 1000;

    /// <summary>The application trimmed and checked; the first fault found is refused with its field.</summary>
    /// <exception cref="InvalidInputException">A field is missing, too long or malformed.</exception>
    public DisclosureApplication Checked()
    {
        if (!Enum.IsDefined(ApplicantKind))
        {
            throw new InvalidInputException("applicant_kind", "须选择自然人，或法人或其他组织的类型");
        }

        var name = Required(Applicant.Name, "applicant_name", MaxNameLength,
            ApplicantKind == ApplicantKind.NaturalPerson ? "请填写申请人姓名" : "请填写单位名称");
        if (!Enum.IsDefined(Applicant.DocumentKind))
        {
            throw new InvalidInputException("id_document_kind", "须选择证件类型");
        }

        var organisation = ApplicantKind != ApplicantKind.NaturalPerson;
        if (organisation != (Applicant.DocumentKind == IdentityDocumentKind.UnifiedSocialCreditCode))
        {
            throw new InvalidInputException("id_document_kind", organisation
                ? "法人或其他组织须提供统一社会信用代码"
                : "自然人须提供个人身份证件（统一社会信用代码用于法人或其他组织）");
        }

        var number = Required(Applicant.DocumentNumber, "id_document_number", MaxDocumentNumberLength, "请填写证件号码")
            .Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        if (IdentityNumbers.WhyNot(Applicant.DocumentKind, number) is { } why)
        {
            throw new InvalidInputException("id_document_number", why);
        }

        var phone = Required(Applicant.Phone, "phone", MaxPhoneLength, "请填写联系电话").Replace(" ", "", StringComparison.Ordinal);
        if (!IdentityNumbers.IsPhone(phone))
        {
            throw new InvalidInputException("phone", "须为 11 位手机号码，或带区号的固定电话（如 0531-12345678）");
        }

        var address = Optional(Applicant.PostalAddress, "postal_address", MaxAddressLength);
        var email = Optional(Applicant.Email, "email", MaxEmailLength);
        if (email is not null && !IdentityNumbers.IsEmail(email))
        {
            throw new InvalidInputException("email", "电子邮箱格式不正确（如 name@example.com）");
        }

        var contactPerson = organisation ? Optional(Applicant.ContactPerson, "contact_person", MaxNameLength) : null;
        if (organisation && contactPerson is null)
        {
            throw new InvalidInputException("contact_person", "请填写单位联系人");
        }

        var infoName = Optional(Information.Name, "information_name", MaxInformationNameLength);
        var infoNumber = Optional(Information.DocumentNumber, "information_document_number", MaxInformationDocumentNumberLength);
        var description = Optional(Information.Description, "information_description", MaxDescriptionLength);
        if (infoName is null && infoNumber is null && description is null)
        {
            throw new InvalidInputException("information_name", "请写明所需信息的名称、文号，或能够指向该信息的描述");
        }

        if (!Enum.IsDefined(Form))
        {
            throw new InvalidInputException("form", "须选择纸质、电子或现场查阅");
        }

        if (!Enum.IsDefined(Delivery))
        {
            throw new InvalidInputException("delivery", "须选择自行领取、邮寄或电子邮件");
        }

        switch (Delivery)
        {
            case DeliveryMethod.Post when address is null:
                throw new InvalidInputException("postal_address", "选择邮寄的，请填写邮寄地址");
            case DeliveryMethod.Email when email is null:
                throw new InvalidInputException("email", "选择电子邮件的，请填写电子邮箱");
            case DeliveryMethod.Email when Form != InformationForm.Electronic:
                throw new InvalidInputException("delivery", "电子邮件只能送达电子形式的信息");
            case not DeliveryMethod.Collect when Form == InformationForm.InspectOnSite:
                throw new InvalidInputException("delivery", "现场查阅的，获取方式须为自行领取（到大厅查阅）");
            default:
                break;
        }

        return this with
        {
            Applicant = new ApplicantIdentity(name, Applicant.DocumentKind, number, phone, address, email, contactPerson),
            Information = new InformationWanted(infoName, infoNumber, description),
        };
    }

    private static string Required(string? value, string field, int max, string missing)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            throw new InvalidInputException(field, missing);
        }

        TextLimits.Check(trimmed, field, max);
        return trimmed;
    }

    private static string? Optional(string? value, string field, int max)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        TextLimits.Check(trimmed, field, max);
        return trimmed;
    }
}

/// <summary>The checks of identity numbers and contact details an application is held to.</summary>
public static class IdentityNumbers
{
    private static readonly int[] IdCardWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCardCheck = "10X98765432";
    private const string CreditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    /// <summary>Why <paramref name="number"/> is not a number of that kind, or null.</summary>
    public static string? WhyNot(IdentityDocumentKind kind, string number) => kind switch
    {
        IdentityDocumentKind.ResidentIdCard => IsResidentIdCard(number) ? null : "居民身份证号码须为 18 位，且校验位正确（最后一位可能是 X）",
        IdentityDocumentKind.UnifiedSocialCreditCode => IsUnifiedSocialCreditCode(number) ? null : "统一社会信用代码须为 18 位，且校验位正确",
        IdentityDocumentKind.Passport or IdentityDocumentKind.HongKongMacaoPermit or IdentityDocumentKind.TaiwanPermit
            or IdentityDocumentKind.ForeignPermanentResidentCard =>
            number.Length is >= 5 and <= 20 && number.All(char.IsAsciiLetterOrDigit) ? null : "证件号码须为 5–20 位字母或数字",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>A resident identity number: 17 digits and the GB 11643-1999 ISO 7064 MOD 11-2 check character.</summary>
    public static bool IsResidentIdCard(string number)
    {
        if (number.Length != 18 || !number[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (number[i] - '0') * IdCardWeights[i];
        }

        if (IdCardCheck[sum % 11] != number[17])
        {
            return false;
        }

        return DateOnly.TryParseExact(number.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>A unified social credit code: 17 characters of its alphabet and the GB 32100-2015 MOD 31 check character.</summary>
    public static bool IsUnifiedSocialCreditCode(string code)
    {
        if (code.Length != 18)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = CreditCodeChars.IndexOf(code[i], StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            sum += value * CreditCodeWeights[i];
        }

        var check = (31 - (sum % 31)) % 31;
        return CreditCodeChars[check] == code[17];
    }

    /// <summary>A mainland mobile number (11 digits from 1) or a landline with its area code (0531-12345678).</summary>
    public static bool IsPhone(string phone)
    {
        if (phone.Length == 11 && phone[0] == '1' && phone.All(char.IsAsciiDigit))
        {
            return true;
        }

        var digits = phone.Replace("-", "", StringComparison.Ordinal);
        return phone.StartsWith('0') && digits.Length is >= 10 and <= 12 && digits.All(char.IsAsciiDigit);
    }

    public static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('.', StringComparison.Ordinal);
}

public static class ApplicantKinds
{
    public static string Label(this ApplicantKind kind) => kind switch
    {
        ApplicantKind.NaturalPerson => "自然人",
        ApplicantKind.CommercialEnterprise => "商业企业",
        ApplicantKind.ResearchInstitution => "科研机构",
        ApplicantKind.PublicWelfareOrganisation => "社会公益组织",
        ApplicantKind.LegalServiceOrganisation => "法律服务机构",
        ApplicantKind.OtherOrganisation => "其他",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string Label(this InformationForm form) => form switch
    {
        InformationForm.Paper => "纸质",
        InformationForm.Electronic => "电子",
        InformationForm.InspectOnSite => "现场查阅",
        _ => throw new ArgumentOutOfRangeException(nameof(form), form, null),
    };

    public static string Label(this DeliveryMethod delivery) => delivery switch
    {
        DeliveryMethod.Collect => "自行领取",
        DeliveryMethod.Post => "邮寄",
        DeliveryMethod.Email => "电子邮件",
        _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, null),
    };
}
