using Grpc.Core;
using ServiceHall.Protos.V1;

namespace ServiceHall.Server.Tests.Grpc;

public sealed class CatalogServiceTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private readonly CatalogService.CatalogServiceClient _client = new(factory.CreateChannel());

    [Fact]
    public async Task GetCatalog_DemoHall_ReadsLikeARealDistrictHall()
    {
        var catalog = await _client.GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });

        Assert.Equal("370104", catalog.Hall.RegionCode);
        Assert.Contains("槐荫", catalog.Hall.Name, StringComparison.Ordinal);
        Assert.True(catalog.Departments.Count >= 6, $"{catalog.Departments.Count} departments");
        Assert.True(catalog.Windows.Count >= 12, $"{catalog.Windows.Count} windows");
        Assert.True(catalog.Windows.Count(w => w.Staff.Count > 0) >= 12);
        Assert.True(catalog.ServiceItems.Count >= 30, $"{catalog.ServiceItems.Count} items");
        Assert.All(catalog.ServiceItems, item =>
        {
            Assert.NotEmpty(item.Conditions);
            Assert.NotEmpty(item.Materials);
            Assert.NotEmpty(item.ProcessSteps);
            Assert.NotEmpty(item.Fees);
            Assert.NotEmpty(item.ConsultationPhone);
            Assert.NotEmpty(item.SupervisionPhone);
            Assert.NotEmpty(item.WindowCodes);
            Assert.Contains(catalog.Departments, d => d.Code == item.DepartmentCode);
        });
        Assert.NotEmpty(catalog.ReasonTags.Version);
        Assert.Contains(catalog.ReasonTags.Tags, t => t.Levels.Contains(RatingLevel.VeryDissatisfied));
        Assert.Contains(catalog.ReasonTags.Tags, t => t.Levels.Contains(RatingLevel.VerySatisfied));
    }

    [Fact]
    public async Task GetCatalog_DemoHall_NamesEverythingACitizenReadsInEnglishToo()
    {
        var catalog = await _client.GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });

        Assert.Equal("Huaiyin District Government Service Center", catalog.Hall.NameEn);
        Assert.StartsWith("Mon–Fri 9:00", catalog.Hall.OpeningHoursEn, StringComparison.Ordinal);
        Assert.All(catalog.Departments, d =>
        {
            Assert.NotEmpty(d.NameEn);
            Assert.NotEmpty(d.ShortNameEn);
        });
        Assert.Equal("Social Insurance", catalog.Windows.Single(w => w.Code == "B03").NameEn);
        Assert.All(catalog.Windows, w => Assert.NotEmpty(w.NameEn));
        Assert.All(catalog.ServiceItems, i => Assert.NotEmpty(i.NameEn));
        Assert.All(catalog.ReasonTags.Tags, t =>
        {
            Assert.NotEmpty(t.LabelEn);
            Assert.NotEmpty(t.DimensionEn);
        });
        Assert.Equal("Long wait", catalog.ReasonTags.Tags.Single(t => t.Code == "EFF_LONG_WAIT").LabelEn);
    }

    [Fact]
    public async Task GetCatalog_RatingRules_AreTheLimitsTheRatingServiceApplies()
    {
        var catalog = await _client.GetCatalogAsync(new GetCatalogRequest { HallCode = ServerFactory.HallCode });

        Assert.Equal(500, catalog.RatingRules.MaxTextLength);
        var phone = new System.Text.RegularExpressions.Regex(catalog.RatingRules.CallbackPhonePattern);
        Assert.Matches(phone, "13812341234");
        Assert.DoesNotMatch(phone, "12345678901");
        Assert.DoesNotMatch(phone, "053187654321");
        // The kiosk tells a citizen who left a number when the callback comes: the case's first-contact deadline.
        Assert.Equal(1, catalog.RatingRules.CallbackWorkingDays);
    }

    [Fact]
    public async Task GetCatalog_EmptyHallCode_InvalidArgumentNamingTheField()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => _client.GetCatalogAsync(new GetCatalogRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Equal("hall_code", Assert.Single(e.FieldsAtFault()));
    }

    [Fact]
    public async Task GetCatalog_UnknownHall_NotFound()
    {
        var e = await Assert.ThrowsAsync<RpcException>(
            () => _client.GetCatalogAsync(new GetCatalogRequest { HallCode = "999999-XX" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, e.StatusCode);
    }
}
