using System.Data.Common;
using Dapper;
using Npgsql;

namespace ServiceHall.Server.Storage;

/// <summary>
/// The database for a city or province: one PostgreSQL database shared by several server instances. Writers run side by
/// side (PostgreSQL locks rows); what must happen once across instances takes an advisory lock.
/// </summary>
public sealed class PostgresStoreDatabase(NpgsqlDataSource dataSource) : StoreDatabase
{
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task LockAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(hashtext(@Name))", new { Name = "servicehall:" + name }, transaction,
            cancellationToken: cancellationToken));
}
