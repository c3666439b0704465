using ServiceHall.Server.Domain;
using static ServiceHall.Server.Tests.Domain.DisclosureTestData;

namespace ServiceHall.Server.Tests.Domain;

/// <summary>An application is checked field by field; each refusal names the field; intake flags repeats and volume, never refuses.</summary>
public class DisclosureApplicationTests
{
    [Fact]
    public void Checked_ValidPersonAndOrganisation_Accepted()
    {
        Assert.Equal(IdCard, Application().Checked().Applicant.DocumentNumber);
        Assert.Equal("李四", Application(ApplicantKind.CommercialEnterprise).Checked().Applicant.ContactPerson);
    }

    public static TheoryData<string, Func<DisclosureApplication, DisclosureApplication>> Faults() => new()
    {
        { "applicant_kind", a => a with { ApplicantKind = (ApplicantKind)99 } },
        { "applicant_name", a => a with { Applicant = a.Applicant with { Name = "  " } } },
        { "applicant_name", a => a with { Applicant = a.Applicant with { Name = new string('张', 101) } } },
        { "id_document_number", a => a with { Applicant = a.Applicant with { DocumentNumber = "110105194912310021" } } },
        { "id_document_number", a => a with { Applicant = a.Applicant with { DocumentNumber = "" } } },
        { "id_document_kind", a => a with { Applicant = a.Applicant with { DocumentKind = IdentityDocumentKind.UnifiedSocialCreditCode } } },
        { "phone", a => a with { Applicant = a.Applicant with { Phone = "12345" } } },
        { "email", a => a with { Applicant = a.Applicant with { Email = "not-an-address" } } },
        { "information_name", a => a with { Information = new InformationWanted(null, " ", null) } },
        { "information_description", a => a with { Information = new InformationWanted(null, null, new string('x', 1001)) } },
        { "form", a => a with { Form = (InformationForm)0 } },
        { "delivery", a => a with { Delivery = (DeliveryMethod)7 } },
        { "postal_address", a => a with { Delivery = DeliveryMethod.Post } },
        { "email", a => a with { Form = InformationForm.Electronic, Delivery = DeliveryMethod.Email } },
        { "delivery", a => a with { Delivery = DeliveryMethod.Email, Applicant = a.Applicant with { Email = "a@example.com" } } },
        { "delivery", a => a with { Form = InformationForm.InspectOnSite, Delivery = DeliveryMethod.Post, Applicant = a.Applicant with { PostalAddress = "济南" } } },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void Checked_Fault_RefusedWithItsField(string field, Func<DisclosureApplication, DisclosureApplication> fault)
    {
        var e = Assert.Throws<InvalidInputException>(() => fault(Application()).Checked());

        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Checked_OrganisationWithoutContactPersonOrWithAPersonalId_Refused()
    {
        var organisation = Application(ApplicantKind.CommercialEnterprise);

        Assert.Equal("contact_person", Assert.Throws<InvalidInputException>(
            () => (organisation with { Applicant = organisation.Applicant with { ContactPerson = null } }).Checked()).Field);
        Assert.Equal("id_document_kind", Assert.Throws<InvalidInputException>(() => (organisation with
        {
            Applicant = organisation.Applicant with { DocumentKind = IdentityDocumentKind.ResidentIdCard, DocumentNumber = IdCard },
        }).Checked()).Field);
        Assert.Equal("id_document_number", Assert.Throws<InvalidInputException>(() => (organisation with
        {
            Applicant = organisation.Applicant with { DocumentNumber = "91350100M000100Y44" },
        }).Checked()).Field);
    }

    [Fact]
    public void Masks_ShowEnoughToTellApart_NotToIdentify()
    {
        var applicant = Application().Checked().Applicant;

        Assert.Equal("张*", applicant.MaskedName);
        Assert.Equal("1101**********002X", applicant.MaskedDocumentNumber);
        Assert.Equal("138****1234", applicant.MaskedPhone);
    }

    [Fact]
    public void InformationKey_IgnoresSpacingWidthAndCase()
    {
        Assert.Equal(
            DisclosureRequest.InformationKey(new InformationWanted("2026年 老旧小区改造计划", null, null)),
            DisclosureRequest.InformationKey(new InformationWanted("２０２６年老旧小区改造计划。", null, null)));
        Assert.NotEqual(
            DisclosureRequest.InformationKey(new InformationWanted("2026年老旧小区改造计划", null, null)),
            DisclosureRequest.InformationKey(new InformationWanted("2025年老旧小区改造计划", null, null)));
    }

    [Fact]
    public void IntakeFlags_RepeatNamesTheEarliestSameRequest_VolumeFlaggedAtTheThreshold()
    {
        var policy = new DisclosureVolumePolicy { WindowDays = 30, Requests = 3 };
        var at = At(3, 20);
        var earlier = new List<(string, string, DateTimeOffset)>
        {
            ("20260302-AAAAAAAA", "K1", At(3, 2)),
            ("20260305-BBBBBBBB", "K2", At(3, 5)),
            ("20260110-CCCCCCCC", "K1", At(1, 10)),
        };

        var repeat = DisclosureIntake.Flags(earlier, "K1", at, policy);
        var fresh = DisclosureIntake.Flags(earlier[..1], "K9", at, policy);

        Assert.Equal("20260110-CCCCCCCC", repeat.RepeatOf);
        Assert.Equal(3, repeat.RecentRequests);
        Assert.Equal(DisclosureIntakeFlags.None, fresh);
    }

    [Fact]
    public void Number_IsTheDayAndTheIdsTail()
    {
        var id = Guid.Parse("0192f0c4-7b2a-7c3d-8e4f-a1b2c3d4e5f6");

        Assert.Equal("20261009-C3D4E5F6", DisclosureRequest.NumberOf(id, new DateOnly(2026, 10, 9)));
    }
}
