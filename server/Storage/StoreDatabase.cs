using System.Data.Common;
using System.Text.Json;

namespace ServiceHall.Server.Storage;

/// <summary>
/// What differs between the two databases, and nothing else: how a connection opens, how writers queue, how a lock across
/// processes is taken and how many rows one statement carries. Every store (<see cref="RatingStore"/>,
/// <see cref="CaseStore"/>, …) holds one and runs the same SQL on either database through it.
/// </summary>
public abstract class StoreDatabase
{
    /// <summary>How stored JSON (case snapshots, catalog definitions, publications) is written and read.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Opens a connection ready for use (pragmas set, pooled where the database pools).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Holds <paramref name="name"/> exclusively until <paramref name="transaction"/> ends, across every process on this
    /// database: two servers starting together migrate once and seed the catalog once.
    /// </summary>
    public abstract Task LockAsync(DbConnection connection, DbTransaction transaction, string name, CancellationToken cancellationToken);

    /// <summary>Runs a write on its own connection. SQLite overrides this to queue writers (it has one writer at a time).</summary>
    public virtual async Task<T> WriteAsync<T>(Func<DbConnection, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await write(connection);
    }

    public Task WriteAsync(Func<DbConnection, Task> write, CancellationToken cancellationToken) =>
        WriteAsync(async connection =>
        {
            await write(connection);
            return true;
        }, cancellationToken);

    /// <summary>
    /// How many rows one INSERT statement of a group commit carries (<see cref="MultiRowStatement"/>). The statement is
    /// prepared once per commit and reused.
    /// </summary>
    public virtual int RowsPerStatement => 200;

    /// <summary>Runs at start on the connection that will migrate, before its transaction (e.g. SQLite's journal mode).</summary>
    public virtual Task BeforeMigrationsAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>Before the migrations run: how many of them a store made before there was a migrations table holds.</summary>
    public virtual Task<int> LegacySchemaVersionAsync(DbConnection connection, DbTransaction transaction) => Task.FromResult(0);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Json) ?? throw new InvalidDataException($"stored {typeof(T).Name} is empty");
}
