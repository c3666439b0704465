using ServiceHall.Server.Domain;

namespace ServiceHall.Server.Storage;

/// <summary>
/// Brings the database to the newest schema at start (<see cref="StoreMigrations"/>), under a lock across every instance
/// on it, and fills in what a migration adds for data stored before it. Then writes the district's working-day calendar into
/// the store when it is not the one there (<see cref="CaseWorkingDays"/>), and sums the handling rollup afresh on it.
/// </summary>
public sealed class StoreSchema(StoreDatabase database, RatingStore ratings, CaseTimeLimits limits)
{
    /// <summary>Creates or migrates the schema.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await database.BeforeMigrationsAsync(connection);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await database.LockAsync(connection, transaction, "migrations", cancellationToken);
            var applied = await StoreMigrations.ApplyAsync(
                connection, transaction, await database.LegacySchemaVersionAsync(connection, transaction), cancellationToken);
            if (applied.Any(m => m.Version == StoreMigrations.RatingTalliesVersion))
            {
                // Ratings stored before the tallies existed are tallied once, here.
                await ratings.TallyEarlierRatingsAsync(connection, transaction, cancellationToken);
            }

            if (applied.Any(m => m.Version == StoreMigrations.CaseNumbersVersion))
            {
                // Cases stored before numbers existed get theirs, in the order they were received, and every case its milestones.
                await CaseRows.RederiveAllAsync(connection, transaction, cancellationToken, ratings.LocalDay);
            }
            else if (applied.Any(m => m.Version is StoreMigrations.CaseFactsVersion or StoreMigrations.EscalationDueVersion))
            {
                await CaseRows.RederiveAllAsync(connection, transaction, cancellationToken);
            }

            // The rollup counts working days on the calendar: a new one (a year's notice added, or the first) means counting again.
            if (await CaseWorkingDays.WriteIfChangedAsync(connection, transaction, limits.Calendar, database.RowsPerStatement, cancellationToken))
            {
                await CaseHandlingRollup.RebuildAsync(connection, transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }, cancellationToken);
}
