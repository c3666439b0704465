using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using ServiceHall.Kiosk.Disclosure;
using Proto = ServiceHall.Protos.V1;

namespace ServiceHall.Kiosk.Services;

/// <summary>
/// The kiosk's door to DisclosureRequestService (依申请公开): hands requests in and reads the intake terms. Map, call, map —
/// no rules here. Calls go with the enrollment credential.
/// </summary>
public sealed class DisclosureRequestClient(Proto.DisclosureRequestService.DisclosureRequestServiceClient client, TimeProvider timeProvider)
{
    /// <summary>
    /// Hands the request in; a resend of the same id is answered with the stored request's receipt. Throws
    /// <see cref="Grpc.Core.RpcException"/>: InvalidArgument naming the field at fault, or a failure to reach the server.
    /// </summary>
    public async Task<DisclosureReceipt> SubmitAsync(KioskDisclosureRequest request, CancellationToken cancellationToken)
    {
        var response = await client.SubmitDisclosureRequestAsync(ToProto(request), deadline: Deadline(), cancellationToken: cancellationToken);
        return new DisclosureReceipt(response.RequestNumber, Day(response.ReceivedDay), Day(response.ReplyDueDay));
    }

    /// <summary>For each of the coming days: the day a request handed in then is received and its reply due day.</summary>
    public async Task<IReadOnlyList<DisclosureIntakeTerm>> GetIntakeTermsAsync(CancellationToken cancellationToken)
    {
        var response = await client.GetDisclosureIntakeTermsAsync(
            new Proto.GetDisclosureIntakeTermsRequest { Days = 31 }, deadline: Deadline(), cancellationToken: cancellationToken);
        return [.. response.Terms.Select(t => new DisclosureIntakeTerm(Day(t.Day), Day(t.ReceivedDay), Day(t.ReplyDueDay)))];
    }

    private DateTime Deadline() => timeProvider.GetUtcNow().UtcDateTime + ServiceHallClient.CallTimeout;

    private static DateOnly Day(string day) => DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    internal static Proto.SubmitDisclosureRequestRequest ToProto(KioskDisclosureRequest request)
    {
        var applicant = request.Applicant ?? throw new ArgumentException("the request carries no applicant", nameof(request));
        return new Proto.SubmitDisclosureRequestRequest
        {
            RequestId = request.Id.ToString(),
            SubmittedAt = Timestamp.FromDateTimeOffset(request.SubmittedAt),
            ApplicantKind = request.ApplicantKind switch
            {
                ApplicantKind.NaturalPerson => Proto.ApplicantKind.NaturalPerson,
                ApplicantKind.CommercialEnterprise => Proto.ApplicantKind.CommercialEnterprise,
                ApplicantKind.ResearchInstitution => Proto.ApplicantKind.ResearchInstitution,
                ApplicantKind.PublicWelfareOrganisation => Proto.ApplicantKind.PublicWelfareOrganisation,
                ApplicantKind.LegalServiceOrganisation => Proto.ApplicantKind.LegalServiceOrganisation,
                ApplicantKind.OtherOrganisation => Proto.ApplicantKind.OtherOrganisation,
                _ => throw new ArgumentOutOfRangeException(nameof(request), request.ApplicantKind, "unknown applicant kind"),
            },
            ApplicantName = applicant.Name,
            IdDocumentKind = applicant.DocumentKind switch
            {
                IdentityDocumentKind.ResidentIdCard => Proto.IdentityDocumentKind.ResidentIdCard,
                IdentityDocumentKind.Passport => Proto.IdentityDocumentKind.Passport,
                IdentityDocumentKind.HongKongMacaoPermit => Proto.IdentityDocumentKind.HongKongMacaoPermit,
                IdentityDocumentKind.TaiwanPermit => Proto.IdentityDocumentKind.TaiwanPermit,
                IdentityDocumentKind.ForeignPermanentResidentCard => Proto.IdentityDocumentKind.ForeignPermanentResidentCard,
                IdentityDocumentKind.UnifiedSocialCreditCode => Proto.IdentityDocumentKind.UnifiedSocialCreditCode,
                _ => throw new ArgumentOutOfRangeException(nameof(request), applicant.DocumentKind, "unknown document kind"),
            },
            IdDocumentNumber = applicant.DocumentNumber,
            Phone = applicant.Phone,
            PostalAddress = applicant.PostalAddress ?? "",
            Email = applicant.Email ?? "",
            ContactPerson = applicant.ContactPerson ?? "",
            InformationName = request.InformationName ?? "",
            InformationDocumentNumber = request.InformationDocumentNumber ?? "",
            InformationDescription = request.InformationDescription ?? "",
            Form = request.Form switch
            {
                InformationForm.Paper => Proto.InformationForm.Paper,
                InformationForm.Electronic => Proto.InformationForm.Electronic,
                InformationForm.InspectOnSite => Proto.InformationForm.InspectOnSite,
                _ => throw new ArgumentOutOfRangeException(nameof(request), request.Form, "unknown form"),
            },
            Delivery = request.Delivery switch
            {
                DeliveryMethod.Collect => Proto.DeliveryMethod.Collect,
                DeliveryMethod.Post => Proto.DeliveryMethod.Post,
                DeliveryMethod.Email => Proto.DeliveryMethod.Email,
                _ => throw new ArgumentOutOfRangeException(nameof(request), request.Delivery, "unknown delivery"),
            },
        };
    }
}

/// <summary>A day, the day a request handed in then is received, and its legal reply day, as the server's calendar says.</summary>
public sealed record DisclosureIntakeTerm(DateOnly Day, DateOnly ReceivedDay, DateOnly ReplyDueDay);
