using System.ComponentModel.DataAnnotations;
using ServiceHall.Kiosk.Accessibility;
using ServiceHall.Kiosk.Services;

namespace ServiceHall.Kiosk.Tests;

public sealed class CatalogAndOptionsTests
{
    private readonly HallCatalog _catalog = TestCatalog.Create();

    [Theory]
    [InlineData("社保", "失业保险稳岗返还")]
    [InlineData("稳岗", "失业保险稳岗返还")]
    [InlineData("惠企政策", "失业保险稳岗返还")]
    [InlineData("行政审批", "有限责任公司设立登记")]
    [InlineData("开公司", "有限责任公司设立登记")]
    public void ItemSearch_WordsACitizenWouldType_FindTheItem(string query, string expected)
    {
        var found = ItemSearch.Find(_catalog, query, null).Select(i => i.Name);

        Assert.Equal([expected], found);
    }

    [Fact]
    public void ItemSearch_DepartmentChosen_ShowsOnlyItsItems()
    {
        var found = ItemSearch.Find(_catalog, "", "XZSP").Select(i => i.Name);

        Assert.Equal(["有限责任公司设立登记"], found);
    }

    [Fact]
    public void TimeLimits_ZeroPromisedDays_ReadsAsDoneOnTheSpot()
    {
        var company = _catalog.ServiceItems[1];
        var chinese = TestText.Create(KioskLanguage.Chinese);
        var english = TestText.Create(KioskLanguage.English);

        Assert.Equal("即办", chinese.PromisedTimeLimit(company));
        Assert.Equal("3 个工作日", chinese.LegalTimeLimit(company));
        Assert.Equal("法律法规未规定", chinese.LegalTimeLimit(_catalog.ServiceItems[0]));
        Assert.Equal("承诺 15 个工作日", chinese.PromisedTimeLimit(_catalog.ServiceItems[0]));
        Assert.Equal("Done on the spot", english.PromisedTimeLimit(company));
        Assert.Equal("3 working days", english.LegalTimeLimit(company));
    }

    [Fact]
    public void KioskOptions_DefaultsWithACredential_AreValid()
    {
        var options = new KioskOptions { Credential = "enrolled-credential" };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
        Assert.Equal(("http://127.0.0.1:5100", "370104-ZWZX", "kiosk-01", ".data/kiosk", 90, 180, 6),
            (options.ServerAddress, options.HallCode, options.DeviceId, options.DataDirectory,
             options.IdleTimeoutSeconds, options.ElderlyIdleTimeoutSeconds, options.ThankYouSeconds));
    }

    [Fact]
    public void KioskOptions_WithoutACredential_AreRefusedAtStart()
    {
        var options = new KioskOptions();
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.MemberNames.Contains(nameof(KioskOptions.Credential)));
    }

    [Theory]
    [InlineData("not a url", 90, 180)]
    [InlineData("http://127.0.0.1:5100", 0, 180)]
    [InlineData("http://127.0.0.1:5100", 90, 60)]
    public void KioskOptions_Nonsense_IsRefused(string server, int idleSeconds, int elderlyIdleSeconds)
    {
        var options = new KioskOptions
        {
            ServerAddress = server, IdleTimeoutSeconds = idleSeconds, ElderlyIdleTimeoutSeconds = elderlyIdleSeconds,
            Credential = "enrolled-credential",
        };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
