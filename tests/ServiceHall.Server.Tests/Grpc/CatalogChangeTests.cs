using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Protos.V1;
using Catalog = ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Tests.Grpc;

/// <summary>A kiosk offline across a catalog change still delivers what its citizens rated.</summary>
public sealed class CatalogChangeTests : IDisposable
{
    private readonly ServerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task SubmitRatings_AfterTagListUpdateAndShiftChange_EveryRatingStored_UnknownStaffFlagged()
    {
        var client = _factory.CreateRatingClient();
        // Made while the kiosk was offline, with the list and roster of the time.
        var withOldTag = ServerFactory.GoodRating();
        withOldTag.Level = RatingLevel.VeryDissatisfied;
        withOldTag.ReasonTagCodes.Add("EFF_LONG_WAIT");
        withOldTag.ReasonTagListVersion = "2026.1";
        var ofLeavingStaff = ServerFactory.GoodRating();
        ofLeavingStaff.StaffId = "HY0102";

        await PublishAsync(catalog => new Catalog.DistrictCatalog(
            catalog.RegionCode, catalog.Departments,
            catalog.Halls.Select(h => h with
            {
                Windows = h.Windows.Select(w => w.Code == "A01" ? w with { Staff = [new Catalog.StaffMember("HY0199", "新同事", "窗口人员")] } : w).ToList(),
            }),
            catalog.ServiceItems,
            new Catalog.ReasonTagList("2026.2", catalog.ReasonTags.Tags.Where(t => t.Code != "EFF_LONG_WAIT").ToList())));
        var response = await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { withOldTag, ofLeavingStaff } });

        Assert.All(response.Results, r => Assert.Equal(RatingOutcome.Stored, r.Outcome));
        Assert.Equal(1, _factory.Scalar(
            "SELECT COUNT(*) FROM ratings WHERE id = @id AND reason_tag_list_version = '2026.1'", ("id", withOldTag.RatingId)));
        Assert.Equal(1, _factory.Scalar("SELECT COUNT(*) FROM cases WHERE rating_id = @id", ("id", withOldTag.RatingId)));
        Assert.Equal(1, _factory.Scalar("SELECT staff_not_on_roster FROM ratings WHERE id = @id", ("id", ofLeavingStaff.RatingId)));
        Assert.Equal(0, _factory.Scalar("SELECT staff_not_on_roster FROM ratings WHERE id = @id", ("id", withOldTag.RatingId)));
    }

    [Fact]
    public async Task SubmitRatings_TagOfTheNamedVersion_CheckedAgainstThatVersion()
    {
        var client = _factory.CreateRatingClient();
        await PublishAsync(catalog => new Catalog.DistrictCatalog(
            catalog.RegionCode, catalog.Departments, catalog.Halls, catalog.ServiceItems,
            new Catalog.ReasonTagList("2026.2", [.. catalog.ReasonTags.Tags, new Catalog.ReasonTag("NEW_TAG", "新标签", "效率", [Catalog.RatingLevel.Dissatisfied])])));
        // NEW_TAG exists in 2026.2 only: named with 2026.1 it is not a tag of that list.
        var mixedUp = ServerFactory.GoodRating();
        mixedUp.Level = RatingLevel.Dissatisfied;
        mixedUp.ReasonTagCodes.Add("NEW_TAG");
        mixedUp.ReasonTagListVersion = "2026.1";
        var neverPublished = ServerFactory.GoodRating();
        neverPublished.ReasonTagCodes.Add("EFF_FAST");
        neverPublished.ReasonTagListVersion = "2027.9";

        var response = await client.SubmitRatingsAsync(new SubmitRatingsRequest { Ratings = { mixedUp, neverPublished } });

        Assert.Equal(["reason_tag_codes", "reason_tag_list_version"], response.Results.Select(r => r.Field));
        Assert.All(response.Results, r => Assert.Equal(RatingOutcome.Rejected, r.Outcome));
    }

    private async Task PublishAsync(Func<Catalog.DistrictCatalog, Catalog.DistrictCatalog> change)
    {
        var source = _factory.Services.GetRequiredService<CatalogSource>();
        await _factory.Services.GetRequiredService<ICatalogStore>().SaveCatalogAsync(change(source.Current), demoStore: false, CancellationToken.None);
        await source.LoadAsync(CancellationToken.None);
    }
}
