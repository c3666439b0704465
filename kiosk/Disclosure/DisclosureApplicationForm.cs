using System.Globalization;
using System.Net.Mail;

namespace ServiceHall.Kiosk.Disclosure;

/// <summary>Who applies, as the annual report's columns count applicants (国办公开办函〔2021〕30号).</summary>
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
    ResidentIdCard = 1,
    Passport = 2,
    HongKongMacaoPermit = 3,
    TaiwanPermit = 4,
    ForeignPermanentResidentCard = 5,

    /// <summary>An organisation's 统一社会信用代码.</summary>
    UnifiedSocialCreditCode = 6,
}

public enum InformationForm
{
    Paper = 1,
    Electronic = 2,
    InspectOnSite = 3,
}

public enum DeliveryMethod
{
    Collect = 1,
    Post = 2,
    Email = 3,
}

/// <summary>
/// The 依申请公开 application as the citizen fills it in on the kiosk, step by step, and its checks: the same as the
/// server's (docs/rules/disclosure-requests.md#applying), so a mistake is shown on the field at once, in the citizen's
/// language, rather than after the request has left the kiosk. The server checks again and has the last word. Each fault
/// is keyed by the contract's field name and names a resource string ("Disclosure.Error.…").
/// </summary>
public sealed class DisclosureApplicationForm
{
    public const int MaxNameLength = 100;
    public const int MaxDocumentNumberLength = 32;
    public const int MaxPhoneLength = 20;
    public const int MaxAddressLength = 200;
    public const int MaxEmailLength = 100;
    public const int MaxInformationNameLength = 200;
    public const int MaxInformationDocumentNumberLength = 100;
    public const int MaxDescriptionLength = 1000;

