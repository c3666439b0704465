using ServiceHall.Server.Domain;
using ServiceHall.Server.Storage;

namespace ServiceHall.Server.Live;

/// <summary>Today's figures of one hall, "today" in the district's time zone.</summary>
public sealed class LiveFiguresQuery(IRatingStore store, CatalogSource catalog, DistrictClock clock)
{
    public async Task<DayFigures> TodayAsync(Hall hall, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var day = DateOnly.FromDateTime(now.DateTime);
        var (from, to) = clock.DayBounds(day);
        var rows = await store.CountRatingsAsync(hall.Code, from, to, now.Offset, cancellationToken);
        return DayFigures.Build(hall, catalog.Current.DepartmentsOf(hall), day, now, rows);
    }
}
