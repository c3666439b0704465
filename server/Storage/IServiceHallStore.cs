using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The one seam between the server and its database. Implementations keep to portable SQL so the same statements
/// run on SQLite (the embedded default) and PostgreSQL.
/// </summary>
public interface IServiceHallStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The stored catalog, or null when the store is empty.</summary>
    Task<DistrictCatalog?> LoadCatalogAsync(CancellationToken cancellationToken);

    Task SaveCatalogAsync(DistrictCatalog catalog, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the ratings in one transaction. For each rating, in order: true if stored now, false if a rating with
    /// its id was stored before (nothing is changed then).
    /// </summary>
    Task<IReadOnlyList<bool>> AddRatingsAsync(IReadOnlyList<Rating> ratings, CancellationToken cancellationToken);

    /// <summary>Active ratings of a hall rated in [from, to), counted by department, level and local hour.</summary>
    Task<IReadOnlyList<RatingCountRow>> CountRatingsAsync(
        string hallCode, DateTimeOffset from, DateTimeOffset to, TimeSpan utcOffset, CancellationToken cancellationToken);
}
