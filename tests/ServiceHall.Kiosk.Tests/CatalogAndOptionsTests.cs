using System.ComponentModel.DataAnnotations;
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

        Assert.Equal("即办", TimeLimits.Promised(company));
        Assert.Equal("3 个工作日", TimeLimits.Legal(company));
        Assert.Equal("法律法规未规定", TimeLimits.Legal(_catalog.ServiceItems[0]));
    }

    [Fact]
    public void KioskOptions_DefaultsWithACredential_AreValid()
    {
        var options = new KioskOptions { Credential = "enrolled-credential" };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
        Assert.Equal(("http://127.0.0.1:5100", "370104-ZWZX", "kiosk-01", ".data/kiosk", 90, 6),
            (options.ServerAddress, options.HallCode, options.DeviceId, options.DataDirectory,
             options.IdleTimeoutSeconds, options.ThankYouSeconds));
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
    [InlineData("not a url", 90)]
    [InlineData("http://127.0.0.1:5100", 0)]
    public void KioskOptions_Nonsense_IsRefused(string server, int idleSeconds)
    {
        var options = new KioskOptions { ServerAddress = server, IdleTimeoutSeconds = idleSeconds, Credential = "enrolled-credential" };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }
}
