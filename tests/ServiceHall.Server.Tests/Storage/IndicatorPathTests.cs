using Microsoft.Extensions.DependencyInjection;
using ServiceHall.Server.Disclosure;
using ServiceHall.Server.Domain;
using ServiceHall.Server.Live;
using ServiceHall.Server.Storage;
using ServiceHall.Server.Tests.Grpc;

namespace ServiceHall.Server.Tests.Storage;

/// <summary>A publication's figures and the live indicators are one computation: for every unit they agree.</summary>
public sealed class IndicatorPathTests : IDisposable
{
    private readonly ServerFactory _server = new();

    [Fact]
    public async Task PublishedFigures_OfTheDistrictEveryDepartmentAndWindow_EqualTheLiveIndicators()
    {
        await _server.Services.GetRequiredService<History.RatingHistory>().GenerateAsync(3_000, 70, badPerMille: 80, seed: 13, CancellationToken.None);
        var clock = _server.Services.GetRequiredService<DistrictClock>();
        var indicators = _server.Services.GetRequiredService<IndicatorQuery>();
        var catalog = _server.Services.GetRequiredService<CatalogSource>().Current;
        var period = Period.Containing(PeriodKind.Month, clock.LocalDay(clock.UtcNow)).Previous();

        var published = await _server.Services.GetRequiredService<PublicationBuilder>().BuildAsync(period, CancellationToken.None);

        var district = await indicators.ComputeAsync(Scope.District, period.FirstDay, period.LastDay, CancellationToken.None);
        Assert.Equal(district, published.Headline);
        Assert.True(published.Departments.Count > 1 && published.Windows.Count > 1);
        foreach (var unit in published.Departments)
        {
            await AssertSameAsync(unit, new Scope(ScopeKind.Department, unit.Code));
        }

        foreach (var unit in published.Windows)
        {
            var hall = catalog.Halls.Single(h => unit.Code.StartsWith(h.Code + "/", StringComparison.Ordinal));
            await AssertSameAsync(unit, new Scope(ScopeKind.Window, unit.Code[(hall.Code.Length + 1)..], hall.Code));
        }

        async Task AssertSameAsync(UnitFigures unit, Scope scope)
        {
            var counts = await indicators.CountAsync(scope, period.FirstDay, period.LastDay, CancellationToken.None);
            var values = (await indicators.ComputeAsync(scope, period.FirstDay, period.LastDay, CancellationToken.None)).ToDictionary(v => v.Code);
            Assert.Equal(
                (counts.Levels.Total, values[Indicators.GoodRate].Display, counts.Levels.Bad, counts.BadRectified, values[Indicators.RectifiedInTimeRate].Display),
                (unit.Ratings, unit.GoodRate, unit.BadReviews, unit.Rectified, unit.RectifiedInTimeRate));
        }
    }

    public void Dispose() => _server.Dispose();
}