    private static readonly int[] IdCardWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string IdCardCheck = "10X98765432";
    private const string CreditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] CreditCodeWeights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    private ApplicantKind? _applicantKind;

    public ApplicantKind? ApplicantKind
    {
        get => _applicantKind;
        set
        {
            _applicantKind = value;
            // A natural person shows a personal document, an organisation its credit code: the choice follows the kind.
            if (value is { } kind)
            {
                var organisation = kind != Disclosure.ApplicantKind.NaturalPerson;
                if (organisation)
                {
                    DocumentKind = IdentityDocumentKind.UnifiedSocialCreditCode;
                }
                else if (DocumentKind is null or IdentityDocumentKind.UnifiedSocialCreditCode)
                {
                    DocumentKind = IdentityDocumentKind.ResidentIdCard;
                }
            }
        }
    }

    public bool IsOrganisation => ApplicantKind is { } kind && kind != Disclosure.ApplicantKind.NaturalPerson;

    public string Name { get; set; } = "";
    public string ContactPerson { get; set; } = "";
    public IdentityDocumentKind? DocumentKind { get; set; }
    public string DocumentNumber { get; set; } = "";
    public string Phone { get; set; } = "";
    public string InformationName { get; set; } = "";
    public string InformationDocumentNumber { get; set; } = "";
    public string InformationDescription { get; set; } = "";
    public InformationForm? Form { get; set; }
    public DeliveryMethod? Delivery { get; set; }
    public string PostalAddress { get; set; } = "";
    public string Email { get; set; } = "";

    /// <summary>The fields of each step of the screen, in the contract's names, in the order they are shown.</summary>
    public static IReadOnlyList<string> FieldsOf(DisclosureFormStep step) => step switch
    {
        DisclosureFormStep.Applicant => ["applicant_kind", "applicant_name", "contact_person", "id_document_kind", "id_document_number", "phone"],
        DisclosureFormStep.Information => ["information_name", "information_document_number", "information_description"],
        DisclosureFormStep.Delivery => ["form", "delivery", "postal_address", "email"],
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    /// <summary>Every fault of the whole form: field → resource name of the message. Empty when it may be submitted.</summary>
    public IReadOnlyDictionary<string, string> Check()
    {
        var faults = new Dictionary<string, string>(StringComparer.Ordinal);
        void Fault(string field, string message) => faults.TryAdd(field, "Disclosure.Error." + message);

        if (ApplicantKind is null)
        {
            Fault("applicant_kind", "ApplicantKind");
        }
        CheckText(Name, MaxNameLength, "applicant_name", IsOrganisation ? "OrganisationName" : "PersonName", Fault);
        if (IsOrganisation)
        {
            CheckText(ContactPerson, MaxNameLength, "contact_person", "ContactPerson", Fault);
        }

        var number = NormalisedDocumentNumber;
        if (DocumentKind is not { } documentKind)
        {
            Fault("id_document_kind", "DocumentKind");
        }
        else if (ApplicantKind is not null && IsOrganisation != (documentKind == IdentityDocumentKind.UnifiedSocialCreditCode))
        {
            Fault("id_document_kind", IsOrganisation ? "OrganisationNeedsCreditCode" : "PersonNeedsPersonalDocument");
        }
        else if (number.Length == 0)
        {
            Fault("id_document_number", "DocumentNumberMissing");
        }
        else if (WhyNot(documentKind, number) is { } why)
        {
            Fault("id_document_number", why);
        }

        var phone = NormalisedPhone;
        if (phone.Length == 0)
        {
            Fault("phone", "PhoneMissing");
        }
        else if (phone.Length > MaxPhoneLength || !IsPhone(phone))
        {
            Fault("phone", "Phone");
        }

        var infoName = InformationName.Trim();
        var infoNumber = InformationDocumentNumber.Trim();
        var description = InformationDescription.Trim();
        if (infoName.Length == 0 && infoNumber.Length == 0 && description.Length == 0)
        {
            Fault("information_name", "InformationMissing");
        }
        if (infoName.Length > MaxInformationNameLength)
        {
            Fault("information_name", "TooLong");
        }
        if (infoNumber.Length > MaxInformationDocumentNumberLength)
        {
            Fault("information_document_number", "TooLong");
        }
        if (description.Length > MaxDescriptionLength)
        {
            Fault("information_description", "TooLong");
        }

        if (Form is null)
        {
            Fault("form", "Form");
        }
        if (Delivery is null)
        {
            Fault("delivery", "Delivery");
        }

        var address = PostalAddress.Trim();
        var email = Email.Trim();
        switch (Delivery)
        {
            case DeliveryMethod.Post when address.Length == 0:
                Fault("postal_address", "PostalAddressMissing");
                break;
            case DeliveryMethod.Email when email.Length == 0:
                Fault("email", "EmailMissing");
                break;
            case DeliveryMethod.Email when Form is not null and not InformationForm.Electronic:
                Fault("delivery", "EmailOnlyElectronic");
                break;
            case not null and not DeliveryMethod.Collect when Form == InformationForm.InspectOnSite:
                Fault("delivery", "InspectMeansCollect");
                break;
            default:
                break;
        }
        if (Delivery == DeliveryMethod.Post && address.Length > MaxAddressLength)
        {
            Fault("postal_address", "TooLong");
        }
        if (Delivery == DeliveryMethod.Email && email.Length > 0 && (email.Length > MaxEmailLength || !IsEmail(email)))
        {
            Fault("email", "Email");
        }
        return faults;
    }

    /// <summary>The faults of one step only: the screen moves on when these are none.</summary>
    public IReadOnlyDictionary<string, string> Check(DisclosureFormStep step)
    {
        var fields = FieldsOf(step);
        return Check().Where(f => fields.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// The request as it goes into the outbox, trimmed, with the id that makes a resend safe and the instant the applicant
    /// confirmed (the day of receipt, 条例 art. 31). Refuses a form with faults.
    /// </summary>
    public KioskDisclosureRequest ToRequest(Guid id, DateTimeOffset submittedAt, string deviceId)
    {
        if (Check().Count > 0)
        {
            throw new InvalidOperationException("the form has faults; check it before submitting");
        }
        var delivery = Delivery!.Value;
        return new KioskDisclosureRequest(
            id,
            submittedAt,
            deviceId,
            ApplicantKind!.Value,
            new DisclosureApplicant(
                Name.Trim(),
                DocumentKind!.Value,
                NormalisedDocumentNumber,
                NormalisedPhone,
                delivery == DeliveryMethod.Post ? PostalAddress.Trim() : null,
                delivery == DeliveryMethod.Email ? Email.Trim() : null,
                IsOrganisation ? ContactPerson.Trim() : null),
            NullIfEmpty(InformationName),
            NullIfEmpty(InformationDocumentNumber),
            NullIfEmpty(InformationDescription),
            Form!.Value,
            delivery);
    }

    private string NormalisedDocumentNumber => DocumentNumber.Replace(" ", "", StringComparison.Ordinal).Trim().ToUpperInvariant();

    private string NormalisedPhone => Phone.Replace(" ", "", StringComparison.Ordinal).Trim();

    private static string? NullIfEmpty(string value) => value.Trim() is { Length: > 0 } trimmed ? trimmed : null;

    private static void CheckText(string value, int max, string field, string missing, Action<string, string> fault)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            fault(field, missing);
        }
        else if (trimmed.Length > max)
        {
            fault(field, "TooLong");
        }
    }

    /// <summary>The resource suffix saying why the number is not one of that kind, or null.</summary>
    private static string? WhyNot(IdentityDocumentKind kind, string number) => kind switch
    {
        IdentityDocumentKind.ResidentIdCard => IsResidentIdCard(number) ? null : "ResidentIdCard",
        IdentityDocumentKind.UnifiedSocialCreditCode => IsUnifiedSocialCreditCode(number) ? null : "CreditCode",
        IdentityDocumentKind.Passport or IdentityDocumentKind.HongKongMacaoPermit or IdentityDocumentKind.TaiwanPermit
            or IdentityDocumentKind.ForeignPermanentResidentCard =>
            number.Length is >= 5 and <= 20 && number.All(char.IsAsciiLetterOrDigit) ? null : "OtherDocument",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>17 digits and the GB 11643-1999 (ISO 7064 MOD 11-2) check character, with a real birth date.</summary>
    internal static bool IsResidentIdCard(string number)
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
        return IdCardCheck[sum % 11] == number[17]
            && DateOnly.TryParseExact(number.Substring(6, 8), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>17 characters of the code's alphabet and the GB 32100-2015 MOD 31 check character.</summary>
    internal static bool IsUnifiedSocialCreditCode(string code)
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
        return CreditCodeChars[(31 - (sum % 31)) % 31] == code[17];
    }

    /// <summary>A mainland mobile number (11 digits from 1) or a landline with its area code (0531-12345678).</summary>
    internal static bool IsPhone(string phone)
    {
        if (phone.Length == 11 && phone[0] == '1' && phone.All(char.IsAsciiDigit))
        {
            return true;
        }
        var digits = phone.Replace("-", "", StringComparison.Ordinal);
        return phone.StartsWith('0') && digits.Length is >= 10 and <= 12 && digits.All(char.IsAsciiDigit);
    }

    private static bool IsEmail(string email) =>
        MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('.', StringComparison.Ordinal);
}

/// <summary>The steps of the application screen; the receipt follows the last.</summary>
public enum DisclosureFormStep
{
    Applicant = 1,
    Information = 2,
    Delivery = 3,
}

/// <summary>The applicant's identity and contact: never logged, kept apart in the outbox and erased once the server answered.</summary>
public sealed record DisclosureApplicant(
    string Name, IdentityDocumentKind DocumentKind, string DocumentNumber, string Phone, string? PostalAddress, string? Email,
    string? ContactPerson);

/// <summary>A request as the kiosk keeps it until the server has it.</summary>
public sealed record KioskDisclosureRequest(
    Guid Id,
    DateTimeOffset SubmittedAt,
    string DeviceId,
    ApplicantKind ApplicantKind,
    DisclosureApplicant? Applicant,
    string? InformationName,
    string? InformationDocumentNumber,
    string? InformationDescription,
    InformationForm Form,
    DeliveryMethod Delivery)
{
    /// <summary>
    /// The request number, as the server derives it from the id and the local day handed in ("20261009-3F9A2C1B",
    /// docs/rules/disclosure-requests.md#the-kiosk): the kiosk can show it before the server has the request, and the office
    /// finds the request by it.
    /// </summary>
    public string NumberIn(TimeZoneInfo zone) => NumberOf(Id, DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(SubmittedAt, zone).DateTime));

    public static string NumberOf(Guid id, DateOnly submittedDay) =>
        $"{submittedDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{id.ToString("N")[^8..].ToUpperInvariant()}";
}
